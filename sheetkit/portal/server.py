"""`sheetkit serve`: set up the data folder and database, then serve the portal with waitress.

Start-up order matters: settings, migrations, leftover temporary files
removed, the first officer created (its one-time password printed), the
pool of isolated readers started, and only then the server answers. Port 0
picks a free port; the address actually served is printed either way.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

FIRST_USERNAME = "quantri"
THREADS = 8


def prepare(data: str | os.PathLike[str], database_url: str | None = None) -> str | None:
    """Configure Django, migrate, sweep temporaries, make the first officer.

    Returns the first officer's one-time password when it was just created, else None.
    """
    from .settings import configure

    configure(data, database_url)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("clearsessions", verbosity=0)  # sessions of officers long gone
    from . import storage

    storage.sweep_temporaries()
    return ensure_first_officer()


def ensure_first_officer() -> str | None:
    """The first start creates one officer account (administrator) with a one-time password."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from .models import ManagingBody, Officer
    from .views_officer import one_time_password
    from .workflow import log

    if Officer.objects.exists():
        return None
    with transaction.atomic():
        body = ManagingBody.objects.create(
            kind=ManagingBody.SO, name="Cơ quan quản lý (tên lấy từ danh sách trường khi nhập)"
        )
        password = one_time_password()
        user = get_user_model().objects.create_superuser(
            username=FIRST_USERNAME, password=password, email=""
        )
        Officer.objects.create(user=user, body=body, must_change_password=True)
        log("sheetkit serve", "Tạo tài khoản quản trị đầu tiên", body=body, detail=FIRST_USERNAME)
    return password


def serve(
    data: str | os.PathLike[str],
    host: str = "127.0.0.1",
    port: int = 8000,
    database_url: str | None = None,
) -> int:
    """Run the portal until interrupted; prints the address and, once, the first password."""
    from waitress import create_server

    password = prepare(data, database_url)
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    from . import exports, intake

    intake.pool().warm()  # the readers start now (sheetkit imported once), not at the first upload
    exports.PREBUILD.enabled = True  # each change rebuilds the round's roll-up in the background
    for round_id in exports.open_rounds():  # and today's roll-up of each open round is made now
        exports.PREBUILD.soon(round_id)
    application = get_wsgi_application()
    proxy = {}
    if settings.SECURE_PROXY_SSL_HEADER:  # behind the HTTPS reverse proxy (SHEETKIT_HTTPS=1)
        proxy = {
            "trusted_proxy": os.environ.get("SHEETKIT_TRUSTED_PROXY", "127.0.0.1"),
            "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
        }
    server = create_server(
        application,
        **proxy,
        host=host,
        port=port,
        threads=THREADS,
        # A body larger than this is refused before it is read (the pages say the limit in MB).
        max_request_body_size=settings.SHEETKIT_MAX_UPLOAD + 1024 * 1024,
        ident="sheetkit",
        clear_untrusted_proxy_headers=True,
    )
    shown_host = host if host not in ("0.0.0.0", "::", "") else "127.0.0.1"
    url = f"http://{shown_host}:{server.effective_port}/"
    print(f"Thư mục dữ liệu: {Path(data).resolve()}")
    print(f"Trang web đang chạy tại {url}  (dừng: Ctrl+C)")
    if password:
        print(
            f"Tài khoản quản trị đầu tiên: {FIRST_USERNAME}  mật khẩu dùng một lần: {password}\n"
            "Hãy đăng nhập và đổi mật khẩu ngay; mật khẩu này không hiện lại."
        )
    sys.stdout.flush()
    try:
        server.run()
    except KeyboardInterrupt:
        print("Đã dừng trang web.")
    finally:
        intake.close_pool()
    return 0
