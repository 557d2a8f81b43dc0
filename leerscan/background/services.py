"""The one background layer: every output that takes seconds to make (the owner's report, the
group report, the progress report, the bulk progress reports, the research export, a cohort's
figures) is a registered kind (kinds.py) with one model (models.Output), one status vocabulary,
one stale rule and one retry rule.

- Status: QUEUED, RUNNING, DONE, FAILED, or MISSING (never asked for, expired or replaced).
- Stale rule: a running output that has not moved for STALE_SECONDS was abandoned (its worker
  died): it reads as FAILED. A queued one that waited QUEUED_STALE_SECONDS is queued again by the
  next request.
- Retry rule: a request (output_queue in tasks.py) queues a missing, abandoned or expired output
  again, and a failed one once its failure has been said for STALE_SECONDS; a download makes a
  queued or failed one at once (output_make_now). A task whose worker died is queued again by the
  worker's supervisor up to TASK_ATTEMPTS_MAX times and then marked failed (leerscan/reports/
  worker.py, tasks.py here).

Its subject is what it is made of (a scan, a leertafel, a client, an organisation); the row is
deleted with it. The row is also the claim: whoever moves it to RUNNING makes it; a download that
finds it running waits for it a little instead of making it twice (output_make_now).
"""

from __future__ import annotations

import io
import time
import zipfile
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, models, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone, translation
from django.utils.translation import get_language

from leerscan.background.kinds import QUEUED_STALE_SECONDS, STALE_SECONDS, Kind, kind_named
from leerscan.background.models import SUBJECTS, Output
from leerscan.constants import REPORT_RENDER_WAIT_SECONDS

QUEUED, RUNNING, DONE, FAILED = (s.value for s in Output.State)
MISSING = "missing"
# The language of an output made the same whatever the reader's language (an export): "-".
ANY_LANGUAGE = "-"


@dataclass(frozen=True)
class OutputStatus:
    """How far one output is."""

    state: str  # QUEUED, RUNNING, DONE, FAILED or MISSING
    key: str = ""  # the output's key (an export's id)
    progress: int = 0  # percent
    count: int = 0  # what the finished output holds
    skipped: int = 0  # what could not be put in it
    created: str = ""  # the date it was asked for, YYYY-MM-DD

    @property
    def ready(self) -> bool:
        return self.state == DONE

    @property
    def pending(self) -> bool:
        return self.state in (QUEUED, RUNNING)

    @property
    def failed(self) -> bool:
        return self.state == FAILED


def subject_fields(subject: models.Model) -> dict:
    """The Output fields that name a subject: {"subject": "client:3", "client": <Client>}."""
    name = subject._meta.model_name
    if name not in SUBJECTS:
        raise TypeError(f"no background output belongs to a {name}")
    return {"subject": f"{name}:{subject.pk}", name: subject}


def _where(kind: Kind, subject: models.Model, key: str, language: str | None) -> dict:
    return {
        "kind": kind.name,
        "subject": subject_fields(subject)["subject"],
        "key": key,
        "language": language or get_language() or "nl",
    }


def _now():
    return timezone.now()


def _abandoned() -> Q:
    return Q(state=RUNNING, updated_at__lt=_now() - timedelta(seconds=STALE_SECONDS))


def _expired() -> Q:
    return Q(expires_at__isnull=False, expires_at__lt=_now())


def _status(row: Output | None, key: str) -> OutputStatus:
    if row is None:
        return OutputStatus(MISSING, key)
    created = timezone.localtime(row.created_at).date().isoformat()
    if row.expires_at is not None and row.expires_at < _now():
        return OutputStatus(MISSING, key, created=created)
    state = row.state
    if state == RUNNING and row.updated_at < _now() - timedelta(seconds=STALE_SECONDS):
        state = FAILED  # abandoned: its worker died in the middle
    return OutputStatus(state, key, row.progress, row.count, row.skipped, created)


_STATUS_FIELDS = ("state", "progress", "count", "skipped", "created_at", "updated_at", "expires_at")


def output_status(
    *, kind: str, subject: models.Model, key: str, language: str | None = None
) -> OutputStatus:
    """How far one output is (MISSING for a key or subject that has none)."""
    where = _where(kind_named(kind), subject, key, language)
    return _status(Output.objects.filter(**where).only(*_STATUS_FIELDS).first(), key)


