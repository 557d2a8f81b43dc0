"""The advice engine: one fixture per rule, whole profiles, the list's guarantees, and the advice
the three owners of issue 8 get (Anna, Baukje's bakery, Martin's metal firm)."""

from __future__ import annotations

import itertools

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from benchmarks.profiles import GroupProfile
from benchmarks.selectors import CLEARLY_LOWER, BenchmarkLookup, indicator_comparison
from benchmarks.vocabulary import GROUPS, PROVINCE, SECTOR, SIZE
from leerscan.constants import LOW_SCORE
from leerscan.reports.advice import advise
from leerscan.reports.models import RegionalSupport
from leerscan.reports.selectors import scan_advice
from leerscan.scans.questions import NO, step_questions
from tests.personas import fact
from tests.personas_more import (
    BAKERY_FACTS,
    BAKERY_ITEMS,
    BAKERY_PROFILE,
    METAL_FACTS,
    METAL_PROFILE,
    finished_scan,
)
from tests.reports.conftest import (
    BLOCKS,
    DLOQ,
    instruments,
    make_scan,
    results_of,
    strong_answers,
)

pytestmark = pytest.mark.django_db


def advice_with(
    items_change: dict | None = None,
    facts_change: dict | None = None,
    facts4: dict | None = None,
    **kw,
):
    items, facts = strong_answers()
    items.update(items_change or {})
    facts[5].update(facts_change or {})
    if facts4:
        facts[4] = facts4
    if facts[5]["hr_afdeling"] == fact(choice=NO):
        del facts[5]["hr_leren"]  # asked only of firms with an HR department
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
    # Anna's firm has 12 people: a small firm, where a coach comes first. Its sector (SBI 6202) has
    # no fund in the support data, and without that data no fund is named at all.
    advice = advice_with(facts_change={"hr_afdeling": fact(choice=NO)})
    assert rules_fired(advice) == {"no_hr"}
    assert keys(advice)[0] == "leer_ontwikkelcoach"
    assert "oo_fonds" not in keys(advice)
    assert advice.recommendations[0].why.startswith("U heeft geen HR-afdeling")
    assert_guarantees(advice)


def test_an_unused_practice_that_fits_a_weak_spot_comes_first(library_loaded) -> None:
    used = ["gesprekken", "feedback", "functieroulatie", "detachering_intern"]
    advice = advice_with({"taken": 3}, {"instrumenten": fact(choices=used)})
    assert rules_fired(advice) == {"weak_spot", "unused"}
    first = advice.recommendations[0]
    assert first.instrument.key in {"pop", "taakroulatie"}
    assert any("nauwelijks" in r or "40 procent" in r for r in first.reasons)


def test_a_low_score_is_always_a_clearly_weak_spot_so_no_low_score_rule_is_needed(
    benchmarks_loaded,
) -> None:
    # The premise on which the old `low_score` rule was removed (advice.py's docstring): for every
    # profile, a score of LOW_SCORE on any building block or statement other than measuring the
    # return is "clearly lower" than the closest group, so the weak_spot rule takes it.
    lookup = BenchmarkLookup()
    for sector, size, province in itertools.product(
        [None, *GROUPS[SECTOR]], [None, *GROUPS[SIZE]], [None, *GROUPS[PROVINCE]]
    ):
        profile = GroupProfile(sector=sector, size=size, province=province)
        for key in [*BLOCKS, *DLOQ]:
            if key == "meten_resultaten":
                continue
            peer = indicator_comparison(
                indicator=key, value=LOW_SCORE, profile=profile, lookup=lookup
            ).peer
            assert peer.classification == CLEARLY_LOWER, (key, profile, peer.value)


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
# on-the-job learning (it answers "can't be missed", 6 of 6, which in a small firm without an HR
# department weighs 75 + 10 + 15 = 100); and a coach (no HR department, 95, always in the list of
# a small firm without one). Appraisal interviews are in use, so they are not recommended.
EXPECTED_WEAK = [
    "pop",
    "feedback_leidinggevenden",
    "werkend_leren",
    "taakroulatie",
    "rendement_meten",
    "leer_ontwikkelcoach",
]


