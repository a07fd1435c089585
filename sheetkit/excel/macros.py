"""Macro-enabled workbooks: the VBA project, the buttons and xlwings' settings sheet.

The VBA sources are text in ``sheetkit/excel/vba_sources`` (xlwings' own standalone
module, the Dictionary class it needs on a Mac, and ours); the
vbaProject.bin is built from them every time a template is written, so no
unexplained binary is ever committed. Each button calls one Sub of
``sheetkit.bas``, which calls one Python function of ``sheetkit.excel``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from importlib import resources

from . import vba

VBA_SOURCES = ("xlwings.bas", "Dictionary.cls", "sheetkit.bas")
XLWINGS_CONF_SHEET = "xlwings.conf"
# Where the README's install steps put Python: one environment per user, no admin rights.
XLWINGS_CONF = (
    ("Interpreter_Win", r"%LOCALAPPDATA%\sheetkit\venv\Scripts\python.exe"),
    ("Interpreter_Mac", "$HOME/sheetkit/venv/bin/python"),
)
# Workbook-level names the district workbook's VBA and Python agree on.
FOLDER_NAME = "ThuMucKeHoach"
STATUS_NAME = "KetQuaTongHop"

BUTTON_WIDTH, BUTTON_HEIGHT, BUTTON_GAP = 170, 34, 14  # pixels


@dataclass(frozen=True)
class Button:
    macro: str  # a Public Sub of sheetkit.bas
    caption: str
    tip: str  # one line under the buttons, for whoever wonders what it does


PLAN_BUTTONS = (
    Button(
        "CheckPlan",
        "Kiểm tra kế hoạch",
        "Kiểm tra kế hoạch: tìm mọi lỗi, tô màu ô cần sửa và liệt kê ở trang Kết quả kiểm tra.",
    ),
    Button(
        "RenderPlan",
        "Tạo bản kế hoạch",
        "Tạo bản kế hoạch: tạo trang Bản kế hoạch đúng thể thức để in, ký và ban hành.",
    ),
    Button(
        "CheckSetup",
        "Kiểm tra cài đặt",
        "Kiểm tra cài đặt: khi nút không chạy, cho biết máy còn thiếu gì (Python, sheetkit).",
    ),
)
# Thông tư 57 plans are reviewed twice a year: their workbooks also have Rà soát tiến độ.
PLAN_BUTTONS_TT57 = (
    *PLAN_BUTTONS[:2],
    Button(
        "ReviewPlan",
        "Rà soát tiến độ",
        "Rà soát tiến độ: đến tháng hiện tại, tô màu việc quá hạn, chưa ghi mức độ thực hiện, lần "
        "rà soát chưa ghi ở trang Theo dõi; báo tiến độ theo vấn đề và tiêu chuẩn.",
    ),
    PLAN_BUTTONS[2],
)
DISTRICT_BUTTONS = (
    Button(
        "ChooseFolder",
        "Chọn thư mục",
        "Chọn thư mục: chọn thư mục chứa tệp kế hoạch của các trường (có thể có thư mục con, tệp .zip).",
    ),
    Button(
        "MergeFolder",
        "Tổng hợp",
        "Tổng hợp: đọc, kiểm tra mọi tệp và ghi các trang tổng hợp vào sổ này (thay bản cũ).",
    ),
    PLAN_BUTTONS[2],
)


def vba_source(name: str) -> bytes:
    """One packaged VBA source file, as stored (ASCII, CRLF)."""
    return resources.files(__package__).joinpath("vba_sources", name).read_bytes()


def load_modules() -> list[vba.Module]:
    """The code modules every macro-enabled workbook carries."""
    return [vba.parse_module(name, vba_source(name)) for name in VBA_SOURCES]


def embedded_xlwings_version() -> str:
    """The xlwings version of the embedded xlwings.bas (the excel extra pins the same)."""
    source = vba_source("xlwings.bas").decode("ascii")
    return re.search(r'^Public Const XLWINGS_VERSION As String = "([^"]+)"', source, re.M).group(1)


def add_macros(wb) -> None:
    """Give an XlsxWriter workbook the VBA project and the hidden xlwings.conf sheet.

    Call after every other sheet is added: the project holds one document
    module per sheet, named as XlsxWriter names them (Sheet1, Sheet2, ...).
    """
    conf = wb.add_worksheet(XLWINGS_CONF_SHEET)
    sheet_count = len(wb.worksheets())
    for row, (key, value) in enumerate(XLWINGS_CONF):
        conf.write_string(row, 0, key)
        conf.write_string(row, 1, value)
    conf.set_column(0, 0, 18)
    conf.set_column(1, 1, 60)
    conf.hide()
    project = vba.build_project(vba.workbook_modules(sheet_count, load_modules()))
    wb.add_vba_project(io.BytesIO(project), is_stream=True)


def insert_buttons(ws, row: int, col: int, buttons: tuple[Button, ...]) -> None:
    """Buttons side by side, starting at the top left of (row, col)."""
    for i, button in enumerate(buttons):
        ws.insert_button(
            row,
            col,
            {
                "macro": button.macro,
                "caption": button.caption,
                "width": BUTTON_WIDTH,
                "height": BUTTON_HEIGHT,
                "x_offset": 4 + i * (BUTTON_WIDTH + BUTTON_GAP),
                "y_offset": 6,
                "description": button.tip,
            },
        )
