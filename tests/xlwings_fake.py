"""An in-memory stand-in for the few xlwings objects sheetkit.excel uses.

It behaves like Excel where sheetkit relies on it: a workbook opened from a
file shows the cached values of its formulas, sheets copied from another
workbook keep their values and links, a copied sheet goes exactly where
``before``/``after`` says, and ``add_note`` refuses a cell that has a note.
Anything sheetkit.excel calls that is not here fails the tests, which keeps
the module to this small, documented subset of xlwings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string


def _cell_index(ref: str) -> tuple[int, int]:
    letters, row = coordinate_from_string(ref.replace("$", ""))
    return row, column_index_from_string(letters)


class App:
    def __init__(self, answers: list[str] | None = None):
        self.alerts: list[dict[str, Any]] = []
        self.answers = list(answers or [])  # what the user presses, in order
        self.screen_updating = True
        self.display_alerts = True
        self._status_bar: str | bool = False
        self.status_history: list[str] = []
        self.books = Books(self)

    @property
    def status_bar(self):
        return self._status_bar

    @status_bar.setter
    def status_bar(self, value):
        self._status_bar = value
        if value:
            self.status_history.append(value)

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.alerts.append({"prompt": prompt, "title": title, "buttons": buttons, "mode": mode})
        return self.answers.pop(0) if self.answers else ("ok" if buttons == "ok" else "no")


class Books:
    def __init__(self, app: App):
        self.app = app
        self.opened: list[Book] = []

    def open(self, fullname: str) -> Book:
        book = Book.from_file(fullname, self.app)
        self.opened.append(book)
        return book


class Note:
    """A cell's note; its text lives in the sheet, as in Excel."""

    def __init__(self, cell: Range):
        self._cell = cell

    @property
    def text(self) -> str:
        return self._cell.sheet.notes[self._cell.index]

    @text.setter
    def text(self, value: str) -> None:
        self._cell.sheet.notes[self._cell.index] = value

    def delete(self) -> None:
        del self._cell.sheet.notes[self._cell.index]


class Range:
    def __init__(self, sheet: Sheet, first: tuple[int, int], last: tuple[int, int] | None = None):
        self.sheet = sheet
        self.first, self.last = first, last or first
        self._ndim = None

    @property
    def index(self) -> tuple[int, int]:
        assert self.first == self.last, "a single cell was expected"
        return self.first

    @property
    def row(self) -> int:
        return self.first[0]

    @property
    def column(self) -> int:
        return self.first[1]

    @property
    def last_cell(self) -> Range:
        return Range(self.sheet, self.last)

    def options(self, ndim=None) -> Range:
        copy = Range(self.sheet, self.first, self.last)
        copy._ndim = ndim
        return copy

    @property
    def value(self):
        (r1, c1), (r2, c2) = self.first, self.last
        rows = [
            [self.sheet.cells.get((r, c)) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)
        ]
        if self._ndim == 2:
            return rows
        if (r1, c1) == (r2, c2):
            return rows[0][0]
        return rows if r1 != r2 and c1 != c2 else [v for row in rows for v in row]

    @value.setter
    def value(self, value) -> None:
        self.sheet.cells[self.index] = value

    @property
    def color(self):
        return self.sheet.colors.get(self.index)

    @color.setter
    def color(self, rgb) -> None:
        if rgb is None:
            self.sheet.colors.pop(self.index, None)
        else:
            self.sheet.colors[self.index] = tuple(rgb)

    @property
    def note(self) -> Note | None:
        return Note(self) if self.index in self.sheet.notes else None

    def add_note(self, text: str) -> Note:
        if not isinstance(text, str) or not text:
            raise ValueError("Note text must be a non-empty string")
        if self.index in self.sheet.notes:
            raise ValueError("This cell already has a note")
        self.sheet.notes[self.index] = text
        return Note(self)


