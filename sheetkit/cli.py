"""The sheetkit command line: a thin layer over ``sheetkit.jobs``.

Each command imports only what it needs, so `sheetkit template` does not pay
for pandas and pandera.

Exit codes: 0 done (a plan without errors); 1 done, with errors in the plan
(check, render) or some files unreadable (merge); 2 an input that cannot be
read (a missing, empty, damaged or password-protected file, nothing to
merge) or is too large for this machine's memory; 3 a command used wrongly (unknown option, wrong output suffix, output
= input); 4 an unexpected error inside sheetkit; 130 interrupted (Ctrl+C).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130
# Template name -> what it is (the names come from sheetkit.writing.templates).
TEMPLATE_CHOICES = {
    "mam-non": "mầm non",
    "tieu-hoc": "tiểu học",
    "thcs": "trung học cơ sở",
    "thpt": "trung học phổ thông",
    "pho-thong": "trường phổ thông nhiều cấp học",
    "gdtx": "giáo dục thường xuyên",
    "trung-hoc": "THCS, THPT theo Thông tư 18/2018",
    "tong-hop": "sổ tổng hợp của cơ quan quản lý (UBND xã/phường, Sở GDĐT), có nút bấm (chỉ .xlsm)",
    "danh-sach": "danh sách trường của cơ quan quản lý, để biết trường nào chưa nộp (.xlsx)",
}
DEBUG_HELP = "hiện chi tiết lỗi kỹ thuật"
CIRCULAR_CHOICES = ["tt57-2026", "tt17-2018", "tt18-2018", "tt19-2018"]


# argparse's own words (usage, section titles, errors) come from gettext: these
# replace them while sheetkit's parser is built and used. The keys are
# argparse's English messages, exactly as argparse asks for them.
ARGPARSE_VIETNAMESE = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "Tham số",
    "options": "Tùy chọn",
    "optional arguments": "Tùy chọn",  # Python before 3.10
    "subcommands": "Lệnh",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "còn thiếu %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "không có lựa chọn %(value)r (chọn một trong: %(choices)s)"
    ),
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)": (
        "không có lựa chọn %(value)r (chọn một trong: %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected %s argument": "cần %s giá trị",
    "expected %s arguments": "cần %s giá trị",
    "unrecognized arguments: %s": "không hiểu: %s",
    "not allowed with argument %s": "không dùng cùng %s",
    "ignored explicit argument %r": "không nhận giá trị %r",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tùy chọn %(option)s chưa rõ: có thể là %(matches)s"
    ),
    "unexpected option string: %s": "tùy chọn không đúng chỗ: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "không có lệnh %(parser_name)r (chọn một trong: %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
}


def _vietnamese(message: str) -> str:
    return ARGPARSE_VIETNAMESE.get(message, message)


def _vietnamese_plural(singular: str, plural: str, n: int) -> str:
    return _vietnamese(singular if n == 1 else plural)


@contextlib.contextmanager
def _argparse_in_vietnamese() -> Iterator[None]:
    """argparse speaking Vietnamese for as long as the block runs (it reads these globals)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _vietnamese, _vietnamese_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse, exiting with EXIT_USAGE (not its own 2, which means an unreadable file here)."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"Lỗi: {message}\nXem hướng dẫn: {self.prog} --help\n")


FORMAT_ORDER = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")  # the usual ones first


