"""Scores -> comparisons: the results view-model, everything the results page and report show.

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

from django.utils.translation import get_language

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
from leerscan.constants import MAJORITY_PERCENT
from leerscan.scans.questions import (
    FACTS_BY_KEY,
    INSTRUMENTS,
    NO,
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
        """The firm lacks it while most of its size class (or closest group) has it."""
        return self.has is False and self.size_or_peer.value > MAJORITY_PERCENT


@dataclass(frozen=True)
class OptionRow:
    key: str
    label: str
    chosen: bool | None
    comparison: Comparison | None = None


@dataclass(frozen=True)
class ObstacleRow:
    key: str
    label: str
    value: Decimal | None  # 1-6, None when not answered or "I don't know"
    dont_know: bool


def _yes_no(choice: str | None) -> bool | None:
    """A yes/no answer as True/False, None when not answered or "I don't know"."""
    return {YES: True, NO: False}.get(choice)


@dataclass(frozen=True)
class Results:
    profile: GroupProfile
    groups: list[tuple[str, str]]
    benchmark_set: str  # the set's key
    edition: str  # the set's human name, e.g. "Monitor ... Noord-Nederland 2023"
    building_blocks: list[ScoreRow]
    dloq: list[ScoreRow]
    training: list[FactRow]
    arrangements: list[ArrangementRow]
    has_hr_department: bool | None
    hr_leads_learning: bool | None
    instruments: list[OptionRow]
    obstacles: list[ObstacleRow]
    goals: list[OptionRow]
    outlook: list[OptionRow]
    channels: list[OptionRow]
    recruitment: FactRow
    # The monitor's sentences where it publishes no table (chapter 4), from the set's data.
    sentences: dict[str, str]
    strengths: list[ScoreRow] = field(default_factory=list)
    attention: list[ScoreRow] = field(default_factory=list)


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
                has=_yes_no(choice),
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
        edition=scan.benchmark_set.name,
        building_blocks=blocks,
        dloq=dloq,
        training=[_fact_row(key, scores, profile, lookup) for key in TRAINING_FACTS],
        arrangements=arrangements,
        has_hr_department=_yes_no(scores.fact_choice("hr_afdeling")),
        hr_leads_learning=_yes_no(scores.fact_choice("hr_leren")),
        instruments=[
            OptionRow(k, str(instrument_labels[k]), None if c is None else k in c)
            for c in [scores.fact_choices("instrumenten")]
            for k, _label in INSTRUMENTS
            if k != "geen"
        ],
        obstacles=[
            ObstacleRow(key, str(label), scores.fact_number(key), scores.dont_know(key))
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
        sentences=scan.benchmark_set.sentences_for(get_language() or "nl"),
        strengths=strengths,
        attention=attention,
    )
