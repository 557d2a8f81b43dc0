"""The summary never contradicts the comparisons next to it (property test)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.models import BenchmarkSet
from benchmarks.selectors import BenchmarkLookup
from benchmarks.vocabulary import (
    BUILDING_BLOCKS,
    DIFFERENCE_THRESHOLDS,
    DLOQ_STATEMENTS,
    SCALE_1_6,
)
from leerscan.reports.results import scan_results
from leerscan.scans.models import Scan
from leerscan.scans.scores import Scores

pytestmark = pytest.mark.django_db

SOMEWHAT = DIFFERENCE_THRESHOLDS[SCALE_1_6][0]
scores = st.one_of(st.none(), st.integers(1, 6).map(Decimal), st.decimals("1", "6", places=2))
profiles = st.fixed_dictionaries(
    {
        "sbi_section": st.sampled_from(["A", "C", "G", "J", "Q", "1071", "25", "6202"]),
        "employees": st.integers(1, 5000),
        "province": st.sampled_from(["drenthe", "fryslan", "groningen", "elders"]),
    }
)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    profile=profiles,
    blocks=st.fixed_dictionaries(dict.fromkeys(BUILDING_BLOCKS, scores)),
    dloq=st.fixed_dictionaries(dict.fromkeys(DLOQ_STATEMENTS, scores)),
)
def test_no_strength_is_below_and_no_point_of_attention_above_its_comparison(
    benchmarks_loaded, profile, blocks, dloq
) -> None:
    benchmark_set = BenchmarkSet.objects.get()
    scan = Scan(**profile, benchmark_set=benchmark_set)  # never saved: only its profile is read
    results = scan_results(
        scan=scan,
        scores=Scores(building_blocks=blocks, deepening={}, dloq=dloq, facts={}),
        lookup=BenchmarkLookup(benchmark_set.slug),
    )
    for row in results.strengths:
        assert row.comparison.peer.difference >= SOMEWHAT
        assert "higher" in row.comparison.peer.classification
    for row in results.attention:
        assert row.comparison.peer.difference <= -SOMEWHAT
        assert "lower" in row.comparison.peer.classification
    assert not {r.key for r in results.strengths} & {r.key for r in results.attention}
    assert len(results.strengths) <= 3 and len(results.attention) <= 3
    # Up to three of what qualifies are listed; when nothing qualifies, nothing is promoted.
    scored = [r for r in results.scored_rows if r.score is not None]
    higher = [r for r in scored if r.comparison.peer.difference >= SOMEWHAT]
    lower = [r for r in scored if r.comparison.peer.difference <= -SOMEWHAT]
    assert len(results.strengths) == min(3, len(higher))
    assert len(results.attention) == min(3, len(lower))
