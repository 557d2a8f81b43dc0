"""A leertafel's group report: the PDF an adviser takes home after the session.

It is the owner's report machinery (leerscan/reports/pdf.py: the sealed URL fetcher, the shared
FontConfiguration, the report stylesheet) with its own template, advisers/group_report.html, fed
by the group figures (leerscan/advisers/group.py), the matrix (leerscan/advisers/ideas.py) and the
leertafel's discussion prompts. Like the owner's report it is rendered in the background
(leerscan/advisers/tasks.py) and downloaded at once when done, or rendered at once when not.

Where it is kept. The owner's report is a RenderedArtefact row of its scan; a group report has
no scan. It is kept in Django's cache, the store every app server and worker already share (the
database table leerscan_cache in production, a directory when developing), per leertafel, report
version and language:

- `…:pdf` the PDF, for GROUP_REPORT_KEEP_SECONDS; a newer version's PDF replaces the older one;
- `…:state` how far a render is (queued, running with a progress, failed) and since when;
- `…:lock` the claim of the process rendering it now, which expires after
  REPORT_RENDER_STALE_SECONDS unless the render moves on: a killed worker's claim runs out.

A report version is a fingerprint of everything the report shows: the group figures' version
(participants joining, answering, finishing, consenting; the prompts; the leertafel), the matrix's
version and the leertafel's date and place. A version whose PDF has been evicted from the cache is
simply rendered again. Nothing is rendered below GROUP_MIN_FINISHED finished participants.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from benchmarks.vocabulary import (
    BUILDING_BLOCKS,
    SCALE_MAX,
    SCALE_MIN,
    SMALL_GROUP_N,
    indicator_label,
)
from leerscan.advisers.group import GroupRow, group_version, group_view
from leerscan.advisers.ideas import idea_matrix, idea_matrix_version
from leerscan.advisers.models import DiscussionPrompt, Leertafel, Participant
from leerscan.constants import (
    GROUP_MIN_FINISHED,
    GROUP_REPORT_KEEP_SECONDS,
    KOPLOPERS_SHOWN,
    REPORT_RENDER_STALE_SECONDS,
)
from leerscan.reports.pdf import report_render_pdf
from leerscan.reports.services import render_wait

QUEUED, RUNNING, DONE, FAILED, MISSING = "queued", "running", "done", "failed", "missing"
# A queued render waits for a worker; after this long without one it is queued again.
QUEUED_STALE_SECONDS = 30 * 60


# What is drawn: the dot strips of the 1-6 scale (SVG units; the strip is 100 wide).
PLOT_LEFT, PLOT_RIGHT = 4, 96
DOT_RADIUS = 1.8
PLOT_STACK_HEIGHT = 14  # room above the axis for the dots of one value
# Above this many participants a value's dots are drawn as one column (its height tells how many
# gave that value, its filled part how many of them are named): WeasyPrint lays out every SVG
# element, and 200 dots on each of eleven rows took seconds (docs/performance.md).
PLOT_DOTS_MAX = 30
MARKER_SIZE = 3.4  # Noord-Nederland's open square, on the axis; the sector mix's diamond fits in it


@dataclass(frozen=True)
class GroupReportStatus:
    """How far the group report of the leertafel's current version is, in one language."""

    state: str  # QUEUED, RUNNING, DONE, FAILED or MISSING (nothing stored, queued or running)
    progress: int = 0  # percent

    @property
    def ready(self) -> bool:
        return self.state == DONE

    @property
    def pending(self) -> bool:
        return self.state in (QUEUED, RUNNING)

    @property
    def failed(self) -> bool:
        return self.state == FAILED


# Versions and the store


def group_report_version(*, leertafel: Leertafel) -> str:
    """A fingerprint of everything the group report shows (three queries)."""
    parts = (
        group_version(leertafel=leertafel),
        idea_matrix_version(leertafel_id=leertafel.pk),
        leertafel.date.isoformat(),
        leertafel.place,
        leertafel.organisation.name,
    )
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


