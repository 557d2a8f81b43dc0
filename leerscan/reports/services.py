"""Render what a scan's results look like on paper, once per version.

A PDF report is a rendered artefact: a row of RenderedArtefact per version of the answers and of
the instrument library, and language, deleted with its scan.

The report is usually rendered in the background (leerscan/reports/tasks.py) and downloaded from
its row at once. A ReportRender row per version tells how far that is, and doubles as the claim
that keeps the worker and a download from rendering the same version at the same time: whoever
takes the row renders, the other waits a little for the result (report_pdf).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language

from benchmarks.profiles import SBI_SECTION_LABELS, SECTOR_OF_SECTION
from benchmarks.selectors import BenchmarkLookup, benchmark_group_sizes
from benchmarks.vocabulary import DIFFERENCE_THRESHOLDS, SECTOR, SMALL_GROUP_N, group_label
from leerscan.constants import REPORT_RENDER_STALE_SECONDS, REPORT_RENDER_WAIT_SECONDS
from leerscan.reports.charts import results_chart_svgs, svg_data_uri
from leerscan.reports.models import RenderedArtefact, ReportRender
from leerscan.reports.pdf import report_html, report_render_pdf
from leerscan.reports.results import Results, scan_results_for
from leerscan.reports.selectors import library_current, scan_advice
from leerscan.scans.models import Item, Scan
from leerscan.scans.selectors import scan_items

T = TypeVar("T")
C = TypeVar("C")

# Items completed from a Tabel 4.6 column head (provenance "monitor_adapted", DESIGN.md 2.2).
ADAPTED = getattr(Item.Provenance, "MONITOR_ADAPTED", "monitor_adapted")


def _artefact_store(*, key: dict, content: bytes) -> None:
    """Store an artefact and delete the same kind's older ones of the scan in that language (a
    slow render of an older version never deletes a newer one)."""
    try:
        with transaction.atomic():
            RenderedArtefact.objects.create(**key, content=content)
            RenderedArtefact.objects.filter(
                scan=key["scan"], kind=key["kind"], language=key["language"]
            ).filter(
                Q(answers_version__lt=key["answers_version"])
                | Q(answers_version=key["answers_version"])
                & ~Q(library_version=key["library_version"])
            ).delete()
    except IntegrityError:
        pass  # a parallel request stored the same version first; both renders are equal


def report_charts(*, results: Results) -> dict[str, str]:
    """The PDF's radar and difference bars as data URIs, drawn with matplotlib. Only the report
    uses them, and it is rendered by the task worker and stored; the results page draws its
    charts from the template (leerscan/reports/page_charts.py)."""
    radar, bars = results_chart_svgs(results=results)
    return {"radar": svg_data_uri(radar), "bars": svg_data_uri(bars)}


def _sector_sections() -> list[tuple[str, str, str]]:
    """Leerscan's grouping of the SBI sections into the monitor's sectors, for the accountability:
    (sector, its section letters such as "A\u2013F", the sections' names)."""
    sections: dict[str, list[str]] = {}
    for section, sector in SECTOR_OF_SECTION.items():
        sections.setdefault(sector, []).append(section)
    return [
        (
            group_label(SECTOR, sector),
            f"{letters[0]}\u2013{letters[-1]}"
            if len(letters) > 1 and ord(letters[-1]) - ord(letters[0]) == len(letters) - 1
            else ", ".join(letters),
            "; ".join(str(SBI_SECTION_LABELS[letter]) for letter in letters),
        )
        for sector, letters in sections.items()
    ]


def report_context(*, scan: Scan) -> dict:
    """Everything the report shows: the scan, its results, the advice and the accountability."""
    items = scan_items(scan=scan)
    results = scan_results_for(scan=scan)
    library = library_current()
    return {
        "scan": scan,
        "results": results,
        "advice": scan_advice(results=results, library=library),
        "library": library,
        "charts": report_charts(results=results),
        "items": items,
        "verbatim": [i for i in items if i.provenance == Item.Provenance.MONITOR_VERBATIM],
        "adapted": [i for i in items if i.provenance == ADAPTED],
        "reconstructed": [i for i in items if i.provenance == Item.Provenance.RECONSTRUCTED],
        "sector_sections": _sector_sections(),
        "group_sizes": benchmark_group_sizes(
            lookup=BenchmarkLookup(scan.benchmark_set.slug),
            columns=(("4.5", "taken"), ("4.6", "leren_essentieel")),
        ),
        "thresholds": DIFFERENCE_THRESHOLDS,
        "small_group_n": SMALL_GROUP_N,
        "today": timezone.localdate(),
    }


def reports_forget_rendered() -> None:
    """Drop every stored PDF, after an edit of the instrument library."""
    RenderedArtefact.objects.filter(kind=RenderedArtefact.Kind.PDF).delete()


@dataclass(frozen=True)
class ReportStatus:
    """How far the report of a scan's current answers is, in one language."""

    state: str  # a ReportRender.State, or "missing": nothing stored, queued or running
    progress: int = 0  # percent

    @property
    def ready(self) -> bool:
        return self.state == ReportRender.State.DONE

    @property
    def pending(self) -> bool:
        return self.state in (ReportRender.State.QUEUED, ReportRender.State.RUNNING)

    @property
    def failed(self) -> bool:
        return self.state == ReportRender.State.FAILED


MISSING = "missing"


def _report_key(*, scan: Scan, library_version: str) -> dict:
    """A report version: the scan's current answers, a library version and the active language."""
    return {
        "scan": scan,
        "answers_version": scan.answers_version,
        "library_version": library_version,
        "language": get_language() or "nl",
    }


def _stored_pdf(key: dict) -> bytes | None:
    content = (
        RenderedArtefact.objects.filter(kind=RenderedArtefact.Kind.PDF, **key)
        .values_list("content", flat=True)
        .first()
    )
    return None if content is None else bytes(content)


def _abandoned_before():
    return timezone.now() - timedelta(seconds=REPORT_RENDER_STALE_SECONDS)


def report_status(*, scan: Scan, library_version: str | None = None) -> ReportStatus:
    """How far the report of the scan's current answers in the active language is (with the
    current library, or the one whose version is given)."""
    if library_version is None:
        library_version = library_current().version
    key = _report_key(scan=scan, library_version=library_version)
    stored = RenderedArtefact.objects.filter(
        kind=RenderedArtefact.Kind.PDF, **{name: OuterRef(name) for name in key}
    )
    render = (
        ReportRender.objects.filter(**key)
        .annotate(stored=Exists(stored))
        .only("state", "progress", "updated_at")
        .first()
    )
    if render is None:
        # Never asked for; or stored before renders had rows, which the stored PDF tells.
        if RenderedArtefact.objects.filter(kind=RenderedArtefact.Kind.PDF, **key).exists():
            return ReportStatus(ReportRender.State.DONE, 100)
        return ReportStatus(MISSING)
    if render.stored:
        return ReportStatus(ReportRender.State.DONE, 100)
    if render.state == ReportRender.State.DONE:
        return ReportStatus(MISSING)  # its PDF has been deleted since
    if render.state != ReportRender.State.QUEUED and render.updated_at < _abandoned_before():
        # Its worker died in the middle, or it failed a while ago: worth another try.
        return ReportStatus(MISSING)
    return ReportStatus(render.state, render.progress)


def report_render_take(*, key: dict, state: str = ReportRender.State.RUNNING) -> bool:
    """Take the rendering of a report version (as queued for the worker, or running here): True
    when nobody else holds it, i.e. it is new, queued, failed, done (its PDF since deleted) or
    abandoned. A new row replaces the scan's rows of older versions in that language."""
    now = timezone.now()
    progress = 5 if state == ReportRender.State.RUNNING else 0
    try:
        with transaction.atomic():
            ReportRender.objects.create(**key, state=state, progress=progress, updated_at=now)
            ReportRender.objects.filter(scan=key["scan"], language=key["language"]).exclude(
                answers_version=key["answers_version"], library_version=key["library_version"]
            ).delete()
        return True
    except IntegrityError:
        pass
    free = ~Q(state=ReportRender.State.RUNNING) | Q(updated_at__lt=_abandoned_before())
    if state == ReportRender.State.QUEUED:
        free &= ~Q(state=ReportRender.State.QUEUED)
    taken = (
        ReportRender.objects.filter(**key)
        .filter(free)
        .update(state=state, progress=progress, updated_at=now)
    )
    return taken == 1


def _render_progress(key: dict, percent: int) -> None:
    ReportRender.objects.filter(**key).update(progress=percent, updated_at=timezone.now())


def _render_report(
    *, scan: Scan, key: dict, still_current: Callable[[], bool] = lambda: True
) -> tuple[bytes, bool]:
    """Render a report version that this process has taken and mark its row; store the PDF when
    its answers are still the scan's current ones. The PDF, and whether it was stored."""
    rows = ReportRender.objects.filter(**key)
    try:
        context = report_context(scan=scan)
        _render_progress(key, 25)
        html = report_html(context=context)
        _render_progress(key, 40)
        content = report_render_pdf(
            html=html, progress=lambda percent: _render_progress(key, percent)
        )
    except (KeyboardInterrupt, SystemExit):
        # Stopped from outside (a worker told to quit now): not the report's fault. Without its
        # row, the next look at the results page queues it again.
        rows.delete()
        raise
    except BaseException:
        # Any failure, also WeasyPrint's FatalURLFetchingError (a BaseException).
        rows.update(state=ReportRender.State.FAILED, updated_at=timezone.now())
        raise
    if not still_current():
        rows.delete()
        return content, False
    _artefact_store(key={**key, "kind": RenderedArtefact.Kind.PDF}, content=content)
    rows.update(state=ReportRender.State.DONE, progress=100, updated_at=timezone.now())
    return content, True


def report_render_version(*, scan_id: int, answers_version: int) -> str:
    """Render and store the report of one answers version of a scan in the active language, if
    it is still the current version and not stored yet; what happened, in a word (the task's
    result). Running it twice renders once."""
    scan = Scan.objects.filter(pk=scan_id).first()
    if scan is None:
        return "deleted"
    if scan.answers_version != answers_version or scan.finished_at is None:
        return "outdated"
    key = _report_key(scan=scan, library_version=library_current().version)
    if _stored_pdf(key) is not None:
        ReportRender.objects.filter(**key).update(
            state=ReportRender.State.DONE, progress=100, updated_at=timezone.now()
        )
        return "stored"
    if not report_render_take(key=key):
        return "rendering elsewhere"

    def still_current() -> bool:
        return Scan.objects.filter(pk=scan_id, answers_version=answers_version).exists()

    _, stored = _render_report(scan=scan, key=key, still_current=still_current)
    return "rendered" if stored else "outdated"


def render_wait(
    *, load: Callable[[], T | None], take: Callable[[], C]
) -> tuple[T | None, C | None]:
    """Wait up to REPORT_RENDER_WAIT_SECONDS for a render another process is doing: (what it
    stored, None) once it is stored, (None, the claim) when the claim comes free meanwhile (that
    render failed or was abandoned: render it here), (None, None) when time is up."""
    deadline = time.monotonic() + REPORT_RENDER_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.25)
        stored = load()
        if stored is not None:
            return stored, None
        claim = take()
        if claim:
            return None, claim
    return None, None


def report_pdf(*, scan: Scan) -> bytes:
    """The scan's report as PDF bytes: stored, or rendered now and stored. When a worker is
    rendering the same version right now, wait for it a little instead of rendering it twice."""
    key = _report_key(scan=scan, library_version=library_current().version)
    stored = _stored_pdf(key)
    if stored is not None:
        return stored
    if not report_render_take(key=key):
        stored, _claim = render_wait(
            load=lambda: _stored_pdf(key), take=lambda: report_render_take(key=key)
        )
        if stored is not None:
            return stored
    content, _ = _render_report(scan=scan, key=key)
    return content
