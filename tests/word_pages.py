"""The printed Word plan's pages as LibreOffice lays them out: PDF words with their positions.

``to_pdf`` converts .docx files with LibreOffice headless (a profile of its
own, so it runs beside another LibreOffice); ``pages`` reads each page's
words and boxes with pdftotext. Tests using them skip without LibreOffice
or poppler-utils (``needs_libreoffice``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None,
    reason="needs LibreOffice (soffice) and pdftotext (poppler-utils)",
)
MONTH = re.compile(r"^\d{1,2}/\d{4}")


@dataclass(frozen=True)
class Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float


@dataclass
class Page:
    number: int  # 1-based
    height: float
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def fill(self) -> float:
        """How far down the page its text reaches, as a share of the page's height."""
        return max((w.bottom for w in self.words), default=0) / self.height


def to_pdf(documents: list[Path], folder: Path) -> list[Path]:
    """Each document converted to PDF by LibreOffice, in ``folder``."""
    profile = (folder / "lo-profile").as_uri()
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(folder), *map(str, documents)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    pdfs = [folder / f"{Path(d).stem}.pdf" for d in documents]
    missing = [p.name for p in pdfs if not p.exists()]
    assert not missing, (missing, done.stdout, done.stderr)
    return pdfs


_PAGE = re.compile(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def pages(pdf: Path) -> list[Page]:
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        Page(
            n,
            float(height),
            [
                Word(unescape(t), float(x0), float(y0), float(x1), float(y1))
                for x0, y0, x1, y1, t in _WORD.findall(body)
            ],
        )
        for n, (height, body) in enumerate(_PAGE.findall(out), start=1)
    ]


def half_empty(document: list[Page]) -> list[tuple[int, float]]:
    """Pages but the last whose text ends above the middle of the page: (page, fill).

    The page body runs from the top margin to the bottom margin, so a page
    whose text stops above the middle of the sheet is more than half empty.
    """
    return [(p.number, round(p.fill(), 2)) for p in document[:-1] if p.fill() < 0.5]


def broken_months(document: list[Page]) -> list[tuple[int, str]]:
    """Places where "Tháng" ends a line and its month ("9/2026") starts the next one."""
    found = []
    for page in document:
        for word in page.words:
            if word.text != "Tháng":
                continue
            below = [
                w
                for w in page.words
                if abs(w.left - word.left) < 2
                and 0 < w.top - word.top < 2 * (word.bottom - word.top)
            ]
            beside = [
                w for w in page.words if abs(w.top - word.top) < 2 and 0 <= w.left - word.right < 8
            ]
            if not beside and below and MONTH.match(below[0].text):
                found.append((page.number, f"Tháng / {below[0].text}"))
    return found