def _key(leertafel_id: int, version: str, language: str) -> str:
    return f"leertafel-report:{leertafel_id}:{version}:{language}"


def _latest_key(leertafel_id: int, language: str) -> str:
    return f"leertafel-report:{leertafel_id}:{language}:latest"


def _stored_pdf(key: str) -> bytes | None:
    return cache.get(f"{key}:pdf")


def _set_state(key: str, state: str, progress: int = 0) -> None:
    cache.set(
        f"{key}:state",
        {"state": state, "progress": progress, "at": time.time()},
        timeout=GROUP_REPORT_KEEP_SECONDS,
    )


def _take(key: str) -> str | None:
    """Claim the rendering of a version: a claim id, or None when another process holds it."""
    claim = uuid.uuid4().hex
    if cache.add(f"{key}:lock", claim, timeout=REPORT_RENDER_STALE_SECONDS):
        return claim
    return None


def _store(*, leertafel_id: int, version: str, language: str, content: bytes) -> None:
    """Keep a version's PDF and drop the PDF of the version before it."""
    key = _key(leertafel_id, version, language)
    cache.set(f"{key}:pdf", content, timeout=GROUP_REPORT_KEEP_SECONDS)
    latest = _latest_key(leertafel_id, language)
    previous = cache.get(latest)
    if previous and previous != version:
        old = _key(leertafel_id, previous, language)
        cache.delete_many([f"{old}:pdf", f"{old}:state"])
    cache.set(latest, version, timeout=GROUP_REPORT_KEEP_SECONDS)


def group_report_forget(*, leertafel: Leertafel) -> None:
    """Drop what the cache keeps of the leertafel's group report (its PDF, state and claim, in
    every language), for a leertafel that is about to be deleted."""
    current = group_report_version(leertafel=leertafel)
    keys = []
    for language, _name in settings.LANGUAGES:
        latest = _latest_key(leertafel.pk, language)
        versions = {current, cache.get(latest)} - {None}
        keys.append(latest)
        for version in versions:
            key = _key(leertafel.pk, version, language)
            keys += [f"{key}:pdf", f"{key}:state", f"{key}:lock"]
    cache.delete_many(keys)


def group_report_status(*, leertafel: Leertafel, version: str | None = None) -> GroupReportStatus:
    """How far the group report of the leertafel's current version in the active language is."""
    version = version or group_report_version(leertafel=leertafel)
    key = _key(leertafel.pk, version, get_language() or "nl")
    if cache.get(f"{key}:pdf") is not None:
        return GroupReportStatus(DONE, 100)
    state = cache.get(f"{key}:state")
    if state is None:
        return GroupReportStatus(MISSING)
    age = time.time() - state["at"]
    if state["state"] == QUEUED:
        if age > QUEUED_STALE_SECONDS:
            return GroupReportStatus(MISSING)
        return GroupReportStatus(QUEUED)
    if state["state"] == RUNNING:
        if cache.get(f"{key}:lock") is None:
            return GroupReportStatus(MISSING)  # its worker died in the middle
        return GroupReportStatus(RUNNING, state["progress"])
    if state["state"] == FAILED and age < REPORT_RENDER_STALE_SECONDS:
        return GroupReportStatus(FAILED)
    return GroupReportStatus(MISSING)


def group_report_mark_queued(*, leertafel: Leertafel, version: str) -> bool:
    """Mark a version as queued unless it is stored, queued or being rendered: whether it was."""
    if group_report_status(leertafel=leertafel, version=version).state != MISSING:
        return False
    _set_state(_key(leertafel.pk, version, get_language() or "nl"), QUEUED)
    return True


# The report's content


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    named: bool


@dataclass(frozen=True)
class Column:
    """The dots of one value, drawn as a column: all of them, and the named ones at its foot."""

    x: float  # left edge
    top: float
    height: float
    named_top: float
    named_height: float


@dataclass(frozen=True)
class Plot:
    """One row's dot strip: every participant a dot, equal scores stacked."""

    row: GroupRow
    height: float
    axis_y: float
    dots: list[Dot]
    columns: list[Column]
    ticks: list[float]
    mean_x: float | None
    nn_box: tuple[float, float] | None  # the Noord-Nederland square's top left corner
    mix_points: str  # the sector mix's diamond, as SVG polygon points ("" when none)


