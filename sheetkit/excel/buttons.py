"""The Excel glue: what the buttons of the .xlsm workbooks run, through xlwings.

Each entry point takes the workbook that pressed the button
(``xw.Book.caller()`` by default), reads its live sheets (unsaved edits
included) into the same grids the file reader produces, calls the library,
and writes the results back. Formatted sheets (Kết quả kiểm tra, Bản kế
hoạch, the district summary) are written by the library into a temporary
workbook and copied in, so they are the command line's output exactly. No
rule and no layout lives here; every message ends in a Vietnamese box.

Only the xlwings calls listed in tests/xlwings_fake.py are used, so the
tests run this module against that in-memory stand-in.
"""

from __future__ import annotations

import contextlib
import functools
import platform
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .. import jobs, layouts
from ..model.contract import (
    SHEET_FINDINGS,
    SHEET_PLAN,
    SHEET_RENDERED,
    SUMMARY_SHEETS,
    SUMMARY_SHEETS_BEFORE,
)
from ..model.findings import Finding, Report
from ..reading.sources import Grid, Workbook
from ..writing.annotate import FILLS, NOTE_PREFIXES, cell_marks, fill_rgb, listed_cells
from .macros import FOLDER_NAME, STATUS_NAME, XLWINGS_CONF_SHEET, embedded_xlwings_version

TITLE = "sheetkit"
# The Python side must be the version whose VBA module the templates embed.
XLWINGS_VERSION = embedded_xlwings_version()
# The colours marked cells get (the same as in `sheetkit check --annotate` copies).
MARK_COLORS = {severity: fill_rgb(severity) for severity in FILLS}


def _caller():
    import xlwings as xw

    return xw.Book.caller()


def entry_point(function: Callable[..., Any]) -> Callable[..., Any]:
    """Resolve the calling workbook and turn any unexpected error into a Vietnamese message.

    xlwings would otherwise show a Python traceback in English.
    """

    @functools.wraps(function)
    def run(book=None, **options):
        book = book if book is not None else _caller()
        try:
            return function(book, **options)
        except MemoryError:  # the plan is too large for this machine, not a fault of sheetkit
            from ..validators.files import out_of_memory

            name = None if function.__name__ == "merge" else book.name
            alert(book, out_of_memory(name, function.__name__), critical=True)
            return None
        except Exception as err:  # the last line of defence: say it, do not crash
            detail = "".join(traceback.format_exception_only(type(err), err)).strip()
            alert(
                book,
                "Có lỗi không mong đợi, chưa làm xong việc:\n\n"
                f"{detail}\n\n"
                "Hãy bấm Kiểm tra cài đặt; nếu vẫn lỗi, chạy lệnh tương ứng (sheetkit check, "
                "render hoặc merge) để xem chi tiết, hoặc gửi thông báo này cho người hỗ trợ.",
                critical=True,
            )
            return None

    return run


def alert(book, text: str, critical: bool = False, question: bool = False) -> str | None:
    """A message box over Excel; returns the button pressed ("yes"/"no"/"ok")."""
    return book.app.alert(
        text,
        title=TITLE,
        buttons="yes_no" if question else "ok",
        mode="critical" if critical else "info",
    )


@contextlib.contextmanager
def busy(book, message: str) -> Iterator[None]:
    """Freeze the screen while sheets are replaced, with a word in the status bar."""
    app = book.app
    app.screen_updating = False
    app.status_bar = message
    try:
        yield
    finally:
        app.status_bar = False  # back to Excel's own
        app.screen_updating = True


# ----------------------------------------------------------------- reading


def sheet_grid(sheet) -> Grid:
    """A live sheet's values from A1 to its last used cell, as the file reader gives them."""
    last = sheet.used_range.last_cell
    values = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value
    return [["" if v is None else v for v in row] for row in values]


def live_workbook(book) -> Workbook:
    """The open workbook as a sources.Workbook: sheets are read only when the reader asks."""
    names = [s.name for s in book.sheets]
    return Workbook(names, lambda name: sheet_grid(book.sheets[name]))


def check_live(book) -> jobs.Checked:
    """The open workbook read and checked, as ``sheetkit check`` reads and checks a file."""
    return jobs.check_source(live_workbook(book), name=book.name)


# ----------------------------------------------------------------- writing


def _sheet_names(book) -> list[str]:
    return [s.name for s in book.sheets]


