"""What the portal keeps: bodies and officers, the list of schools, rounds, links, uploads.

A school's state in a round (``Submission``) changes only through
``workflow.py``, which writes each change to the ``AuditLog``.
"""

from __future__ import annotations

import datetime as dt
import pickle
import zlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..model.roster import commune_key, name_key


class PlaceKeyed:
    """A body or school found by its province and commune as the list's matching compares them
    (``province_key``, ``commune_key``: kept on every save)."""

    def save(self, *args, **kwargs):
        self.province_key = province_key(self.province)
        self.commune_key = commune_key(self.commune)
        super().save(*args, **kwargs)


class ManagingBody(PlaceKeyed, models.Model):
    """A UBND xã/phường (its ward's schools) or a Sở GDĐT (every school of its province)."""

    UBND, SO = "ubnd", "so"
    KINDS = [(UBND, "UBND xã/phường/đặc khu"), (SO, "Sở Giáo dục và Đào tạo")]

    kind = models.CharField(max_length=8, choices=KINDS)
    name = models.CharField(max_length=200)
    province = models.CharField(max_length=100, blank=True)
    commune = models.CharField(max_length=100, blank=True)
    province_key = models.CharField(max_length=100, blank=True, editable=False)
    commune_key = models.CharField(max_length=100, blank=True, editable=False)
    # The Đơn vị tổng hợp block of the last list imported: heads the report sent upward.
    report_header = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.name


def province_key(province: str | None) -> str:
    """A province compared without its word: "Tỉnh Tây Ninh", "Tây Ninh" alike."""
    key = name_key(province or "")
    for word in ("thanh pho ", "tinh ", "tp "):
        key = key.removeprefix(word)
    return key


class Officer(models.Model):
    """An account of a managing body's officer (Django's user, with the body)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer"
    )
    body = models.ForeignKey(ManagingBody, on_delete=models.PROTECT, related_name="officers")
    must_change_password = models.BooleanField(default=True)


class School(PlaceKeyed, models.Model):
    """A school of an imported list (danh sách trường)."""

    body = models.ForeignKey(ManagingBody, on_delete=models.PROTECT, related_name="schools")
    row = models.IntegerField(default=0)  # the list's row: the roll-up's Tình hình nộp follows it
    code = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=300)
    level = models.CharField(max_length=60, blank=True)
    ownership = models.CharField(max_length=40, blank=True)
    commune = models.CharField(max_length=100, blank=True)
    province = models.CharField(max_length=100, blank=True)
    managing_body = models.CharField(max_length=200, blank=True)
    contact = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=60, blank=True)
    email = models.CharField(max_length=200, blank=True)
    listed = models.BooleanField(default=True)  # still on the body's last imported list
    province_key = models.CharField(max_length=100, blank=True, editable=False)
    commune_key = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        ordering = ["row", "id"]

    def __str__(self) -> str:
        return self.name


class RosterImport(models.Model):
    """A list of schools imported: the file kept, and what the check found in it."""

    body = models.ForeignKey(ManagingBody, on_delete=models.PROTECT, related_name="imports")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(default=timezone.now)
    original_name = models.CharField(max_length=255)
    digest = models.CharField(max_length=64)
    stored = models.CharField(max_length=200)
    schools = models.IntegerField(default=0)
    findings = models.JSONField(default=list)


class Round(models.Model):
    """A round of hand-ins: the plan of a school year, or a review of it."""

    PLAN, REVIEW_HK1, REVIEW_YEAR = "plan", "review_hk1", "review_year"
    KINDS = [
        (PLAN, "Kế hoạch năm học"),
        (REVIEW_HK1, "Rà soát cuối học kỳ I"),
        (REVIEW_YEAR, "Rà soát cuối năm học"),
    ]

    body = models.ForeignKey(ManagingBody, on_delete=models.PROTECT, related_name="rounds")
    kind = models.CharField(max_length=16, choices=KINDS)
    school_year = models.CharField(max_length=9)  # "2026-2027"
    deadline = models.DateField()
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.school_year}"

    def review_month(self) -> int | None:
        """The month (year * 12 + month - 1) a review round judges progress at; None: this month."""
        start = int(self.school_year[:4])
        if self.kind == self.REVIEW_HK1:
            return (start + 1) * 12 + 0  # January
        if self.kind == self.REVIEW_YEAR:
            return (start + 1) * 12 + 4  # May
        return None


class SchoolLink(models.Model):
    """A school's private link: only the token's SHA-256 is kept; renewing revokes the old one."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)


