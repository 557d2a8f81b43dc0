"""Scores -> comparisons: everything the results page shows, computed once per scan.

Uses benchmarks.selectors.indicator_comparison for every number the monitor has a table for,
and the monitor's own sentences where it only has text. The summary rule:

- the rows are the six building blocks and the five DLOQ statements that have a score;
- each is ranked by its difference from the closest comparison group (the sector x size estimate
  when there is one), then by the score itself, then by the questionnaire's order;
- the three highest are the strengths, the three lowest (not already a strength) the points of
  attention. With fewer than six scored rows the lists are shorter, never overlapping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from benchmarks.profiles import GroupProfile, profile_groups
from benchmarks.selectors import BenchmarkLookup, Comparison, indicator_comparison
from benchmarks.vocabulary import (
    ARRANGEMENTS,
    BUILDING_BLOCKS,
    DLOQ_STATEMENTS,
    SIZE,
    group_label,
    indicator_label,
)
from leerscan.scans.questions import (
    FACTS_BY_KEY,
    INSTRUMENTS,
    OBSTACLES,
    YES,
    FactQuestion,
)
from leerscan.scans.scores import Scores, scores_from_answers
from leerscan.scans.selectors import scan_fact_answers, scan_item_values, scan_items

TRAINING_FACTS = (
    "belang_leren",
    "pct_deelname",
    "uren_per_deelnemer",
    "pct_onder_werktijd",
    "pct_kosten_werkgever",
    "pct_terugbetalingsregeling",
    "pct_omzet_leren",
)

# The monitor's sentences where it publishes no table (chapter 4).
MONITOR_SENTENCES = {
    "hr_afdeling": _(
        "Of the organisations with 5-24 employees, a small quarter has an HR department, against "
        "almost 100 percent of the large organisations. Most HR departments are in charge of "
        "learning and development, but not all. (Monitor, section 4.5)"
    ),
    "instrumenten": _(
        "Over three quarters of the organisations hold performance and/or appraisal interviews, "
        "and feedback from managers is common. Just under 40 percent use a personal development "
        "plan. Rotating tasks and jobs or secondment to other departments hardly occur. "
        "(Monitor, section 4.5)"
    ),
    "belemmeringen": _(
        "Employers find it hard to miss people at work and often hear that employees cannot "
        "combine training with their private life. Costs and the willingness of employees are "
        "not seen as obstacles. Employers hear too little from employees who want training. "
        "(Monitor, section 4.4)"
    ),
    "doelen": _(
        "The main goal of training is to increase the expertise and professional knowledge of "
        "employees; learning to think commercially or to work faster and cheaper matter less. "
        "(Monitor, section 4.3)"
    ),
    "wervingsproblemen": _(
        "Experienced problems in recruiting staff hover around 6.5 on a scale of 1 to 10. "
        "(Monitor, section 4.2)"
    ),
}


@dataclass(frozen=True)
class ScoreRow:
    key: str
    label: str
    score: Decimal | None
    comparison: Comparison
    deepening: Decimal | None = None


@dataclass(frozen=True)
class FactRow:
    question: FactQuestion
    value: Decimal | None
    dont_know: bool
    comparison: Comparison | None


@dataclass(frozen=True)
class ArrangementRow:
    key: str
    label: str
    has: bool | None  # None: not answered or "I don't know"
    comparison: Comparison

    @property
    def size_or_peer(self):
        return self.comparison.group(SIZE) or self.comparison.peer

    @property
    def lacks_what_most_have(self) -> bool:
        return self.has is False and self.size_or_peer.value > 50


@dataclass(frozen=True)
class OptionRow:
    key: str
    label: str
    chosen: bool | None
    comparison: Comparison | None = None


@dataclass(frozen=True)
class Results:
    profile: GroupProfile
    groups: list[tuple[str, str]]
    benchmark_set: str
    building_blocks: list[ScoreRow]
    dloq: list[ScoreRow]
    training: list[FactRow]
    arrangements: list[ArrangementRow]
    hr_department: str | None
    hr_learning: str | None
    instruments: list[OptionRow]
    obstacles: list[tuple[str, str, Decimal | None, bool]]  # key, label, value, don't know
    goals: list[OptionRow]
    outlook: list[OptionRow]
    channels: list[OptionRow]
    recruitment: FactRow
    strengths: list[ScoreRow] = field(default_factory=list)
    attention: list[ScoreRow] = field(default_factory=list)
    sentences: dict = field(default_factory=lambda: MONITOR_SENTENCES)


def _score_rows(keys, scores: dict, profile, lookup, deepening=None) -> list[ScoreRow]:
    return [
        ScoreRow(
            key=key,
            label=indicator_label(key),
            score=scores.get(key),
            comparison=indicator_comparison(
                indicator=key, value=scores.get(key), profile=profile, lookup=lookup
            ),
            deepening=(deepening or {}).get(key),
        )
        for key in keys
    ]


def _fact_row(key: str, scores: Scores, profile, lookup) -> FactRow:
    question = FACTS_BY_KEY[key]
    value = scores.fact_number(key)
    table, indicator = question.benchmark
    comparison = indicator_comparison(
        indicator=indicator, value=value, profile=profile, table=table, lookup=lookup
    )
    return FactRow(question, value, scores.dont_know(key), comparison)


def _options(
    key: str, scores: Scores, profile, lookup, chosen: list[str] | None
) -> list[OptionRow]:
    question = FACTS_BY_KEY[key]
    rows = []
    for option, label in question.choices:
        indicator = question.option_benchmarks.get(option)
        comparison = None
        if indicator:
            comparison = indicator_comparison(
                indicator=indicator,
                value=None,
                profile=profile,
                table=question.benchmark[0],
                lookup=lookup,
            )
        rows.append(
            OptionRow(option, str(label), None if chosen is None else option in chosen, comparison)
        )
    return rows


def summary(rows: list[ScoreRow]) -> tuple[list[ScoreRow], list[ScoreRow]]:
    """Three strengths and three points of attention, by the rule in this module's docstring."""
    scored = [(i, r) for i, r in enumerate(rows) if r.score is not None]
    ranked = sorted(scored, key=lambda ir: (-ir[1].comparison.peer.difference, -ir[1].score, ir[0]))
    strengths = [r for _i, r in ranked[:3]]
    rest = ranked[3:]
    attention = [
        r
        for _i, r in sorted(
            rest, key=lambda ir: (ir[1].comparison.peer.difference, ir[1].score, ir[0])
        )[:3]
    ]
    return strengths, attention


