"""Background exports of a coaching organisation: the state, progress and files of one export,
kept in Django's cache (issue 11).

Two kinds use it: the research export (research.py, kind "research") and the bulk progress
reports (bulk_progress.py, kind "progress"). A view marks a new export (background_new) and
queues a task (tasks.py); the worker runs it (background_run) with a function that makes the
files and reports its progress; the status page reads background_status and, once done, the
view hands out background_file.

Everything lives in the cache every app server and worker share (the database table in
production), under keys holding the kind, the organisation and a random export id, so an id of
another organisation or of another kind is simply not found (a 404 in the views). A state and its
files are kept for the kind's keep time (RESEARCH_EXPORT_KEEP_SECONDS for both): an export is a
snapshot asked for by a coach who downloads it at once. No model, no migration.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from leerscan.advisers.models import Organisation
from leerscan.constants import REPORT_RENDER_STALE_SECONDS, RESEARCH_EXPORT_KEEP_SECONDS

QUEUED, RUNNING, DONE, FAILED, MISSING = "queued", "running", "done", "failed", "missing"


@dataclass(frozen=True)
class BackgroundKind:
    """One kind of background export."""

    name: str  # part of the cache key: "research", "progress"
    files: tuple[str, ...]  # the files a finished export keeps; the first one must be there
    keep_seconds: int = RESEARCH_EXPORT_KEEP_SECONDS


@dataclass(frozen=True)
class BackgroundStatus:
    """How far one export is."""

    export_id: str
    state: str  # QUEUED, RUNNING, DONE, FAILED or MISSING (unknown or expired)
    progress: int = 0  # percent
    count: int = 0  # what the finished export holds: scans, reports
    created: str = ""  # the date it was asked for, YYYY-MM-DD
    skipped: int = 0  # what could not be put in it (listed in the file)

    @property
    def ready(self) -> bool:
        return self.state == DONE

    @property
    def pending(self) -> bool:
        return self.state in (QUEUED, RUNNING)

    @property
    def failed(self) -> bool:
        return self.state == FAILED


# Reports the progress (0-100) of a running export.
Progress = Callable[[int], None]


def background_key(kind: BackgroundKind, organisation_id: int, export_id: str) -> str:
    return f"{kind.name}-export:{organisation_id}:{export_id}"


def _latest_key(kind: BackgroundKind, organisation_id: int) -> str:
    return f"{kind.name}-export:{organisation_id}:latest"


def background_set_state(
    key: str, state: str, progress: int = 0, *, keep: int = RESEARCH_EXPORT_KEEP_SECONDS, **extra
) -> None:
    """Store the state of the export under `key` (its earlier extras stay)."""
    previous = cache.get(f"{key}:state") or {}
    value = previous | {"state": state, "progress": progress, "at": time.time(), **extra}
    cache.set(f"{key}:state", value, timeout=keep)


def background_new(kind: BackgroundKind, *, organisation: Organisation, **extra) -> str:
    """Mark a new export of the organisation as queued: its id (the caller queues the task).
    `extra` (plain values) is kept with the state, for the task to read."""
    export_id = uuid.uuid4().hex
    key = background_key(kind, organisation.pk, export_id)
    created = timezone.localdate().isoformat()
    background_set_state(key, QUEUED, keep=kind.keep_seconds, created=created, **extra)
    cache.set(_latest_key(kind, organisation.pk), export_id, timeout=kind.keep_seconds)
    return export_id


def background_latest(kind: BackgroundKind, *, organisation: Organisation) -> str | None:
    """The id of the organisation's last export of this kind, while it is kept."""
    return cache.get(_latest_key(kind, organisation.pk))


def background_status(
    kind: BackgroundKind, *, organisation_id: int, export_id: str
) -> BackgroundStatus:
    """How far an export of this organisation is; MISSING for another organisation's."""
    key = background_key(kind, organisation_id, export_id)
    state = cache.get(f"{key}:state")
    if state is None:
        return BackgroundStatus(export_id, MISSING)
    created = state.get("created", "")
    if state["state"] == DONE and cache.get(f"{key}:{kind.files[0]}") is None:
        return BackgroundStatus(export_id, MISSING, created=created)
    if state["state"] == RUNNING and time.time() - state["at"] > REPORT_RENDER_STALE_SECONDS:
        # Its worker stopped in the middle (a running export reports progress as it goes).
        return BackgroundStatus(export_id, FAILED, created=created)
    return BackgroundStatus(
        export_id,
        state["state"],
        state["progress"],
        state.get("count", 0),
        created,
        state.get("skipped", 0),
    )


def background_file(
    kind: BackgroundKind, *, organisation_id: int, export_id: str, name: str
) -> bytes | None:
    """One file of a finished export of this organisation, or None."""
    if name not in kind.files:
        return None
    return cache.get(f"{background_key(kind, organisation_id, export_id)}:{name}")


@dataclass(frozen=True)
class BackgroundResult:
    """What a make function returns: the files (every name of the kind) and the counts."""

    files: dict[str, bytes]
    count: int
    skipped: int = 0


# make(organisation, progress, state): the files; `state` is what background_new stored.
Make = Callable[[Organisation, Progress, dict], BackgroundResult]


def background_run(
    kind: BackgroundKind, *, organisation_id: int, export_id: str, make: Make
) -> str:
    """Make and keep one export; what happened, in a word (the task's result)."""
    key = background_key(kind, organisation_id, export_id)
    state = cache.get(f"{key}:state")
    if state is None:
        return "expired"
    if state["state"] == DONE:
        return "stored"
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return "deleted"

    def progress(percent: int) -> None:
        background_set_state(key, RUNNING, percent, keep=kind.keep_seconds)

    try:
        progress(0)
        result = make(organisation, progress, state)
    except BaseException:
        background_set_state(key, FAILED, keep=kind.keep_seconds)
        raise
    files = {f"{key}:{name}": result.files[name] for name in kind.files}
    cache.set_many(files, timeout=kind.keep_seconds)
    background_set_state(
        key, DONE, 100, keep=kind.keep_seconds, count=result.count, skipped=result.skipped
    )
    return "done"