class Submission(models.Model):
    """One school in one round: where its hand-in stands."""

    MISSING, DRAFTING, HANDED_IN, RETURNED, ACCEPTED = (
        "missing",
        "drafting",
        "handed_in",
        "returned",
        "accepted",
    )
    STATES = [
        (MISSING, "Chưa nộp"),
        (DRAFTING, "Đang sửa"),
        (HANDED_IN, "Đã nộp"),
        (RETURNED, "Trả lại"),
        (ACCEPTED, "Đã duyệt"),
    ]

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="submissions")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="submissions")
    state = models.CharField(max_length=12, choices=STATES, default=MISSING)
    handed_in = models.ForeignKey(
        "Version", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handed_in_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)  # the officer's note when returning
    reopen_requested = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        unique_together = [("round", "school")]
        ordering = ["school__row", "school__id"]

    @property
    def late(self) -> bool:
        if self.handed_in_at is None:
            return False
        local = timezone.localtime(self.handed_in_at).date()
        return local > self.round.deadline

    @property
    def shown_state(self) -> str:
        """The state as the officer's table shows it (Nộp muộn, Có cảnh báo are kinds of Đã nộp)."""
        if self.state == self.HANDED_IN:
            if self.late:
                return NOP_MUON
            if self.handed_in is not None and self.handed_in.warnings:
                return CO_CANH_BAO
        return dict(self.STATES)[self.state]

    @property
    def state_class(self) -> str:
        """The CSS class that colours the state (one per shown state)."""
        return STATE_CLASSES.get(self.shown_state, "")

    @property
    def latest(self) -> Version | None:
        return self.versions.order_by("-number").first()


NOP_MUON, CO_CANH_BAO = "Nộp muộn", "Có cảnh báo"
# Every state the round's table counts, in the order it shows them.
SHOWN_STATES = ("Chưa nộp", "Đang sửa", "Đã nộp", CO_CANH_BAO, "Trả lại", "Đã duyệt", NOP_MUON)
STATE_CLASSES = dict(
    zip(
        SHOWN_STATES,
        ("s-missing", "s-drafting", "s-in", "s-warn", "s-returned", "s-ok", "s-late"),
        strict=True,
    )
)


class Version(models.Model):
    """One upload of a school in a round: the file (by digest) and what reading it found."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.IntegerField()
    digest = models.CharField(max_length=64)
    stored = models.CharField(max_length=200)  # path under DATA/files
    original_name = models.CharField(max_length=255)
    size = models.BigIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    findings = models.JSONField(default=dict)  # what `sheetkit check --format json` prints
    errors = models.IntegerField(default=0)
    warnings = models.IntegerField(default=0)
    notes = models.IntegerField(default=0)
    unreadable = models.TextField(blank=True)  # why the file could not be read
    identity = models.JSONField(null=True, blank=True)  # who the plan says the school is
    reduced = models.BinaryField(null=True, blank=True)  # the roll-up's reduced result
    reduced_version = models.CharField(max_length=40, blank=True)

    class Meta:
        unique_together = [("submission", "number")]
        ordering = ["-number"]

    @property
    def readable(self) -> bool:
        return not self.unreadable

    def reduced_result(self) -> dict | None:
        return pickle.loads(zlib.decompress(self.reduced)) if self.reduced else None

    @staticmethod
    def pack(result: dict | None) -> bytes | None:
        """The reduced result as stored: our own dict, pickled and compressed (never a user's bytes)."""
        return zlib.compress(pickle.dumps(result, protocol=5)) if result is not None else None

    @property
    def uploaded_posix(self) -> float:
        return self.uploaded_at.timestamp()


class AuditLog(models.Model):
    """Every action on the portal: who, what, when, in which round, for which school."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    actor = models.CharField(max_length=300)  # the officer's name, or "Trường …" by its link
    body = models.ForeignKey(ManagingBody, null=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=100)
    round = models.ForeignKey(Round, null=True, blank=True, on_delete=models.SET_NULL)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.SET_NULL)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class Attempt(models.Model):
    """A failed login or an unknown link, counted to slow down guessing."""

    key = models.CharField(max_length=200, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)


def deadline_default() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=14)
