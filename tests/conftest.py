"""Fixtures: plans built from the real templates, filled the way schools fill them."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest

from sheetkit.checking.validation import check_plan
from sheetkit.reading.reader import read_plan
from sheetkit.writing.templates import build_template

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# The generator of sample districts (sample_district.py) lives with the examples it builds.
sys.path.insert(0, str(EXAMPLES))

GOOD_PLAN = {
    "info": {
        "school_name": "Trường Tiểu học Kim Đồng",
        "school_code": "790001",
        "school_level": "Tiểu học",
        "district": "Quận 3",
        "province": "Thành phố Hồ Chí Minh",
        "school_year": "2024-2025",
        "plan_type": "Hằng năm",
        "document_number": "45/KH-KĐ",
        "issue_date": "05/9/2024",
        "principal": "Nguyễn Văn A",
        "goal_level": "Mức 2",
    },
    "assessment": {
        **{
            code: "Mức 2"
            for code in [
                "1.1",
                "1.2",
                "1.3",
                "1.4",
                "1.5",
                "1.6",
                "1.7",
                "1.8",
                "1.9",
                "1.10",
                "2.1",
                "2.2",
                "2.3",
                "2.4",
                "3.1",
                "3.2",
                "3.3",
                "3.4",
                "3.5",
                "3.6",
                "4.1",
                "4.2",
                "5.1",
                "5.2",
                "5.3",
                "5.4",
                "5.5",
            ]
        },
        "3.6": "Mức 1",
        "5.5": "Mức 1",
    },
    "items": [
        {
            "criterion": "3.6",
            "target": "Mức 2",
            "result": "Thư viện đạt chuẩn",
            "shortcoming": "Thiếu sách tham khảo",
            "solution": "Bổ sung 300 đầu sách",
            "lead": "Hiệu trưởng",
            "support": "Nhân viên thư viện",
            "start": "9/2024",
            "end": "5/2025",
            "budget": "10 triệu",
            "other_support": "Cha mẹ học sinh",
        },
        {
            "criterion": "5.5",
            "target": "Mức 2",
            "result": "Tỉ lệ hoàn thành chương trình tăng",
            "shortcoming": "Còn học sinh chưa hoàn thành",
            "solution": "Phụ đạo học sinh",
            "lead": "Phó hiệu trưởng",
            "support": "Giáo viên chủ nhiệm",
            "start": "tháng 9/2024",
            "end": "tháng 5/2025",
            "budget": "Theo quy chế chi tiêu nội bộ",
        },
    ],
}


@pytest.fixture
def good_plan() -> dict:
    """Plan data with no error and no warning, to be spoiled one way per test."""
    return copy.deepcopy(GOOD_PLAN)


# The 2018 circular of each 2018 template name: plans written before Thông tư 57/2026.
LEGACY = {"mam-non": "tt19-2018", "tieu-hoc": "tt17-2018", "trung-hoc": "tt18-2018"}


def legacy_template(name: str, path, data: dict | None = None) -> Path:
    """A 2018 circular's template (tieu-hoc: Thông tư 17/2018), filled with ``data``."""
    return build_template(name, path, data, circular=LEGACY[name])


@pytest.fixture
def build(tmp_path):
    """Write 2018 plan data into a real 2018 template workbook and return its path."""
    counter = iter(range(10_000))

    def _build(data: dict, template: str = "tieu-hoc") -> Path:
        return legacy_template(template, tmp_path / f"plan-{next(counter)}.xlsx", data)

    return _build


@pytest.fixture
def findings_of(build):
    """Findings of plan data, after a real write and read."""

    def _findings(data: dict, template: str = "tieu-hoc") -> list[dict]:
        return check_plan(read_plan(build(data, template)))

    return _findings


# The Thông tin lines of a 2018 plan printed around its table (pre-filled by the templates).
SECTION_KEYS = ("legal_bases", "purpose", "organisation")


def without_sections(data: dict) -> dict:
    """2018 plan data whose section cells were emptied: the table alone is printed."""
    data = copy.deepcopy(data)
    data["info"].update(dict.fromkeys(SECTION_KEYS))
    return data


def old_workbook(path: Path) -> Path:
    """A 2018 workbook as the templates made it before they had the section lines.

    The lines are the last of Thông tin; they are deleted, so every other cell
    stays where it was.
    """
    from openpyxl import load_workbook

    from sheetkit.model.contract import INFO_FIELDS

    wb = load_workbook(path)
    ws = wb["Thông tin"]
    labels = {f.label for f in INFO_FIELDS if f.key in SECTION_KEYS}
    rows = [c.row for c in ws["A"] if c.value in labels]
    assert len(rows) == len(SECTION_KEYS) and rows[-1] == ws.max_row
    ws.delete_rows(rows[0], len(rows))
    out = path.with_name(f"{path.stem}-cu.xlsx")
    wb.save(out)
    return out


def rules_of(findings) -> set[str]:
    return {f.rule for f in findings}


def example_files(family: str = "2018") -> list[Path]:
    """The bundled example workbooks of a circular family."""
    return sorted(EXAMPLES / spec["file"] for spec in example_specs(family))


def example_specs(family: str = "2018") -> list[dict]:
    """The transcribed example plans of a circular family ("2018" or "tt57")."""
    specs = [
        json.loads(p.read_text("utf-8")) for p in sorted((EXAMPLES / "sources").glob("*.json"))
    ]
    return [s for s in specs if s["circular"].startswith("tt57") == (family == "tt57")]


def encrypted_package() -> bytes:
    """What Excel writes for a workbook with a password: a compound file holding the
    encrypted package (the streams are what tell it apart from an .xls)."""
    from sheetkit.excel.cfb import write_compound

    return write_compound(
        {"EncryptionInfo": b"\4\0\4\0" + b"\0" * 60, "EncryptedPackage": b"\0" * 5000}
    )


def saved_at(path: Path, when) -> Path:
    """Give a workbook the last-save time Excel records when it saves (dcterms:modified in
    docProps/core.xml, a UTC ``datetime``), as if the school had saved it then; None: no
    saved time at all, as some writers leave it."""
    import re
    import zipfile

    element = rb"<dcterms:modified\b[^>]*>[^<]*</dcterms:modified>"
    stamp = b"" if when is None else when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path) as z:
        parts = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, content in parts:
            if info.filename == "docProps/core.xml":
                replace = (
                    (lambda m: re.sub(rb">[^<]*<", b">" + stamp + b"<", m[0]))
                    if stamp
                    else (lambda m: b"")
                )
                content, found = re.subn(element, replace, content)
                assert found == 1
            z.writestr(info, content)
    return path


@pytest.fixture(scope="session")
def area_with_list(tmp_path_factory):
    """examples/quan-mau rolled up with its list of schools, CSV tables and the report sent
    upward, at January 2027 (examples/build.py says what the list holds)."""
    from sheetkit.jobs import merge_paths
    from sheetkit.reading.parsing import month_index

    out = tmp_path_factory.mktemp("area")
    rollup = merge_paths(
        [EXAMPLES / "quan-mau"],
        out / "tong-hop.xlsx",
        tables={"csv": out / "csv"},
        roster=EXAMPLES / "danh-sach-quan-mau.xlsx",
        report=out / "bao-cao.docx",
        at=month_index(2027, 1),
    )
    return rollup, out