def _x(value) -> float | None:
    if value is None:
        return None
    clamped = min(max(float(value), SCALE_MIN), SCALE_MAX)
    return round(PLOT_LEFT + (clamped - SCALE_MIN) * (PLOT_RIGHT - PLOT_LEFT) / 5, 2)


def _plot(row: GroupRow) -> Plot:
    axis_y = PLOT_STACK_HEIGHT + 1
    stacks: dict[float, list[bool]] = {}
    for dot in row.dots:
        stacks.setdefault(float(dot.value), []).append(bool(dot.name))
    tallest = max((len(names) for names in stacks.values()), default=1)
    dots: list[Dot] = []
    columns: list[Column] = []
    if len(row.dots) > PLOT_DOTS_MAX:
        room = PLOT_STACK_HEIGHT - 0.4
        for value, names in sorted(stacks.items()):
            height = max(2 * DOT_RADIUS, room * len(names) / tallest)
            named = room * sum(names) / tallest if any(names) else 0
            named = min(height, max(named, 2 * DOT_RADIUS)) if named else 0
            columns.append(
                Column(
                    x=round(_x(value) - DOT_RADIUS, 2),
                    top=round(axis_y - 0.4 - height, 2),
                    height=round(height, 2),
                    named_top=round(axis_y - 0.4 - named, 2),
                    named_height=round(named, 2),
                )
            )
    else:
        # Equal scores stack upwards, named ones first (at the foot of the stack).
        step = min(2 * DOT_RADIUS, (PLOT_STACK_HEIGHT - 2 * DOT_RADIUS) / max(tallest - 1, 1))
        for value, names in stacks.items():
            for level, named in enumerate(sorted(names, reverse=True)):
                y = round(axis_y - DOT_RADIUS - 0.4 - level * step, 2)
                dots.append(Dot(_x(value), y, named))
    nn_x, mix_x = _x(row.noord_nederland), _x(row.sector_mix)
    mix_points = ""
    if mix_x is not None:
        r = MARKER_SIZE * 0.45
        corners = (
            (mix_x, axis_y - r),
            (mix_x + r, axis_y),
            (mix_x, axis_y + r),
            (mix_x - r, axis_y),
        )
        mix_points = " ".join(f"{x:.2f},{y:.2f}" for x, y in corners)
    return Plot(
        row=row,
        height=axis_y + 3,
        axis_y=axis_y,
        dots=dots,
        columns=columns,
        ticks=[_x(v) for v in range(SCALE_MIN, SCALE_MAX + 1)],
        mean_x=_x(row.mean),
        nn_box=None
        if nn_x is None
        else (round(nn_x - MARKER_SIZE / 2, 2), round(axis_y - MARKER_SIZE / 2, 2)),
        mix_points=mix_points,
    )


def group_report_context(*, leertafel: Leertafel) -> dict:
    """Everything the group report shows (a fixed number of queries)."""
    view = group_view(leertafel=leertafel)
    matrix = idea_matrix(leertafel_id=leertafel.pk)
    prompts: dict[str, list[str]] = {block: [] for block in BUILDING_BLOCKS}
    for block, text in DiscussionPrompt.objects.filter(leertafel=leertafel).values_list(
        "block", "text"
    ):
        prompts.setdefault(block, []).append(text)
    named = Participant.objects.filter(leertafel=leertafel).aggregate(
        named=Count("pk", filter=Q(show_name=True, scan__finished_at__isnull=False))
    )["named"]
    block_labels = {row.key: row.label for row in view.blocks}
    return {
        "leertafel": leertafel,
        "organisation": leertafel.organisation,
        "view": view,
        "block_plots": [_plot(row) for row in view.blocks],
        "statement_plots": [_plot(row) for row in view.statements],
        "koploper_rows": [row for row in view.blocks if row.koplopers],
        "named": named,
        "matrix": matrix,
        "prompts": [
            (block_labels.get(block) or indicator_label(block), texts)
            for block, texts in prompts.items()
            if texts
        ],
        "min_finished": GROUP_MIN_FINISHED,
        "dots_max": PLOT_DOTS_MAX,
        "koplopers_shown": KOPLOPERS_SHOWN,
        "small_group_n": SMALL_GROUP_N,
        "today": timezone.localdate(),
    }


