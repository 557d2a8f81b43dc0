"""The progress of a client as a chart and as an A4 PDF (the progress report).

The chart is drawn like the results' charts (leerscan/reports/charts.py: its matplotlib settings,
lock and SVG writer): per building block or statement a dot at the intake, an arrow to the latest
round and the benchmark's mark. The PDF is the owner's report machinery (leerscan/reports/pdf.py:
the sealed URL fetcher, the shared fonts, report.css) with its own template.

It is short (two or three pages, under a second to render), so it is rendered when downloaded,
and kept as an output of the background layer (leerscan/background, kind "progress_report") per
client, version and language: the version is a fingerprint of the rounds (which scans, their
answers' versions, finished or not, the benchmark set's digest) and the action plan, so a round
that finishes or an action that moves gives a new version, which replaces the older PDF once it
is made. The row belongs to the client and goes with it.
"""

from __future__ import annotations

import hashlib
import textwrap

import matplotlib as mpl
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from benchmarks.vocabulary import DIFFERENCE_THRESHOLDS, SCALE_1_6, SCALE_MAX, SCALE_MIN
from leerscan.background.kinds import Kind, Made
from leerscan.background.services import output_make_now
from leerscan.coaching.models import ActionItem, Client, Measurement
from leerscan.coaching.progress import Progress, ProgressRow, client_progress
from leerscan.reports.charts import (
    _RC,
    _RENDER_LOCK,
    COMPARABLE_GREY,
    ESTIMATE_BLUE,
    GRID_COLOUR,
    LOWER_RED,
    OWN_GREEN,
    _plain,
    _to_svg,
    svg_data_uri,
)
from leerscan.reports.pdf import report_render_pdf


def progress_chart_svg(*, rows: list[ProgressRow], title: str, first: str, latest: str) -> str:
    """Per row a dot at the intake, an arrow to the latest round and the benchmark's mark."""
    labels = [_plain(textwrap.fill(row.label, width=34)) for row in rows]
    with _RENDER_LOCK, mpl.rc_context(_RC):
        figure = Figure(figsize=(7.0, 0.5 * len(rows) + 1.2))
        width, height = figure.get_size_inches()
        figure.subplots_adjust(
            left=2.7 / width, right=1 - 0.2 / width, bottom=0.85 / height, top=1 - 0.15 / height
        )
        ax = figure.add_subplot()
        ax.set_xlim(SCALE_MIN - 0.1, SCALE_MAX + 0.1)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xticks(range(SCALE_MIN, SCALE_MAX + 1))
        ax.set_yticks(range(len(rows)), labels=labels)
        ax.tick_params(axis="y", length=0, pad=6)
        ax.tick_params(axis="x", labelsize=8, colors=COMPARABLE_GREY)
        ax.grid(axis="x", color=GRID_COLOUR, linewidth=0.6)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.spines["bottom"].set_color(GRID_COLOUR)
        for y, row in enumerate(rows):
            _draw_row(ax, y, row)
        handles = [
            Line2D([], [], color=COMPARABLE_GREY, marker="o", markerfacecolor="white",
                   linestyle="none", markersize=7, label=first),
            Line2D([], [], color=OWN_GREEN, marker="o", linestyle="none", markersize=7,
                   label=latest),
            Line2D([], [], color=ESTIMATE_BLUE, marker="|", linestyle="none", markersize=12,
                   markeredgewidth=2, label=_plain(str(_("benchmark")))),
        ]  # fmt: skip
        figure.legend(
            handles=handles,
            loc="lower center",
            bbox_to_anchor=(0.5, 0.0),
            ncols=3,
            frameon=False,
            fontsize=8.5,
        )
        return _to_svg(figure, title=title)


def _draw_row(ax, y: int, row: ProgressRow) -> None:
    if row.peer is not None:
        ax.plot([float(row.peer.value)], [y], marker="|", markersize=14, markeredgewidth=2,
                color=ESTIMATE_BLUE, zorder=2)  # fmt: skip
    first, latest = row.first, row.latest
    if first is not None:
        ax.plot([float(first)], [y], marker="o", markersize=8, color=COMPARABLE_GREY,
                markerfacecolor="white", markeredgewidth=1.5, zorder=4)  # fmt: skip
    if latest is None or len(row.scores) < 2:
        return
    colour = LOWER_RED if row.change.declined else OWN_GREEN
    if first is not None and abs(float(latest) - float(first)) >= 0.05:
        ax.annotate(
            "",
            xy=(float(latest), y),
            xytext=(float(first), y),
            arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 1.6,
                        "shrinkA": 5, "shrinkB": 4},
            zorder=3,
        )  # fmt: skip
    ax.plot([float(latest)], [y], marker="o", markersize=8, color=colour,
            markeredgecolor="white", markeredgewidth=0.8, zorder=5)  # fmt: skip


def progress_charts(*, progress: Progress) -> dict[str, str]:
    """The two charts (building blocks, statements) as data URIs; empty before a follow-up."""
    if not progress.has_followup:
        return {}
    first, latest = progress.rounds[0].label, progress.rounds[-1].label
    legend_first = _("intake (%(round)s)") % {"round": first}
    legend_latest = _("latest (%(round)s)") % {"round": latest}
    charts = {}
    for name, rows, title in (
        ("blocks", progress.building_blocks, _("Building blocks: intake and latest round")),
        ("statements", progress.dloq, _("Statements: intake and latest round")),
    ):
        svg = progress_chart_svg(rows=rows, title=title, first=legend_first, latest=legend_latest)
        charts[name] = svg_data_uri(svg)
    return charts


# The report


def progress_report_version(*, client: Client) -> str:
    """A fingerprint of everything the progress report shows (two queries)."""
    rounds = list(
        Measurement.objects.filter(client=client)
        .order_by("round")
        .values_list(
            "round",
            "scan_id",
            "scan__answers_version",
            "scan__finished_at",
            "scan__benchmark_set__content_hash",
        )
    )
    actions = ActionItem.objects.filter(client=client).aggregate(
        count=Count("pk"), last=Max("pk"), changed=Max("updated_at")
    )
    parts = (
        client.pk,
        client.name,
        client.updated_at.isoformat(),
        [(r, s, v, f.isoformat() if f else None, b) for r, s, v, f, b in rounds],
        actions["count"],
        actions["last"],
        actions["changed"].isoformat() if actions["changed"] else None,
    )
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


def progress_report_context(*, client: Client, progress: Progress | None = None) -> dict:
    """Everything the progress report (and page) shows."""
    progress = progress or client_progress(client=client)
    return {
        "client": client,
        "progress": progress,
        "charts": progress_charts(progress=progress),
        "somewhat": DIFFERENCE_THRESHOLDS[SCALE_1_6][0],
        "clearly": DIFFERENCE_THRESHOLDS[SCALE_1_6][1],
        "today": timezone.localdate(),
    }


def _progress_report_make(client: Client, _params: dict, _progress) -> Made:
    html = render_to_string("coaching/progress_report.html", progress_report_context(client=client))
    return Made(files={"pdf": report_render_pdf(html=html)})


PROGRESS_REPORT = Kind("progress_report", make=_progress_report_make, files=("pdf",))


def progress_report_pdf(*, client: Client) -> bytes:
    """The client's progress report as PDF bytes: kept for this version and the active
    language, or rendered now and kept."""
    return output_make_now(
        kind=PROGRESS_REPORT.name, subject=client, key=progress_report_version(client=client)
    )
