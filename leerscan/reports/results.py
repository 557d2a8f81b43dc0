"""Scores -> comparisons: the results view-model, everything the results page and report show.

Uses benchmarks.selectors.indicator_comparison for every number the monitor has a table for,
and the monitor's own sentences where it only has text. The summary rule:

- the rows are the six building blocks and the five DLOQ statements that have a score, each
  compared with its closest group (the sector x size estimate when there is one);
- a strength scores at least the "somewhat" threshold above that group (0.2 on the 1-6 scale,
  benchmarks.vocabulary.DIFFERENCE_THRESHOLDS), a point of attention at least that far below:
  exactly the rows whose comparison reads "somewhat/clearly higher" or "somewhat/clearly lower";
- at most three of each, the largest differences first (then the score, then the questionnaire's
  order). A comparable row is neither: when no row qualifies the list is empty and the page says
  so, instead of promoting the least bad row.

The verdict is one sentence that counts the scored rows above, about equal to and below their
closest group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.template.defaultfilters import capfirst, floatformat
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from benchmarks.profiles import GroupProfile, profile_groups
from benchmarks.selectors import (
    CLEARLY_HIGHER,
    CLEARLY_LOWER,
    COMPARABLE,
    SOMEWHAT_HIGHER,
    SOMEWHAT_LOWER,
    BenchmarkLookup,
    Comparison,
    EmployeeLearning,
    employee_learning,
    indicator_comparison,
)
from benchmarks.vocabulary import (
    ARRANGEMENTS,
    BUILDING_BLOCKS,
    DLOQ_STATEMENTS,
    NATION,
    PREVIOUS,
    SIZE,
    TOTAL,
    group_label,
    indicator_label,
)
from leerscan.constants import MAJORITY_PERCENT
from leerscan.scans.questions import (
    FACTS_BY_KEY,
    INSTRUMENTS,
    NO,
    OBSTACLES,
    TRAINING_FACTS,
    YES,
    FactQuestion,
)
from leerscan.scans.scores import Scores, scores_from_answers
from leerscan.scans.selectors import scan_fact_answers, scan_item_answers, scan_items

UNANSWERED, NOT_APPLICABLE = "unanswered", "not_applicable"
HIGHER = (SOMEWHAT_HIGHER, CLEARLY_HIGHER)
LOWER = (SOMEWHAT_LOWER, CLEARLY_LOWER)
# A row's status in a few words, for the at-a-glance list (the full sentence is in the tables).
STATUS_WORDS = {
    CLEARLY_HIGHER: gettext_lazy("clearly higher"),
    SOMEWHAT_HIGHER: gettext_lazy("somewhat higher"),
    COMPARABLE: gettext_lazy("comparable"),
    SOMEWHAT_LOWER: gettext_lazy("somewhat lower"),
    CLEARLY_LOWER: gettext_lazy("clearly lower"),
    UNANSWERED: gettext_lazy("not answered"),
    NOT_APPLICABLE: gettext_lazy("not applicable"),
}


@dataclass(frozen=True)
class ScoreRow:
    key: str
    label: str
    score: Decimal | None
    comparison: Comparison
    deepening: Decimal | None = None
    # What the monitor says about this comparison, e.g. that it found no differences between groups.
    no_group_differences: str = ""
    not_applicable: bool = False  # answered "n.v.t.": no score, and not a missing answer

    @property
    def status(self) -> str:
        """How the score compares with the closest group: a classification, or "unanswered"."""
        if self.not_applicable:
            return NOT_APPLICABLE
        return self.comparison.peer.classification or UNANSWERED

    @property
    def status_words(self) -> str:
        """The status in words, e.g. "clearly lower" (translated), never colour alone."""
        return str(STATUS_WORDS[self.status])


@dataclass(frozen=True)
class FactRow:
    question: FactQuestion
    value: Decimal | None
    dont_know: bool
    comparison: Comparison | None
    # What the monitor says about this comparison, e.g. that it found no differences between groups.
    no_group_differences: str = ""
    not_applicable: bool = False


@dataclass(frozen=True)
class NationalRow:
    """A national figure the monitor cites, with what it does and does not measure."""

    key: str
    label: str
    value: Decimal
    unit: str
    caveat: str


@dataclass(frozen=True)
class ArrangementRow:
    key: str
    label: str
    has: bool | None  # None: not answered or "I don't know"
    comparison: Comparison
    dont_know: bool = False  # answered "I don't know" (has is None then too)

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
    edition_title: str  # the set's full title, for the report's source line
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
    verdict: str = ""
    national: list[NationalRow] = field(default_factory=list)
    # The firm's size and SBI code as given, for advice that must fit the firm (advice.py).
    employees: int | None = None
    sbi_code: str = ""
    first_edition: str = ""  # the edition first compared with, when compared again
    # The monitor's figures for employees (chapter 3), shown beside the team scan (leerscan/teams)
    # and quoted by the advice on mandatory training; None for a set without them.
    employee_learning: EmployeeLearning | None = None
    # What the monitor leaves out of the training figures, from its data (training_notes).
    training_notes: list[str] = field(default_factory=list)

    @property
    def scored_rows(self) -> list[ScoreRow]:
        """The building blocks and statements, in the questionnaire's order."""
        return [*self.building_blocks, *self.dloq]


