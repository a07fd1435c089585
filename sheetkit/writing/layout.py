"""Text measurement: how many lines a text takes in a cell, and how tall its row must be.

Spreadsheets do not fit row heights to wrapped text in a file written by a
program, and LibreOffice and Excel lay text out slightly differently: rows are
sized here, for the templates, the annotated copy, the printed plan and the
summary alike, from a word wrap calibrated against LibreOffice.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters, broken at spaces, as a cell wraps text.

    Used to size rows (spreadsheets do not fit row heights for a file written
    by a program) and to split very long cells over several rows. Each line
    keeps its trailing separator ("" inside a paragraph, "\n" at its end), so
    ``"".join`` of a run of lines, stripped, gives the original text back.
    """
    width = max(1, width)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: str | None = None  # None: nothing on this line yet ("" is an empty word)
        for word in paragraph.split(" "):
            while len(word) > width:  # a word longer than the line is cut, as Excel does
                if line is not None:
                    lines.append(line + " ")
                    line = None
                lines.append(word[:width])
                word = word[width:]
            if line is None:
                line = word
            elif len(line) + 1 + len(word) <= width:
                line += " " + word
            else:
                lines.append(line + " ")
                line = word
        lines.append((line or "") + "\n")
    lines[-1] = lines[-1][:-1]
    return lines


LINE_HEIGHT = 15.75  # points per line of 12 pt Times New Roman


def chars_per_line(width: float, size: float = 12) -> int:
    """Characters of Vietnamese running text in Times New Roman that fit a column ``width`` wide.

    Measured in LibreOffice: about 1.38 characters per width unit at 12 pt;
    1.25 leaves room for a renderer with wider glyphs (a row too tall
    wastes paper, a row too short hides the end of the text).
    """
    return max(1, int(width * 1.25 * 12 / size))


def line_height(size: float) -> float:
    """Points per line of Times New Roman at ``size`` (LINE_HEIGHT at 12 pt, as Excel lays it out)."""
    return LINE_HEIGHT * size / 12


def _per_line(width: float, size: float, capitals: bool) -> int:
    per_line = chars_per_line(width, size)
    return int(per_line * 0.8) if capitals else per_line  # capitals are wider than running text


def lines_of(text: str, width: float, size: float = 12, capitals: bool = False) -> list[str]:
    """``text`` wrapped as a cell ``width`` wide shows it (one empty line for no text)."""
    return wrap(text, _per_line(width, size, capitals)) if text else [""]


def text_height(text: str, width: float, size: float = 12, capitals: bool = False) -> float:
    """Row height (points) that shows all of ``text`` wrapped in a column ``width`` wide."""
    return wrapped_lines(text, _per_line(width, size, capitals)) * line_height(size) + 4


def wrapped_lines(text: str, per_line: int) -> int:
    """Lines of ``text`` wrapped ``per_line`` characters wide (one for no text)."""
    if len(text) <= per_line and "\n" not in text:
        return 1  # most cells: no wrapping to do
    if len(text) <= 1000:  # names and titles repeat; long texts are not kept in memory
        return _line_count(text, per_line)
    return len(wrap(text, per_line))


@lru_cache(maxsize=65536)
def _line_count(text: str, per_line: int) -> int:
    """Lines of ``text`` wrapped ``per_line`` characters wide; a roll-up of a thousand schools
    measures the same criterion titles and names thousands of times."""
    return len(wrap(text, per_line))


# Share of a column's width a table's text is measured at for its row heights
# (summary, annotated copy): LibreOffice and Excel wrap some lines earlier than
# our measure, and a row too short hides its last words.
HEIGHT_MARGIN = 0.88


def row_height(values: dict, widths: dict[str, float]) -> float:
    """Height that shows every wrapped line: spreadsheet writers do not autofit rows."""
    lines = 1
    for key, width in widths.items():
        value = values.get(key)
        if value is None or value == "":
            continue
        lines = max(lines, wrapped_lines(str(value), chars_per_line(width)))
    return lines * line_height(12) + 4


