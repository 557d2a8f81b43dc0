"""Reports rendered in the background, with the Django Tasks API (django-tasks, django-tasks-db).

When is a report queued? When its results page is shown for an answers version and language that
has no stored PDF and no render queued or running: finishing a scan leads to that page, and so
does saving a changed answer (the review page's "show results"). The reports side queues it
rather than a hook called from leerscan/scans, for three reasons: data flows one way (scans never
import reports, and a hook registered in AppConfig.ready() would be a signal in disguise, which
CONVENTIONS keeps business logic out of); the report exists per language, and only the page knows
the language the person reads; and a scan finished but never looked at costs no render.

The worker (`manage.py db_worker`, started by `make run`) runs `report_render`. It is idempotent:
a version already stored, an outdated answers version, a deleted scan or a version another
process is rendering right now is left alone. A render whose worker was killed is queued again
once its row has not moved for REPORT_RENDER_STALE_SECONDS; a worker stopped before it started a
task finds the task still queued in the database after a restart.

Which report first. Workers take queued tasks by priority, then by age. A report is queued at
REPORT_PRIORITY_BACKGROUND, behind everything else; while the person waits for it (the results
page asks how far it is every two seconds, or they follow its refresh link) its task is raised to
REPORT_PRIORITY_WAITING, ahead of everything (report_hurry). So when a leertafel of twenty
finishes at once, the reports whose pages are open come first, and a report nobody is looking at
any more, a group report or an export waits. A download does not need it: it renders the report
at once itself when no worker has started it.

A worker killed in the middle of a render is noticed at once by `manage.py report_worker`
(leerscan/reports/worker.py): the task is queued again and its row set back to queued
(report_render_worker_lost), so the next worker takes it over, without waiting for the row to go
stale and without a render at download. After TASK_ATTEMPTS_MAX deaths the row says failed: the
results page then says the report could not be made in advance and offers the download that
makes it now.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language
from django_tasks import task

from leerscan.constants import REPORT_PRIORITY_BACKGROUND, REPORT_PRIORITY_WAITING
from leerscan.reports.models import InstrumentLibrary, ReportRender
from leerscan.reports.selectors import library_current
from leerscan.reports.services import (
    MISSING,
    ReportStatus,
    report_render_take,
    report_render_version,
    report_status,
)
from leerscan.reports.worker import on_worker_lost, task_priority_raise
from leerscan.scans.models import Scan


@task(priority=REPORT_PRIORITY_BACKGROUND)
def report_render(scan_id: int, answers_version: int, language: str) -> str:
    """Render one version of a scan's report in one language (see report_render_version)."""
    with translation.override(language):
        return report_render_version(scan_id=scan_id, answers_version=answers_version)


@on_worker_lost(report_render)
def report_render_worker_lost(
    scan_id: int, answers_version: int, language: str, *, given_up: bool
) -> None:
    """The worker rendering this version died: its row goes back to queued, for the attempt that
    follows to take over, or to failed when the task is given up (the page then says so)."""
    state = ReportRender.State.FAILED if given_up else ReportRender.State.QUEUED
    ReportRender.objects.filter(
        scan_id=scan_id,
        answers_version=answers_version,
        language=language,
        state=ReportRender.State.RUNNING,
    ).update(state=state, progress=0, updated_at=timezone.now())


def report_hurry(*, scan: Scan) -> int:
    """Someone is waiting for the report of the scan's current answers in the active language:
    its queued task goes before the others (REPORT_PRIORITY_WAITING); how many were raised."""
    return task_priority_raise(
        task=report_render,
        args=[scan.pk, scan.answers_version, get_language() or "nl"],
        priority=REPORT_PRIORITY_WAITING,
    )


def report_queue(
    *, scan: Scan, library: InstrumentLibrary | None = None, waiting: bool = False
) -> ReportStatus:
    """Queue the report of the scan's current answers in the active language (with the current
    library, or the one given), unless it is stored, queued or being rendered; how far it is.
    `waiting`: the person is waiting for it, so it goes before the others (report_hurry)."""
    library_version = (library or library_current()).version
    status = report_status(scan=scan, library_version=library_version)
    if status.state == ReportRender.State.QUEUED and waiting:
        report_hurry(scan=scan)
    if status.state != MISSING:
        return status
    language = get_language() or "nl"
    key = {
        "scan": scan,
        "answers_version": scan.answers_version,
        "library_version": library_version,
        "language": language,
    }
    # The row and the task are stored together or not at all (the database backend writes the
    # task in the same database), so a queued row always has a task behind it.
    with transaction.atomic():
        if report_render_take(key=key, state=ReportRender.State.QUEUED):
            priority = REPORT_PRIORITY_WAITING if waiting else REPORT_PRIORITY_BACKGROUND
            report_render.using(priority=priority).enqueue(scan.pk, scan.answers_version, language)
    return report_status(scan=scan, library_version=library_version)