def test_a_firm_that_knows_no_figures_gets_this_list(library_loaded) -> None:
    items = dict.fromkeys([*BLOCKS, *DLOQ], 4)
    facts = {
        step: dict.fromkeys(
            [q.key for q in step_questions(step) if q.key != "hr_leren"], fact(dont_know=True)
        )
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


# The three owners of issue 8, with the support data as the pages use it.


@pytest.fixture
def bakery(scan_data):
    """Baukje's bakery (tests/personas_more.py): 7 people in Fryslân, 2s and 3s, no HR."""
    return finished_scan(BAKERY_PROFILE, BAKERY_ITEMS, BAKERY_FACTS)


@pytest.fixture
def metal(scan_data):
    """Martin's metal firm (tests/personas_more.py): 150 people in Drenthe, HR, 5s."""
    return finished_scan(METAL_PROFILE, dict.fromkeys([*BLOCKS, *DLOQ], 5), METAL_FACTS)


def persona_advice(scan):
    return scan_advice(results=results_of(scan))


def bakery_with(facts_change: dict | None = None, **profile_change):
    """Baukje's bakery, finished, with some answers of step 4 or 5 changed."""
    facts = {step: dict(answers) for step, answers in BAKERY_FACTS.items()}
    for key, value in (facts_change or {}).items():
        step = 4 if key in facts[4] else 5
        facts[step][key] = value
    return finished_scan({**BAKERY_PROFILE, **profile_change}, BAKERY_ITEMS, facts)


def metal_with(facts_change: dict | None = None, **profile_change):
    """Martin's metal firm, finished, with some answers of step 4 or 5 changed."""
    facts = {step: dict(answers) for step, answers in METAL_FACTS.items()}
    for key, value in (facts_change or {}).items():
        step = 4 if key in facts[4] else 5
        facts[step][key] = value
    if facts[5]["hr_afdeling"] == fact(choice=NO):
        del facts[5]["hr_leren"]  # asked only of firms with an HR department
    items = dict.fromkeys([*BLOCKS, *DLOQ], 5)
    return finished_scan({**METAL_PROFILE, **profile_change}, items, facts)


@pytest.mark.parametrize("persona", ["anna_scan", "bakery", "metal"])
def test_it_never_recommends_what_the_employer_already_has(persona, request) -> None:
    results = results_of(request.getfixturevalue(persona))
    advice = scan_advice(results=results)
    in_use = {row.key for row in results.instruments if row.chosen}
    arrangements = {row.key for row in results.arrangements if row.has}
    assert in_use  # every persona uses at least one practice
    for rec in advice.recommendations:
        assert not set(rec.instrument.instruments_in_use) & in_use, rec.instrument.key
        assert not set(rec.instrument.arrangements) & arrangements, rec.instrument.key
    assert_guarantees(advice)


def test_a_firm_with_a_pop_and_appraisal_interviews_is_not_told_to_start_either(
    library_loaded,
) -> None:
    # Weak on exactly what a POP and appraisal interviews serve: before, "start a POP" came first.
    advice = advice_with(
        {"leiderschap": 3, "feedback_reflectie": 3},
        {"instrumenten": fact(choices=["pop", "gesprekken"])},
    )
    assert not {"pop", "functioneringsgesprekken"} & set(keys(advice))
    assert "weak_spot" in advice.recommendations[0].rules
    assert_guarantees(advice)


def test_the_metal_firm_is_not_told_to_start_what_it_uses(metal) -> None:
    advice = persona_advice(metal)
    used = {"pop", "functioneringsgesprekken", "feedback_leidinggevenden", "taakroulatie"}
    assert not used & set(keys(advice))
    # Nor the arrangements it has.
    assert not {"promotieregeling", "functioneringsregeling", "scholingsregeling"} & set(
        keys(advice)
    )


def test_the_bakery_gets_a_coach_and_its_sector_fund(bakery) -> None:
    advice = persona_advice(bakery)
    assert {"leer_ontwikkelcoach", "oo_fonds"} <= set(keys(advice))
    fund = next(r for r in advice.recommendations if r.instrument.key == "oo_fonds")
    assert "Sociaal Fonds Bakkersbedrijf" in " ".join(fund.shown_reasons)
    assert [s.key for s in advice.sector_funds] == ["sociaal_fonds_bakkersbedrijf"]
    assert_guarantees(advice)


def test_a_small_firm_without_hr_keeps_its_coach_among_many_weak_spots(library_loaded) -> None:
    # Weak everywhere, all practices unused, obstacles strong: outside support still makes it.
    items = {**dict.fromkeys(BLOCKS, 2), **dict.fromkeys(DLOQ, 2)}
    facts = {
        5: {
            "hr_afdeling": fact(choice=NO),
            "instrumenten": fact(choices=["geen"]),
            "belemmering_missen": fact(number=6),
            "belemmering_onwil": fact(number=6),
            "belemmering_weinig_vraag": fact(number=6),
        }
    }
    advice = scan_advice(results=results_of(make_scan(items, facts, profile=BAKERY_PROFILE)))
    assert {"leer_ontwikkelcoach", "oo_fonds"} <= set(keys(advice))
    assert_guarantees(advice)


def test_a_firm_of_seven_gets_nothing_that_needs_departments(library_loaded) -> None:
    # Weak on exactly what job rotation and secondment serve, using no practice at all.
    weak = {"taken": 2, "samenwerken": 2, "organisatie_inrichting": 2}
    facts = {"instrumenten": fact(choices=["geen"])}
    small = advice_with(weak, facts, profile={**BAKERY_PROFILE, "employees": 7})
    assert not [r.instrument.key for r in small.recommendations if r.instrument.needs_departments]
    # The same answers from a firm of 12 do get them: it is the size that keeps them out.
    larger = advice_with(weak, facts, profile={**BAKERY_PROFILE, "employees": 12})
    assert {"functieroulatie", "interne_detachering"} & set(keys(larger))


def test_the_bakery_gets_nothing_that_needs_departments(bakery) -> None:
    advice = persona_advice(bakery)
    assert not any(r.instrument.needs_departments for r in advice.recommendations)


@pytest.mark.parametrize(
    ("employees", "says", "never"),
    [
        (7, "like most small organisations", "large organisation"),
        (150, "You have no HR department. Help from outside", "small organisations"),
        (250, "almost every large organisation has one", "small organisations"),
    ],
)
def test_the_no_hr_reason_fits_the_firms_size(library_loaded, employees, says, never) -> None:
    scan = metal_with({"hr_afdeling": fact(choice=NO)}, employees=employees)
    with translation.override("en"):
        advice = persona_advice(scan)
    reasons = [reason for rec in advice.recommendations for reason in rec.reasons]
    assert any(says in reason for reason in reasons)
    assert not any(never in reason for reason in reasons)


def test_the_small_organisations_sentence_is_never_shown_to_a_200_plus_firm(
    library_loaded,
) -> None:
    scan = metal_with({"hr_afdeling": fact(choice=NO)}, employees=250)
    advice = persona_advice(scan)
    text = render_to_string("reports/_advice.html", {"advice": advice})
    text += render_to_string("reports/_advice_report.html", {"advice": advice})
    assert "kleine organisaties" not in text
    with translation.override("en"):
        advice = persona_advice(scan)
        text = render_to_string("reports/_advice.html", {"advice": advice})
    assert "small organisations" not in text


def test_low_participation_drives_the_advice(library_loaded) -> None:
    # Anna's strong firm, but only 20% took a course; similar organisations: 52.9% (Tabel 4.3).
    with translation.override("en"):
        advice = advice_with(facts_change={}, facts4={"pct_deelname": fact(number=20)})
    assert rules_fired(advice) == {"training"}
    first = advice.recommendations[0]
    assert "pct_deelname" in first.instrument.indicators
    assert first.why == (
        "In the last 12 months 20% of your employees took a course or training "
        "(similar organisations: 52.9%)."
    )
    assert_guarantees(advice)


def test_low_participation_counts_for_the_bakery_too(library_loaded) -> None:
    # 20% against 44.9% for similar organisations; the bakery's list is full of weak spots, but
    # the figure joins the reasons of the instruments that raise participation.
    with translation.override("en"):
        advice = persona_advice(bakery_with({"pct_deelname": fact(number=20)}))
    sentence = (
        "In the last 12 months 20% of your employees took a course or training "
        "(similar organisations: 44.9%)."
    )
    named = [r for r in advice.recommendations if sentence in r.reasons]
    assert named
    assert all("pct_deelname" in r.instrument.indicators for r in named)


def test_few_training_hours_drive_the_metal_firms_advice(metal) -> None:
    # 24 hours per participant against an estimate of 62.7 (Tabel 4.3): clearly lower.
    with translation.override("en"):
        advice = persona_advice(metal)
    first = advice.recommendations[0]
    assert first.rules[0] == "training"
    assert "uren_per_deelnemer" in first.instrument.indicators
    assert first.why == (
        "A participant spent 24 hours on training on average (similar organisations: 62.7 hours)."
    )


def test_an_unknown_figure_is_no_evidence(bakery) -> None:
    # The bakery does not know its participation: no advice quotes it.
    with translation.override("en"):
        advice = persona_advice(bakery)
    reasons = " ".join(r for rec in advice.recommendations for r in rec.reasons)
    assert "took a course or training" not in reasons


def test_a_high_share_under_a_repayment_clause_brings_the_rule_of_law(library_loaded) -> None:
    # 60% against the estimate of 20.4% (Tabel 4.4), and no training arrangement yet.
    scan = metal_with(
        {"pct_terugbetalingsregeling": fact(number=60), "scholingsregeling": fact(choice=NO)}
    )
    with translation.override("en"):
        advice = persona_advice(scan)
    rec = next(r for r in advice.recommendations if r.instrument.key == "scholingsregeling")
    assert "repayment_clause" in rec.rules
    figure = "A repayment clause applies to 60% of your training (similar organisations: 20.4%)."
    assert figure in rec.shown_reasons
    [law] = advice.notes
    assert law in rec.reasons
    assert "since 1 August 2022" in law and "art. 7:611a BW" in law
    assert "training that you must offer by law or under the collective agreement (cao)" in law
    assert "may not carry a repayment clause" in law


def test_a_firm_with_a_training_arrangement_still_reads_the_rule_of_law(library_loaded) -> None:
    scan = metal_with({"pct_terugbetalingsregeling": fact(number=60)})
    advice = persona_advice(scan)
    assert "scholingsregeling" not in keys(advice)  # it has one
    assert len(advice.notes) == 1 and "7:611a BW" in advice.notes[0]
    assert "7:611a BW" in render_to_string("reports/_advice.html", {"advice": advice})


def test_a_usual_share_under_a_repayment_clause_is_no_reason(metal) -> None:
    # 30% against 20.4%: 9.6 points, under the 10 points that make "somewhat higher".
    advice = persona_advice(metal)
    assert advice.notes == []
    assert not any("repayment_clause" in r.rules for r in advice.recommendations)


def test_an_action_shows_up_to_three_reasons_from_different_rules(bakery) -> None:
    advice = persona_advice(bakery)
    coach = next(r for r in advice.recommendations if r.instrument.key == "leer_ontwikkelcoach")
    assert len(coach.reasons) > 3
    assert len(coach.shown_reasons) == 3
    assert coach.rules[:3] == ["no_hr", "weak_spot", "training"]
    html = render_to_string("reports/_advice.html", {"advice": advice})
    for reason in coach.shown_reasons:
        assert reason in html
    assert coach.reasons[3] not in html


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anna_scan", ["leerwerkloket_groningen", "mbo_noord", "slim"]),
        (
            "bakery",
            ["leerwerkloket_fryslan", "mbo_noord", "sociaal_fonds_bakkersbedrijf", "slim"],
        ),
        ("metal", ["leerwerkloket_drenthe", "mbo_noord", "oom", "ao_metalektro", "slim"]),
    ],
)
def test_the_support_in_the_region_fits_province_and_sector(persona, expected, request) -> None:
    advice = persona_advice(request.getfixturevalue(persona))
    assert [s.key for s in advice.support] == expected
    assert all(s.last_checked and s.source for s in advice.support)


