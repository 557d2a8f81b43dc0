"""Reports made in the background: the owner's report is an output of the background layer
(leerscan/background, kind "report"), run by the task worker (`manage.py report_worker`) like
every slow output.

When is a report queued? When its results page is shown for an answers version and language that
has no stored PDF and no render queued or running: finishing a scan leads to that page, and so
does saving a changed answer (the review page's "show results"). The reports side queues it
rather than a hook called from leerscan/scans, for three reasons: data flows one way (scans never
import reports, and a hook registered in AppConfig.ready() would be a signal in disguise, which
CONVENTIONS keeps business logic out of); the report exists per language, and only the page knows
the language the person reads; and a scan finished but never looked at costs no render.

The layer's task is idempotent: a version already stored, an outdated answers version (the kind's
is_current), a deleted scan or a version another process is rendering right now is left alone.
Its stale and retry rules apply (docs/background.md): a render whose worker was killed is taken
over by the next attempt at once, and after TASK_ATTEMPTS_MAX deaths the row says failed: the
results page then says the report could not be made in advance and offers the download that
makes it now.

Which report first. Workers take queued tasks by priority, then by age. A report is queued at
REPORT_PRIORITY_BACKGROUND, behind everything else; while the person waits for it (the results
page asks how far it is every two seconds, or they follow its refresh link) its task is raised to
REPORT_PRIORITY_WAITING, ahead of everything. So when a leertafel of twenty finishes at once, the
reports whose pages are open come first, and a report nobody is looking at any more, a group
report or an export waits. A download does not need it: it renders the report at once itself
when no worker has started it.
"""

from __future__ import annotations

from leerscan.background.tasks import output_hurry, output_queue
from leerscan.constants import REPORT_PRIORITY_BACKGROUND
from leerscan.reports.models import InstrumentLibrary
from leerscan.reports.selectors import library_current
from leerscan.reports.services import REPORT_KIND, ReportStatus, report_key
from leerscan.scans.models import Scan


def report_hurry(*, scan: Scan) -> int:
    """Someone is waiting for the report of the scan's current answers in the active language:
    its queued task goes before the others (REPORT_PRIORITY_WAITING); how many were raised."""
    return output_hurry(kind=REPORT_KIND, subject=scan, key=report_key(scan=scan))


def report_queue(
    *, scan: Scan, library: InstrumentLibrary | None = None, waiting: bool = False
) -> ReportStatus:
    """Queue the report of the scan's current answers in the active language (with the current
    library, or the one given), unless it is stored, queued or being rendered; how far it is.
    `waiting`: the person is waiting for it, so it goes before the others."""
    key = report_key(scan=scan, library_version=(library or library_current()).version)
    return output_queue(
        kind=REPORT_KIND,
        subject=scan,
        key=key,
        priority=REPORT_PRIORITY_BACKGROUND,
        waiting=waiting,
    )