# ----------------------------------------------------------------- Times New Roman metrics
#
# The printed plan is set in Times New Roman. Its advance widths (in 1/2048 em;
# Liberation Serif, which LibreOffice uses in its place, has the same metrics)
# let the plan's text be wrapped the way Excel, LibreOffice and Word wrap it,
# instead of counting characters: "iiii" and "MMMM" differ threefold.

UNITS_PER_EM = 2048
# ASCII 32 (space) to 126 (~), regular and bold.
_ASCII_REGULAR = (
    512, 682, 836, 1024, 1024, 1706, 1593, 369, 682, 682, 1024, 1155, 512, 682, 512, 569,
    1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 569, 569, 1155, 1155, 1155, 909,
    1886, 1479, 1366, 1366, 1479, 1251, 1139, 1479, 1479, 682, 797, 1479, 1251, 1821, 1479, 1479,
    1139, 1479, 1366, 1139, 1251, 1479, 1479, 1933, 1479, 1479, 1251, 682, 569, 682, 961, 1024,
    682, 909, 1024, 909, 1024, 909, 682, 1024, 1024, 569, 569, 1024, 569, 1593, 1024, 1024,
    1024, 1024, 682, 797, 569, 1024, 1024, 1479, 1024, 1024, 909, 983, 410, 983, 1108,
)  # fmt: skip
_ASCII_BOLD = (
    512, 682, 1137, 1024, 1024, 2048, 1706, 569, 682, 682, 1024, 1167, 512, 682, 512, 569,
    1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 682, 682, 1167, 1167, 1167, 1024,
    1905, 1479, 1366, 1479, 1479, 1366, 1251, 1593, 1593, 797, 1024, 1593, 1366, 1933, 1479, 1593,
    1251, 1593, 1479, 1139, 1366, 1479, 1479, 2048, 1479, 1479, 1366, 682, 569, 682, 1190, 1024,
    682, 1024, 1139, 909, 1139, 909, 682, 1024, 1139, 569, 682, 1139, 569, 1706, 1139, 1024,
    1139, 1139, 909, 797, 682, 1139, 1024, 1479, 1024, 1024, 909, 807, 451, 807, 1065,
)  # fmt: skip
# Letters wider than their base letter (the horn), and punctuation beyond ASCII:
# (regular, bold). Other Vietnamese letters are as wide as their base letter.
_OTHER = {
    "ơ": (1083, 1134),
    "ư": (1110, 1229),
    "Ư": (1589, 1630),
    "\u00a0": (512, 512),  # no-break space
    "–": (1024, 1024),
    "—": (2048, 2048),
    "…": (2048, 2048),
    "“": (909, 1024),
    "”": (909, 1024),
    "‘": (682, 682),
    "’": (682, 682),
    "•": (717, 717),
}
_UNKNOWN = 1024  # a glyph the table does not know: as wide as a digit


class _Advances(dict):
    """Advance width of each character, looked up once and remembered."""

    def __init__(self, bold: bool):
        ascii_ = _ASCII_BOLD if bold else _ASCII_REGULAR
        super().__init__({chr(32 + n): width for n, width in enumerate(ascii_)})
        self.update({char: widths[bold] for char, widths in _OTHER.items()})

    def __missing__(self, char: str) -> int:
        base = unicodedata.normalize("NFD", char)[:1]
        width = dict.get(self, base, _UNKNOWN) if base != char else _UNKNOWN
        self[char] = width
        return width


_ADVANCES = (_Advances(False), _Advances(True))


class _WordWidths(dict):
    """Width of each word met (font units), remembered: plans repeat their words."""

    def __init__(self, bold: bool):
        super().__init__()
        self.advances = _ADVANCES[bold]

    def __missing__(self, word: str) -> int:
        if len(self) > _WORD_CACHE_LIMIT:
            self.clear()
        width = self[word] = sum(map(self.advances.__getitem__, word))
        return width