def test_a_firm_outside_the_north_is_sent_to_its_own_region(library_loaded) -> None:
    advice = scan_advice(
        results=results_of(
            make_scan(*strong_answers(), profile={**BAKERY_PROFILE, "province": "elders"})
        )
    )
    assert [s.key for s in advice.support] == [
        "leerwerkloket_elders",
        "sociaal_fonds_bakkersbedrijf",
        "slim",
    ]


def test_the_support_says_when_it_was_checked_and_that_it_may_have_changed(bakery) -> None:
    advice = persona_advice(bakery)
    checked = RegionalSupport.objects.get(key="slim").last_checked
    with translation.override("en"):
        for template in ("reports/_advice.html", "reports/_advice_report.html"):
            html = render_to_string(template, {"advice": advice, "LANGUAGE_CODE": "en"})
            assert "it may have changed since" in html
            assert f"Last checked: {checked.day} {checked:%B} {checked.year}." in html
            assert "Sociaal Fonds Bakkersbedrijf (SFB)" in html
            assert "check the current application period" in html.lower() or (
                "Check the current application period" in html
            )
            assert "ask your sector organisation" not in html  # the bakery's fund is known


def test_a_sector_without_a_known_fund_is_told_to_ask(anna_scan) -> None:
    advice = persona_advice(anna_scan)
    assert advice.sector_funds == []
    with translation.override("en"):
        html = render_to_string("reports/_advice_report.html", {"advice": advice})
    assert "ask your sector organisation (trade association) whether there is an O&O-fonds" in html
