"""What sheetkit says about a file it cannot read or does not read.

The readers only state a fact (a reason id and its details: a size, a sheet,
a cell; never a Python exception's name); the words the officer reads are here, next to the rules. Each reason
is a Vietnamese sentence: what is wrong with the file, then what to do.
``{placeholders}`` are filled from the details; a missing one is an error
in sheetkit, never shown as an empty gap.
"""

from __future__ import annotations

# Why a file could not be read: the file.unreadable finding of a roll-up, and
# the one line `sheetkit check` prints before exiting with code 2.
UNREADABLE: dict[str, str] = {
    # The path itself.
    "not_found": "Không tìm thấy tệp.",
    "path_not_found": "Không tìm thấy tệp hoặc thư mục này.",
    "broken_link": "Đây là lối tắt (liên kết) trỏ tới một tệp không còn nữa.",
    "link_loop": "Đây là lối tắt (liên kết) trỏ vòng vào chính nó, không dẫn tới tệp nào.",
    "is_folder": "Đây là một thư mục, không phải tệp bảng tính.",
    "not_regular": "Đây không phải một tệp thông thường (có thể là thiết bị hoặc ống dẫn).",
    "no_permission": (
        "Không có quyền đọc tệp này: hãy chép tệp sang thư mục của mình hoặc nhờ người quản "
        "trị máy cấp quyền đọc, rồi chạy lại."
    ),
    "name_too_long": "Tên hoặc đường dẫn của tệp quá dài: hãy đổi tên ngắn hơn rồi chạy lại.",
    "disk_error": "Không đọc được tệp từ ổ đĩa (lỗi ổ đĩa hoặc mạng): hãy chép tệp ra chỗ khác "
    "rồi chạy lại.",
    # What the bytes are.
    "not_spreadsheet": (
        "Không phải tệp bảng tính Excel: sheetkit đọc tệp .xlsx, .xlsm, .xls, .xlsb và .ods."
    ),
    "not_workbook": (
        "Nội dung tệp không phải bảng tính Excel hay LibreOffice (dù tên tệp có thể có đuôi "
        "Excel): hãy gửi lại đúng tệp kế hoạch."
    ),
    "renamed_document": (
        "Đây là tệp {kind} được đặt tên như tệp Excel, không phải bảng tính: hãy gửi tệp Excel "
        "của kế hoạch."
    ),
    "html": (
        "Đây là trang web (HTML) được đặt đuôi Excel, không phải bảng tính thật: hãy mở bằng "
        "Excel rồi Lưu thành (Save As) kiểu Excel Workbook (.xlsx)."
    ),
    "xml2003": (
        "Đây là bảng tính XML 2003, kiểu tệp cũ sheetkit không đọc: hãy mở bằng Excel rồi Lưu "
        "thành (Save As) kiểu Excel Workbook (.xlsx)."
    ),
    "plain_zip": (
        "Đây là tệp nén (.zip, .rar, .7z) được đặt đuôi Excel, không phải bảng tính: hãy giải "
        "nén rồi gửi tệp Excel bên trong."
    ),
    "empty": "Tệp rỗng (0 byte): hãy gửi lại tệp kế hoạch đã lưu đầy đủ.",
    "too_large": "Tệp quá lớn ({megabytes} MB) để là một kế hoạch; hãy kiểm tra lại tệp.",
    "damaged_zip": (
        "Tệp bị hỏng hoặc tải về chưa hết (không giải nén được nội dung bảng tính): hãy lưu lại "
        "tệp bằng Excel hoặc tải lại rồi gửi lại."
    ),
    "zip_method": (
        "Tệp được nén theo cách Excel và LibreOffice không dùng (tệp bị hỏng hoặc không do Excel "
        "tạo): hãy mở bằng Excel, lưu lại rồi gửi lại."
    ),
    "zip_bomb": "Tệp giải nén ra quá lớn, có thể là tệp độc hại; không đọc tệp này.",
    "xml_dtd": (
        "Nội dung tệp có khai báo DTD/ENTITY, điều Excel không bao giờ ghi; có thể là tệp độc "
        "hại nên sheetkit không đọc. Hãy mở bằng Excel, lưu lại rồi gửi lại."
    ),
    "encrypted": (
        "Tệp được đặt mật khẩu (mã hóa): hãy mở trong Excel, bỏ mật khẩu "
        "(Tệp > Thông tin > Bảo vệ sổ làm việc) rồi lưu lại."
    ),
    "password": "Tệp được đặt mật khẩu: hãy bỏ mật khẩu trong Excel rồi lưu lại và gửi lại.",
    "damaged": (
        "Không đọc được tệp: tệp không phải bảng tính Excel hợp lệ hoặc đã bị hỏng. Hãy mở bằng "
        "Excel hoặc LibreOffice, lưu lại rồi gửi lại."
    ),
    "sheet_damaged": (
        "Không đọc được trang tính '{sheet}': trang bị hỏng. Hãy mở tệp bằng Excel, lưu lại "
        "rồi gửi lại."
    ),
    "sheet_too_large": (
        "Trang tính '{sheet}' có dữ liệu ở ô {cell}, quá xa so với một kế hoạch (sheetkit đọc "
        "mỗi trang tối đa {rows} dòng và {cells} ô). Hãy xóa các ô thừa (trong Excel: Ctrl+End "
        "để đến ô cuối cùng) rồi lưu lại."
    ),
    "cell_out_of_range": (
        "Trang tính '{sheet}' có ô mang địa chỉ không thể có ({cell}): tệp bị hỏng hoặc không "
        "do Excel tạo. Hãy mở bằng Excel, lưu lại rồi gửi lại."
    ),
    # Reading in a worker process of the roll-up.
    "reader_crashed": (
        "Đọc tệp này làm chương trình đọc dừng đột ngột (tệp hỏng hoặc được tạo bất thường): "
        "hãy mở tệp bằng Excel, lưu lại rồi gửi lại."
    ),
    "reader_timeout": (
        "Đọc tệp này quá {seconds} giây nên đã dừng (tệp hỏng hoặc được tạo bất thường): hãy "
        "mở tệp bằng Excel, lưu lại rồi gửi lại."
    ),
    "out_of_memory": (
        "Tệp quá lớn để xử lý trên máy này (hết bộ nhớ khi đọc và kiểm tra): kế hoạch có quá "
        "nhiều dòng hoặc ô quá dài; hãy đề nghị trường xóa các dòng, trang tính thừa rồi gửi "
        "lại, hoặc kiểm tra riêng tệp này bằng sheetkit check."
    ),
    "unexpected": (
        "sheetkit gặp lỗi khi đọc tệp này (lỗi của sheetkit, không phải của trường). Hãy mở "
        "tệp bằng Excel, lưu lại rồi gửi lại; nếu vẫn lỗi, báo cho người quản trị sheetkit."
    ),
    # Archives (.zip) a district received.
    "archive_too_many": "Tệp nén chứa quá nhiều tệp ({count}); không mở.",
    "archive_too_large": (
        "Tệp nén giải nén ra quá lớn ({megabytes} MB), có thể là tệp độc hại; không mở. Hãy "
        "giải nén thủ công những tệp kế hoạch cần tổng hợp."
    ),
    "archive_damaged": (
        "Tệp nén bị hỏng hoặc tải về chưa hết, không giải nén được: hãy tải lại tệp."
    ),
    "member_too_large": "Tệp quá lớn để là một kế hoạch; không giải nén.",
    "member_encrypted": (
        "Tệp trong tệp nén được đặt mật khẩu: hãy giải nén thủ công rồi chạy lại."
    ),
    "member_unextractable": (
        "Không giải nén được tệp này (tệp nén dùng cách nén mà sheetkit không đọc được): hãy "
        "giải nén bằng tay rồi chạy lại."
    ),
    "member_damaged": "Không giải nén được tệp này: tệp nén bị hỏng; hãy tải lại tệp nén.",
    "folder_unreadable": (
        "Không mở được thư mục này (không có quyền đọc): các tệp bên trong chưa được tổng hợp."
    ),
}

