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


if __name__ == "__main__":
    main()
