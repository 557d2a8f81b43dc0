"""Comparing an organisation's value with the monitor's groups: worked examples by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from benchmarks.profiles import profile_groups
from benchmarks.selectors import (
    CLEARLY_HIGHER,
    CLEARLY_LOWER,
    COMPARABLE,
    SOMEWHAT_HIGHER,
    SOMEWHAT_LOWER,
    BenchmarkLookup,
    classify,
    indicator_comparison,
)

pytestmark = pytest.mark.django_db


def _by_kind(comparison) -> dict[str, tuple]:
    return {g.kind: (g.value, g.n, g.difference, g.classification) for g in comparison.groups}


def test_anna_scoring_3_on_content_of_work_is_clearly_below_similar_firms(
    benchmarks_loaded, anna
) -> None:
    # Tabel 4.5 "Taken": NN 4.2 (786), Groningen 4.3 (440), ZD 4.5 (182), 5-24 4.3 (563).
    # Estimate: 4.2 + (4.5 - 4.2) + (4.3 - 4.2) = 4.6.
    comparison = indicator_comparison(indicator="taken", value=Decimal("3.0"), profile=anna)
    assert comparison.table == "4.5"
    assert _by_kind(comparison) == {
        "total": (Decimal("4.2"), 786, Decimal("-1.2"), CLEARLY_LOWER),
        "province": (Decimal("4.3"), 440, Decimal("-1.3"), CLEARLY_LOWER),
        "sector": (Decimal("4.5"), 182, Decimal("-1.5"), CLEARLY_LOWER),
        "size": (Decimal("4.3"), 563, Decimal("-1.3"), CLEARLY_LOWER),
        "estimate": (Decimal("4.6"), None, Decimal("-1.6"), CLEARLY_LOWER),
    }
    assert comparison.peer.is_estimate
    assert comparison.peer.words == "duidelijk lager dan"
    assert comparison.benchmark_set == "monitor-llo-nn-2023"


def test_a_difference_of_exactly_two_tenths_counts_as_somewhat(benchmarks_loaded, anna) -> None:
    # Tabel 4.6 "meten resultaten": NN 3.0, Groningen 3.0, ZD 3.0, 5-24 2.9 -> estimate 2.9.
    # 2.7 - 2.9 is -0.2 exactly; binary floating point would make it -0.19999 ("comparable").
    comparison = indicator_comparison(indicator="meten_resultaten", value=2.7, profile=anna)
    assert comparison.peer.value == Decimal("2.9")
    assert comparison.peer.difference == Decimal("-0.2")
    assert comparison.peer.classification == SOMEWHAT_LOWER
    assert comparison.group("total").classification == SOMEWHAT_LOWER  # -0.3


def test_anna_without_a_performance_review_arrangement_lacks_what_most_peers_have(
    benchmarks_loaded, anna
) -> None:
    # Tabel 4.7 "functioneringsregeling": NN 79.4, ZD 85.2, 5-24 74.8 -> 79.4 + 5.8 - 4.6 = 80.6.
    comparison = indicator_comparison(indicator="functioneringsregeling", value=0, profile=anna)
    assert comparison.group("size").value == Decimal("74.8")
    assert comparison.peer.value == Decimal("80.6")
    assert comparison.peer.classification == CLEARLY_LOWER


def test_percentages_are_compared_in_percentage_points(benchmarks_loaded, anna) -> None:
    # Tabel 4.3 weighted participation: NN 50.8, ZD 46.1, 5-24 52.2 -> estimate 47.5.
    comparison = indicator_comparison(indicator="pct_deelname_gewogen", value=40, profile=anna)
    assert comparison.peer.value == Decimal("47.5")
    assert comparison.peer.difference == Decimal("-7.5")
    assert comparison.peer.classification == COMPARABLE  # under 10 points
    assert comparison.group("total").n == 854


def test_hours_are_compared_relative_to_the_group(benchmarks_loaded, anna) -> None:
    # Tabel 4.3 hours per participant (n = 760 for NN): NN 47.6, ZD 56.2, 5-24 47.6 -> 56.2.
    comparison = indicator_comparison(indicator="uren_per_deelnemer", value=30, profile=anna)
    assert comparison.table == "4.3"  # the table, not the sentence with the same number
    assert comparison.group("total").n == 760
    assert comparison.peer.value == Decimal("56.2")
    assert comparison.peer.difference == Decimal("-26.2")
    assert comparison.peer.classification == SOMEWHAT_LOWER  # 47% below


def test_a_number_from_the_text_is_compared_with_noord_nederland_only(benchmarks_loaded, anna):
    comparison = indicator_comparison(indicator="belang_leren", value=9, profile=anna)
    assert comparison.table == "text"
    assert [g.kind for g in comparison.groups] == ["total"]
    assert comparison.peer.value == Decimal("8.2")
    assert comparison.peer.classification == SOMEWHAT_HIGHER  # 0.8 on a 1-10 scale


def test_without_a_value_it_still_shows_every_group(benchmarks_loaded, anna) -> None:
    comparison = indicator_comparison(indicator="samenwerken", value=None, profile=anna)
    assert len(comparison.groups) == 5
    assert all(g.difference is None and g.classification is None for g in comparison.groups)


def test_small_groups_carry_a_note(benchmarks_loaded) -> None:
    profile = profile_groups(sbi_code="4711", employees=150, province="fryslan")
    comparison = indicator_comparison(indicator="leiderschap", value=5, profile=profile)
    flags = {g.kind: g.small_group for g in comparison.groups}
    # 100-199 pp has n = 41 in Tabel 4.5; the estimate leans on it, so it is flagged too.
    assert flags == {
        "total": False,
        "province": False,
        "sector": False,
        "size": True,
        "estimate": True,
    }
    # Estimate: 4.6 + (4.5 - 4.6) + (4.2 - 4.6) = 4.1.
    assert comparison.peer.value == Decimal("4.1")
    assert comparison.peer.classification == CLEARLY_HIGHER


def test_a_firm_below_five_sees_noord_nederland_and_sector_only(benchmarks_loaded) -> None:
    # DESIGN section 3: the monitor surveyed firms of five and more, its province groups too.
    profile = profile_groups(sbi_code="5610", employees=3, province="drenthe")
    comparison = indicator_comparison(indicator="taken", value=4, profile=profile)
    assert [g.kind for g in comparison.groups] == ["total", "sector"]
    assert comparison.peer.kind == "sector"


def test_a_firm_elsewhere_gets_no_province_row(benchmarks_loaded) -> None:
    profile = profile_groups(sbi_code="8610", employees=300, province="elders")
    comparison = indicator_comparison(indicator="taken", value=4, profile=profile)
    assert [g.kind for g in comparison.groups] == ["total", "sector", "size", "estimate"]


def test_one_lookup_serves_many_comparisons_with_one_query(
    benchmarks_loaded, anna, django_assert_num_queries
) -> None:
    BenchmarkLookup()  # the first lookup in a process also reads the values
    with django_assert_num_queries(1):
        lookup = BenchmarkLookup()
        for indicator in ("taken", "leiderschap", "meten_resultaten", "scholingsregeling"):
            indicator_comparison(indicator=indicator, value=4, profile=anna, lookup=lookup)


def test_a_reloaded_benchmark_file_is_read_again(benchmarks_loaded, anna, tmp_path) -> None:
    from django.core.management import call_command

    from benchmarks.loading import DATA_DIR

    assert BenchmarkLookup().get("4.5", "taken", "total", "noord-nederland").value == Decimal("4.2")
    corrected = tmp_path / "corrected.csv"
    corrected.write_text(
        (DATA_DIR / "monitor2023.csv")
        .read_text(encoding="utf-8")
        .replace(
            "4.5,taken,total,noord-nederland,786,4.2,", "4.5,taken,total,noord-nederland,786,4.1,"
        ),
        encoding="utf-8",
    )
    call_command(
        "benchmark_set_load",
        file=corrected,
        slug="monitor-llo-nn-2023",
        title="t",
        year=2023,
        verbosity=0,
    )
    assert BenchmarkLookup().get("4.5", "taken", "total", "noord-nederland").value == Decimal("4.1")


def test_an_unloaded_benchmark_set_is_reported_plainly(db) -> None:
    with pytest.raises(Exception, match="benchmark_set_load"):
        BenchmarkLookup("monitor-llo-nn-2099")


@pytest.mark.parametrize(
    ("difference", "unit", "reference", "expected"),
    [
        ("0.1", "scale_1_6", "4", COMPARABLE),
        ("-0.2", "scale_1_6", "4", SOMEWHAT_LOWER),
        ("0.4", "scale_1_6", "4", SOMEWHAT_HIGHER),
        ("0.5", "scale_1_6", "4", CLEARLY_HIGHER),
        ("-0.3", "scale_1_10", "8", COMPARABLE),
        ("-0.4", "scale_1_10", "8", SOMEWHAT_LOWER),
        ("1.0", "scale_1_10", "8", CLEARLY_HIGHER),
        ("9.9", "percent", "50", COMPARABLE),
        ("-10", "percent", "50", SOMEWHAT_LOWER),
        ("25", "percent", "50", CLEARLY_HIGHER),
        ("9", "hours", "50", COMPARABLE),
        ("10", "hours", "50", SOMEWHAT_HIGHER),
        ("-25", "hours", "50", CLEARLY_LOWER),
    ],
)
def test_it_classifies_at_the_named_thresholds(difference, unit, reference, expected) -> None:
    assert classify(Decimal(difference), unit=unit, reference=Decimal(reference)) == expected


def test_a_share_of_turnover_is_compared_relative_to_the_group(benchmarks_loaded) -> None:
    # The bakery (SBI 1071, 7 people, Fryslân) spends 1.5% of its turnover on learning.
    # Tabel 4.4: NN 4.5, Fryslân 3.2, Landbouw/Industrie 3.5, 5-24 4.4 -> estimate 3.4.
    # In percentage points -1.9 would be "comparable"; relative to 3.4 it is 56% below.
    bakery = profile_groups(sbi_code="1071", employees=7, province="fryslan")
    comparison = indicator_comparison(indicator="pct_omzet_leren", value="1.5", profile=bakery)
    assert comparison.unit == "percent"  # still shown as a percentage
    assert comparison.peer.value == Decimal("3.4")
    assert comparison.peer.difference == Decimal("-1.9")
    assert comparison.peer.classification == CLEARLY_LOWER
    assert comparison.group("province").classification == CLEARLY_LOWER  # -1.7 of 3.2


@pytest.mark.parametrize(
    ("difference", "reference", "expected"),
    [
        ("-1.4", "2.9", SOMEWHAT_LOWER),  # 1.5% against 2.9%: not "comparable"
        ("-0.5", "2.9", COMPARABLE),  # 17% below
        ("0.6", "2.9", SOMEWHAT_HIGHER),  # 21% above
        ("1.5", "2.9", CLEARLY_HIGHER),  # 52% above
        ("1.0", "0", CLEARLY_HIGHER),  # anything against nothing
    ],
)
def test_turnover_uses_its_own_relative_thresholds(difference, reference, expected) -> None:
    kwargs = {"unit": "percent", "reference": Decimal(reference)}
    assert classify(Decimal(difference), indicator="pct_omzet_leren", **kwargs) == expected
    # Other percentages keep percentage points: 1.4 points is comparable.
    if reference != "0":
        assert classify(Decimal(difference), indicator="pct_onder_werktijd", **kwargs) == COMPARABLE
