"""Sources of grids: a workbook file on disk, read with python-calamine.

A grid is a list of rows of plain cell values (str, float, int, bool, date,
datetime), row 0 being Excel row 1 and column 0 column A. The Excel glue
(xlwings) produces the same grids from a live workbook, so everything after
this module never knows where the values came from.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

from ..validators import files as reasons
from .text import folded_key, label_key

Grid = list[list[object]]

READABLE_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
# An honest plan workbook is well under 5 MB; these bounds refuse archive bombs.
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNPACKED_BYTES = 500 * 1024 * 1024


class ReadError(Exception):
    """The file cannot be read as a workbook.

    ``reason`` names the fact (validators/files.py words it); ``str(err)`` is
    the Vietnamese sentence for the user.
    """

    def __init__(self, reason: str, **details: object):
        self.reason = reason
        self.details = details
        super().__init__(reasons.unreadable(reason, **details))


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class Workbook:
    """Sheets of one workbook, read lazily: only the sheets a command needs are parsed."""

    def __init__(self, sheet_names: list[str], load: Callable[[str], Grid], hidden=()):
        self.sheet_names = sheet_names
        self.hidden = set(hidden)
        self._load = load
        self._cache: dict[str, Grid] = {}

    def find_sheet(self, label: str) -> str | None:
        """The workbook's own name of the sheet the contract calls ``label``."""
        for key_fn in (label_key, folded_key):
            wanted = key_fn(label)
            for name in self.sheet_names:
                if key_fn(name) == wanted:
                    return name
        return None

    def grid(self, name: str) -> Grid:
        if name not in self._cache:
            self._cache[name] = self._load(name)
        return self._cache[name]

    @classmethod
    def from_grids(cls, grids: dict[str, Grid]) -> Workbook:
        """A workbook from grids already in memory (tests, the Excel glue)."""
        return cls(list(grids), grids.__getitem__)


def _check_container(path: Path) -> None:
    size = path.stat().st_size
    if size == 0:
        raise ReadError("empty")
    if size > MAX_FILE_BYTES:
        raise ReadError("too_large", megabytes=size // (1024 * 1024))
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile as err:
            raise ReadError("damaged_zip") from err
        if unpacked > MAX_UNPACKED_BYTES:
            raise ReadError("zip_bomb")
    elif head.startswith(b"\xd0\xcf\x11\xe0") and path.suffix.lower() in {".xlsx", ".xlsm"}:
        # An OLE container with an .xlsx name is how Excel saves a password-protected workbook.
        raise ReadError("encrypted")


def open_workbook(path: str | os.PathLike[str]) -> Workbook:
    """Open a workbook file for reading; raise ReadError with a Vietnamese reason."""
    import python_calamine

    path = Path(path)
    if not path.exists():
        raise ReadError("not_found")
    if path.is_dir():
        raise ReadError("is_folder")
    if path.suffix.lower() not in READABLE_SUFFIXES:
        raise ReadError("not_spreadsheet")
    _check_container(path)
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        hidden = [
            m.name for m in book.sheets_metadata if str(m.visible).rsplit(".", 1)[-1] != "Visible"
        ]
    except python_calamine.PasswordError as err:
        raise ReadError("password") from err
    except Exception as err:  # calamine raises several types for damaged files
        raise ReadError("damaged", detail=type(err).__name__) from err

    def load(name: str) -> Grid:
        try:
            return book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as err:
            raise ReadError("sheet_damaged", sheet=name, detail=type(err).__name__) from err

    return Workbook(names, load, hidden)
