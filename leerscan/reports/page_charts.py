"""The results page's charts as geometry for the template: bars and marks placed in percent.

The page draws them as HTML with inline SVG (templates/reports/_scale_chart.html and
_difference_chart.html): the values are real text at the page's size, the SVG only draws the bars,
and its widths and positions are attributes, since the site's CSP allows no inline styles. Nothing
is drawn with matplotlib in the request; that stays for the PDF (leerscan/reports/charts.py),
which the task worker renders.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from benchmarks.selectors import GroupComparison
from benchmarks.vocabulary import DIFFERENCE_THRESHOLDS, SCALE_1_6, SCALE_MAX, SCALE_MIN, TOTAL
from leerscan.reports.results import Results, ScoreRow

# A line drawn at 0% or 100% would be cut in half by the SVG's edge: the scale keeps this margin.
_EDGE = 1.5


def _percent(fraction: float) -> str:
    """A position across the chart (0-1) as an SVG length, inside the edge margins."""
    fraction = min(max(fraction, 0.0), 1.0)
    return f"{_EDGE + fraction * (100 - 2 * _EDGE):.2f}%"


def _width(fraction: float) -> str:
    return f"{abs(fraction) * (100 - 2 * _EDGE):.2f}%"


@dataclass(frozen=True)
class Tick:
    x: str  # "41.20%"
    value: Decimal
    anchor: str  # SVG text-anchor: the outer ticks stay inside the chart

    @property
    def minor(self) -> bool:
        """A tick between whole numbers, whose label a phone leaves out (they would touch)."""
        return self.value != self.value.to_integral_value()


@dataclass(frozen=True)
class ScaleRow:
    """One building block on the 1-6 scale: your bar, the comparison groups as marks."""

    row: ScoreRow
    own_width: str  # "" without a score
    peer_x: str
    region_x: str  # "" when Noord-Nederland is the closest group itself

    @property
    def region(self) -> GroupComparison | None:
        return self.row.comparison.group(TOTAL) if self.region_x else None


@dataclass(frozen=True)
class ScaleChart:
    rows: list[ScaleRow]
    ticks: list[Tick]
    peer: GroupComparison
    region: GroupComparison | None


@dataclass(frozen=True)
class DifferenceRow:
    """One row's score minus the closest group's value, as a bar from the middle."""

    row: ScoreRow
    bar_x: str  # "" without a difference
    bar_width: str


@dataclass(frozen=True)
class DifferenceChart:
    rows: list[DifferenceRow]
    ticks: list[Tick]
    peer: GroupComparison
    band_x: str  # the band of "comparable" differences
    band_width: str
    clearly_x: tuple[str, str]  # the lines from where a difference is clear
    zero_x: str
    somewhat: Decimal
    clearly: Decimal


@dataclass(frozen=True)
class PageCharts:
    building_blocks: ScaleChart
    differences: DifferenceChart


def _on_scale(value: Decimal | None) -> float:
    return 0.0 if value is None else (float(value) - SCALE_MIN) / (SCALE_MAX - SCALE_MIN)


def _ticks(values: list[Decimal], place) -> list[Tick]:
    last = len(values) - 1
    return [
        Tick(
            x=place(value),
            value=value,
            anchor="start" if index == 0 else "end" if index == last else "middle",
        )
        for index, value in enumerate(values)
    ]


def scale_chart(*, rows: list[ScoreRow]) -> ScaleChart:
    """The building blocks against the closest group and Noord-Nederland (the web's radar)."""
    peer = rows[0].comparison.peer
    # Noord-Nederland is a mark of its own unless it is already the closest group.
    show_region = peer.kind != TOTAL and rows[0].comparison.group(TOTAL) is not None
    chart_rows = []
    for row in rows:
        region = row.comparison.group(TOTAL)
        chart_rows.append(
            ScaleRow(
                row=row,
                own_width="" if row.score is None else _width(_on_scale(row.score)),
                peer_x=_percent(_on_scale(row.comparison.peer.value)),
                region_x=_percent(_on_scale(region.value)) if show_region and region else "",
            )
        )
    return ScaleChart(
        rows=chart_rows,
        ticks=_ticks(
            [Decimal(v) for v in range(SCALE_MIN, SCALE_MAX + 1)],
            lambda value: _percent(_on_scale(value)),
        ),
        peer=peer,
        region=rows[0].comparison.group(TOTAL) if show_region else None,
    )


def difference_chart(*, rows: list[ScoreRow]) -> DifferenceChart:
    """Your score minus the closest group's per row, with the band of comparable differences."""
    somewhat, clearly = DIFFERENCE_THRESHOLDS[SCALE_1_6]
    differences = [row.comparison.peer.difference for row in rows]
    largest = max((abs(float(d)) for d in differences if d is not None), default=0.0)
    # Symmetric around 0, wide enough for the "clearly" lines and the longest bar; ticks every
    # 0.5 up to 2, beyond that every 1 (as the PDF's chart). The values are text beside the
    # labels, so the bars need no room for them.
    limit = max(1.0, math.ceil(largest * 2) / 2, float(clearly))
    step = 0.5 if limit <= 2 else 1.0
    limit = math.ceil(limit / step) * step

    def place(value: Decimal | float) -> str:
        return _percent((float(value) + limit) / (2 * limit))

    chart_rows = []
    for row, difference in zip(rows, differences, strict=True):
        if difference is None or row.score is None:
            chart_rows.append(DifferenceRow(row=row, bar_x="", bar_width=""))
            continue
        start = min(float(difference), 0.0)
        chart_rows.append(
            DifferenceRow(
                row=row,
                bar_x=place(start),
                bar_width=_width(float(difference) / (2 * limit)),
            )
        )
    count = round(limit / step)
    return DifferenceChart(
        rows=chart_rows,
        ticks=_ticks([Decimal(str(step * index)) for index in range(-count, count + 1)], place),
        peer=rows[0].comparison.peer,
        band_x=place(-somewhat),
        band_width=_width(float(2 * somewhat) / (2 * limit)),
        clearly_x=(place(-clearly), place(clearly)),
        zero_x=place(0),
        somewhat=somewhat,
        clearly=clearly,
    )


def page_charts(*, results: Results) -> PageCharts:
    """The results page's two charts: cheap arithmetic, drawn by the template."""
    return PageCharts(
        building_blocks=scale_chart(rows=results.building_blocks),
        differences=difference_chart(rows=[*results.building_blocks, *results.dloq]),
    )