# Why a copy of the workbook (check --annotate, render -o .xlsx) cannot be written:
# the plan itself was read, but the copy is made by a stricter reader.
COPY: dict[str, str] = {
    "copy_unreadable": (
        "tệp đọc được để kiểm tra, nhưng bên trong có chỗ sai quy cách (ví dụ ký tự điều "
        "khiển hoặc phần bị hỏng) nên không chép được sang bản Excel mới. Hãy mở tệp bằng "
        "Excel hoặc LibreOffice, lưu lại rồi chạy lại."
    ),
    "merge_too_large": (
        "trang tính '{sheet}' có vùng gộp ô {cell} quá lớn để chép: hãy bỏ gộp ô (Merge & "
        "Center) ở vùng đó rồi lưu lại."
    ),
    "copy_too_large": (
        "tệp có hơn {cells} ô có dữ liệu, quá lớn để chép sang một bản Excel mới: hãy xóa các "
        "trang tính không thuộc kế hoạch rồi lưu lại."
    ),
}
UNREADABLE.update(COPY)

# The one line a command prints for a file it cannot read, or cannot copy.
HEADLINE = "Không đọc được '{name}': {reason}"
COPY_HEADLINE = "Không tạo được bản sao Excel từ '{name}': {reason}"

# Why a file found in the folders was not read as a plan (file.skipped).
SKIPPED: dict[str, str] = {
    "system": "Tệp hệ thống của Windows/macOS, không phải kế hoạch: đã bỏ qua.",
    "hidden": "Tệp ẩn, không phải kế hoạch: đã bỏ qua.",
    "document": (
        "Tệp {kind}, không phải bảng tính: cơ quan quản lý cần tệp Excel của kế hoạch; "
        "đề nghị trường gửi lại tệp .xlsx."
    ),
    "not_spreadsheet": "Không phải tệp bảng tính (.xlsx, .xlsm, .xls, .ods): đã bỏ qua.",
    "nested_archive": "Tệp nén nằm trong tệp nén: hãy giải nén tệp ngoài rồi chạy lại.",
    "linked_folder": (
        "Lối tắt (liên kết) tới một thư mục khác: không đọc, để không đọc một tệp hai lần. Muốn "
        "tổng hợp các tệp trong đó, hãy chép thư mục vào đây hoặc ghi đường dẫn của nó."
    ),
    "sheetkit_output": (
        "Sổ tổng hợp do sheetkit tạo (không phải kế hoạch của một trường): đã bỏ qua."
    ),
    "roster": (
        "Danh sách trường của cơ quan quản lý (không phải kế hoạch): đã bỏ qua. Dùng danh sách "
        "với tùy chọn --roster để biết trường nào chưa nộp."
    ),
    "sheetkit_annotated": (
        "Bản sao có đánh dấu lỗi do sheetkit tạo lúc {saved} (lệnh check --annotate hoặc review "
        "--annotate), chưa ai sửa và lưu lại: không phải kế hoạch trường gửi, đã bỏ qua. Nếu "
        "trường chỉ gửi bản này, hãy đề nghị trường gửi tệp kế hoạch gốc."
    ),
}

