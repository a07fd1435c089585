"""Django settings built in code from the data folder: nothing for the user to edit.

Everything the portal keeps lives in one folder (``--data``): the SQLite
database (unless a PostgreSQL URL is given), the secret key, the stored files
and their temporary files, so backing up that folder backs up the portal.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

DATABASE_ENV = "SHEETKIT_DATABASE_URL"
# Behind an HTTPS reverse proxy: secure cookies, and the proxy's X-Forwarded-Proto trusted.
HTTPS_ENV = "SHEETKIT_HTTPS"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PACKAGE = Path(__file__).resolve().parent


class DatabaseUrlError(ValueError):
    """A database URL that cannot be used; ``str(err)`` is for the user (Vietnamese)."""


def database_from_url(url: str | None, data: Path) -> dict:
    """Django's DATABASES entry for ``url`` (sqlite:///…, postgresql://…); SQLite in ``data`` by default."""
    if not url:
        return sqlite(data / "sheetkit.sqlite3")
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        name = unquote(parts.path[1:] if parts.path.startswith("//") else parts.path)
        return sqlite(Path(name) if name else data / "sheetkit.sqlite3")
    if parts.scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise DatabaseUrlError(
                "địa chỉ PostgreSQL thiếu tên cơ sở dữ liệu, ví dụ: "
                "postgresql://sheetkit:MẬT_KHẨU@localhost:5432/sheetkit"
            )
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": dict(parse_qsl(parts.query)),
        }
    raise DatabaseUrlError(
        f"không dùng được cơ sở dữ liệu '{parts.scheme}': chỉ dùng SQLite (mặc định) hoặc "
        "PostgreSQL (postgresql://người_dùng:mật_khẩu@máy:5432/tên)"
    )


def sqlite(path: Path) -> dict:
    """SQLite for many threads at once: WAL (readers never wait for a writer), writers queue
    (BEGIN IMMEDIATE, up to 30 s) instead of failing with "database is locked"."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        },
    }


def secret_key(data: Path) -> str:
    """The key that signs sessions: made once, kept in the data folder (only its owner reads it)."""
    path = data / "secret.key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def django_settings(data: Path, database_url: str | None = None) -> dict:
    """Every Django setting of the portal for the data folder ``data``."""
    https = os.environ.get(HTTPS_ENV, "") not in ("", "0")
    for sub in ("files", "tmp", "derived"):
        (data / sub).mkdir(parents=True, exist_ok=True)
    return {
        "DEBUG": False,
        "SECRET_KEY": secret_key(data),
        # The portal answers on any name it is reached by (an office PC's address, the
        # province's domain behind its proxy): no page builds links from the Host header.
        "ALLOWED_HOSTS": ["*"],
        "INSTALLED_APPS": [
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "sheetkit.portal.apps.PortalConfig",
        ],
        "MIDDLEWARE": [
            "sheetkit.portal.middleware.SecurityHeadersMiddleware",
            "sheetkit.portal.middleware.UploadLimitMiddleware",
            "django.middleware.security.SecurityMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
            "sheetkit.portal.middleware.PasswordChangeMiddleware",
        ],
        "ROOT_URLCONF": "sheetkit.portal.urls",
        "TEMPLATES": [
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                        "sheetkit.portal.access.officer_context",
                    ]
                },
            }
        ],
        "DATABASES": {"default": database_from_url(database_url, data)},
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "LANGUAGE_CODE": "vi",
        "TIME_ZONE": "Asia/Ho_Chi_Minh",
        "USE_I18N": True,
        "USE_TZ": True,
        "LOGIN_URL": "portal:login",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_AGE": 12 * 3600,
        "SESSION_COOKIE_SECURE": https,
        "CSRF_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": https,
        "CSRF_FAILURE_VIEW": "sheetkit.portal.views_auth.csrf_failure",
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https") if https else None,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        # Served only over HTTPS behind the proxy: browsers remember it (the proxy redirects http).
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600 if https else 0,
        "SECURE_REFERRER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
        "FILE_UPLOAD_HANDLERS": ["sheetkit.portal.storage.LimitedUploadHandler"],
        "FILE_UPLOAD_MAX_MEMORY_SIZE": 0,  # every upload streams to a file in DATA/tmp
        "FILE_UPLOAD_TEMP_DIR": str(data / "tmp"),
        "FILE_UPLOAD_PERMISSIONS": 0o600,
        "DATA_UPLOAD_MAX_NUMBER_FILES": 1,
        "AUTH_PASSWORD_VALIDATORS": [
            {
                "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
                "OPTIONS": {"min_length": 10},
            },
            {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
            {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
        ],
        "LOGGING": {
            "version": 1,
            "disable_existing_loggers": False,
            "handlers": {"console": {"class": "logging.StreamHandler"}},
            "loggers": {"django": {"handlers": ["console"], "level": "WARNING"}},
        },
        "SHEETKIT_DATA": str(data),
        "SHEETKIT_MAX_UPLOAD": MAX_UPLOAD_BYTES,
        "SHEETKIT_STATIC": str(PACKAGE / "static" / "portal"),
    }


def configure(data: str | os.PathLike[str], database_url: str | None = None) -> None:
    """Configure Django for the data folder and set it up (once per process)."""
    import django
    from django.conf import settings

    if not settings.configured:
        folder = Path(data).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        url = database_url if database_url is not None else os.environ.get(DATABASE_ENV)
        settings.configure(**django_settings(folder, url))
    django.setup()
