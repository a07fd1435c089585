"""Rebuild the example workbooks from their transcriptions and the district generator.

    python examples/build.py

examples/sources/*.json hold the three real plans of ../shared/seeds/,
transcribed as the schools wrote them (their quirks included), and three
Thông tư 57/2026 plans for 2026-2027, one per appendix (tt57-*.json); quan-mau/ is a
generated district of school plans (see sample_district.py beside this file).
"""

from __future__ import annotations

import json
from pathlib import Path

from sample_district import write_area

from sheetkit.writing.templates import build_template

HERE = Path(__file__).parent


def main() -> None:
    for source in sorted((HERE / "sources").glob("*.json")):
        spec = json.loads(source.read_text("utf-8"))
        path = build_template(spec["template"], HERE / spec["file"], spec, spec["circular"])
        print(f"wrote {path.relative_to(HERE)}")
    for old in (HERE / "quan-mau").glob("*.xlsx"):
        old.unlink()
    files = write_area(HERE / "quan-mau")
    print(f"wrote {len(files)} workbooks in quan-mau/")
    print(f"wrote {write_roster(HERE / ROSTER_FILE, files).relative_to(HERE)}")


ROSTER_FILE = "danh-sach-quan-mau.xlsx"
# The list of schools of quan-mau as the Sở keeps it: every school that sent a plan but one
# (its plan is "not on the list"), two that sent none, one listed without its code (matched
# by name) and one by a shorter name (matched loosely, and reported).
NOT_LISTED = "th-hoa-mi-2026-2027.xlsx"
NEVER_SENT = (
    {
        "code": "870101",
        "name": "Trường Tiểu học Phú Thuận",
        "school_level": "Tiểu học",
        "commune": "Xã Tân Phú",
    },
    {
        "code": "870102",
        "name": "Trường Mầm non Bình Minh",
        "school_level": "Mầm non",
        "commune": "Phường Mỹ Phú",
    },
)
WITHOUT_CODE = "th-kim-dong-2026-2027.xlsx"
SHORT_NAME = "thcs-nguyen-du-2026-2027.xlsx"


def write_roster(path: Path, plans: list[Path]) -> Path:
    """danh-sach-quan-mau.xlsx: the Sở's list of the schools of quan-mau (see NEVER_SENT)."""
    from sheetkit.reading.reader import read_plan
    from sheetkit.writing.roster_template import write_roster_template

    schools = []
    for plan_path in sorted(plans):
        if plan_path.name == NOT_LISTED:
            continue
        plan = read_plan(plan_path)
        name = plan.value("school_name")
        if plan_path.name == SHORT_NAME:
            name = name.replace("Trường Trung học cơ sở", "THCS").replace("Trường THCS", "THCS")
        schools.append(
            {
                "code": None
                if plan_path.name in (WITHOUT_CODE, SHORT_NAME)
                else plan.value("school_code"),
                "name": name,
                "school_level": plan.value("school_level"),
                "ownership": "Công lập",
                "commune": plan.value("commune"),
                "province": "Tỉnh Đồng Tháp",
            }
        )
    schools += [{**s, "ownership": "Công lập", "province": "Tỉnh Đồng Tháp"} for s in NEVER_SENT]
    body = {
        "name": "Sở GDĐT Đồng Tháp",
        "parent": "UBND tỉnh Đồng Tháp",
        "province": "Tỉnh Đồng Tháp",
        "number": "…/BC-SGDĐT",
        "place": "Đồng Tháp",
        "signer": "Nguyễn Văn Minh",
    }
    return write_roster_template(path, body, schools)


if __name__ == "__main__":
    main()
