"""Who sees what: an officer its body's schools and rounds, a link its own school; rate limits.

A Sở officer sees every school of its province; a ward officer only the
schools of its ward (and those its own list named). Every officer view goes
through ``visible_schools`` / ``round_for``, every school view through
``school_for_token``, so no view can forget the rule.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import Attempt, ManagingBody, Officer, Round, School, SchoolLink, Submission

TOKEN_BYTES = 32  # secrets.token_urlsafe(32): 256 bits, at least the 128 the issue asks
LOGIN_LIMIT, LOGIN_WINDOW = 5, dt.timedelta(minutes=15)  # failed logins per account and address
ADDRESS_LOGIN_LIMIT = 30  # failed logins from one address, whatever the account
TOKEN_LIMIT, TOKEN_WINDOW = 20, dt.timedelta(minutes=10)  # unknown links per address


class RateLimited(Exception):
    """Too many failed attempts: wait before trying again."""


def officer_of(user) -> Officer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Officer.objects.select_related("body").filter(user=user).first()


def officer_context(request) -> dict:
    """Templates know the signed-in officer and its body."""
    officer = officer_of(getattr(request, "user", None))
    return {"officer": officer, "body": officer.body if officer else None}


def visible_schools(body: ManagingBody) -> QuerySet[School]:
    """The schools an officer of ``body`` may see."""
    own = Q(body=body)
    if body.kind == ManagingBody.SO:
        if body.province_key:
            return School.objects.filter(own | Q(province_key=body.province_key))
        return School.objects.filter(own)
    if body.commune_key:
        ward = Q(commune_key=body.commune_key)
        if body.province_key:
            ward &= Q(province_key=body.province_key) | Q(province_key="")
        return School.objects.filter(own | ward)
    return School.objects.filter(own)


def visible_rounds(body: ManagingBody) -> QuerySet[Round]:
    """A body's own rounds; a Sở also sees the rounds of its province's wards."""
    if body.kind == ManagingBody.SO and body.province_key:
        return Round.objects.filter(Q(body=body) | Q(body__province_key=body.province_key))
    return Round.objects.filter(body=body)


def round_for(body: ManagingBody, round_id: int) -> Round:
    """The round, if this body may see it; 404 otherwise (its existence is not told)."""
    found = visible_rounds(body).filter(pk=round_id).first()
    if found is None:
        raise Http404
    return found


def submission_for(body: ManagingBody, round_: Round, school_id: int) -> Submission:
    school = visible_schools(body).filter(pk=school_id).first()
    found = Submission.objects.filter(round=round_, school=school).first() if school else None
    if found is None:
        raise Http404
    return found


# ----------------------------------------------------------------- links


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_link(school: School) -> str:
    """A new private link's token for ``school`` (shown once); its older links stop working."""
    now = timezone.now()
    SchoolLink.objects.filter(school=school, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    SchoolLink.objects.create(school=school, token_hash=token_hash(token), created_at=now)
    return token


def school_for_token(token: str, address: str) -> School:
    """The school of a link; 404 for a wrong or revoked one, ``RateLimited`` after many."""
    key = f"token:{address}"
    if recent_failures(key, TOKEN_WINDOW) >= TOKEN_LIMIT:
        raise RateLimited
    link = None
    if 20 <= len(token) <= 100:
        link = (
            SchoolLink.objects.select_related("school")
            .filter(token_hash=token_hash(token), revoked_at__isnull=True)
            .first()
        )
    if link is None:
        Attempt.objects.create(key=key)
        raise Http404
    return link.school


def linked_ids(schools: QuerySet[School]) -> set[int]:
    """The schools (of ``schools``) that have a live link."""
    live = SchoolLink.objects.filter(school__in=schools, revoked_at__isnull=True)
    return set(live.values_list("school_id", flat=True))


# ----------------------------------------------------------------- counting attempts


def recent_failures(key: str, window: dt.timedelta) -> int:
    since = timezone.now() - window
    Attempt.objects.filter(at__lt=timezone.now() - max(LOGIN_WINDOW, TOKEN_WINDOW)).delete()
    return Attempt.objects.filter(key=key, at__gte=since).count()


def login_key(username: str, address: str) -> str:
    return f"login:{username.strip().casefold()[:80]}:{address}"


def login_blocked(username: str, address: str) -> bool:
    """Too many failed logins for this account from this address, or from this address at all."""
    return (
        recent_failures(login_key(username, address), LOGIN_WINDOW) >= LOGIN_LIMIT
        or recent_failures(f"login-from:{address}", LOGIN_WINDOW) >= ADDRESS_LOGIN_LIMIT
    )


def login_failed(username: str, address: str) -> None:
    Attempt.objects.bulk_create(
        [Attempt(key=login_key(username, address)), Attempt(key=f"login-from:{address}")]
    )


def client_address(request) -> str:
    """The client's address: behind the HTTPS proxy (SHEETKIT_HTTPS), the one the proxy saw."""
    from django.conf import settings

    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()[:100]
    return request.META.get("REMOTE_ADDR", "") or "?"
