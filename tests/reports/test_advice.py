"""The advice engine: one fixture per rule, whole profiles, and the list's guarantees."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from benchmarks.selectors import COMPARABLE, GroupComparison
from leerscan.reports.advice import advise
from leerscan.scans.questions import NO, step_questions
from tests.personas import fact
from tests.reports.conftest import (
    BLOCKS,
    DLOQ,
    instruments,
    make_scan,
    results_of,
    strong_answers,
)

pytestmark = pytest.mark.django_db


def advice_with(items_change: dict | None = None, facts_change: dict | None = None, **kw):
    items, facts = strong_answers()
    items.update(items_change or {})
    facts[5].update(facts_change or {})
    return advise(results=results_of(make_scan(items, facts, **kw)), library=instruments())


def rules_fired(advice) -> set[str]:
    return {rule for rec in advice.recommendations for rule in rec.rules} - {
        "keep_strong",
        "balance",
    }


def keys(advice) -> list[str]:
    return [rec.instrument.key for rec in advice.recommendations]


def assert_guarantees(advice) -> None:
    recs = advice.recommendations
    assert 3 <= len(recs) <= 6
    assert len(set(keys(advice))) == len(recs)
    assert any(r.instrument.effort == "quick_win" for r in recs)
    assert any(r.instrument.effort == "structureel" for r in recs)
    assert all(r.why for r in recs)


def test_a_strong_firm_is_told_so_and_how_to_keep_it(library_loaded) -> None:
    advice = advice_with()
    assert advice.all_strong
    assert rules_fired(advice) == set()
    assert keys(advice) == ["lessen_vastleggen", "kennisinstellingen", "rendement_meten"]
    assert_guarantees(advice)


def test_a_weak_building_block_triggers_the_weak_spot_rule_only(library_loaded) -> None:
    # Taken 3 against the estimate 4.6 for Zakelijke Dienstverlening, 5-24: clearly lower.
    advice = advice_with({"taken": 3})
    assert rules_fired(advice) == {"weak_spot"}
    first = advice.recommendations[0]
    assert "taken" in first.instrument.building_blocks
    assert first.why == (
        "Uw organisatie scoort 3,0 op \u201cInhoud van het werk\u201d; "
        "vergelijkbare organisaties (schatting) scoren gemiddeld 4,6."
    )
    assert_guarantees(advice)


def test_measuring_the_return_always_gets_attention_when_low(library_loaded) -> None:
    # 3 is comparable with the estimate 2.9, but low on the scale: the monitor's weakest point.
    advice = advice_with({"meten_resultaten": 3})
    assert rules_fired(advice) == {"measure_return"}
    assert keys(advice)[0] == "rendement_meten"
    assert "3,0 in Noord-Nederland" in advice.recommendations[0].why
    assert_guarantees(advice)


def test_a_missing_arrangement_most_peers_have_triggers_the_arrangement_rule(library_loaded):
    advice = advice_with(facts_change={"functioneringsregeling": fact(choice=NO)})
    assert rules_fired(advice) == {"arrangement"}
    assert keys(advice)[0] == "functioneringsregeling"
    assert "74,8%" in advice.recommendations[0].why  # Tabel 4.7, 5-24 pp
    assert_guarantees(advice)


def test_a_missing_arrangement_few_peers_have_is_no_reason(library_loaded) -> None:
    # Only 25.2% of 5-24 pp have a promotion arrangement.
    advice = advice_with(facts_change={"promotieregeling": fact(choice=NO)})
    assert advice.all_strong


def test_an_obstacle_the_employer_agrees_with_triggers_the_obstacle_rule(library_loaded):
    advice = advice_with(facts_change={"belemmering_missen": fact(number=5)})
    assert rules_fired(advice) == {"obstacle"}
    assert keys(advice)[:2] == ["werkend_leren", "korte_modules"]
    assert "(5,0 van 6)" in advice.recommendations[0].why
    assert_guarantees(advice)


def test_private_life_as_obstacle_brings_training_in_working_time(library_loaded) -> None:
    advice = advice_with(facts_change={"belemmering_prive": fact(number=6)})
    assert "scholing_werktijd" in keys(advice)


def test_no_hr_department_brings_outside_support(library_loaded) -> None:
    advice = advice_with(facts_change={"hr_afdeling": fact(choice=NO)})
    assert rules_fired(advice) == {"no_hr"}
    assert keys(advice)[:2] == ["leer_ontwikkelcoach", "oo_fonds"]
    assert all(r.instrument.external_support for r in advice.recommendations[:2])
    assert_guarantees(advice)


def test_an_unused_practice_that_fits_a_weak_spot_comes_first(library_loaded) -> None:
    used = ["gesprekken", "feedback", "functieroulatie", "detachering_intern"]
    advice = advice_with({"taken": 3}, {"instrumenten": fact(choices=used)})
    assert rules_fired(advice) == {"weak_spot", "unused"}
    first = advice.recommendations[0]
    assert first.instrument.key in {"pop", "taakroulatie"}
    assert any("nauwelijks" in r or "40 procent" in r for r in first.reasons)


def test_a_low_score_that_peers_share_triggers_the_low_score_rule(library_loaded) -> None:
    items, facts = strong_answers()
    results = results_of(make_scan({**items, "samenwerken": 3}, facts))
    # Pretend similar organisations score 3.1 on samenwerken too: comparable, but low.
    row = next(r for r in results.building_blocks if r.key == "samenwerken")
    peer = GroupComparison(
        kind="estimate",
        group="zd|5-24",
        label="vergelijkbare organisaties (schatting)",
        n=None,
        value=Decimal("3.1"),
        difference=Decimal("-0.1"),
        classification=COMPARABLE,
        small_group=False,
        is_estimate=True,
    )
    row = dataclasses.replace(
        row,
        comparison=dataclasses.replace(row.comparison, groups=(*row.comparison.groups[:-1], peer)),
    )
    blocks = [row if r.key == "samenwerken" else r for r in results.building_blocks]
    advice = advise(
        results=dataclasses.replace(results, building_blocks=blocks), library=instruments()
    )
    assert rules_fired(advice) == {"low_score"}
    assert "schaal van 1 tot 6" in advice.recommendations[0].why
    assert_guarantees(advice)


def test_a_weak_small_firm_gets_this_list(library_loaded) -> None:
    items = {**dict.fromkeys(BLOCKS, 3), **dict.fromkeys(DLOQ, 3), "meten_resultaten": 2}
    facts = {
        5: {
            "promotieregeling": fact(choice=NO),
            "functioneringsregeling": fact(choice=NO),
            "scholingsregeling": fact(choice=NO),
            "hr_afdeling": fact(choice=NO),
            "instrumenten": fact(choices=["gesprekken"]),
            "belemmering_missen": fact(number=6),
            "belemmering_prive": fact(number=5),
        }
    }
    advice = advise(results=results_of(make_scan(items, facts)), library=instruments())
    assert not advice.all_strong
    assert keys(advice) == EXPECTED_WEAK
    assert_guarantees(advice)


# Every statement clearly below the estimate (90), unused practices first (+10), at most three
# per rule: POP, feedback, task rotation; measuring the return (100, the monitor's weakest point);
# then on-the-job learning (also answers "can't be missed", 6 of 6) and a coach (no HR department).
EXPECTED_WEAK = [
    "pop",
    "feedback_leidinggevenden",
    "taakroulatie",
    "rendement_meten",
    "werkend_leren",
    "leer_ontwikkelcoach",
]


def test_a_firm_that_knows_no_figures_gets_this_list(library_loaded) -> None:
    items = dict.fromkeys([*BLOCKS, *DLOQ], 4)
    facts = {
        step: dict.fromkeys([q.key for q in step_questions(step)], fact(dont_know=True))
        for step in (4, 5, 6)
    }
    advice = advise(results=results_of(make_scan(items, facts)), library=instruments())
    # "I don't know" is no evidence: only the statements drive the advice.
    assert rules_fired(advice) <= {"weak_spot", "low_score"}
    assert keys(advice) == EXPECTED_DONT_KNOW
    assert_guarantees(advice)


# 4 everywhere is clearly below the estimates (4.6-4.9) on the building blocks; with no known
# practice, obstacle or arrangement, the first instruments of the weak spots fill the list.
EXPECTED_DONT_KNOW = [
    "pop",
    "feedback_leidinggevenden",
    "werkend_leren",
    "leer_ontwikkelcoach",
    "interne_detachering",
    "teamoverleg_bedrijfsbezoek",
]


def test_the_advice_is_stable(library_loaded) -> None:
    first = advice_with({"taken": 3, "leiderschap": 3}, {"hr_afdeling": fact(choice=NO)})
    second = advice_with({"taken": 3, "leiderschap": 3}, {"hr_afdeling": fact(choice=NO)})
    assert keys(first) == keys(second)
    assert [r.reasons for r in first.recommendations] == [r.reasons for r in second.recommendations]
