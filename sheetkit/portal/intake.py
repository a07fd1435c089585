"""An upload from store to findings: the file kept, read once by the isolated pool, recorded.

The pool (``jobs.IsolatedPool``) is one per server process, started before
the first request, so an upload never waits for Python to import pandas.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from .. import jobs
from . import storage, workflow
from .models import Submission, Version

_pool: jobs.IsolatedPool | None = None
_pool_lock = threading.Lock()


def pool() -> jobs.IsolatedPool:
    """The server's pool of isolated readers (made on first use)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = jobs.IsolatedPool()
        return _pool


def close_pool() -> None:
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.close()
            _pool = None


def read_upload(path: Path, name: str, at: int | None = None) -> dict:
    """``jobs.intake_file`` in the pool; a worker that fails gives the reason as the file's error.

    ``at``: a review round's month, so the school sees its progress reviewed as `check --at`.
    """
    try:
        return pool().run("intake", str(path), name, at)
    except jobs.JobFailed as err:
        reason = str(err)
        return {
            "version": "",
            "check": {"file": name, "error": reason, "findings": [], "summary": None},
            "identity": None,
            "reduced": None,
            "refused": None,
            "error": reason,
        }


def accept_upload(submission: Submission, uploaded, actor: str) -> Version:
    """Store an uploaded file, read it, and record it as the submission's newest version.

    ``storage.Refused`` when it is not a workbook (nothing is recorded then).
    """
    source = Path(uploaded.temporary_file_path())
    suffix = storage.workbook_suffix(source)
    stored = storage.store(source, suffix)
    name = _clean_name(uploaded.name, suffix)
    answer = read_upload(stored.path, name, submission.round.review_month())
    summary = answer["check"].get("summary") or {}
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = Version.objects.create(
            submission=locked,
            number=number,
            digest=stored.digest,
            stored=stored.relative,
            original_name=name,
            size=stored.size,
            findings=answer["check"],
            errors=summary.get("errors", 0),
            warnings=summary.get("warnings", 0),
            notes=summary.get("notes", 0),
            unreadable=workflow.storable(answer["error"] or ""),
            identity=answer["identity"],
            reduced=Version.pack(answer["reduced"]),
            reduced_version=answer["version"],
        )
        workflow.uploaded(locked, version, actor)
    return version


def _clean_name(name: str, suffix: str) -> str:
    """The file's name as the school gave it, without folders or control characters."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(c for c in name if c.isprintable())[:200].strip()
    if not name:
        name = "ke-hoach" + suffix
    return name


def rereader(path: Path, name: str) -> dict:
    """``merge_stored``'s way to read again a plan reduced by an older sheetkit."""
    return read_upload(path, name)


def derived(version: Version, kind: str) -> Path:
    """The annotated copy (``annotate``) or the draft document (``draft``) of a version, cached.

    Made in the pool (the school's file is read only there); ``jobs.JobFailed``
    with the reason when it cannot be made.
    """
    suffix = {"annotate": ".xlsx", "draft": ".docx"}[kind]
    target = storage.derived_path(version.digest, kind, suffix)
    if target.exists():
        return target
    source = storage.stored_path(version.stored)
    partial = target.with_name(f".part-{os.getpid()}-{threading.get_ident()}-{target.name}")
    try:
        pool().run(kind, str(source), str(partial))
        os.replace(partial, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return target