def delete_sheets(book, names) -> None:
    """Delete the named sheets when present (our own outputs from an earlier run)."""
    present = set(_sheet_names(book))
    app = book.app
    app.display_alerts = False  # no "are you sure?" for each sheet
    try:
        for name in names:
            if name in present:
                book.sheets[name].delete()
    finally:
        app.display_alerts = True


def copy_sheets_in(book, path: Path, *, before=None, after=None) -> list:
    """Copy every sheet of the workbook at ``path`` into ``book``, keeping their order."""
    other = book.app.books.open(str(path))
    copied = []
    try:
        for sheet in other.sheets:
            if before is not None:
                copied.append(sheet.copy(before=before))
            else:
                after = sheet.copy(after=after if after is not None else book.sheets[-1])
                copied.append(after)
    finally:
        other.close()
    return copied


def scratch_folder() -> tempfile.TemporaryDirectory:
    """A temporary folder Excel can open files from without asking.

    Excel for Mac is sandboxed: it asks the user before opening a file outside
    its container, so the workbooks to copy in are written inside it there.
    """
    container = Path.home() / "Library" / "Containers" / "com.microsoft.Excel" / "Data"
    return tempfile.TemporaryDirectory(
        prefix="sheetkit-", dir=container if container.is_dir() else None
    )


def write_and_copy_in(book, file_name: str, write: Callable[[Path], Any], **where) -> list:
    """Let the library write a workbook, then copy its sheets into ``book`` (``before``/``after``)."""
    with scratch_folder() as folder:
        path = Path(folder) / file_name
        write(path)
        return copy_sheets_in(book, path, **where)


def _openpyxl_sheet(write_sheet: Callable[[Any], Any]) -> Callable[[Path], None]:
    """A writer of a one-sheet openpyxl workbook holding what ``write_sheet(wb)`` adds."""

    def write(path: Path) -> None:
        from openpyxl import Workbook as OpenpyxlWorkbook

        wb = OpenpyxlWorkbook()
        wb.remove(wb.active)
        write_sheet(wb)
        wb.save(path)

    return write


def _previous_marks(book) -> list[tuple[str, str]]:
    """(sheet, cell) of every finding the last check listed: the cells it marked."""
    if SHEET_FINDINGS not in _sheet_names(book):
        return []
    return listed_cells(sheet_grid(book.sheets[SHEET_FINDINGS]))


def clear_marks(book, marks: list[tuple[str, str]], sheet_names: dict[str, str]) -> None:
    """Remove our colour and note from cells the last check marked, and nothing else."""
    present = set(_sheet_names(book))
    ours = set(MARK_COLORS.values())
    for label, ref in marks:
        sheet = sheet_names.get(label, label)
        if sheet not in present or ":" in ref:
            continue
        cell = book.sheets[sheet].range(ref)
        if cell.color in ours:
            cell.color = None
        if cell.note is not None and cell.note.text.startswith(NOTE_PREFIXES):
            cell.note.delete()


def mark_cells(book, findings: list[Finding], sheet_names: dict[str, str]) -> None:
    """Colour each cell with a finding and put the messages in its note."""
    present = _sheet_names(book)
    for (sheet, ref), (severity, text) in cell_marks(findings, sheet_names, present).items():
        cell = book.sheets[sheet].range(ref)
        cell.color = MARK_COLORS[severity]
        if cell.note is None:
            cell.add_note(text)
        elif cell.note.text.startswith(NOTE_PREFIXES):
            cell.note.text = text
        # a note the school wrote itself is left as it is; the colour still shows


def _counts_text(report: Report) -> str:
    return f"{report.errors} lỗi, {report.warnings} cảnh báo, {report.infos} lưu ý"


# ----------------------------------------------------------------- entry points


@entry_point
def check(book) -> list[Finding]:
    """Kiểm tra kế hoạch: the Kết quả kiểm tra sheet first, marked cells, a message."""
    with busy(book, "sheetkit: đang kiểm tra kế hoạch..."):
        checked = check_live(book)
        show_findings(book, checked)
    advice = (
        "Kế hoạch không có lỗi: có thể bấm Tạo bản kế hoạch."
        if checked.report.ok
        else "Các ô cần sửa đã được tô màu; trang Kết quả kiểm tra liệt kê từng lỗi và cách sửa "
        "(bấm vào ô ở cột C để đến chỗ cần sửa). Sửa xong, bấm Kiểm tra kế hoạch lại."
    )
    alert(book, f"Đã kiểm tra kế hoạch: {_counts_text(checked.report)}.\n\n{advice}")
    return checked.report.findings