_WORDS = (_WordWidths(False), _WordWidths(True))
_WORD_CACHE_LIMIT = 200_000


def word_units(word: str, bold: bool = False) -> int:
    """Width of ``word`` in font units (1/2048 em): the sum of its advances."""
    return _WORDS[bold][word]


def text_width(text: str, size: float = 12, bold: bool = False) -> float:
    """Width in points of ``text`` set on one line in Times New Roman at ``size``."""
    return word_units(text, bold) * size / UNITS_PER_EM


def wrap_points(text: str, width: float, size: float = 12, bold: bool = False) -> list[str]:
    """``text`` broken into lines at most ``width`` points wide, as a cell or a Word table wraps it.

    Lines break at spaces (a no-break space holds its words together); a word
    wider than the line is cut, as spreadsheets do. Each line keeps its
    trailing separator as ``wrap`` does, so ``"".join`` gives ``text`` back.
    """
    room = max(1, int(width * UNITS_PER_EM / size))
    space = word_units(" ", bold)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0
        for word in paragraph.split(" "):
            units = word_units(word, bold)
            while units > room:  # cut a word wider than the line
                if line:
                    lines.append(" ".join(line) + " ")
                    line, used = [], 0
                cut = _fitting_prefix(word, room, bold)
                lines.append(word[:cut])
                word = word[cut:]
                units = word_units(word, bold)
            if line and used + space + units <= room:
                line.append(word)
                used += space + units
            elif line:
                lines.append(" ".join(line) + " ")
                line, used = [word], units
            else:
                line, used = [word], units
        lines.append(" ".join(line) + "\n")
    lines[-1] = lines[-1][:-1]
    return lines


def _fitting_prefix(word: str, room: int, bold: bool) -> int:
    """How many leading characters of ``word`` fit in ``room`` units (at least one)."""
    advances, used = _ADVANCES[bold], 0
    for n, char in enumerate(word):
        used += advances[char]
        if used > room:
            return max(1, n)
    return len(word)


def count_lines(text: str, width: float, size: float = 12, bold: bool = False) -> int:
    """Lines ``wrap_points`` gives, without building them (one for no text)."""
    return Measured(text, bold).count(width, size)


class Measured:
    """A text measured once (each paragraph's word widths), to be counted at many widths."""

    __slots__ = ("text", "bold", "paragraphs", "widest")

    def __init__(self, text: str, bold: bool = False):
        self.text, self.bold = text, bold
        self.paragraphs = (
            [
                [word_units(word, bold) for word in paragraph.split(" ")]
                for paragraph in text.split("\n")
            ]
            if text
            else []
        )
        self.widest = max((max(words) for words in self.paragraphs), default=0)

    def count(self, width: float, size: float = 12) -> int:
        """What ``count_lines`` gives for this text ``width`` points wide (one for no text)."""
        room = max(1, int(width * UNITS_PER_EM / size))
        if self.widest > room:  # a word is cut: rare, counted character by character
            return len(wrap_points(self.text, width, size, self.bold))
        space = _ADVANCES[self.bold][" "]
        lines = 0
        for words in self.paragraphs:
            used = -1  # nothing on the line yet
            for units in words:
                if used >= 0 and used + space + units <= room:
                    used += space + units
                else:
                    lines += used >= 0
                    used = units
            lines += 1
        return max(1, lines)