def group_report_html(*, context: dict) -> str:
    """The group report's HTML (template advisers/group_report.html)."""
    return render_to_string("advisers/group_report.html", context)


# Rendering


def _render(
    *, leertafel: Leertafel, version: str, claim: str, still_current: Callable[[], bool]
) -> tuple[bytes, bool]:
    """Render a version this process has claimed; store it when it is still the current one.
    The PDF, and whether it was stored."""
    language = get_language() or "nl"
    key = _key(leertafel.pk, version, language)

    def progress(percent: int) -> None:
        _set_state(key, RUNNING, percent)
        cache.set(f"{key}:lock", claim, timeout=REPORT_RENDER_STALE_SECONDS)

    try:
        progress(5)
        context = group_report_context(leertafel=leertafel)
        progress(25)
        html = group_report_html(context=context)
        progress(40)
        content = report_render_pdf(html=html, progress=progress)
    except (KeyboardInterrupt, SystemExit):
        # Stopped from outside: not the report's fault; the next look queues it again.
        cache.delete_many([f"{key}:state", f"{key}:lock"])
        raise
    except BaseException:
        # Any failure, also WeasyPrint's FatalURLFetchingError (a BaseException).
        _set_state(key, FAILED)
        cache.delete(f"{key}:lock")
        raise
    stored = still_current()
    if stored:
        _store(leertafel_id=leertafel.pk, version=version, language=language, content=content)
    cache.delete_many([f"{key}:state", f"{key}:lock"])
    return content, stored


def _enough(leertafel: Leertafel) -> bool:
    return (
        Participant.objects.filter(leertafel=leertafel, scan__finished_at__isnull=False).count()
        >= GROUP_MIN_FINISHED
    )


def group_report_render_version(*, leertafel_id: int, version: str) -> str:
    """Render and keep one version of a leertafel's group report in the active language, if it is
    still the current version and not kept yet; what happened, in a word (the task's result)."""
    leertafel = Leertafel.objects.select_related("organisation").filter(pk=leertafel_id).first()
    if leertafel is None:
        return "deleted"
    if group_report_version(leertafel=leertafel) != version:
        return "outdated"
    if not _enough(leertafel):
        return "too few participants"
    key = _key(leertafel_id, version, get_language() or "nl")
    if _stored_pdf(key) is not None:
        return "stored"
    claim = _take(key)
    if claim is None:
        return "rendering elsewhere"

    def still_current() -> bool:
        return group_report_version(leertafel=leertafel) == version

    _, stored = _render(
        leertafel=leertafel, version=version, claim=claim, still_current=still_current
    )
    return "rendered" if stored else "outdated"


def group_report_pdf(*, leertafel: Leertafel) -> bytes:
    """The leertafel's group report as PDF bytes: kept, or rendered now and kept. When a worker
    renders the same version right now, wait for it a little instead of rendering it twice.
    The caller checks that there are enough finished participants."""
    version = group_report_version(leertafel=leertafel)
    key = _key(leertafel.pk, version, get_language() or "nl")
    stored = _stored_pdf(key)
    if stored is not None:
        return stored
    claim = _take(key)
    if claim is None:
        stored, claim = render_wait(load=lambda: _stored_pdf(key), take=lambda: _take(key))
        if stored is not None:
            return stored
    if claim is None:
        # Still held after the wait: render here without the claim rather than fail.
        claim = uuid.uuid4().hex

    def still_current() -> bool:
        return group_report_version(leertafel=leertafel) == version

    content, _ = _render(
        leertafel=leertafel, version=version, claim=claim, still_current=still_current
    )
    return content