def show_findings(book, checked: jobs.Checked) -> None:
    """The Kết quả kiểm tra sheet first and marked cells, replacing those of the last run."""
    from ..writing.annotate import write_findings_sheet

    findings = checked.report.findings
    clear_marks(book, _previous_marks(book), checked.plan.sheet_names)
    delete_sheets(book, [SHEET_FINDINGS])
    links = _sheet_names(book)
    copied = write_and_copy_in(
        book,
        "ket-qua-kiem-tra.xlsx",
        _openpyxl_sheet(
            lambda wb: write_findings_sheet(wb, findings, book.name, links, checked.headline())
        ),
        before=book.sheets[0],
    )
    mark_cells(book, findings, checked.plan.sheet_names)
    copied[0].activate()


@entry_point
def review(book, at: int | None = None):
    """Rà soát tiến độ: the plan reviewed at this month, its cells marked, progress in a message.

    ``at``: the review month (year * 12 + month - 1); this month by default.
    """
    import datetime as dt

    from ..checking.review import review_plan

    if at is None:
        today = dt.date.today()
        at = today.year * 12 + today.month - 1
    with busy(book, "sheetkit: đang rà soát tiến độ..."):
        checked = jobs.check_source(live_workbook(book), name=book.name, at=at)
        layout = layouts.of(checked.plan)
        if not layout.reviewable:
            alert(
                book,
                "Rà soát tiến độ dùng cho kế hoạch theo Thông tư 57/2026 (cột Mức độ thực hiện, "
                f"trang Theo dõi). Sổ này theo {layout.short_name}: hãy bấm Kiểm tra kế hoạch.",
            )
            return None
        result = review_plan(checked.plan, at)
        show_findings(book, checked)
    lines = [f"Rà soát đến tháng {result.label}: {result.overall.line()}."]
    lines += [f"Vấn đề {k}: {v.line()}" for k, v in sorted(result.by_issue.items())]
    lines.append(
        f"\nKết quả kiểm tra: {_counts_text(checked.report)} (xem trang Kết quả kiểm tra)."
    )
    alert(book, "\n".join(lines))
    return result


@entry_point
def render(book) -> Path | None:
    """Tạo bản kế hoạch: the Bản kế hoạch sheet after Kế hoạch; a draft only if asked."""
    from ..writing.document import RenderRefused
    from ..writing.plan_sheet import PlanTooLarge, sheet_layout, write_plan_sheet

    with busy(book, "sheetkit: đang đọc kế hoạch..."):
        checked = check_live(book)
    draft = False
    try:
        doc = jobs.render_checked(checked)
    except RenderRefused:
        answer = alert(
            book,
            f"Kế hoạch còn {checked.report.errors} lỗi nên chưa tạo được bản chính thức.\n\n"
            "Bấm Yes để tạo bản nháp (có dấu BẢN NHÁP, không dùng để ban hành), "
            "bấm No để dừng; bấm Kiểm tra kế hoạch để xem các lỗi.",
            question=True,
        )
        if answer != "yes":
            return None
        draft = True
        doc = jobs.render_checked(checked, draft=True)
    try:  # a plan far too large is refused with its counts, not an error box
        layout = sheet_layout(doc)
    except PlanTooLarge as refused:
        alert(book, f"{refused.report.findings[0].message}\n\n{refused}", critical=True)
        return None
    with busy(book, "sheetkit: đang tạo bản kế hoạch..."):
        delete_sheets(book, [SHEET_RENDERED])
        names = _sheet_names(book)
        anchor = checked.plan.sheet_names.get(SHEET_PLAN)
        copied = write_and_copy_in(
            book,
            "ban-ke-hoach.xlsx",
            _openpyxl_sheet(lambda wb: write_plan_sheet(wb, layout)),
            after=book.sheets[anchor] if anchor in names else None,
        )
        copied[0].activate()
    kind = "bản nháp" if draft else "bản kế hoạch"
    alert(
        book,
        f"Đã tạo {kind} ở trang {SHEET_RENDERED} ({len(doc.items)} việc cải tiến). "
        "Xem trước khi in: File > Print. Muốn có tệp Word: dùng lệnh sheetkit render -o "
        "ke-hoach.docx.",
    )
    return None


def plans_folder(book) -> Path | None:
    """The folder typed or chosen in the district workbook (relative to the workbook)."""
    value = book.names[FOLDER_NAME].refers_to_range.value
    text = "" if value is None else str(value).strip().strip('"')
    if not text:
        return None
    folder = Path(text).expanduser()
    if not folder.is_absolute():
        folder = Path(book.fullname).parent / folder
    return folder