def scan_results_for(*, scan) -> Results:
    """A scan's results, read from its saved answers (four queries and the benchmark set)."""
    scores = scores_from_answers(
        items=scan_items(scan=scan),
        item_values=scan_item_values(scan=scan),
        facts=scan_fact_answers(scan=scan),
    )
    return scan_results(scan=scan, scores=scores)


def scan_results(*, scan, scores: Scores, lookup: BenchmarkLookup | None = None) -> Results:
    """Compare a scan's scores with the monitor's groups for its profile."""
    profile = profile_groups(
        sbi_code=scan.sbi_section, employees=scan.employees, province=scan.province
    )
    lookup = lookup or BenchmarkLookup(scan.benchmark_set.slug)
    blocks = _score_rows(BUILDING_BLOCKS, scores.building_blocks, profile, lookup, scores.deepening)
    dloq = _score_rows(DLOQ_STATEMENTS, scores.dloq, profile, lookup)
    strengths, attention = summary(blocks + dloq)
    arrangements = []
    for key in ARRANGEMENTS:
        choice = scores.fact_choice(key)
        arrangements.append(
            ArrangementRow(
                key=key,
                label=indicator_label(key),
                has=None if choice is None else choice == YES,
                comparison=indicator_comparison(
                    indicator=key, value=None, profile=profile, table="4.7", lookup=lookup
                ),
            )
        )
    groups = [("total", group_label("total", "noord-nederland"))]
    for kind, group in (
        ("province", profile.province),
        ("sector", profile.sector),
        (SIZE, profile.size),
    ):
        if group:
            groups.append((kind, group_label(kind, group)))
    outlook_choice = scores.fact_choice("verwachting_personeel")
    instrument_labels = dict(INSTRUMENTS)
    return Results(
        profile=profile,
        groups=groups,
        benchmark_set=lookup.slug,
        building_blocks=blocks,
        dloq=dloq,
        training=[_fact_row(key, scores, profile, lookup) for key in TRAINING_FACTS],
        arrangements=arrangements,
        hr_department=scores.fact_choice("hr_afdeling"),
        hr_learning=scores.fact_choice("hr_leren"),
        instruments=[
            OptionRow(k, str(instrument_labels[k]), None if c is None else k in c)
            for c in [scores.fact_choices("instrumenten")]
            for k, _label in INSTRUMENTS
            if k != "geen"
        ],
        obstacles=[
            (key, str(label), scores.fact_number(key), scores.dont_know(key))
            for key, label in OBSTACLES
        ],
        goals=_options("doelen", scores, profile, lookup, scores.fact_choices("doelen")),
        outlook=_options(
            "verwachting_personeel",
            scores,
            profile,
            lookup,
            None if outlook_choice is None else [outlook_choice],
        ),
        channels=_options(
            "wervingskanalen", scores, profile, lookup, scores.fact_choices("wervingskanalen")
        ),
        recruitment=_fact_row("wervingsproblemen", scores, profile, lookup),
        strengths=strengths,
        attention=attention,
    )
