"""Text measurement: how many lines a text takes in a cell, and how tall its row must be.

Spreadsheets do not fit row heights to wrapped text in a file written by a
program, and LibreOffice and Excel lay text out slightly differently: rows are
sized here, for the templates, the annotated copy, the printed plan and the
summary alike, from a word wrap calibrated against LibreOffice.
"""

from __future__ import annotations


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


def lines_of(text: str, width: float, size: float = 12, capitals: bool = False) -> list[str]:
    """``text`` wrapped as a cell ``width`` wide shows it (one empty line for no text)."""
    per_line = chars_per_line(width, size)
    if capitals:
        per_line *= 0.8  # capitals are wider than running text
    return wrap(text, int(per_line)) if text else [""]


def text_height(text: str, width: float, size: float = 12, capitals: bool = False) -> float:
    """Row height (points) that shows all of ``text`` wrapped in a column ``width`` wide."""
    return len(lines_of(text, width, size, capitals)) * line_height(size) + 4


def row_height(values: dict, widths: dict[str, float]) -> float:
    """Height that shows every wrapped line: spreadsheet writers do not autofit rows."""
    return max(
        (
            text_height(str(values[key]), width)
            for key, width in widths.items()
            if values.get(key) not in (None, "")
        ),
        default=text_height("", 1),
    )