# One school sent two plans (file.duplicate): the newer is kept, by school year, then by the
# time the workbook itself records as its last save (disk times only say when it was copied).
DUPLICATE = (
    "'{school}' gửi nhiều bản kế hoạch ({basis}): đã dùng bản '{kept}' {why} ({times}); "
    "không tính bản này."
)
DUPLICATE_WHY = {
    "year": "vì năm học {year} mới hơn năm học {this_year} của bản này",
    "year_missing": "vì ghi năm học {year}, bản này chưa ghi năm học",
    "saved": "(năm học {year}) vì lưu sau",
    "same": "(năm học {year}; hai bản cùng thời điểm lưu)",
}
# The two saved times; each says where it comes from.
DUPLICATE_TIMES = "bản đó lưu lúc {kept}, bản này lưu lúc {this}"
SAVED_SOURCE = {
    "file": "thời điểm lưu ghi trong tệp",
    "disk": "giờ sửa tệp trên máy (tệp không ghi thời điểm lưu)",
}
SAVED_UNKNOWN = "không rõ"
# The kept copy's line in the files table.
DUPLICATE_KEPT = (
    "Dùng bản này trong {count} bản kế hoạch của '{school}': năm học {year}, lưu lúc {saved}; "
    "các bản kia ghi ở trang Lỗi."
)
DUPLICATE_BASIS = {"code": "cùng mã trường", "name": "cùng tên trường và quận/huyện"}
DUPLICATE_NO_YEAR = "chưa ghi"
DUPLICATE_NO_NAME = "Trường mã {code}"


def unreadable(reason: str, **details: object) -> str:
    """The sentence for a file that could not be read."""
    return UNREADABLE[reason].format(**details)


def headline(name: str, reason: str, copy: bool = False) -> str:
    """The one line printed for a file that could not be read (or copied)."""
    return (COPY_HEADLINE if copy else HEADLINE).format(name=name, reason=reason)


# A command that ran out of memory on a plan (exit 2): the file is read, but this machine
# cannot hold it; the school can make it smaller, the officer can close other programs.
OUT_OF_MEMORY = (
    "Tệp '{name}' quá lớn để xử lý trên máy này (hết bộ nhớ khi {step}): kế hoạch có quá "
    "nhiều dòng hoặc ô quá dài; hãy xóa các dòng, trang tính thừa hoặc chia kế hoạch thành "
    "nhiều tệp, đóng bớt các chương trình đang mở rồi chạy lại."
)
OUT_OF_MEMORY_MERGE = (
    "Các tệp cần tổng hợp quá lớn để xử lý trên máy này (hết bộ nhớ khi tổng hợp): hãy tổng "
    "hợp ít tệp hơn mỗi lần (từng thư mục) hoặc thêm --workers 1, đóng bớt các chương trình "
    "đang mở rồi chạy lại."
)
# What the command was doing, by command name.
OUT_OF_MEMORY_STEPS = {
    "check": "kiểm tra",
    "review": "rà soát tiến độ",
    "render": "tạo bản kế hoạch",
    "next": "tạo kế hoạch năm học mới",
    "fix": "chép tệp",
}


def out_of_memory(name: str | None, command: str | None = None) -> str:
    """The one line for a command that ran out of memory on ``name`` (None: a roll-up)."""
    if name is None:
        return OUT_OF_MEMORY_MERGE
    return OUT_OF_MEMORY.format(name=name, step=OUT_OF_MEMORY_STEPS.get(command, "chạy lệnh"))


# A path given to merge that does not exist: nothing is read, nothing written (exit 2).
MERGE_MISSING = (
    "Không tìm thấy '{path}': hãy kiểm tra lại đường dẫn (tên thư mục, tệp hoặc tệp .zip). "
    "Chưa ghi tệp tổng hợp nào."
)


def merge_missing(path: object) -> str:
    """The one line for a merge path that does not exist."""
    from sheetkit.reading.text import shown_path

    return MERGE_MISSING.format(path=shown_path(path))


def skipped(reason: str, **details: object) -> str:
    """The sentence for a file that was found but is not a plan workbook."""
    return SKIPPED[reason].format(**details)