@dataclass(frozen=True)
class Metrics:
    """How one application sets wrapped Times New Roman text in a cell of a given width.

    ``unit``: points per width unit (a spreadsheet column width unit; 1 when
    widths are in points). The text may use ``ratio`` of the cell's width less
    ``inset`` points; each line takes ``pitch(size)`` points and a row adds
    ``pad`` to its lines.
    """

    name: str
    unit: float
    ratio: float
    inset: float
    pitches: tuple[tuple[float, float], ...]  # (font size, points per line), measured
    pitch_per_point: float  # for other sizes
    pad: float

    def usable(self, width: float) -> float:
        """Points of a cell ``width`` units wide that the text may use."""
        return max(1.0, self.ratio * width * self.unit - self.inset)

    def pitch(self, size: float) -> float:
        return dict(self.pitches).get(size, size * self.pitch_per_point)

    def lines(self, text: str, width: float, size: float = 12, bold: bool = False) -> list[str]:
        return wrap_points(text, self.usable(width), size, bold) if text else [""]

    def count(self, text: str, width: float, size: float = 12, bold: bool = False) -> int:
        return count_lines(text, self.usable(width), size, bold) if text else 1

    def count_measured(self, text: Measured, width: float, size: float = 12) -> int:
        """``count`` of a text measured beforehand (faster when counted often)."""
        return text.count(self.usable(width), size)

    def height(self, lines: int, size: float = 12) -> float:
        """Points a row needs for ``lines`` lines of text at ``size``."""
        return max(1, lines) * self.pitch(size) + self.pad

    def text_height(self, text: str, width: float, size: float = 12, bold: bool = False) -> float:
        return self.height(self.count(text, width, size, bold), size)


# LibreOffice (7.4) prints (to PDF) and shows on screen slightly differently,
# both measured: cells of the examples' text 6 to 48 units wide, one per page,
# and the optimal height of rows of 1 to 20 lines. A width unit is 5.55 points
# (a Calibri digit: the workbooks' Normal font is Calibri 11, or its metric
# twin Carlito). In print a line of 12 pt text takes 13.3 points (the font's
# ascent and descent) and the text may use the cell's width less 4 points (no
# cell of 314 had more lines than this model gives; 59 had one line less). On
# screen glyphs are rounded to whole pixels, so a line holds less (the width
# less 7 points: one cell of 413 had a line more) but lines are closer
# (12.7 points); a row needs the taller of the two.
LIBREOFFICE = Metrics(
    name="LibreOffice",
    unit=5.55,
    ratio=1.0,
    inset=4,
    pitches=(),
    pitch_per_point=1.11,
    pad=2,
)
LIBREOFFICE_SCREEN = Metrics(
    name="LibreOffice on screen",
    unit=5.55,
    ratio=1.0,
    inset=7,
    pitches=((11, 11.94), (12, 12.685), (13, 14.18), (14, 15.67)),
    pitch_per_point=1.12,
    pad=1.5,
)
# Excel: a width unit is 7 pixels (a Calibri 11 digit at 96 dpi), 5.25 points,
# of which 5 pixels are the cell's padding; a wrapped line takes the height of
# a one-line row (15.75 points for Times New Roman 12). Excel refits a row to
# its text when it opens a workbook unless the row's height is marked as set
# by hand: this model is used for page breaks (its lines are the tallest) and
# for rows whose height is fixed.
EXCEL = Metrics(
    name="Excel",
    unit=5.25,
    ratio=1.0,
    inset=3.75,
    pitches=(),
    pitch_per_point=LINE_HEIGHT / 12,
    pad=0,
)


# ----------------------------------------------------------------- column widths


@dataclass
class Group:
    """Rows of a table that share one cell spanning them (a criterion over its items)."""

    span: str  # the text of the spanning cell
    rows: list[dict[str, str]]  # each row's cell texts by column