def output_queued_id(
    *, kind: str, subject: models.Model, key: str, language: str | None = None
) -> int | None:
    """The id of the output's row while it is queued (for its task), else None."""
    where = _where(kind_named(kind), subject, key, language)
    return Output.objects.filter(**where, state=QUEUED).values_list("pk", flat=True).first()


def output_latest_key(
    *,
    kind: str,
    subject: models.Model,
    language: str | None = None,
    prefix: str = "",
    done: bool = False,
) -> str:
    """The key of the subject's newest output of a kind, among the keys that start with `prefix`
    (and are done, if asked): "" when there is none."""
    where = _where(kind_named(kind), subject, "", language)
    del where["key"]
    rows = Output.objects.filter(**where, key__startswith=prefix).exclude(_expired())
    if done:
        rows = rows.filter(state=DONE)
    return rows.order_by("-created_at", "-pk").values_list("key", flat=True).first() or ""


def output_file(
    *,
    kind: str,
    subject: models.Model,
    key: str,
    language: str | None = None,
    name: str | None = None,
) -> bytes | None:
    """A finished output's file (`name`: one of its kind's files, the first when None)."""
    the_kind = kind_named(kind)
    name = name or the_kind.files[0]
    if name not in the_kind.files:
        return None
    where = _where(the_kind, subject, key, language)
    content = (
        Output.objects.filter(**where, state=DONE)
        .exclude(_expired())
        .values_list("content", flat=True)
        .first()
    )
    if content is None:
        return None
    return _unpack(the_kind, bytes(content), name)


def _pack(kind: Kind, files: dict[str, bytes]) -> bytes:
    """One file as it is; several as an uncompressed ZIP (what they are is compressed already,
    or small)."""
    if len(kind.files) == 1:
        return files[kind.files[0]]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as bundle:
        for name in kind.files:
            bundle.writestr(name, files[name])
    return buffer.getvalue()


def _unpack(kind: Kind, content: bytes, name: str) -> bytes:
    if len(kind.files) == 1:
        return content
    with zipfile.ZipFile(io.BytesIO(content)) as bundle:
        return bundle.read(name)


def _free(to: str, now) -> Q:
    """The rows that may be claimed for `to` (the stale and retry rules)."""
    free = _abandoned() | _expired()
    if to == RUNNING:
        # A download makes it now: queued (the worker will find it done), or failed.
        return free | Q(state__in=(QUEUED, FAILED))
    # A page asks again: a failure is said for STALE_SECONDS before it is tried again (a page that
    # polls must not retry a broken render in a loop); a queued one that found no worker for
    # QUEUED_STALE_SECONDS is queued again.
    free |= Q(state=FAILED, updated_at__lt=now - timedelta(seconds=STALE_SECONDS))
    return free | Q(state=QUEUED, updated_at__lt=now - timedelta(seconds=QUEUED_STALE_SECONDS))


def output_peek(
    *, kind: str, subject: models.Model, key: str, language: str | None = None
) -> tuple[OutputStatus, bool]:
    """How far an output is, and whether a request would queue it (missing, failed a while ago,
    abandoned or expired): one query."""
    where = _where(kind_named(kind), subject, key, language)
    row = (
        Output.objects.filter(**where)
        .annotate(free=ExpressionWrapper(_free(QUEUED, _now()), output_field=BooleanField()))
        .only(*_STATUS_FIELDS)
        .first()
    )
    return _status(row, key), row is None or bool(row.free)


