"""What sheetkit says about a file it cannot read or does not read.

The readers only state a fact (a reason id and its details: a size, a type
name); the words the officer reads are here, next to the rules. Each reason
is a Vietnamese sentence: what is wrong with the file, then what to do.
``{placeholders}`` are filled from the details; a missing one is an error
in sheetkit, never shown as an empty gap.
"""

from __future__ import annotations

# Why a file could not be read: the file.unreadable finding of a roll-up, and
# the one line `sheetkit check` prints before exiting with code 2.
UNREADABLE: dict[str, str] = {
    "not_found": "Không tìm thấy tệp.",
    "path_not_found": "Không tìm thấy tệp hoặc thư mục này.",
    "is_folder": "Đây là một thư mục, không phải tệp bảng tính.",
    "not_spreadsheet": (
        "Không phải tệp bảng tính Excel: sheetkit đọc tệp .xlsx, .xlsm, .xls, .xlsb và .ods."
    ),
    "empty": "Tệp rỗng (0 byte): hãy gửi lại tệp kế hoạch đã lưu đầy đủ.",
    "too_large": "Tệp quá lớn ({megabytes} MB) để là một kế hoạch; hãy kiểm tra lại tệp.",
    "damaged_zip": "Tệp bị hỏng hoặc tải về chưa hết (không giải nén được).",
    "zip_bomb": "Tệp giải nén ra quá lớn, có thể là tệp độc hại; không đọc tệp này.",
    "encrypted": (
        "Tệp được đặt mật khẩu (mã hóa): hãy mở trong Excel, bỏ mật khẩu "
        "(Tệp > Thông tin > Bảo vệ sổ làm việc) rồi lưu lại."
    ),
    "password": "Tệp được đặt mật khẩu: hãy bỏ mật khẩu trong Excel rồi lưu lại và gửi lại.",
    "damaged": (
        "Không đọc được tệp: tệp không phải bảng tính Excel hợp lệ hoặc đã bị hỏng ({detail})."
    ),
    "sheet_damaged": "Không đọc được trang tính '{sheet}' ({detail}).",
    "unexpected": (
        "Lỗi không mong đợi khi đọc tệp ({detail}). Hãy mở tệp bằng Excel, lưu lại rồi gửi "
        "lại; nếu vẫn lỗi, báo cho người quản trị sheetkit."
    ),
    # Archives (.zip) a district received.
    "archive_too_many": "Tệp nén chứa quá nhiều tệp ({count}); không mở.",
    "archive_too_large": (
        "Tệp nén giải nén ra quá lớn ({megabytes} MB), có thể là tệp độc hại; không mở. Hãy "
        "giải nén thủ công những tệp kế hoạch cần tổng hợp."
    ),
    "archive_damaged": (
        "Tệp nén bị hỏng hoặc tải về chưa hết, không giải nén được ({detail}): hãy tải lại tệp."
    ),
    "member_too_large": "Tệp quá lớn để là một kế hoạch; không giải nén.",
    "member_encrypted": (
        "Tệp trong tệp nén được đặt mật khẩu: hãy giải nén thủ công rồi chạy lại."
    ),
    "member_unextractable": "Không giải nén được tệp này ({detail}).",
    "member_damaged": "Không giải nén được tệp này: tệp nén bị hỏng ({detail}).",
}

# Why a file found in the folders was not read as a plan (file.skipped).
SKIPPED: dict[str, str] = {
    "system": "Tệp hệ thống của Windows/macOS, không phải kế hoạch: đã bỏ qua.",
    "hidden": "Tệp ẩn, không phải kế hoạch: đã bỏ qua.",
    "document": (
        "Tệp {kind}, không phải bảng tính: Phòng cần tệp Excel của kế hoạch; "
        "đề nghị trường gửi lại tệp .xlsx."
    ),
    "not_spreadsheet": "Không phải tệp bảng tính (.xlsx, .xlsm, .xls, .ods): đã bỏ qua.",
    "nested_archive": "Tệp nén nằm trong tệp nén: hãy giải nén tệp ngoài rồi chạy lại.",
}

# One school sent two plans (file.duplicate): the newer is kept.
DUPLICATE = (
    "Trường '{school}' gửi nhiều bản kế hoạch ({basis}): đã dùng bản mới hơn '{kept}' "
    "(năm học {year}), không tính bản này."
)
DUPLICATE_BASIS = {"code": "cùng mã trường", "name": "cùng tên trường và quận/huyện"}
DUPLICATE_NO_YEAR = "chưa ghi"


def unreadable(reason: str, **details: object) -> str:
    """The sentence for a file that could not be read."""
    return UNREADABLE[reason].format(**details)


def skipped(reason: str, **details: object) -> str:
    """The sentence for a file that was found but is not a plan workbook."""
    return SKIPPED[reason].format(**details)
