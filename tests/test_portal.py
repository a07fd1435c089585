"""The portal through Django's test client: every page, each permission, each state change.

A Sở GDĐT imports the list of examples/quan-mau, opens a round and sends links;
schools upload, fix, hand in; the Sở returns, accepts, reopens; its downloads
equal `sheetkit merge --roster --report` on the same files. A ward officer and
other schools' links see nothing that is not theirs.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("django")
pytest.importorskip("waitress")

from sheetkit.portal.settings import configure  # noqa: E402

DATA = Path(tempfile.mkdtemp(prefix="sheetkit-portal-test-"))
configure(DATA)

from django.test import Client, override_settings  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from conftest import EXAMPLES  # noqa: E402
from sheetkit.portal import access, intake, server, storage  # noqa: E402
from sheetkit.portal.models import (  # noqa: E402
    AuditLog,
    ManagingBody,
    Officer,
    Round,
    School,
    Submission,
    Version,
)

pytestmark = pytest.mark.django_db
ROSTER = EXAMPLES / "danh-sach-quan-mau.xlsx"
PLANS = EXAMPLES / "quan-mau"
PASSWORD = "Mật-khẩu-đủ-dài-2026"


@pytest.fixture(scope="module", autouse=True)
def _pool():
    yield
    intake.close_pool()


def teardown_module():
    shutil.rmtree(DATA, ignore_errors=True)


# ----------------------------------------------------------------- helpers


def make_officer(username: str, body: ManagingBody, superuser: bool = False):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    make = users.create_superuser if superuser else users.create_user
    user = make(username=username, password=PASSWORD)
    Officer.objects.create(user=user, body=body, must_change_password=False)
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def so():
    """The Sở's officer, signed in, with the list of quan-mau imported."""
    for old in (DATA / "derived").glob("rollup-*"):  # ids come again after a test's rollback
        shutil.rmtree(old)
    body = ManagingBody.objects.create(kind=ManagingBody.SO, name="Cơ quan quản lý")
    user = make_officer("so", body, superuser=True)
    client = client_for(user)
    with ROSTER.open("rb") as f:
        response = client.post("/danh-sach/", {"file": f})
    assert response.status_code == 302
    body.refresh_from_db()
    return client, user, body


def open_round(client, year: str = "2026-2027", deadline: str = "2099-12-31") -> Round:
    response = client.post(
        "/dot/mo/", {"kind": Round.PLAN, "school_year": year, "deadline": deadline}
    )
    assert response.status_code == 302, response.content
    return Round.objects.latest("created_at")


def school(name: str) -> School:
    return School.objects.get(name=name)


def link(client, target: School) -> str:
    """A school's link as the officer gets it: made on the links page, read from the answer."""
    response = client.post("/lien-ket/tao/", {"which": "one", "school": target.pk})
    assert response.status_code == 200
    found = re.findall(r"/s/([\w-]{40,})/", response.content.decode())
    assert len(found) == 1
    return found[0]


def upload(client, token: str, round_: Round, path: Path, name: str | None = None):
    with path.open("rb") as f:
        data = {"file": f}
        if name:
            from django.core.files.uploadedfile import SimpleUploadedFile

            data = {"file": SimpleUploadedFile(name, path.read_bytes())}
        return client.post(f"/s/{token}/dot/{round_.pk}/tai-len/", data, follow=True)


def spoiled(tmp_path: Path, source: Path, cell: str = "B4") -> Path:
    """The plan with one required cell of Thông tin emptied (an error at that cell)."""
    book = load_workbook(source)
    book["Thông tin"][cell] = None
    out = tmp_path / source.name
    book.save(out)
    return out


def text(response) -> str:
    return response.content.decode()


INLINE = re.compile(r"<script(?![^>]*\bsrc=)|\sstyle=|\son\w+=", re.I)


def assert_page(response, status: int = 200) -> str:
    assert response.status_code == status, response.status_code
    page = text(response)
    assert not INLINE.search(page), INLINE.search(page)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    return page


# ----------------------------------------------------------------- signing in


OFFICER_PAGES = [
    "/co-quan/",
    "/danh-sach/",
    "/lien-ket/",
    "/nhat-ky/",
    "/can-bo/",
    "/dot/1/",
    "/dot/1/truong/1/",
    "/dot/1/tai/tong-hop.xlsx",
    "/truong/1/mau.xlsx",
]


