"""A leertafel's group report: the PDF an adviser takes home after the session.

It is the owner's report machinery (leerscan/reports/pdf.py: the sealed URL fetcher, the shared
FontConfiguration, the report stylesheet) with its own template, advisers/group_report.html, fed
by the group figures (leerscan/advisers/group.py), the matrix (leerscan/advisers/ideas.py) and the
leertafel's discussion prompts. Like the owner's report it is rendered in the background
(leerscan/advisers/tasks.py) and downloaded at once when done, or rendered at once when not.

Where it is kept. As an output of the background layer (leerscan/background, kind
"group_report"): a database row of the leertafel, per report version and language, deleted with
the leertafel, and kept GROUP_REPORT_KEEP_SECONDS after it was made; a newer version replaces the
older one once it is made. The row's state tells how far a render is, and the layer's stale and
retry rules apply (a killed worker's render is taken over).

A report version is a fingerprint of everything the report shows: the group figures' version
(participants joining, answering, finishing, consenting; the prompts; the leertafel), the matrix's
version and the leertafel's date and place. Nothing is rendered below GROUP_MIN_FINISHED finished
participants (the callers check).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from benchmarks.selectors import RECOMMENDATION_KEYS, TWO_MEASURES_KEY, monitor_sentences
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
from leerscan.background.kinds import Kind, Made
from leerscan.background.services import OutputStatus, output_make_now, output_status
from leerscan.constants import GROUP_MIN_FINISHED, GROUP_REPORT_KEEP_SECONDS, KOPLOPERS_SHOWN
from leerscan.reports.pdf import report_render_pdf

# What is drawn: the dot strips of the 1-6 scale (SVG units; the strip is 100 wide).
PLOT_LEFT, PLOT_RIGHT = 4, 96
DOT_RADIUS = 1.8
PLOT_STACK_HEIGHT = 14  # room above the axis for the dots of one value
# Above this many participants a value's dots are drawn as one column (its height tells how many
# gave that value, its filled part how many of them are named): WeasyPrint lays out every SVG
# element, and 200 dots on each of eleven rows took seconds (docs/performance.md).
PLOT_DOTS_MAX = 30
MARKER_SIZE = 3.4  # Noord-Nederland's open square, on the axis; the sector mix's diamond fits in it


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


def group_report_status(*, leertafel: Leertafel, version: str | None = None) -> OutputStatus:
    """How far the group report of the leertafel's current version in the active language is."""
    version = version or group_report_version(leertafel=leertafel)
    return output_status(kind=GROUP_REPORT_KIND, subject=leertafel, key=version)


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
        # The monitor's recommendations 1-3 and its Box 4.2, from the edition of the figures.
        "monitor": monitor_sentences(
            keys=(*RECOMMENDATION_KEYS, TWO_MEASURES_KEY),
            language=get_language() or "nl",
            slug=view.edition_slug,
        ),
    }


def group_report_html(*, context: dict) -> str:
    """The group report's HTML (template advisers/group_report.html)."""
    return render_to_string("advisers/group_report.html", context)


# Rendering (by the background layer, in the worker or at a download)


def _group_report_make(leertafel: Leertafel, _params: dict, progress) -> Made:
    progress(5)
    context = group_report_context(leertafel=leertafel)
    progress(25)
    html = group_report_html(context=context)
    progress(40)
    return Made(files={"pdf": report_render_pdf(html=html, progress=progress)})


def _group_report_current(leertafel: Leertafel, key: str) -> bool:
    """A queued version is still worth making: nothing it shows changed since (a participant who
    finished, answered again or changed their consent makes a new version)."""
    return key == group_report_version(leertafel=leertafel)


GROUP_REPORT_KIND = "group_report"
GROUP_REPORT = Kind(
    GROUP_REPORT_KIND,
    make=_group_report_make,
    files=("pdf",),
    keep_seconds=GROUP_REPORT_KEEP_SECONDS,
    is_current=_group_report_current,
)


def group_report_pdf(*, leertafel: Leertafel) -> bytes:
    """The leertafel's group report as PDF bytes: kept, or rendered now and kept. When a worker
    renders the same version right now, wait for it a little instead of rendering it twice.
    The caller checks that there are enough finished participants."""
    version = group_report_version(leertafel=leertafel)
    return output_make_now(kind=GROUP_REPORT_KIND, subject=leertafel, key=version)
