"""The sheetkit command line: a thin layer over the library.

Each command imports only what it needs, so `sheetkit template` does not pay
for pandas and pandera.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sheetkit",
        description="Lập, kiểm tra và tổng hợp kế hoạch cải tiến chất lượng giáo dục trong Excel.",
    )
    parser.add_argument("--debug", action="store_true", help="hiện chi tiết lỗi kỹ thuật")
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")

    p = sub.add_parser("template", help="tạo mẫu kế hoạch cho một cấp học")
    p.add_argument("level", choices=["mam-non", "tieu-hoc", "trung-hoc"], metavar="CẤP")
    p.add_argument("-o", "--output", required=True, help="tệp .xlsx sẽ tạo")

    p = sub.add_parser("check", help="kiểm tra một tệp kế hoạch")
    p.add_argument("file", help="tệp kế hoạch (.xlsx, .xlsm, .xls, .ods)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument(
        "--annotate", metavar="OUT.xlsx", help="ghi một bản sao có trang Kết quả kiểm tra"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "template":
            return cmd_template(args)
        if args.command == "check":
            return cmd_check(args)
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return EXIT_UNREADABLE
    except Exception as err:
        if args.debug:
            raise
        print(f"Lỗi không mong đợi: {err} (chạy lại với --debug để xem chi tiết)", file=sys.stderr)
        return EXIT_UNREADABLE
    return EXIT_UNREADABLE


def cmd_template(args) -> int:
    from .templates import build_template

    output = Path(args.output)
    if output.suffix.lower() != ".xlsx":
        print("Lỗi: tệp mẫu phải có đuôi .xlsx", file=sys.stderr)
        return EXIT_UNREADABLE
    build_template(args.level, output)
    print(f"Đã tạo mẫu {args.level}: {output}")
    return EXIT_OK


def cmd_check(args) -> int:
    from .findings import summary, to_json, to_text
    from .reading import read_plan
    from .sources import ReadError

    try:
        plan = read_plan(args.file)
    except ReadError as err:
        _unreadable(args, str(err))
        return EXIT_UNREADABLE
    from .validation import check_plan

    findings = check_plan(plan)
    if args.format == "json":
        print(to_json(args.file, findings))
    else:
        print(to_text(args.file, findings))
    if args.annotate:
        from .annotate import annotate_workbook
        from .files import same_file

        if same_file(args.file, args.annotate):
            print("Lỗi: --annotate phải là một tệp khác tệp đang kiểm tra.", file=sys.stderr)
            return EXIT_UNREADABLE
        annotate_workbook(args.file, findings, args.annotate, plan.sheet_names)
        print(f"Đã ghi bản có đánh dấu: {args.annotate}", file=sys.stderr)
    return EXIT_FINDINGS if summary(findings)["errors"] else EXIT_OK


def _unreadable(args, reason: str) -> None:
    if args.format == "json":
        import json

        doc = {"file": args.file, "error": reason, "findings": [], "summary": None}
        print(json.dumps(doc, ensure_ascii=False))
    else:
        print(f"Không đọc được '{args.file}': {reason}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