def _score_rows(
    keys, scores: dict, profile, lookup, notes, not_applicable, deepening=None
) -> list[ScoreRow]:
    return [
        ScoreRow(
            key=key,
            label=indicator_label(key),
            score=scores.get(key),
            comparison=indicator_comparison(
                indicator=key, value=scores.get(key), profile=profile, lookup=lookup
            ),
            deepening=(deepening or {}).get(key),
            no_group_differences=notes(key),
            not_applicable=scores.get(key) is None and not_applicable(key),
        )
        for key in keys
    ]


def _fact_row(key: str, scores: Scores, profile, lookup, notes) -> FactRow:
    question = FACTS_BY_KEY[key]
    value = scores.fact_number(key)
    table, indicator = question.benchmark
    comparison = indicator_comparison(
        indicator=indicator, value=value, profile=profile, table=table, lookup=lookup
    )
    return FactRow(
        question,
        value,
        scores.dont_know(key),
        comparison,
        notes(indicator),
        not_applicable=value is None and scores.not_applicable(key),
    )


def training_notes(
    *, training: list[FactRow], lookup: BenchmarkLookup, bset, language: str
) -> list[str]:
    """What the edition does not print with the training figures, read from its data: a figure
    it gives for Noord-Nederland only (with its previous edition's, where it has that), and per
    table the figures that have no number of respondents (N)."""
    notes, without_n = [], {}
    previous_name = bset.previous_text("name", language)
    for row in training:
        table, indicator = row.comparison.table, row.comparison.indicator
        cells = lookup.cells(table, indicator)
        label = str(indicator_label(indicator))
        if cells and all(cell.group_kind == TOTAL for cell in cells):
            values = {
                "figure": capfirst(label),
                "value": floatformat(cells[0].value, 1),
            }
            previous = lookup.get(PREVIOUS, indicator, TOTAL, cells[0].group)
            if previous is not None and previous_name:
                values |= {
                    "previous": floatformat(previous.value, 1),
                    "previous_name": previous_name,
                }
                notes.append(
                    _(
                        "%(figure)s: the monitor gives only the Noord-Nederland average "
                        "(%(value)s; %(previous)s in %(previous_name)s)."
                    )
                    % values
                )
            else:
                notes.append(
                    _("%(figure)s: the monitor gives only the Noord-Nederland average (%(value)s).")
                    % values
                )
        elif cells and all(cell.n is None for cell in cells):
            without_n.setdefault(table, []).append(label)
    for table, labels in without_n.items():
        notes.append(
            _("Tabel %(table)s of the monitor (%(figures)s) prints no number of respondents (N).")
            % {"table": table, "figures": ", ".join(labels)}
        )
    return notes


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
    """At most three strengths and three points of attention, by the rule in this module's
    docstring: only rows that really score higher (lower) than their closest group."""
    numbered = list(enumerate(rows))
    higher = [(i, r) for i, r in numbered if r.score is not None and r.status in HIGHER]
    lower = [(i, r) for i, r in numbered if r.score is not None and r.status in LOWER]
    strengths = sorted(
        higher, key=lambda ir: (-ir[1].comparison.peer.difference, -ir[1].score, ir[0])
    )
    attention = sorted(lower, key=lambda ir: (ir[1].comparison.peer.difference, ir[1].score, ir[0]))
    return [r for _i, r in strengths[:3]], [r for _i, r in attention[:3]]