def output_take(
    *, kind: str, subject: models.Model, key: str, language: str | None, params: dict, to: str
) -> Output | None:
    """Claim an output for `to` (QUEUED: for a worker; RUNNING: to make it here): the row, or
    None when it is done or somebody holds it (queued or running, and not stale)."""
    the_kind = kind_named(kind)
    where = _where(the_kind, subject, key, language)
    now = _now()
    try:
        with transaction.atomic():
            return Output.objects.create(
                **{**where, **subject_fields(subject)},
                params=params,
                state=to,
                progress=0,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:
        pass
    free = _free(to, now)
    changes = {"state": to, "progress": 0, "updated_at": now, "params": params}
    if Output.objects.filter(**where).filter(free).update(**changes, expires_at=None) != 1:
        return None
    return Output.objects.filter(**where).first()


def _subject_of(row: Output) -> models.Model:
    return getattr(row, row.subject.split(":")[0])


def _progress(row: Output, percent: int) -> None:
    Output.objects.filter(pk=row.pk, state=RUNNING).update(
        progress=min(max(int(percent), 0), 99), updated_at=_now()
    )


def _make(row: Output) -> bytes:
    """Make a claimed (RUNNING) output and store it; its packed content."""
    kind = kind_named(row.kind)
    subject = _subject_of(row)
    # An export's row is for every language ("-"): it makes itself in the one it names.
    language = row.language if row.language != ANY_LANGUAGE else None
    try:
        with translation.override(language):
            made = kind.make(subject, row.params, lambda percent: _progress(row, percent))
    except (KeyboardInterrupt, SystemExit):
        # Stopped from outside (a worker told to quit now, which drops its task): not the
        # output's fault. Without its row, the next request asks for it anew.
        Output.objects.filter(pk=row.pk, state=RUNNING).delete()
        raise
    except BaseException:
        # Any failure, also WeasyPrint's FatalURLFetchingError (a BaseException).
        Output.objects.filter(pk=row.pk).update(state=FAILED, updated_at=_now())
        raise
    content = _pack(kind, made.files)
    now = _now()
    expires = now + timedelta(seconds=kind.keep_seconds) if kind.keep_seconds else None
    with transaction.atomic():
        stored = Output.objects.filter(pk=row.pk, state=RUNNING).update(
            state=DONE,
            progress=100,
            content=content,
            count=made.count,
            skipped=made.skipped,
            updated_at=now,
            expires_at=expires,
        )
        if stored and kind.replaces:
            # The same thing's older outputs go: all of the subject's, or, for a key "scope@
            # version", those of the same scope. Never a newer one, should an older version
            # finish late.
            scope = row.key.rsplit("@", 1)[0] + "@" if "@" in row.key else ""
            Output.objects.filter(
                kind=row.kind,
                subject=row.subject,
                language=row.language,
                key__startswith=scope,
                created_at__lte=row.created_at,
            ).exclude(pk=row.pk).exclude(state__in=(QUEUED, RUNNING)).delete()
    return content


def output_run(*, output_id: int) -> str:
    """Make one queued output (the task's body); what happened, in a word. Running it twice
    makes it once."""
    row = Output.objects.filter(pk=output_id).first()
    if row is None:
        return "gone"  # replaced, or its subject deleted
    if row.state == DONE:
        return "stored"
    kind = kind_named(row.kind)
    if kind.is_current is not None and not kind.is_current(_subject_of(row), row.key):
        # Asked for a version that has changed since (answers saved again): nobody reads it.
        Output.objects.filter(pk=row.pk, state=QUEUED).delete()
        return "outdated"
    taken = Output.objects.filter(pk=row.pk).filter(Q(state=QUEUED) | _abandoned())
    if taken.update(state=RUNNING, progress=0, updated_at=_now()) != 1:
        return "elsewhere" if row.state == RUNNING else row.state
    row.refresh_from_db()
    _make(row)
    return "made"


def output_make_now(
    *,
    kind: str,
    subject: models.Model,
    key: str,
    language: str | None = None,
    params: dict | None = None,
) -> bytes:
    """A finished output's (first) file: stored; or made by a worker right now, waited for up to
    REPORT_RENDER_WAIT_SECONDS; or made here (a download that cannot wait for the queue)."""
    the_kind = kind_named(kind)
    params = params or {}

    def stored() -> bytes | None:
        return output_file(kind=kind, subject=subject, key=key, language=language)

    def take() -> Output | None:
        return output_take(
            kind=kind, subject=subject, key=key, language=language, params=params, to=RUNNING
        )

    content = stored()
    if content is not None:
        return content
    row = take()
    deadline = time.monotonic() + REPORT_RENDER_WAIT_SECONDS
    while row is None and time.monotonic() < deadline:
        time.sleep(0.25)
        content = stored()
        if content is not None:
            return content
        row = take()
    if row is None:
        # Still held after the wait: make it here all the same, in the language the held row
        # makes it in; the first to finish stores it.
        with translation.override(_where(the_kind, subject, key, language)["language"]):
            made = the_kind.make(subject, params, lambda _percent: None)
        return made.files[the_kind.files[0]]
    return _unpack(the_kind, _make(row), the_kind.files[0])


def outputs_prune() -> int:
    """Delete the outputs kept past their time; how many."""
    deleted, _ = Output.objects.filter(_expired()).delete()
    return deleted