def fit_widths(
    groups: list[Group],
    span_column: str,
    minimums: dict[str, float],
    total: float,
    metrics: Metrics,
    step: float,
    size: float = 12,
) -> dict[str, float]:
    """Column widths summing to ``total`` that make the table as short as it can be.

    Each column starts at its minimum (what its longest unbreakable word
    needs); the rest is handed out to the column whose extra width saves the
    most lines per unit of width (looking as far ahead as the spare width
    allows, since a line is saved only when a whole word moves up), so a
    column of long text gets the room it needs and a column of short entries
    stays narrow. When no column alone saves a line (two columns tie for a
    row's height), the column that sets the most rows' height is widened.
    """
    widths = dict(minimums)
    spare = total - sum(widths.values())
    if spare <= 0:
        return {key: width * total / sum(widths.values()) for key, width in widths.items()}
    table = _TableLines(groups, span_column, list(minimums), metrics, size)
    while spare >= step / 2 and table.rows:
        key, extra = table.best_widening(widths, spare, step)
        widths[key] += extra
        spare -= extra
    if spare > 0:  # no row at all: the columns keep their proportions
        scale = total / sum(widths.values())
        widths = {key: width * scale for key, width in widths.items()}
    return widths


class _TableLines:
    """A table's height in lines at given column widths, for ``fit_widths``.

    For each group: its rows' lines (the tallest cell of each row), or the
    spanning cell's lines when those are more.
    """

    def __init__(
        self, groups: list[Group], span: str, keys: list[str], metrics: Metrics, size: float
    ):
        self.span, self.keys, self.metrics, self.size = span, keys, metrics, size
        self.row_keys = [key for key in keys if key != span]
        self.rows = [row for group in groups for row in group.rows]
        self.owner = [n for n, group in enumerate(groups) for _ in group.rows]
        self.groups = len(groups)
        # Each cell measured once: a column is counted at many widths.
        self.cells = {
            key: [
                Measured(text)
                for text in (
                    [g.span for g in groups] if key == span else [r.get(key, "") for r in self.rows]
                )
            ]
            for key in keys
        }
        self.memo: dict[tuple[str, float], list[int]] = {}

    def counts(self, key: str, width: float) -> list[int]:
        width = round(width, 6)
        found = self.memo.get((key, width))
        if found is None:
            count = self.metrics.count_measured
            found = [count(cell, width, self.size) for cell in self.cells[key]]
            self.memo[(key, width)] = found
        return found

    def height(self, row_lines: list[int], span_lines: list[int]) -> int:
        sums = [0] * self.groups
        for n, lines in enumerate(row_lines):
            sums[self.owner[n]] += lines
        return sum(max(a, b) for a, b in zip(sums, span_lines, strict=True))

    def best_widening(
        self, widths: dict[str, float], spare: float, step: float
    ) -> tuple[str, float]:
        """(column, extra width) that saves the most lines per unit of width."""
        current = {key: self.counts(key, widths[key]) for key in self.row_keys}
        # Each row's tallest cell, and its height without a given column (the second tallest).
        first, second, binding = [], [], dict.fromkeys(self.row_keys, 0)
        for n in range(len(self.rows)):
            ranked = sorted((current[key][n] for key in self.row_keys), reverse=True)
            first.append(ranked[0])
            second.append(ranked[1] if len(ranked) > 1 else 0)
            for key in self.row_keys:
                binding[key] += current[key][n] == ranked[0]
        span_now = self.counts(self.span, widths[self.span])
        base = self.height(first, span_now)
        best: tuple[float, float, str] | None = None  # (lines saved per unit, extra, column)
        for key in self.keys:
            extra = step
            while extra <= spare + 1e-9:
                wider = self.counts(key, widths[key] + extra)
                if key == self.span:
                    saved = base - self.height(first, wider)
                else:
                    mine = current[key]
                    without = [
                        second[n] if mine[n] == first[n] else first[n] for n in range(len(first))
                    ]
                    saved = base - self.height(list(map(max, without, wider)), span_now)
                if saved > 0:
                    if best is None or saved / extra > best[0]:
                        best = (saved / extra, extra, key)
                    break
                extra += step
        if best is not None:
            return best[2], best[1]
        # No column alone saves a line: widen the one that sets the most rows' height.
        key = max(self.row_keys, key=lambda k: (binding[k], -widths[k]))
        return key, min(step, spare)