@entry_point
def merge(book):
    """Tổng hợp: roll up the folder of school plans into this workbook's summary sheets."""
    folder = plans_folder(book)
    if folder is None:
        alert(book, "Chưa có thư mục kế hoạch: bấm Chọn thư mục, hoặc gõ đường dẫn vào ô bên cạnh.")
        return None
    if not folder.is_dir():
        alert(
            book,
            f"Không tìm thấy thư mục:\n{folder}\n\nHãy bấm Chọn thư mục để chọn lại.",
            critical=True,
        )
        return None
    app = book.app
    started = time.monotonic()
    last_shown = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last_shown[0] > 0.5:  # each update is a call into Excel
            app.status_bar = f"sheetkit: đã đọc {done}/{total} tệp kế hoạch..."
            last_shown[0] = now

    with busy(book, "sheetkit: đang tìm tệp kế hoạch..."), scratch_folder() as scratch:
        summary = Path(scratch) / "tong-hop.xlsx"
        try:
            rollup = jobs.merge_paths([folder], summary, progress=progress, exclude=[book.fullname])
        except jobs.NothingToMerge:
            app.status_bar = False
            alert(book, f"Không có tệp nào trong thư mục:\n{folder}", critical=True)
            return None
        app.status_bar = "sheetkit: đang ghi các trang tổng hợp..."
        delete_sheets(book, (*SUMMARY_SHEETS, *SUMMARY_SHEETS_BEFORE))
        copied = copy_sheets_in(book, summary, after=book.sheets[0])
        headline = rollup.headline()
        stamp = time.strftime("%H:%M %d/%m/%Y")
        status = book.names[STATUS_NAME].refers_to_range
        status.value = f"{stamp}: {headline} ({time.monotonic() - started:.0f} giây) — {folder}"
        copied[0].activate()
    unread = "" if rollup.all_read else " Các tệp không đọc được có ở trang Lỗi, kèm lý do."
    alert(book, f"Đã tổng hợp {headline}.{unread}")
    return rollup


@entry_point
def doctor(book) -> str:
    """Kiểm tra cài đặt: what this Python has, and whether it can read this workbook."""
    import sheetkit

    lines = [
        f"Python {platform.python_version()} ({platform.system()}) — sẵn sàng.",
        f"sheetkit {sheetkit.__version__} — sẵn sàng.",
    ]
    problems = []
    try:
        import xlwings

        version = xlwings.__version__
    except ImportError:  # only a test stand-in gets here: the button itself needs xlwings
        version = None
    if version == XLWINGS_VERSION:
        lines.append(f"xlwings {version} — khớp với mã VBA trong sổ này.")
    else:
        problems.append(
            f"xlwings {version or '(chưa cài)'} khác bản {XLWINGS_VERSION} mà sổ này cần: chạy "
            f'pip install "xlwings=={XLWINGS_VERSION}" trong môi trường Python của sheetkit.'
        )
    try:
        import pandera.pandas  # noqa: F401  the heaviest import of a check

        lines.append("Thư viện kiểm tra (pandas, pandera) — sẵn sàng.")
    except ImportError as err:
        problems.append(f'Thiếu thư viện ({err.name}): chạy pip install "sheetkit[excel]".')
    names = _sheet_names(book)
    if FOLDER_NAME in [n.name for n in book.names]:
        lines.append("Sổ tổng hợp: bấm Chọn thư mục rồi Tổng hợp.")
    else:
        plan = jobs.read_source(live_workbook(book), name=book.name)
        if plan.structure:
            problems.append(
                "Sổ này thiếu trang hoặc tiêu đề cột của mẫu kế hoạch: "
                + "; ".join(f.message for f in plan.structure)
            )
        else:
            lines.append(
                f"Đọc được sổ này: {len(plan.item_records)} dòng kế hoạch, "
                f"{len(plan.assessment_records)} tiêu chí tự đánh giá."
            )
    if XLWINGS_CONF_SHEET not in names:
        problems.append("Sổ này không có trang xlwings.conf: hãy dùng mẫu .xlsm mới của sheetkit.")
    text = "\n".join(lines)
    if problems:
        text += "\n\nCần xử lý:\n" + "\n".join(f"- {p}" for p in problems)
    else:
        text += "\n\nMọi thứ đã sẵn sàng."
    alert(book, text, critical=bool(problems))
    return text