@pytest.mark.parametrize("page", OFFICER_PAGES)
def test_officer_pages_need_signing_in(client, page):
    response = client.get(page)
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_first_officer_changes_its_one_time_password():
    password = server.ensure_first_officer()
    assert password and server.ensure_first_officer() is None  # only once
    client = Client()
    page = assert_page(client.get("/dang-nhap/"))
    assert "Đăng nhập cán bộ" in page
    response = client.post("/dang-nhap/", {"username": "quantri", "password": password})
    assert response.status_code == 302
    response = client.get("/co-quan/")
    assert response["Location"] == "/doi-mat-khau/"  # nothing else before the new password
    page = assert_page(client.get("/doi-mat-khau/"))
    assert "chỉ dùng một lần" in page
    response = client.post(
        "/doi-mat-khau/",
        {"old_password": password, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 302
    assert_page(client.get("/co-quan/"))
    assert AuditLog.objects.filter(action="Đổi mật khẩu").exists()


def test_login_is_rate_limited():
    body = ManagingBody.objects.create(kind=ManagingBody.SO, name="Sở GDĐT Đồng Tháp")
    make_officer("canbo", body)
    client = Client()
    for _ in range(access.LOGIN_LIMIT):
        response = client.post("/dang-nhap/", {"username": "canbo", "password": "sai"})
        assert response.status_code == 401 and "chưa đúng" in text(response)
    response = client.post("/dang-nhap/", {"username": "canbo", "password": PASSWORD})
    assert response.status_code == 429 and "đợi 15 phút" in text(response)


def test_logout_and_csrf():
    body = ManagingBody.objects.create(kind=ManagingBody.SO, name="Sở GDĐT Đồng Tháp")
    user = make_officer("canbo", body)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    response = strict.post("/dang-xuat/")
    assert response.status_code == 403 and "tải lại trang" in text(response)
    client = client_for(user)
    assert client.post("/dang-xuat/").status_code == 302
    assert client.get("/co-quan/").status_code == 302


def test_cookies_are_httponly_and_samesite():
    client = Client()
    response = client.get("/dang-nhap/")
    cookie = response.cookies["csrftoken"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    body = ManagingBody.objects.create(kind=ManagingBody.SO, name="Sở")
    make_officer("canbo", body)
    response = client.post("/dang-nhap/", {"username": "canbo", "password": PASSWORD})
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"


# ----------------------------------------------------------------- the list, rounds, links


def test_import_list_sets_the_body_and_the_schools(so):
    client, user, body = so
    assert body.name == "Sở GDĐT Đồng Tháp" and body.kind == ManagingBody.SO
    assert body.report_header["signer"] == "Nguyễn Văn Minh"
    assert School.objects.filter(listed=True).count() == 41
    page = assert_page(client.get("/danh-sach/"))
    assert "Trường Tiểu học Bình An" in page and "41 trường" in page
    assert "Kết quả kiểm tra danh sách" in page  # the list's own findings (codes missing)
    # Importing again keeps the schools (and their links): same rows, no duplicates.
    token = link(client, school("Trường Tiểu học Bình An"))
    with ROSTER.open("rb") as f:
        client.post("/danh-sach/", {"file": f})
    assert School.objects.count() == 41
    assert access.school_for_token(token, "t") == school("Trường Tiểu học Bình An")


def test_import_refuses_what_is_not_a_list(so, tmp_path):
    client, _, _ = so
    plan = PLANS / "th-binh-an-2026-2027.xlsx"
    with plan.open("rb") as f:
        response = client.post("/danh-sach/", {"file": f}, follow=True)
    assert "Không dùng được danh sách này" in text(response)
    junk = tmp_path / "x.xlsx"
    junk.write_bytes(b"%PDF-1.4 not a list")
    with junk.open("rb") as f:
        response = client.post("/danh-sach/", {"file": f}, follow=True)
    assert response.status_code == 200 and ".xlsx" in text(response)


def test_open_round_checks_its_fields(so):
    client, _, _ = so
    response = client.post(
        "/dot/mo/", {"kind": Round.PLAN, "school_year": "2026-2028", "deadline": "2026-10-01"}
    )
    assert not Round.objects.exists()
    page = text(client.get(response["Location"]))
    assert "2026-2027" in page and "hai năm liền nhau" in page
    round_ = open_round(client)
    assert round_.submissions.count() == 41
    page = assert_page(client.get(f"/dot/{round_.pk}/"))
    assert "Chưa nộp (41)" in page
    assert_page(client.get("/co-quan/"))


def test_links_sheet_printable_page_and_renewal(so):
    client, _, _ = so
    page = assert_page(client.get("/lien-ket/"))
    assert "41 trường chưa có" in page
    response = client.post("/lien-ket/tao/", {"which": "missing"})
    page = assert_page(response)
    tokens = re.findall(r'name="token" value="([\w-]+)"', page)
    ids = re.findall(r'name="school" value="(\d+)"', page)
    assert len(tokens) == len(ids) == 41 and all(len(t) >= 43 for t in tokens)
    response = client.post("/lien-ket/excel/", {"school": ids, "token": tokens})
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(_saved(response)).active
    assert sheet.max_row == 42 and sheet["F2"].value.endswith(f"/s/{tokens[0]}/")
    # A forged pair (a token of another school) is not written.
    response = client.post("/lien-ket/excel/", {"school": [ids[1]], "token": [tokens[0]]})
    assert response.status_code == 302
    # Renewing one school's link: the old one stops working at once.
    first = School.objects.get(pk=ids[0])
    new = link(client, first)
    assert Client().get(f"/s/{tokens[0]}/").status_code == 404
    assert Client().get(f"/s/{new}/").status_code == 200
    assert "Mọi trường đều đã có" in text(
        client.post("/lien-ket/tao/", {"which": "missing"}, follow=True)
    )


def _saved(response) -> Path:
    out = Path(tempfile.mkstemp(suffix=".xlsx", dir=DATA)[1])
    out.write_bytes(b"".join(response.streaming_content))
    return out


def test_prefilled_template(so):
    client, _, _ = so
    from sheetkit.jobs import check_file

    open_round(client)
    target = school("Trường Tiểu học Bình An")
    response = client.get(f"/truong/{target.pk}/mau.xlsx")
    assert response["Content-Disposition"].startswith("attachment")
    checked = check_file(_saved(response))
    assert checked.plan.school_name == "Trường Tiểu học Bình An"
    assert checked.plan.value("school_code") == "870030"
    assert checked.plan.value("commune") == "Phường Mỹ Phú"
    token = link(client, target)
    response = Client().get(f"/s/{token}/dot/{Round.objects.get().pk}/mau.xlsx")
    assert check_file(_saved(response)).plan.value("school_year") == 2026


# ----------------------------------------------------------------- a whole round


def test_a_whole_round(so, tmp_path):
    officer, _, _ = so
    round_ = open_round(officer)
    target = school("Trường Tiểu học Bình An")
    token = link(officer, target)
    page_url = f"/s/{token}/dot/{round_.pk}/"
    school_client = Client()
    response = school_client.get(f"/s/{token}/")
    assert response.status_code == 302 and response["Location"] == page_url
    page = assert_page(school_client.get(page_url))
    assert "Chưa nộp" in page and 'enctype="multipart/form-data"' in page
    assert 'src="/static/portal/upload.js"' in page

    # 1. A plan with an error: the finding, its sheet and cell; no hand-in.
    plan = PLANS / "th-binh-an-2026-2027.xlsx"
    page = assert_page(upload(school_client, token, round_, spoiled(tmp_path, plan)))
    assert "1 lỗi" in page and "Thông tin" in page and "Ô B4" in page
    assert "Chưa ghi tên trường" in page and "Nộp kế hoạch</button>" not in page
    submission = Submission.objects.get(round=round_, school=target)
    assert submission.state == Submission.DRAFTING
    bad = submission.latest
    response = school_client.post(f"{page_url}nop/", {"version": bad.pk}, follow=True)
    assert "còn 1 lỗi" in text(response)
    submission.refresh_from_db()
    assert submission.state == Submission.DRAFTING
    # Its annotated copy and draft document download.
    for kind, suffix in (("danh-dau", ".xlsx"), ("ban-nhap", ".docx")):
        response = school_client.get(f"{page_url}ban/{bad.pk}/{kind}")
        assert response.status_code == 200, text(response) if hasattr(response, "content") else ""
        assert response["Content-Disposition"].startswith("attachment")
        assert suffix in response["Content-Disposition"]

    # 2. The fixed plan: no error, the school level and why, hand in.
    page = assert_page(upload(school_client, token, round_, plan))
    assert "0 lỗi" in page and "Mức đạt của trường" in page and "Nộp kế hoạch</button>" in page
    good = Submission.objects.get(pk=submission.pk).latest
    response = school_client.post(f"{page_url}nop/", {"version": good.pk}, follow=True)
    page = assert_page(response)
    assert "Đã nộp lúc" in page
    submission.refresh_from_db()
    assert submission.state == Submission.HANDED_IN and submission.handed_in == good

    # 3. The officer sees it, returns it with a note.
    page = assert_page(officer.get(f"/dot/{round_.pk}/"))
    assert "Đã nộp" in page
    sub_url = f"/dot/{round_.pk}/truong/{target.pk}/"
    page = assert_page(officer.get(sub_url))
    assert "Trả lại để sửa" in page and "Mức đạt của trường" in page
    response = officer.post(f"{sub_url}xu-ly/", {"action": "return", "note": ""}, follow=True)
    assert "Hãy ghi chú" in text(response)
    note = "Bổ sung <b>minh chứng</b> tiêu chí 1.3"
    officer.post(f"{sub_url}xu-ly/", {"action": "return", "note": note})
    submission.refresh_from_db()
    assert submission.state == Submission.RETURNED

    # 4. The school reads the note (escaped), hands in again.
    page = assert_page(school_client.get(page_url))
    assert "Bổ sung &lt;b&gt;minh chứng&lt;/b&gt; tiêu chí 1.3" in page and "<b>minh" not in page
    school_client.post(f"{page_url}nop/", {"version": good.pk})
    submission.refresh_from_db()
    assert submission.state == Submission.HANDED_IN

    # 5. Accepted: a new upload is refused, the school asks to reopen.
    officer.post(f"{sub_url}xu-ly/", {"action": "accept", "note": ""})
    submission.refresh_from_db()
    assert submission.state == Submission.ACCEPTED
    page = assert_page(school_client.get(page_url))
    assert "Đã duyệt" in page and "Đề nghị mở lại" in page and "Tải kế hoạch lên" not in page
    page = text(upload(school_client, token, round_, plan))
    assert "đã được duyệt" in page
    assert submission.versions.count() == 2
    school_client.post(f"{page_url}mo-lai/", {"reason": "Cập nhật kinh phí"})
    submission.refresh_from_db()
    assert submission.reopen_requested
    assert "xin mở lại" in text(officer.get(f"/dot/{round_.pk}/"))
    officer.post(f"{sub_url}xu-ly/", {"action": "reopen", "note": "Đã mở lại"})
    submission.refresh_from_db()
    assert submission.state == Submission.RETURNED and not submission.reopen_requested

    # 6. A new upload before acceptance replaces the handed-in version when handed in.
    upload(school_client, token, round_, plan, name="ban-moi.xlsx")
    newest = submission.latest
    page = text(school_client.get(page_url))
    assert "Nộp kế hoạch</button>" in page
    school_client.post(f"{page_url}nop/", {"version": newest.pk})
    submission.refresh_from_db()
    assert submission.handed_in == newest and submission.state == Submission.HANDED_IN

    # Every step is in the audit log the officer reads.
    page = assert_page(officer.get("/nhat-ky/"))
    for action in ("Tải lên", "Nộp", "Trả lại", "Duyệt", "Đề nghị mở lại", "Mở lại", "Mở đợt nộp"):
        assert action in page, action
    assert "Trường Tiểu học Bình An (qua liên kết của trường)" in page


def test_late_and_warning_states(so):
    client, _, _ = so
    round_ = open_round(client, deadline="2020-01-01")
    target = school("Trường Tiểu học Hoa Sen")
    token = link(client, target)
    school_client = Client()
    upload(school_client, token, round_, PLANS / "th-hoa-sen-2026-2027.xlsx")
    version = Submission.objects.get(round=round_, school=target).latest
    school_client.post(f"/s/{token}/dot/{round_.pk}/nop/", {"version": version.pk})
    submission = Submission.objects.get(round=round_, school=target)
    assert submission.shown_state == "Nộp muộn"
    assert "Nộp muộn" in text(client.get(f"/dot/{round_.pk}/"))
    round_.deadline = round_.deadline.replace(year=2099)
    round_.save()
    Version.objects.filter(pk=version.pk).update(warnings=2)
    submission = Submission.objects.get(pk=submission.pk)
    assert submission.shown_state == "Có cảnh báo"


def test_a_plan_of_another_school_is_not_handed_in(so):
    client, _, _ = so
    round_ = open_round(client)
    token = link(client, school("Trường Tiểu học Hoa Sen"))
    page = text(upload(Client(), token, round_, PLANS / "th-binh-an-2026-2027.xlsx"))
    assert "khác mã của trường" in page and "Nộp kế hoạch</button>" not in page


def test_round_filters_counts_and_missing_list(so):
    client, _, _ = so
    round_ = open_round(client)
    page = assert_page(client.get(f"/dot/{round_.pk}/?cap=THCS"))
    assert "Trường THCS Hiệp Bình" in page and "Trường Tiểu học Bình An" not in page
    page = assert_page(client.get(f"/dot/{round_.pk}/?xa=Phường Mỹ Phú"))
    assert "Trường Tiểu học Bình An" in page and "Trường Tiểu học Hoa Sen" not in page
    assert "Chưa nộp (8)" in page  # the missing list follows the filter
    response = client.post(f"/dot/{round_.pk}/dong-mo/")
    round_.refresh_from_db()
    assert response.status_code == 302 and not round_.is_open
    token = link(client, school("Trường Tiểu học Bình An"))
    page = text(upload(Client(), token, round_, PLANS / "th-binh-an-2026-2027.xlsx"))
    assert "Đợt nộp đã đóng" in page


# ----------------------------------------------------------------- who sees what


@pytest.fixture
def ward(so):
    """A ward officer of Phường An Bình, with its own round, beside the Sở's round."""
    client, user, body = so
    so_round = open_round(client)
    response = client.post(
        "/can-bo/",
        {
            "username": "anbinh",
            "full_name": "Cán bộ An Bình",
            "kind": "ubnd",
            "body_name": "UBND phường An Bình",
            "commune": "Phường An Bình",
        },
    )
    page = assert_page(response)
    password = re.search(r"<code>(\w+)</code>", page)[1]
    ward_client = Client()
    ward_client.post("/dang-nhap/", {"username": "anbinh", "password": password})
    ward_client.post(
        "/doi-mat-khau/",
        {"old_password": password, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    ward_round = open_round(ward_client)
    return client, ward_client, so_round, ward_round


def test_a_ward_officer_sees_only_its_ward(ward):
    so_client, ward_client, so_round, ward_round = ward
    page = assert_page(ward_client.get("/danh-sach/"))
    assert "Trường Tiểu học Kim Đồng" in page  # Phường An Bình
    assert "Trường Tiểu học Bình An" not in page  # Phường Mỹ Phú
    an_binh = set(School.objects.filter(commune="Phường An Bình").values_list("pk", flat=True))
    assert set(ward_round.submissions.values_list("school_id", flat=True)) == an_binh
    other = school("Trường Tiểu học Bình An")
    assert ward_client.get(f"/dot/{so_round.pk}/").status_code == 404
    assert ward_client.get(f"/dot/{ward_round.pk}/truong/{other.pk}/").status_code == 404
    assert ward_client.get(f"/dot/{so_round.pk}/tai/tong-hop.xlsx").status_code == 404
    assert ward_client.get(f"/truong/{other.pk}/mau.xlsx").status_code == 404
    assert (
        ward_client.post("/lien-ket/tao/", {"which": "one", "school": other.pk}).status_code == 404
    )
    assert ward_client.get("/can-bo/").status_code == 404
    assert "Bình An" not in text(ward_client.get("/lien-ket/"))
    assert "Trường Tiểu học Bình An" not in text(ward_client.get(f"/dot/{ward_round.pk}/"))
    # The Sở sees the ward's round too.
    assert so_client.get(f"/dot/{ward_round.pk}/").status_code == 200
    page = text(ward_client.get("/nhat-ky/"))
    assert "anbinh" in page or "Cán bộ An Bình" in page


def test_a_link_shows_only_its_school(so, tmp_path):
    client, _, _ = so
    round_ = open_round(client)
    a, b = school("Trường Tiểu học Bình An"), school("Trường Tiểu học Hoa Sen")
    token_a, token_b = link(client, a), link(client, b)
    upload(Client(), token_b, round_, PLANS / "th-hoa-sen-2026-2027.xlsx")
    version_b = Submission.objects.get(round=round_, school=b).latest
    stranger = Client()
    for kind in ("tep", "danh-dau", "ban-nhap"):
        url = f"/s/{token_a}/dot/{round_.pk}/ban/{version_b.pk}/{kind}"
        assert stranger.get(url).status_code == 404
    response = stranger.post(f"/s/{token_a}/dot/{round_.pk}/nop/", {"version": version_b.pk})
    assert response.status_code == 404
    assert "Hoa Sen" not in text(stranger.get(f"/s/{token_a}/dot/{round_.pk}/"))
    # A round the school is not in, a wrong token: nothing.
    other_round = Round.objects.create(
        body=round_.body, kind=Round.PLAN, school_year="2027-2028", deadline=round_.deadline
    )
    assert stranger.get(f"/s/{token_a}/dot/{other_round.pk}/").status_code == 404
    response = stranger.get("/s/" + "x" * 43 + "/")
    assert response.status_code == 404 and "Liên kết này không đúng" in text(response)
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "same-origin"


def test_link_guessing_is_rate_limited(so):
    client = Client()
    for n in range(access.TOKEN_LIMIT):
        assert client.get(f"/s/{'y' * 40}{n:03d}/").status_code == 404
    response = client.get(f"/s/{'y' * 43}/")
    assert response.status_code == 429 and "10 phút" in text(response)


# ----------------------------------------------------------------- uploads that are refused


def test_refused_uploads_get_a_vietnamese_reason(so, tmp_path):
    client, _, _ = so
    round_ = open_round(client)
    token = link(client, school("Trường Tiểu học Bình An"))
    school_client = Client()
    cases = {
        "pdf.xlsx": (b"%PDF-1.4\n" + b"x" * 100, "không phải"),
        "old.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xlsx"),
        "broken.xlsx": ((PLANS / "th-binh-an-2026-2027.xlsx").read_bytes()[:3000], ".xlsx"),
        "empty.xlsx": (b"", "không phải"),
    }
    for name, (data, words) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        response = upload(school_client, token, round_, path)
        assert response.status_code == 200, name
        page = text(response)
        assert "msg error" in page and words in page, name
    # A list of schools or a roll-up is read, and refused as not a plan.
    page = text(upload(school_client, token, round_, ROSTER))
    assert "Danh sách trường" in page
    assert not list((DATA / "tmp").glob("tmp*"))  # Django's upload files are gone


def test_upload_size_limit(so, tmp_path):
    client, _, _ = so
    round_ = open_round(client)
    token = link(client, school("Trường Tiểu học Bình An"))
    url = f"/s/{token}/dot/{round_.pk}/"
    with override_settings(SHEETKIT_MAX_UPLOAD=200 * 1024):
        big = tmp_path / "big.xlsx"
        big.write_bytes(b"PK\x03\x04" + b"\0" * (300 * 1024))
        response = upload(Client(), token, round_, big)
        assert "lớn hơn 0 MB" in text(response) or "Tệp lớn hơn" in text(response)
        response = Client().post(
            f"{url}tai-len/",
            b"x",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(10 * 1024 * 1024),
        )
        assert response.status_code == 413 and "Tệp lớn hơn" in text(response)
    assert not Version.objects.exists()


def test_start_removes_leftover_temporaries():
    (DATA / "tmp" / "tmpabc.upload.xlsx").write_bytes(b"half")
    (DATA / "tmp" / "store-x.part").write_bytes(b"half")
    (DATA / "derived" / ".part-1-2-x.xlsx").write_bytes(b"half")
    assert storage.sweep_temporaries() >= 3
    assert not list((DATA / "tmp").iterdir())
    assert not list((DATA / "derived").glob(".part-*"))


# ----------------------------------------------------------------- downloads equal merge


ROLLUP_SCHOOLS = {
    "Trường Tiểu học Bình An": "th-binh-an-2026-2027.xlsx",
    "Trường Tiểu học Hoa Sen": "th-hoa-sen-2026-2027.xlsx",
    "Trường Mầm non Phú Mỹ": "mn-phu-my-2026-2027.xlsx",
    "Trường THCS Hiệp Bình": "thcs-hiep-binh-2026-2027.xlsx",
    "Trung tâm GDNN-GDTX Trần Quốc Toản": "gdtx-tran-quoc-toan-2026-2027.xlsx",
}


def test_rollup_downloads_equal_merge(so, tmp_path, monkeypatch):
    from sheetkit.jobs import merge_paths
    from sheetkit.portal.exports import handed_in, rollup_name
    from test_portal_core import csv_tables, docx_text, sheet_values

    client, _, _ = so
    round_ = open_round(client)
    response = client.get(f"/dot/{round_.pk}/tai/tong-hop.xlsx", follow=True)
    assert "Chưa có trường nào nộp" in text(response)
    for name, file in ROLLUP_SCHOOLS.items():
        token = link(client, school(name))
        school_client = Client()
        upload(school_client, token, round_, PLANS / file)
        submission = Submission.objects.get(round=round_, school__name=name)
        school_client.post(f"/s/{token}/dot/{round_.pk}/nop/", {"version": submission.latest.pk})
        submission.refresh_from_db()
        assert submission.state == Submission.HANDED_IN, name
    downloads = {}
    for what in ("tong-hop.xlsx", "bao-cao.docx", "bang.zip", "tep-da-nop.zip"):
        response = client.get(f"/dot/{round_.pk}/tai/{what}")
        assert response.status_code == 200, what
        assert response["Content-Disposition"].startswith("attachment"), what
        downloads[what] = tmp_path / what
        downloads[what].write_bytes(b"".join(response.streaming_content))
    # The same files, named and dated as the portal names them, through `merge`.
    folder = tmp_path / "nop"
    folder.mkdir()
    names = []
    import os
    import zipfile

    for submission in handed_in(round_):
        name = rollup_name(submission)
        path = folder / name
        shutil.copy(storage.stored_path(submission.handed_in.stored), path)
        stamp = submission.handed_in.uploaded_posix
        os.utime(path, (stamp, stamp))
        names.append(name)
    with zipfile.ZipFile(downloads["tep-da-nop.zip"]) as archive:
        assert sorted(archive.namelist()) == sorted(names)
    monkeypatch.chdir(folder)
    expected = tmp_path / "merge"
    merge_paths(
        names,
        expected / "tong-hop.xlsx",
        roster=ROSTER,
        report=expected / "bao-cao.docx",
        tables={"csv": expected / "csv"},
    )
    got, want = sheet_values(downloads["tong-hop.xlsx"]), sheet_values(expected / "tong-hop.xlsx")
    assert list(got) == list(want)
    for sheet in want:
        assert got[sheet] == want[sheet], sheet
    assert docx_text(downloads["bao-cao.docx"]) == docx_text(expected / "bao-cao.docx")
    tables = tmp_path / "bang"
    with zipfile.ZipFile(downloads["bang.zip"]) as archive:
        archive.extractall(tables)
    assert csv_tables(tables / "csv") == csv_tables(expected / "csv")
    assert list((tables / "parquet").rglob("*.parquet"))


def test_results_of_an_older_sheetkit_are_read_again(so):
    client, _, _ = so
    round_ = open_round(client)
    target = school("Trường Tiểu học Bình An")
    token = link(client, target)
    school_client = Client()
    upload(school_client, token, round_, PLANS / "th-binh-an-2026-2027.xlsx")
    version = Submission.objects.get(round=round_, school=target).latest
    school_client.post(f"/s/{token}/dot/{round_.pk}/nop/", {"version": version.pk})
    Version.objects.filter(pk=version.pk).update(reduced_version="0.0.1/0", reduced=None)
    assert client.get(f"/dot/{round_.pk}/tai/tong-hop.xlsx").status_code == 200
    version.refresh_from_db()
    from sheetkit.merging.rollup import reduced_format

    assert version.reduced_version == reduced_format()
    assert version.reduced_result()["school"]["school_name"] == "Trường Tiểu học Bình An"


def test_rollup_is_made_once_per_state_of_the_round(so):
    client, _, _ = so
    round_ = open_round(client)

    def hand_in(name: str, file: str) -> None:
        token = link(client, school(name))
        school_client = Client()
        upload(school_client, token, round_, PLANS / file)
        version = Submission.objects.get(round=round_, school__name=name).latest
        school_client.post(f"/s/{token}/dot/{round_.pk}/nop/", {"version": version.pk})

    def folders() -> list[Path]:
        return sorted((DATA / "derived").glob(f"rollup-{round_.pk}-*"))

    hand_in("Trường Tiểu học Bình An", "th-binh-an-2026-2027.xlsx")
    assert client.get(f"/dot/{round_.pk}/tai/tong-hop.xlsx").status_code == 200
    (first,) = folders()
    assert client.get(f"/dot/{round_.pk}/tai/bao-cao.docx").status_code == 200
    assert folders() == [first]  # the report came from the same roll-up
    hand_in("Trường Tiểu học Hoa Sen", "th-hoa-sen-2026-2027.xlsx")
    response = client.get(f"/dot/{round_.pk}/tai/tong-hop.xlsx")
    (second,) = folders()
    assert second != first
    sheets = load_workbook(_saved(response), read_only=True).sheetnames
    assert sheets and not list((DATA / "tmp").glob("dl-*"))


def test_static_files_and_escaped_names(so, tmp_path):
    client, _, _ = so
    css = Client().get("/static/portal/site.css")
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    js = Client().get("/static/portal/upload.js")
    assert js.status_code == 200 and "javascript" in js["Content-Type"]
    assert Client().get("/static/portal/..").status_code == 404
    round_ = open_round(client)
    token = link(client, school("Trường Tiểu học Bình An"))
    plan = PLANS / "th-binh-an-2026-2027.xlsx"
    page = text(upload(Client(), token, round_, plan, name='<img src=x onerror="alert(1)">.xlsx'))
    assert "&lt;img src=x" in page and "<img src=x" not in page


def test_unknown_pages_answer_in_vietnamese(so):
    client, _, _ = so
    page = assert_page(client.get("/khong-co/"), 404)
    assert "Không tìm thấy trang" in page
    assert "Không tìm thấy trang" in text(client.get("/dot/999/truong/1/"))
    assert "Không tìm thấy trang" in text(Client().get("/khong-co/"))


def test_a_school_of_no_known_level_gets_no_template(so):
    client, _, _ = so
    target = school("Trường Tiểu học Bình An")
    School.objects.filter(pk=target.pk).update(level="Trường chuyên biệt")
    response = client.get(f"/truong/{target.pk}/mau.xlsx", follow=True)
    assert "không khớp mẫu nào" in text(response)
    assert not list((DATA / "tmp").glob("dl-*"))


def test_an_officer_password_is_reset(ward):
    so_client, ward_client, _, _ = ward
    officer = Officer.objects.get(user__username="anbinh")
    page = assert_page(so_client.post("/can-bo/", {"reset": officer.pk}))
    password = re.search(r"<code>(\w+)</code>", page)[1]
    officer.refresh_from_db()
    assert officer.must_change_password
    fresh = Client()
    fresh.post("/dang-nhap/", {"username": "anbinh", "password": password})
    assert fresh.get("/co-quan/")["Location"] == "/doi-mat-khau/"
    assert so_client.post("/can-bo/", {"reset": 99999}).status_code == 404


def test_hostile_files_through_the_upload_form(so, tmp_path):
    """A sample of tests/hostile.py's corpus (the full run is the reliability test's):
    never a 500, each file read or refused with a Vietnamese reason."""
    from hostile import cases

    client, _, _ = so
    round_ = open_round(client)
    token = link(client, school("Trường Tiểu học Bình An"))
    school_client = Client()
    sent = 0
    for n, case in enumerate(cases(24, 24)):
        if case.target != "file":
            continue
        try:
            path = case.build(tmp_path / str(n))
        except Exception:  # a family that needs a tool this machine lacks
            continue
        if path.is_dir() or path.stat().st_size > 20 * 1024 * 1024:
            continue
        response = upload(school_client, token, round_, path)
        assert response.status_code == 200, case.name
        page = text(response)
        assert "msg error" in page or "Kết quả kiểm tra" in page, case.name
        sent += 1
    assert sent >= 10
    for version in Version.objects.filter(submission__round=round_):
        assert storage.stored_path(version.stored).is_file()
        assert not version.unreadable or any(c in version.unreadable for c in "ăâđêôơư")


def test_a_plan_named_otherwise_is_told(so, tmp_path):
    client, _, _ = so
    round_ = open_round(client)
    target = school("Trường Tiểu học Kim Đồng")  # listed without a code
    token = link(client, target)
    book = load_workbook(PLANS / "th-kim-dong-2026-2027.xlsx")
    book["Thông tin"]["B4"] = "Trường Tiểu học Lê Lợi"
    book.save(tmp_path / "kim-dong.xlsx")
    page = text(upload(Client(), token, round_, tmp_path / "kim-dong.xlsx"))
    assert "khác tên trong danh sách" in page
    page = text(upload(Client(), token, round_, PLANS / "th-kim-dong-2026-2027.xlsx"))
    assert "khác tên trong danh sách" not in page


def test_versions_link_to_their_files_on_both_pages(so, tmp_path):
    """The table of versions (one template for the school and the officer) links each
    page's own download of the file the school sent, as an attachment."""
    officer, _, _ = so
    round_ = open_round(officer)
    target = school("Trường Tiểu học Bình An")
    token = link(officer, target)
    school_client = Client()
    plan = PLANS / "th-binh-an-2026-2027.xlsx"
    page = assert_page(upload(school_client, token, round_, plan))
    version = Submission.objects.get(round=round_, school=target).latest
    own = re.findall(rf'href="(/s/{token}/dot/{round_.pk}/ban/{version.pk}/[^"]+)"', page)
    assert own, page
    answer = school_client.get(own[0])
    assert answer.status_code == 200 and "attachment" in answer["Content-Disposition"]
    assert b"".join(answer.streaming_content if answer.streaming else [answer.content])[:2] == b"PK"
    officer_page = assert_page(officer.get(f"/dot/{round_.pk}/truong/{target.pk}/"))
    theirs = re.findall(r'href="(/dot/\d+/truong/\d+/ban/\d+/[^"]*)"', officer_page)
    assert theirs and all(f"/s/{token}" not in href for href in theirs), officer_page
    answer = officer.get(theirs[0])
    assert answer.status_code == 200 and "attachment" in answer["Content-Disposition"]
