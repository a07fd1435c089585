"""The list of schools a managing body collects plans from, and the body that signs the report.

A UBND xã/phường (schools up to THCS) or a Sở GDĐT (THPT, GDNN-GDTX, every
school of the province for recognition) keeps one list a year: every school
expected to hand in a plan, and a block "Đơn vị tổng hợp" that heads the
report it signs and sends upward (Nghị định 30/2020/NĐ-CP). Pure data here:
``reading/roster.py`` reads it, ``checking/roster.py`` checks it with the
rules of ``validators/roster.py``, ``writing/roster_template.py`` writes the
workbook to fill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..reading.text import fold

SHEET_ROSTER = "Danh sách trường"
SHEET_BODY = "Đơn vị tổng hợp"
SHEET_ROSTER_GUIDE = "Hướng dẫn"
SHEET_ROSTER_LISTS = "Danh mục"
ROSTER_TEMPLATE = "danh-sach"  # `sheetkit template danh-sach`


@dataclass(frozen=True)
class RosterField:
    """A column of Danh sách trường: its header, what else people call it, its width."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    width: int = 16
    required: bool = False  # the list cannot be used without this column


ROSTER_FIELDS: tuple[RosterField, ...] = (
    RosterField("code", "Mã trường", ("ma so truong", "ma don vi", "ma so"), 14),
    RosterField("name", "Tên trường", ("truong", "ten don vi", "ten co so giao duc"), 40, True),
    RosterField("school_level", "Cấp học", ("bac hoc", "cap"), 22, True),
    RosterField("ownership", "Loại hình", ("loai hinh truong", "loai hinh co so"), 13),
    RosterField(
        "commune",
        "Xã/phường/đặc khu",
        ("xa/phuong", "xa, phuong", "xa phuong", "phuong/xa", "xa/phuong/thi tran", "dia ban"),
        24,
    ),
    RosterField("province", "Tỉnh/thành phố", ("tinh/tp", "tinh", "tinh, thanh pho"), 22),
    RosterField("managing_body", "Cơ quan quản lý", ("co quan chu quan", "don vi quan ly"), 28),
    RosterField("contact", "Người liên hệ", ("nguoi phu trach", "can bo lien he"), 22),
    RosterField("phone", "Điện thoại", ("so dien thoai", "dien thoai lien he", "sdt"), 15),
    RosterField("email", "Email", ("e-mail", "thu dien tu", "hop thu"), 28),
)
ROSTER_HEADERS = {f.key: f.header for f in ROSTER_FIELDS}
OWNERSHIP = ("Công lập", "Tư thục", "Dân lập")


@dataclass(frozen=True)
class BodyField:
    """A line of the Đơn vị tổng hợp block: label in column A, value in B, hint in C."""

    key: str
    label: str
    hint: str
    aliases: tuple[str, ...] = ()


BODY_FIELDS: tuple[BodyField, ...] = (
    BodyField(
        "name",
        "Tên cơ quan",
        "Cơ quan tổng hợp và ký báo cáo, ví dụ: UBND phường Bình Thạnh; Sở GDĐT Tây Ninh",
        ("co quan", "ten don vi", "don vi tong hop"),
    ),
    BodyField(
        "parent",
        "Cơ quan cấp trên",
        "Dòng trên tên cơ quan ở đầu báo cáo. Sở GDĐT: UBND tỉnh (thành phố) …; "
        "UBND xã/phường: để trống",
        ("co quan chu quan", "cap tren"),
    ),
    BodyField(
        "province",
        "Tỉnh/thành phố",
        "Tỉnh, thành phố của cơ quan (chọn trong danh sách 34 tỉnh, thành phố)",
        ("tinh", "tinh/tp"),
    ),
    BodyField(
        "commune",
        "Xã/phường/đặc khu",
        "Địa bàn của UBND xã/phường/đặc khu; Sở GDĐT để trống",
        ("xa/phuong", "dia ban"),
    ),
    BodyField(
        "number",
        "Số, ký hiệu báo cáo",
        "Ví dụ: 125/BC-UBND; để trống thì báo cáo để chỗ trống để ghi tay",
        ("so bao cao", "so van ban", "so, ky hieu"),
    ),
    BodyField(
        "place",
        "Địa danh",
        "Ghi ở dòng ngày tháng, ví dụ: Bình Thạnh; để trống thì lấy theo tên xã/phường, tỉnh",
        ("dia danh ban hanh",),
    ),
    BodyField("signer", "Người ký", "Họ và tên người ký báo cáo", ("ho ten nguoi ky",)),
    BodyField(
        "authority",
        "Thẩm quyền ký",
        "Để trống: UBND ghi TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH; Sở ghi KT. GIÁM ĐỐC. "
        "Mỗi dòng một ý (Alt+Enter)",
        ("quyen han ky",),
    ),
    BodyField(
        "title",
        "Chức vụ người ký",
        "Để trống: UBND ghi PHÓ CHỦ TỊCH; Sở ghi PHÓ GIÁM ĐỐC",
        ("chuc vu",),
    ),
    BodyField(
        "recipients",
        "Nơi nhận",
        "Mỗi nơi một dòng (Alt+Enter); để trống: cơ quan cấp trên, Lưu: VT",
        ("noi nhan bao cao",),
    ),
)
BODY_LABELS = {f.key: f.label for f in BODY_FIELDS}