def verdict(rows: list[ScoreRow]) -> str:
    """One sentence that counts the scored rows above, about equal to and below their group."""
    scored = [r for r in rows if r.score is not None]
    if not scored:
        return _("You have not answered enough statements to compare your organisation.")
    higher = sum(r.status in HIGHER for r in scored)
    lower = sum(r.status in LOWER for r in scored)
    same = len(scored) - higher - lower
    words = {"n": len(scored), "higher": higher, "same": same, "lower": lower}
    words["group"] = scored[0].comparison.peer.phrase
    if same == len(scored):
        return _("On all %(n)s points you score about the same as %(group)s.") % words
    if lower == len(scored):
        return _("On all %(n)s points you score lower than %(group)s.") % words
    if higher == len(scored):
        return _("On all %(n)s points you score higher than %(group)s.") % words
    if not higher:
        sentence = _(
            "Of the %(n)s points, you score lower than %(group)s on %(lower)s and about the same "
            "on %(same)s; on none higher."
        )
    elif not lower:
        sentence = _(
            "Of the %(n)s points, you score higher than %(group)s on %(higher)s and about the "
            "same on %(same)s; on none lower."
        )
    elif not same:
        sentence = _(
            "Of the %(n)s points, you score higher than %(group)s on %(higher)s and lower on "
            "%(lower)s."
        )
    else:
        sentence = _(
            "Of the %(n)s points, you score higher than %(group)s on %(higher)s, about the same "
            "on %(same)s and lower on %(lower)s."
        )
    return sentence % words


def scan_results_for(*, scan) -> Results:
    """A scan's results, read from its saved answers (four queries and the benchmark set)."""
    item_values, not_applicable = scan_item_answers(scan=scan)
    scores = scores_from_answers(
        items=scan_items(scan=scan),
        item_values=item_values,
        facts=scan_fact_answers(scan=scan),
        not_applicable_items=not_applicable,
    )
    return scan_results(scan=scan, scores=scores)


def scan_results(*, scan, scores: Scores, lookup: BenchmarkLookup | None = None) -> Results:
    """Compare a scan's scores with the monitor's groups for its profile."""
    profile = profile_groups(
        sbi_code=scan.sbi_section, employees=scan.employees, province=scan.province
    )
    lookup = lookup or BenchmarkLookup(scan.benchmark_set.slug)
    language = get_language() or "nl"

    def notes(indicator: str) -> str:
        return scan.benchmark_set.notes_about(indicator, language)

    blocks = _score_rows(
        BUILDING_BLOCKS,
        scores.building_blocks,
        profile,
        lookup,
        notes,
        scores.not_applicable,
        scores.deepening,
    )
    dloq = _score_rows(DLOQ_STATEMENTS, scores.dloq, profile, lookup, notes, scores.not_applicable)
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
                dont_know=scores.dont_know(key),
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
    training = [_fact_row(key, scores, profile, lookup, notes) for key in TRAINING_FACTS]
    return Results(
        profile=profile,
        groups=groups,
        benchmark_set=lookup.slug,
        edition=scan.benchmark_set.name,
        edition_title=scan.benchmark_set.title,
        # The edition a scan compared again (scans.services.scan_compare_again) was first
        # compared with: one query, only then.
        first_edition=scan.first_benchmark_set.name if scan.first_benchmark_set_id else "",
        building_blocks=blocks,
        dloq=dloq,
        training=training,
        training_notes=training_notes(
            training=training, lookup=lookup, bset=scan.benchmark_set, language=language
        ),
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
        recruitment=_fact_row("wervingsproblemen", scores, profile, lookup, notes),
        sentences=scan.benchmark_set.sentences_for(language),
        strengths=strengths,
        attention=attention,
        verdict=verdict(blocks + dloq),
        national=_national_rows(lookup),
        employees=scan.employees,
        sbi_code=scan.sbi_code,
        employee_learning=employee_learning(lookup=lookup),
    )


# National figures the monitor cites (chapter 3 and the annex), with the limits a reader needs.
NATIONAL_CAVEATS = {
    "cbs_2020_pct_cursus": gettext_lazy(
        "CBS, 2020: companies with 10 or more employees in the private sector only; a course in "
        "that year."
    ),
    "cbs_2020_uren_cursus": gettext_lazy(
        "CBS, 2020: companies with 10 or more employees in the private sector only. The monitor "
        "writes that an employee spent 15 hours on the course on average; it does not say "
        "clearly whether this is per employee or per course participant."
    ),
    "ser_tno_2021_pct_deelname": gettext_lazy(
        "SER/TNO, 2021: working people who took part in training or courses in the last two "
        "years, a longer period than the twelve months asked here."
    ),
}


def _national_rows(lookup: BenchmarkLookup) -> list[NationalRow]:
    rows = []
    for key, caveat in NATIONAL_CAVEATS.items():
        value = lookup.get("nation", key, NATION, "nederland")
        if value is not None:
            rows.append(
                NationalRow(key, indicator_label(key), value.value, value.unit, str(caveat))
            )
    return rows