def readable_formats() -> str:
    """The workbook formats sheetkit reads, as the help and the README list them."""
    from .reading.sources import READABLE_SUFFIXES

    def rank(suffix: str) -> tuple:
        return (FORMAT_ORDER.index(suffix) if suffix in FORMAT_ORDER else len(FORMAT_ORDER), suffix)

    return ", ".join(sorted(READABLE_SUFFIXES, key=rank))


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sheetkit",
        description="Lập, kiểm tra và tổng hợp kế hoạch cải tiến chất lượng giáo dục trong Excel.",
    )
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    parser.add_argument(
        "--version", action="version", version=_version(), help="hiện phiên bản sheetkit rồi thoát"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH", parser_class=_Parser)
    plan_file = f"tệp kế hoạch ({readable_formats()})"

    p = sub.add_parser(
        "template",
        help="tạo mẫu kế hoạch cho một cấp học, hoặc sổ tổng hợp (tong-hop)",
        description="Tạo mẫu kế hoạch theo Thông tư 57/2026/TT-BGDĐT (mặc định) hoặc theo "
        "Thông tư 17, 18, 19/2018 (--circular).",
    )
    p.add_argument(
        "level",
        choices=list(TEMPLATE_CHOICES),
        metavar="MẪU",
        help="; ".join(f"{name}: {what}" for name, what in TEMPLATE_CHOICES.items()),
    )
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="TỆP",
        help="tệp sẽ tạo: .xlsx, hoặc .xlsm (có nút bấm)",
    )
    p.add_argument(
        "--circular",
        choices=CIRCULAR_CHOICES,
        metavar="THÔNG_TƯ",
        help="tt57-2026 (mặc định, quy định hiện hành), hoặc tt17-2018, tt18-2018, tt19-2018 "
        "cho kế hoạch theo quy định cũ",
    )

    p = sub.add_parser("check", help="kiểm tra một tệp kế hoạch")
    p.add_argument("file", metavar="TỆP", help=plan_file)
    _format_option(p)
    p.add_argument(
        "--annotate", metavar="OUT.xlsx", help="ghi một bản sao có trang Kết quả kiểm tra"
    )
    p.add_argument(
        "--at",
        metavar="NĂM-THÁNG",
        type=_month,
        help="rà soát thêm tiến độ đến tháng này (kế hoạch Thông tư 57), ví dụ 2027-01",
    )
    p = sub.add_parser(
        "review",
        help="rà soát tiến độ kế hoạch (Thông tư 57): việc quá hạn, chưa ghi mức độ thực hiện",
    )
    p.add_argument("file", metavar="TỆP", help=plan_file)
    p.add_argument(
        "--at",
        metavar="NĂM-THÁNG",
        type=_month,
        help="tháng rà soát, ví dụ 2027-01 (mặc định: tháng hiện tại)",
    )
    _format_option(p)
    p.add_argument(
        "--annotate", metavar="OUT.xlsx", help="ghi một bản sao tô màu các ô cần xem lại"
    )
    p = sub.add_parser(
        "next",
        help="tạo kế hoạch năm học sau (Thông tư 57) từ kế hoạch năm nay, chuyển việc chưa xong",
    )
    p.add_argument("file", metavar="TỆP", help=plan_file)
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="TỆP_MỚI",
        help="tệp kế hoạch mới: .xlsx hoặc .xlsm",
    )
    p = sub.add_parser("render", help="tạo bản kế hoạch để in, ký và ban hành")
    p.add_argument("file", metavar="TỆP", help=plan_file)
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="TỆP_MỚI",
        help="tệp sẽ tạo: .xlsx (trang Bản kế hoạch) hoặc .docx",
    )
    p.add_argument(
        "--draft", action="store_true", help="tạo bản nháp (có dấu BẢN NHÁP) dù kế hoạch còn lỗi"
    )
    p.add_argument(
        "--review",
        action="store_true",
        help="tạo báo cáo rà soát tiến độ (kế hoạch Thông tư 57) thay cho bản kế hoạch",
    )
    p.add_argument(
        "--at",
        metavar="NĂM-THÁNG",
        type=_month,
        help="với --review: tháng rà soát, ví dụ 2027-01 (mặc định: tháng hiện tại)",
    )
    p = sub.add_parser(
        "fix", help="ghi bản sao có chữ gõ bằng bảng mã cũ (TCVN3, VNI) đã chuyển sang Unicode"
    )
    p.add_argument("file", metavar="TỆP", help="tệp kế hoạch (.xlsx, .xlsm)")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="TỆP_MỚI",
        help="tệp sẽ tạo: .xlsx (hoặc .xlsm từ tệp .xlsm)",
    )
    p = sub.add_parser("merge", help="tổng hợp kế hoạch của nhiều trường")
    p.add_argument(
        "paths",
        nargs="+",
        metavar="ĐƯỜNG_DẪN",
        help=f"tệp ({readable_formats()}), thư mục hoặc tệp .zip",
    )
    p.add_argument("-o", "--output", required=True, metavar="TỆP", help="tệp tổng hợp .xlsx sẽ tạo")
    p.add_argument("--csv", metavar="THƯ_MỤC", help="ghi thêm các bảng dạng CSV vào thư mục này")
    p.add_argument("--parquet", metavar="THƯ_MỤC", help="ghi thêm các bảng dạng Parquet")
    p.add_argument(
        "--workers", type=int, metavar="N", help="số tiến trình đọc tệp (mặc định: mọi nhân CPU)"
    )
    p.add_argument("--quiet", action="store_true", help="không hiện thanh tiến độ")
    p.add_argument(
        "--roster",
        metavar="DANH_SÁCH",
        help="danh sách trường (tệp từ sheetkit template danh-sach, hoặc CSV): "
        "biết trường nào đã nộp, chưa nộp",
    )
    p.add_argument(
        "--report",
        metavar="BÁO_CÁO.docx",
        help="ghi thêm báo cáo gửi cấp trên (tệp Word) để sửa, ký và ban hành",
    )
    p.add_argument(
        "--at",
        metavar="NĂM-THÁNG",
        type=_month,
        help="tính tiến độ kế hoạch Thông tư 57 đến tháng này, ví dụ 2027-01 (mặc định: tháng hiện tại)",
    )
    p = sub.add_parser(
        "serve",
        help="chạy trang web để trường nộp kế hoạch, cơ quan quản lý theo dõi (cần phần portal)",
        description="Chạy trang web nộp kế hoạch: trường tải kế hoạch lên qua liên kết riêng, "
        "cơ quan quản lý (UBND xã/phường, Sở GDĐT) theo dõi, duyệt và tổng hợp.",
    )
    p.add_argument(
        "--data",
        required=True,
        metavar="THƯ_MỤC",
        help="thư mục giữ dữ liệu của trang web (cơ sở dữ liệu, các tệp đã nộp); sao lưu thư mục này",
    )
    p.add_argument(
        "--host", default="127.0.0.1", metavar="ĐỊA_CHỈ", help="địa chỉ nghe (mặc định 127.0.0.1)"
    )
    p.add_argument(
        "--port",
        type=int,
        default=8000,
        metavar="CỔNG",
        help="cổng (mặc định 8000; 0: cổng trống bất kỳ)",
    )
    p.add_argument(
        "--database-url",
        metavar="URL",
        help="dùng PostgreSQL thay SQLite, ví dụ postgresql://sheetkit:MẬT_KHẨU@localhost/sheetkit "
        "(hoặc biến môi trường SHEETKIT_DATABASE_URL)",
    )
    for command in sub.choices.values():
        # --debug after the command too (`sheetkit check FILE --debug`, as the README shows);
        # SUPPRESS keeps a --debug given before the command when this one is absent.
        command.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP
        )
    return parser


