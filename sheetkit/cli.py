"""The sheetkit command line: a thin layer over the library.

Each command imports only what it needs, so `sheetkit template` does not pay
for pandas and pandera.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sheetkit",
        description="Lập, kiểm tra và tổng hợp kế hoạch cải tiến chất lượng giáo dục trong Excel.",
    )
    parser.add_argument("--debug", action="store_true", help="hiện chi tiết lỗi kỹ thuật")
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")

    p = sub.add_parser(
        "template", help="tạo mẫu kế hoạch cho một cấp học, hoặc sổ tổng hợp của Phòng (tong-hop)"
    )
    p.add_argument("level", choices=["mam-non", "tieu-hoc", "trung-hoc", "tong-hop"], metavar="MẪU")
    p.add_argument(
        "-o", "--output", required=True, help="tệp sẽ tạo: .xlsx, hoặc .xlsm (có nút bấm)"
    )

    p = sub.add_parser("check", help="kiểm tra một tệp kế hoạch")
    p.add_argument("file", help="tệp kế hoạch (.xlsx, .xlsm, .xls, .ods)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument(
        "--annotate", metavar="OUT.xlsx", help="ghi một bản sao có trang Kết quả kiểm tra"
    )
    p = sub.add_parser("render", help="tạo bản kế hoạch để in, ký và ban hành")
    p.add_argument("file", help="tệp kế hoạch (.xlsx, .xlsm, .xls, .ods)")
    p.add_argument(
        "-o", "--output", required=True, help="tệp sẽ tạo: .xlsx (trang Bản kế hoạch) hoặc .docx"
    )
    p.add_argument(
        "--draft", action="store_true", help="tạo bản nháp (có dấu BẢN NHÁP) dù kế hoạch còn lỗi"
    )
    p = sub.add_parser("merge", help="tổng hợp kế hoạch của nhiều trường")
    p.add_argument("paths", nargs="+", metavar="ĐƯỜNG_DẪN", help="tệp, thư mục hoặc tệp .zip")
    p.add_argument("-o", "--output", required=True, help="tệp tổng hợp .xlsx sẽ tạo")
    p.add_argument("--csv", metavar="THƯ_MỤC", help="ghi thêm các bảng dạng CSV vào thư mục này")
    p.add_argument("--parquet", metavar="THƯ_MỤC", help="ghi thêm các bảng dạng Parquet")
    p.add_argument("--workers", type=int, help="số tiến trình đọc tệp (mặc định: mọi nhân CPU)")
    p.add_argument("--quiet", action="store_true", help="không hiện thanh tiến độ")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "template":
            return cmd_template(args)
        if args.command == "check":
            return cmd_check(args)
        if args.command == "render":
            return cmd_render(args)
        if args.command == "merge":
            return cmd_merge(args)
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
    suffix = output.suffix.lower()
    if args.level == "tong-hop" and suffix != ".xlsm":
        print("Lỗi: sổ tổng hợp có nút bấm nên phải có đuôi .xlsm", file=sys.stderr)
        return EXIT_UNREADABLE
    if suffix not in (".xlsx", ".xlsm"):
        print("Lỗi: tệp mẫu phải có đuôi .xlsx (hoặc .xlsm để có nút bấm)", file=sys.stderr)
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


RENDER_SUFFIXES = (".xlsx", ".xlsm", ".docx")


def cmd_render(args) -> int:
    from .files import same_file
    from .findings import to_text
    from .reading import read_plan
    from .render import RenderRefused, render_plan
    from .sources import ReadError

    output = Path(args.output)
    suffix = output.suffix.lower()
    if suffix not in RENDER_SUFFIXES:
        print("Lỗi: tệp kết quả phải có đuôi .xlsx, .xlsm hoặc .docx", file=sys.stderr)
        return EXIT_UNREADABLE
    if suffix == ".xlsm" and Path(args.file).suffix.lower() != ".xlsm":
        print("Lỗi: chỉ ghi .xlsm khi tệp kế hoạch là .xlsm; hãy dùng đuôi .xlsx", file=sys.stderr)
        return EXIT_UNREADABLE
    if same_file(args.file, output):
        print("Lỗi: tệp kết quả (-o) phải khác tệp kế hoạch.", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        plan = read_plan(args.file)
    except ReadError as err:
        print(f"Không đọc được '{args.file}': {err}", file=sys.stderr)
        return EXIT_UNREADABLE
    from .validation import check_plan

    findings = check_plan(plan)
    try:
        document = render_plan(plan, findings, draft=args.draft)
    except RenderRefused as refused:
        errors = [f for f in findings if f["severity"] == "error"]
        print(to_text(args.file, errors), file=sys.stderr)
        print(str(refused), file=sys.stderr)
        return EXIT_FINDINGS
    if suffix == ".docx":
        from .plan_docx import render_docx

        render_docx(document, output)
    else:
        from .plan_sheet import render_xlsx

        render_xlsx(args.file, document, output)
    warnings = sum(f["severity"] == "warning" for f in findings)
    kind = "bản nháp" if document.draft else "bản kế hoạch"
    note = f" ({warnings} cảnh báo: xem sheetkit check)" if warnings else ""
    print(f"Đã tạo {kind} ({len(document.items)} việc cải tiến){note} → {output}")
    return EXIT_OK


def cmd_merge(args) -> int:
    from .files import same_file

    output = Path(args.output)
    if output.suffix.lower() != ".xlsx":
        print("Lỗi: tệp tổng hợp phải có đuôi .xlsx", file=sys.stderr)
        return EXIT_UNREADABLE
    if any(same_file(p, output) for p in args.paths):
        print("Lỗi: tệp tổng hợp (-o) không được trùng với tệp đầu vào.", file=sys.stderr)
        return EXIT_UNREADABLE
    if args.parquet:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            print(
                "Lỗi: ghi Parquet cần thư viện pyarrow: pip install pyarrow",
                file=sys.stderr,
            )
            return EXIT_UNREADABLE
    from .merging import merge
    from .progress import Progress
    from .summary import write_summary, write_tables

    bar = Progress("Đọc", enabled=not args.quiet and sys.stderr.isatty())
    rollup = merge(args.paths, workers=args.workers, progress=bar.update, exclude=[output])
    bar.close()
    if rollup.files.empty:
        print("Không tìm thấy tệp nào trong các đường dẫn đã cho.", file=sys.stderr)
        return EXIT_UNREADABLE
    started = time.perf_counter()
    write_summary(rollup, output)
    rollup.timings["write"] = time.perf_counter() - started
    for folder, kind in ((args.csv, "csv"), (args.parquet, "parquet")):
        if folder:
            write_tables(rollup, folder, kind)
    print(closing_line(rollup, output))
    if args.debug:  # where the time and memory went, for benchmarks/merge_bench.py
        import json

        usage = {}
        try:
            import resource  # Unix only

            usage = {
                "peak_mb_main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "peak_mb_worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            }
        except ImportError:
            pass
        print("timings " + json.dumps({**rollup.timings, **usage}), file=sys.stderr)
    return EXIT_OK if rollup.all_read else EXIT_FINDINGS


def closing_line(rollup, output) -> str:
    """One line a district officer reads at the end of the run."""
    return f"Đã tổng hợp {rollup.headline()} → {output}"


def _unreadable(args, reason: str) -> None:
    if args.format == "json":
        import json

        doc = {"file": args.file, "error": reason, "findings": [], "summary": None}
        print(json.dumps(doc, ensure_ascii=False))
    else:
        print(f"Không đọc được '{args.file}': {reason}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