BODY_UBND, BODY_SO, BODY_OTHER = "ubnd", "so", "other"
# Nghị định 30/2020/NĐ-CP, Phụ lục I: who signs for whom, by kind of body (the officer may change).
DEFAULT_AUTHORITY = {
    BODY_UBND: ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"),
    BODY_SO: ("KT. GIÁM ĐỐC",),
}
DEFAULT_TITLE = {BODY_UBND: "PHÓ CHỦ TỊCH", BODY_SO: "PHÓ GIÁM ĐỐC"}


def body_kind(name: str | None) -> str:
    """A UBND xã/phường, a Sở GDĐT, or something else (a Phòng GDĐT no longer exists)."""
    key = fold(name or "")
    if key.startswith(("ubnd", "uy ban nhan dan")):
        return BODY_UBND
    if key.startswith(("so gd", "so giao duc")):
        return BODY_SO
    return BODY_OTHER


def code_key(code: object) -> str:
    """A Mã trường compared without spaces or case ("79 0001" is "790001")."""
    return "".join(str(code).split()).casefold() if code not in (None, "") else ""


def name_key(name: object) -> str:
    """A name compared without diacritics, case, punctuation or repeated spaces."""
    return " ".join(re.sub(r"[^\w&]+", " ", fold(name)).split())


def commune_key(unit: object) -> str:
    """A xã/phường without its word: "Phường Bình Thạnh", "P. Bình Thạnh", "Bình Thạnh" alike."""
    key = name_key(unit)
    key = re.sub(r"^(?:xa|phuong|dac khu|thi tran|p|x)\s+", "", key)
    return key


@dataclass(frozen=True)
class RosterSchool:
    """One school of the list, as the officer typed it (level and province understood)."""

    row: int  # the Excel row (the CSV line)
    code: str | None
    name: str | None
    school_level: str | None
    ownership: str | None = None
    commune: str | None = None
    province: str | None = None
    managing_body: str | None = None
    contact: str | None = None
    phone: str | None = None
    email: str | None = None
    raw: dict[str, object] = field(default_factory=dict)  # typed values of parsed cells
    errors: dict[str, str] = field(default_factory=dict)  # why a typed value was not understood


@dataclass(frozen=True)
class ReportingBody:
    """The body that rolls up the plans and signs the report sent upward."""

    name: str | None = None
    parent: str | None = None
    province: str | None = None
    commune: str | None = None
    number: str | None = None
    place: str | None = None
    signer: str | None = None
    authority: tuple[str, ...] = ()
    title: str | None = None
    recipients: tuple[str, ...] = ()
    errors: dict[str, str] = field(default_factory=dict)  # why a typed value was not understood

    @property
    def kind(self) -> str:
        return body_kind(self.name)

    def signature(self) -> tuple[tuple[str, ...], str | None]:
        """(authority lines, title) as typed, or Nghị định 30's defaults for the kind of body."""
        authority = self.authority or DEFAULT_AUTHORITY.get(self.kind, ())
        return authority, self.title or DEFAULT_TITLE.get(self.kind)


@dataclass
class Roster:
    """A list of schools read from a workbook or a CSV file."""

    source: str
    schools: list[RosterSchool]
    body: ReportingBody | None  # None: a CSV list, which has no Đơn vị tổng hợp block
    sheet: str = SHEET_ROSTER  # the sheet the schools are on, as the workbook names it
    columns: dict[str, str] = field(default_factory=dict)  # field key -> column letter
    header_row: int | None = None  # Excel row of the headers
    body_cells: dict[str, str] = field(default_factory=dict)  # body field key -> "B4"
    structure: list = field(default_factory=list)  # findings found while reading