def _version() -> str:
    """What `sheetkit --version` prints: ours, and the Python that runs it."""
    from . import __version__

    return f"sheetkit {__version__} (Python {sys.version.split()[0]})"


def _format_option(p: argparse.ArgumentParser) -> None:
    """--format of check and review: the same choices and words in both."""
    p.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        metavar="KIỂU",
        help="text: dễ đọc (mặc định); json: cho chương trình khác",
    )


def _month(text: str) -> int:
    """A review month typed as 2027-01 or 1/2027, as a month index."""
    from .reading.parsing import ParseError, parse_month

    try:
        month = parse_month(text)
    except ParseError as err:
        raise argparse.ArgumentTypeError(f"tháng '{text}' chưa đúng: {err}") from err
    if month is None:
        raise argparse.ArgumentTypeError("ghi tháng rà soát, ví dụ 2027-01")
    return month


COMMANDS = {}


def command(function):
    COMMANDS[function.__name__.removeprefix("cmd_")] = function
    return function


def _utf8_output() -> None:
    """Print Vietnamese whatever the terminal's code page (a Windows file redirect is cp1252)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    _utf8_output()
    with _argparse_in_vietnamese():
        args = _parser().parse_args(argv)
    from .reading.sources import ReadError
    from .writing.files import UsageError

    try:
        return COMMANDS[args.command](args)
    except UsageError as err:
        print(f"Lỗi: {err}", file=sys.stderr)
        return EXIT_USAGE
    except ReadError as err:
        print(err.headline(_shown(getattr(args, "file", ""))), file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except MemoryError:
        if args.debug:
            raise
    except Exception as err:
        if args.debug:
            raise
        print(f"Lỗi không mong đợi: {err} (chạy lại với --debug để xem chi tiết)", file=sys.stderr)
        return EXIT_INTERNAL
    # Only a MemoryError gets here, once the frames that held the plan are gone.
    return _out_of_memory(args)


@command
def cmd_template(args) -> int:
    from .model.roster import ROSTER_TEMPLATE
    from .writing.files import guard_output
    from .writing.templates import DISTRICT_TEMPLATE, build_template, resolve_template

    guard_output(args.output, what="tệp mẫu (-o)")  # never over a school's plan
    output = build_template(args.level, args.output, circular=args.circular)
    if args.level == DISTRICT_TEMPLATE:
        print(f"Đã tạo sổ tổng hợp: {output}")
    elif args.level == ROSTER_TEMPLATE:
        print(f"Đã tạo mẫu danh sách trường: {output}")
    else:
        circular, level = resolve_template(args.level, args.circular)
        what = f"{level or ', '.join(circular.school_levels)} theo {circular.short_name}"
        print(f"Đã tạo mẫu kế hoạch {what}: {output}")
    return EXIT_OK


@command
def cmd_check(args) -> int:
    from .jobs import check_file, is_roster_file
    from .model.findings import to_json, to_text
    from .reading.sources import ReadError

    if is_roster_file(args.file):
        return _check_roster(args)
    try:
        checked = check_file(args.file, annotate=args.annotate, at=args.at)
    except ReadError as err:
        _unreadable(args, err)
        return EXIT_UNREADABLE
    if args.format == "json":
        print(to_json(_shown(args.file), checked.report, checked.facts()))
    else:
        print(to_text(_shown(args.file), checked.report, checked.headline()))
    if args.annotate:
        print(f"Đã ghi bản có đánh dấu: {_shown(args.annotate)}", file=sys.stderr)
    return EXIT_OK if checked.report.ok else EXIT_FINDINGS


def _check_roster(args) -> int:
    """`check` of a list of schools: the same findings, text or JSON, as for a plan."""
    from .jobs import check_roster_file
    from .model.findings import ROSTER_SUBJECT, to_json, to_text
    from .reading.sources import ReadError

    try:
        roster, report = check_roster_file(args.file, annotate=args.annotate)
    except ReadError as err:
        _unreadable(args, err)
        return EXIT_UNREADABLE
    if args.format == "json":
        print(to_json(_shown(args.file), report, {"schools": len(roster.schools)}))
    else:
        line = f"Danh sách trường: {len(roster.schools)} trường"
        if roster.body is not None and roster.body.name:
            line += f"; đơn vị tổng hợp: {roster.body.name}"
        print(to_text(_shown(args.file), report, line, subject=ROSTER_SUBJECT))
    return EXIT_OK if report.ok else EXIT_FINDINGS


@command
def cmd_review(args) -> int:
    from .jobs import review_file
    from .model.findings import to_json, to_text
    from .reading.sources import ReadError

    try:
        checked, review = review_file(args.file, at=args.at, annotate=args.annotate)
    except ReadError as err:
        _unreadable(args, err)
        return EXIT_UNREADABLE
    if args.format == "json":
        print(to_json(_shown(args.file), checked.report, {**checked.facts(), **review.to_dict()}))
    else:
        print(to_text(_shown(args.file), checked.report, checked.headline()))
        print(progress_text(review, checked.plan))
    if args.annotate:
        print(f"Đã ghi bản có đánh dấu: {args.annotate}", file=sys.stderr)
    return EXIT_OK if checked.report.ok else EXIT_FINDINGS


def progress_text(review, plan) -> str:
    """The progress per priority issue and per standard, for people."""
    standards = {r.get("tt"): r.get("standard") for r in plan.issue_records}
    lines = ["", f"Tiến độ đến tháng {review.label}: {review.overall.line()}."]
    if review.by_issue:
        lines.append("  Theo vấn đề trọng tâm:")
        for issue, progress in sorted(review.by_issue.items()):
            standard = standards.get(issue)
            where = f" (tiêu chuẩn {standard})" if standard else ""
            lines.append(f"    Vấn đề {issue}{where}: {progress.line()}")
    if review.by_standard:
        lines.append("  Theo tiêu chuẩn:")
        for standard, progress in sorted(review.by_standard.items()):
            lines.append(f"    Tiêu chuẩn {standard}: {progress.line()}")
    return "\n".join(lines)


@command
def cmd_next(args) -> int:
    from .jobs import next_file
    from .writing.next_year import moved_text

    result = next_file(args.file, args.output)
    print(
        f"Đã tạo kế hoạch năm học {result.year_label} theo Thông tư 57/2026: "
        f"{moved_text(result)} → {args.output}"
    )
    return EXIT_OK


@command
def cmd_render(args) -> int:
    from .jobs import render_file
    from .model.findings import to_text
    from .writing.files import UsageError
    from .writing.plan_text import RenderRefused

    if args.review:
        return _review_report(args)
    if args.at is not None:
        raise UsageError("--at chỉ dùng cùng --review (tháng rà soát)")
    try:
        rendered = render_file(args.file, args.output, draft=args.draft)
    except RenderRefused as refused:
        # The errors to fix, counted with the warnings and notes the plan also has.
        print(to_text(_shown(args.file), refused.report, only="error"), file=sys.stderr)
        print(str(refused), file=sys.stderr)
        return EXIT_FINDINGS
    warnings = rendered.checked.report.warnings
    kind = "bản nháp" if rendered.document.draft else "bản kế hoạch"
    note = f" ({warnings} cảnh báo: xem sheetkit check)" if warnings else ""
    items = len(rendered.document.items)
    print(f"Đã tạo {kind} ({items} việc cải tiến){note} → {_shown(args.output)}")
    return EXIT_OK


def _review_report(args) -> int:
    from .jobs import review_report_file
    from .writing.files import UsageError

    if args.draft:
        raise UsageError("báo cáo rà soát không có bản nháp: bỏ --draft")
    reported = review_report_file(args.file, args.output, at=args.at)
    review = reported.review
    print(
        f"Đã tạo báo cáo rà soát tháng {review.label} ({review.overall.line()}) "
        f"→ {_shown(args.output)}"
    )
    return EXIT_OK


@command
def cmd_fix(args) -> int:
    from .jobs import fix_file

    fixed = fix_file(args.file, args.output)
    for sheet in dict.fromkeys([*fixed.converted, *fixed.normalised]):
        parts = []
        if fixed.converted.get(sheet):
            parts.append(f"{fixed.converted[sheet]} ô chuyển từ bảng mã cũ sang Unicode")
        if fixed.normalised.get(sheet):
            parts.append(f"{fixed.normalised[sheet]} ô chuẩn hóa Unicode (NFC)")
        print(f"  {sheet}: {', '.join(parts)}")
    if not fixed.converted and not fixed.normalised:
        print("Không có ô nào cần chuyển mã: bản sao giống hệt nội dung tệp gốc.")
    print(f"Đã ghi bản đã sửa → {args.output}")
    return EXIT_OK


@command
def cmd_merge(args) -> int:
    from .jobs import NothingToMerge, merge_paths
    from .progress import Progress
    from .reading.sources import ReadError

    tables = {"csv": args.csv, "parquet": args.parquet}
    bar = Progress("Đọc", enabled=not args.quiet and sys.stderr.isatty())
    try:
        rollup = merge_paths(
            args.paths,
            args.output,
            tables={kind: folder for kind, folder in tables.items() if folder},
            workers=args.workers,
            progress=bar.update,
            at=args.at,
            roster=args.roster,
            report=args.report,
        )
    except NothingToMerge as err:
        bar.close()
        print(str(err), file=sys.stderr)
        return EXIT_UNREADABLE
    except ReadError as err:  # the list of schools (the plans' own problems never stop a merge)
        bar.close()
        print(err.headline(_shown(args.roster or "")), file=sys.stderr)
        return EXIT_UNREADABLE
    bar.close()
    print(closing_line(rollup, args.output))
    if rollup.roster is not None:
        print(rollup.roster.headline() + ".")
    if args.report:
        print(f"Đã ghi báo cáo: {_shown(args.report)}")
    for notice in rollup.notices:
        print(notice, file=sys.stderr)
    if args.debug:  # where the time and memory went, for benchmarks/merge_bench.py
        _print_usage(rollup)
    return EXIT_OK if rollup.all_read else EXIT_FINDINGS


@command
def cmd_serve(args) -> int:
    from .portal import INSTALL_HINT

    if not all(_installed(name) for name in ("django", "waitress")):
        print(INSTALL_HINT, file=sys.stderr)
        return EXIT_USAGE
    from .portal.server import serve
    from .portal.settings import DatabaseUrlError

    try:
        return serve(args.data, host=args.host, port=args.port, database_url=args.database_url)
    except DatabaseUrlError as err:
        print(f"Lỗi: {err}", file=sys.stderr)
        return EXIT_USAGE


def _installed(module: str) -> bool:
    """A package is installed (found without importing it)."""
    from importlib.util import find_spec

    try:
        return find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _print_usage(rollup) -> None:
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


def closing_line(rollup, output) -> str:
    """One line a district officer reads at the end of the run."""
    return f"Đã tổng hợp {rollup.headline()} → {_shown(Path(output))}"


def _shown(name: str) -> str:
    """A file name as the terminal can show it (undecodable bytes, control characters)."""
    from .reading.text import shown_path

    return shown_path(name)


def _unreadable(args, err) -> None:
    if args.format == "json":
        import json

        doc = {"file": _shown(args.file), "error": str(err), "findings": [], "summary": None}
        print(json.dumps(doc, ensure_ascii=False))
    else:
        print(err.headline(_shown(args.file)), file=sys.stderr)


def _out_of_memory(args) -> int:
    """A plan too large for this machine's memory: one Vietnamese line (JSON for --format
    json), exit 2, never "Lỗi không mong đợi" with MemoryError's empty message."""
    import gc

    gc.collect()
    from .validators.files import out_of_memory

    file = getattr(args, "file", None)
    message = out_of_memory(_shown(file) if file is not None else None, args.command)
    if getattr(args, "format", "text") == "json":
        import json

        doc = {"file": _shown(file), "error": message, "findings": [], "summary": None}
        print(json.dumps(doc, ensure_ascii=False))
    else:
        print(message, file=sys.stderr)
    return EXIT_UNREADABLE


if __name__ == "__main__":
    sys.exit(main())