class Sheet:
    def __init__(self, book: Book, name: str, visible: bool = True):
        self.book, self.name, self.visible = book, name, visible
        self.cells: dict[tuple[int, int], Any] = {}
        self.colors: dict[tuple[int, int], tuple] = {}
        self.notes: dict[tuple[int, int], str] = {}
        self.links: dict[tuple[int, int], str] = {}

    def __getitem__(self, ref: str) -> Range:
        return self.range(ref)

    def range(self, first, last=None) -> Range:
        first = _cell_index(first) if isinstance(first, str) else tuple(first)
        if last is not None:
            last = _cell_index(last) if isinstance(last, str) else tuple(last)
        return Range(self, first, last)

    @property
    def used_range(self) -> Range:
        if not self.cells:
            return Range(self, (1, 1))
        rows = [r for r, _ in self.cells]
        cols = [c for _, c in self.cells]
        return Range(self, (min(rows), min(cols)), (max(rows), max(cols)))

    def delete(self) -> None:
        assert not self.book.app.display_alerts, "Excel would ask the user to confirm"
        self.book.sheets._items.remove(self)

    def activate(self) -> None:
        self.book.active = self

    def copy(self, before: Sheet | None = None, after: Sheet | None = None, name=None) -> Sheet:
        assert (before is None) != (after is None), "xlwings: either before or after"
        target = (before or after).book
        copy = Sheet(target, self.name, self.visible)
        assert self.name not in [s.name for s in target.sheets], "Excel would rename it 'X (2)'"
        copy.cells, copy.colors = dict(self.cells), dict(self.colors)
        copy.notes, copy.links = dict(self.notes), dict(self.links)
        items = target.sheets._items
        items.insert(items.index(before) if before else items.index(after) + 1, copy)
        return copy

    def values(self) -> list[list[Any]]:
        """Everything from A1 to the last used cell (for assertions)."""
        last = self.used_range.last_cell
        return self.range((1, 1), (last.row, last.column)).options(ndim=2).value


class Sheets:
    def __init__(self, items: list[Sheet]):
        self._items = items

    def __iter__(self):
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, key) -> Sheet:
        if isinstance(key, int):
            return self._items[key]
        for sheet in self._items:
            if sheet.name.lower() == key.lower():  # Excel's sheet names ignore case
                return sheet
        raise KeyError(key)


class Name:
    def __init__(self, book: Book, name: str, sheet: str, ref: str):
        self.book, self.name, self._sheet, self._ref = book, name, sheet, ref

    @property
    def refers_to_range(self) -> Range:
        return self.book.sheets[self._sheet].range(self._ref)


class Names:
    def __init__(self, items: list[Name]):
        self._items = items

    def __iter__(self):
        return iter(self._items)

    def __getitem__(self, key: str) -> Name:
        for name in self._items:
            if name.name.lower() == key.lower():
                return name
        raise KeyError(key)


class Book:
    def __init__(self, app: App, fullname: str):
        self.app, self.fullname = app, str(fullname)
        self.name = Path(fullname).name
        self.sheets = Sheets([])
        self.names = Names([])
        self.active: Sheet | None = None
        self.closed = False

    def close(self) -> None:
        self.closed = True

    @classmethod
    def from_file(cls, path, app: App | None = None) -> Book:
        """A workbook as Excel shows it after opening: cached formula results, names, notes."""
        book = cls(app or App(), path)
        wb = load_workbook(path, data_only=True)
        for ws in wb.worksheets:
            sheet = Sheet(book, ws.title, ws.sheet_state == "visible")
            for row in ws.iter_rows():
                for cell in row:
                    index = (cell.row, cell.column)
                    if cell.value is not None:
                        sheet.cells[index] = cell.value
                    if cell.comment is not None:
                        sheet.notes[index] = cell.comment.text
                    if cell.hyperlink is not None:
                        link = cell.hyperlink
                        sheet.links[index] = link.location or link.target
            book.sheets._items.append(sheet)
        for name, defined in wb.defined_names.items():
            for sheet_name, ref in defined.destinations:
                book.names._items.append(Name(book, name, sheet_name, ref.split(":")[0]))
        return book


class XlwingsModule:
    """What ``import xlwings`` gives sheetkit.excel in the tests: Book.caller and a version."""

    def __init__(self, caller: Book, version: str):
        self.__version__ = version
        self.Book = type("Book", (), {"caller": staticmethod(lambda: caller)})
