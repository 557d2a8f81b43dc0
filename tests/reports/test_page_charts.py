"""The results page's charts: geometry in percent for the template, no drawing library."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from benchmarks.vocabulary import TOTAL
from leerscan.reports.page_charts import difference_chart, page_charts, scale_chart
from leerscan.reports.results import scan_results_for
from leerscan.scans import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(anna_scan):
    return scan_results_for(scan=services.scan_finish(scan=anna_scan))


def _percent(text: str) -> float:
    assert text.endswith("%")
    return float(text[:-1])


def test_it_draws_anna_s_3_as_two_fifths_of_the_scale(results) -> None:
    chart = scale_chart(rows=results.building_blocks)
    content = chart.rows[0]
    assert content.row.score == Decimal("3.0")
    assert _percent(content.own_width) == pytest.approx(0.4 * 97)
    assert [tick.value for tick in chart.ticks] == [1, 2, 3, 4, 5, 6]
    assert [tick.anchor for tick in chart.ticks][::5] == ["start", "end"]


def test_it_marks_the_estimate_and_noord_nederland_apart(results) -> None:
    chart = scale_chart(rows=results.building_blocks)
    assert chart.peer.is_estimate
    assert chart.region is not None and chart.region.n == 786
    content = chart.rows[0]
    assert content.peer_x != content.region_x
    assert content.region.kind == TOTAL


def test_it_leaves_out_noord_nederland_when_it_is_the_closest_group(results) -> None:
    rows = [
        replace(
            row,
            comparison=replace(row.comparison, groups=(row.comparison.group(TOTAL),)),
        )
        for row in results.building_blocks
    ]
    chart = scale_chart(rows=rows)
    assert chart.region is None
    assert all(bar.region_x == "" and bar.region is None for bar in chart.rows)


def test_it_draws_a_lower_score_left_of_the_middle(results) -> None:
    chart = difference_chart(rows=[*results.building_blocks, *results.dloq])
    content = chart.rows[0]
    assert content.row.comparison.peer.difference == Decimal("-1.6")
    middle = _percent(chart.zero_x)
    assert middle == pytest.approx(50)
    # The limit is 2 (the largest difference is 1.9): -1.6 reaches 80% of the way to the left.
    assert _percent(content.bar_x) == pytest.approx(middle - 0.8 * 48.5)
    assert _percent(content.bar_width) == pytest.approx(0.8 * 48.5)
    assert str(chart.ticks[0].value) == "-2.0" and str(chart.ticks[-1].value) == "2.0"
    # A phone shows only the whole numbers' labels.
    assert [float(tick.value) for tick in chart.ticks if not tick.minor] == [-2, -1, 0, 1, 2]


def test_it_widens_the_axis_in_whole_steps_for_a_large_difference(results) -> None:
    row = results.building_blocks[0]
    peer = replace(row.comparison.peer, difference=Decimal("-2.4"))
    far = replace(row, comparison=replace(row.comparison, groups=(peer,)))
    chart = difference_chart(rows=[far])
    assert [float(tick.value) for tick in chart.ticks] == [-3, -2, -1, 0, 1, 2, 3]


def test_it_draws_no_bar_without_an_answer(results) -> None:
    row = replace(results.dloq[0], score=None)
    row = replace(
        row,
        comparison=replace(row.comparison, groups=(replace(row.comparison.peer, difference=None),)),
    )
    chart = difference_chart(rows=[row])
    assert chart.rows[0].bar_width == ""


def test_it_gives_the_page_both_charts(results) -> None:
    charts = page_charts(results=results)
    assert len(charts.building_blocks.rows) == 6
    assert len(charts.differences.rows) == 11
