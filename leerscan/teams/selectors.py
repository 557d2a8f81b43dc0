"""The team's answers in aggregate: the "scores" layer of the employees' view (DESIGN §9).

`team_view` is the one public read, and every place that shows the team (the results page, the
coach's round, the report, the progress page and its PDF) goes through it. Below
TEAM_MIN_RESPONSES responses it tells only how many there are; from there on, per building block
the team's mean and spread next to the employer's own score, and per Tabel 3.3 statement the
team's mean next to the monitor's employees (*Loondienst*) and Noord-Nederland. Differences are
put into words by benchmarks.selectors.classify, with the thresholds every other comparison uses;
a building block where the team and the employer differ by at least the "clearly" threshold is a
*blinde vlek* (blind spot).

Batches, against differencing (docs/team-scan.md): the figures are released at 5 responses and
then per TEAM_RELEASE_STEP more (10, 15, ...), each time from the first responses of that number.
Comparing the view before and after any one answer shows nothing new; comparing two releases
shows a group of at least five, never one person. Below TEAM_EXACT_FROM responses in the figures
a mean is shown to half a point and the spread not at all, so that a team that answered as one
cannot be told from one that nearly did.

Nothing here returns or keeps a single response: only counts, means and standard deviations.
The spread is a standard deviation, not a minimum and maximum: the lowest and highest answers
are single employees' answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from benchmarks.selectors import (
    CLASSIFICATION_WORDS,
    CLEARLY_HIGHER,
    CLEARLY_LOWER,
    BenchmarkLookup,
    classify,
)
from benchmarks.vocabulary import (
    BUILDING_BLOCKS,
    EMPLOYMENT,
    LEARNING_BEHAVIOURS,
    LOONDIENST,
    NOORD_NEDERLAND,
    SCALE_1_6,
    TOTAL,
    indicator_label,
)
from leerscan.constants import TEAM_EXACT_FROM, TEAM_MIN_RESPONSES, TEAM_RELEASE_STEP
from leerscan.disclosure import batch_released
from leerscan.scans.models import Item, Scan
from leerscan.scans.scores import scores_from_answers
from leerscan.scans.selectors import scan_item_answers, scan_items
from leerscan.teams.models import TeamAnswer, TeamInvitation, TeamResponse, TeamSurvey
from leerscan.teams.questions import building_block_texts, learning_behaviour_text

BENCHMARK_TABLE = "3.3"
BLIND_SPOT = (CLEARLY_HIGHER, CLEARLY_LOWER)
_ONE_DECIMAL = Decimal("0.1")


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _half_point(value: Decimal) -> Decimal:
    return _one_decimal((value * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2)


def released_count(responses: int) -> int:
    """How many responses the figures are made of: 0 below the minimum, then the minimum and
    each TEAM_RELEASE_STEP more (5, 10, 15, ... with the defaults)."""
    return batch_released(responses, minimum=TEAM_MIN_RESPONSES, step=TEAM_RELEASE_STEP)


def is_release_point(responses: int) -> bool:
    """This many responses make a new release: the figures change (and so does the report)."""
    return responses >= TEAM_MIN_RESPONSES and released_count(responses) == responses


@dataclass(frozen=True)
class TeamFigure:
    """The team's answers to one statement as shown: the mean (to 0.1, or to 0.5 below
    TEAM_EXACT_FROM) and the standard deviation (0.1; None below TEAM_EXACT_FROM)."""

    mean: Decimal
    spread: Decimal | None


@dataclass(frozen=True)
class TeamBlockRow:
    key: str
    label: str  # the building block's name
    statement: str  # the core statement the team and the employer answered
    own: Decimal | None  # the employer's score; None when unanswered or "n.v.t."
    team: TeamFigure
    # The team's mean minus the employer's score (both as shown), and its classification.
    difference: Decimal | None
    classification: str | None

    @property
    def blind_spot(self) -> bool:
        """The team and the employer differ by at least the "clearly" threshold."""
        return self.classification in BLIND_SPOT

    @property
    def words(self) -> str:
        """ "The team scores ... you": e.g. "clearly lower than" (translated)."""
        return str(CLASSIFICATION_WORDS[self.classification]) if self.classification else ""


@dataclass(frozen=True)
class TeamBehaviourRow:
    key: str
    statement: str  # Tabel 3.3's statement, verbatim in Dutch
    team: TeamFigure
    employees: Decimal  # the monitor's Loondienst row
    total: Decimal  # the monitor's Noord-Nederland row
    difference: Decimal  # the team's mean minus Loondienst
    classification: str

    @property
    def words(self) -> str:
        return str(CLASSIFICATION_WORDS[self.classification])


@dataclass(frozen=True)
class TeamView:
    """A team scan as its employer may see it. Below the threshold only `responses` (and the
    invitations) say anything; `blocks` and `behaviours` are empty. From there the figures are
    made of the first `released` responses, until the next release at `next_release`."""

    survey: TeamSurvey
    responses: int
    minimum: int
    invitations: int = 0
    released: int = 0
    blocks: tuple[TeamBlockRow, ...] = ()
    behaviours: tuple[TeamBehaviourRow, ...] = ()
    benchmark_set: str = ""

    @property
    def enough(self) -> bool:
        return self.released >= self.minimum

    @property
    def next_release(self) -> int:
        return self.released + TEAM_RELEASE_STEP if self.released else self.minimum

    @property
    def waiting(self) -> int:
        """Responses given after the last release: not in the figures until the next one."""
        return self.responses - self.released

    @property
    def exact(self) -> bool:
        """One decimal and the spread (from TEAM_EXACT_FROM responses in the figures)."""
        return self.released >= TEAM_EXACT_FROM

    @property
    def blind_spots(self) -> tuple[TeamBlockRow, ...]:
        return tuple(row for row in self.blocks if row.blind_spot)


def _figure(n: int, total: int, squares: int) -> TeamFigure:
    """Mean and sample standard deviation from the sum and the sum of squares (exact), as
    shown: below TEAM_EXACT_FROM the mean to half a point and no spread."""
    count = Decimal(n)
    mean = Decimal(total) / count
    if n < TEAM_EXACT_FROM:
        return TeamFigure(mean=_half_point(mean), spread=None)
    variance = (Decimal(squares) - Decimal(total) ** 2 / count) / (count - 1)
    return TeamFigure(mean=_one_decimal(mean), spread=_one_decimal(Decimal(variance).sqrt()))


def _team_figures(survey: TeamSurvey, released: int) -> dict[str, TeamFigure]:
    """The figures of the first `released` responses (one query: the batch is a subquery)."""
    batch = TeamResponse.objects.filter(survey=survey).order_by("pk").values("pk")[:released]
    rows = (
        TeamAnswer.objects.filter(response__in=batch)
        .values("key")
        .annotate(n=Count("id"), total=Sum("value"), squares=Sum(F("value") * F("value")))
        .order_by()
    )
    return {row["key"]: _figure(row["n"], row["total"], row["squares"]) for row in rows}


def _employer_block_scores(scan: Scan) -> dict[str, Decimal | None]:
    item_values, not_applicable = scan_item_answers(scan=scan)
    scores = scores_from_answers(
        items=scan_items(scan=scan, group=Item.Group.BUILDING_BLOCK),
        item_values=item_values,
        facts={},
        not_applicable_items=not_applicable,
    )
    return scores.building_blocks


def _compare(team: Decimal, other: Decimal) -> tuple[Decimal, str]:
    difference = _one_decimal(team - other)
    return difference, classify(difference, unit=SCALE_1_6, reference=other)


def _count(model: type[TeamResponse] | type[TeamInvitation]) -> Coalesce:
    """The survey's rows of `model`, counted in a subquery (two counted joins would multiply)."""
    rows = (
        model.objects.filter(survey=OuterRef("pk"))
        .order_by()
        .values("survey")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def team_view(*, scan: Scan, lookup: BenchmarkLookup | None = None) -> TeamView | None:
    """The employees' view of a scan: None without a team scan; the count alone below
    TEAM_MIN_RESPONSES; from there the figures of the last release (the blocks against the
    employer and Tabel 3.3 against the monitor). A fixed number of queries, however many
    employees answered."""
    survey = (
        TeamSurvey.objects.filter(scan=scan)
        .annotate(response_count=_count(TeamResponse), invitation_count=_count(TeamInvitation))
        .first()
    )
    if survey is None:
        return None
    released = released_count(survey.response_count)
    counts = {
        "survey": survey,
        "responses": survey.response_count,
        "minimum": TEAM_MIN_RESPONSES,
        "invitations": survey.invitation_count,
        "released": released,
    }
    if not released:
        return TeamView(**counts)
    figures = _team_figures(survey, released)
    own_scores = _employer_block_scores(scan)
    statements = building_block_texts(scan=scan)
    blocks = []
    for key in BUILDING_BLOCKS:
        own = own_scores.get(key)
        difference, classification = (
            (None, None) if own is None else _compare(figures[key].mean, own)
        )
        blocks.append(
            TeamBlockRow(
                key=key,
                label=indicator_label(key),
                statement=statements.get(key, ""),
                own=own,
                team=figures[key],
                difference=difference,
                classification=classification,
            )
        )
    lookup = lookup or BenchmarkLookup(scan.benchmark_set.slug)
    behaviours = []
    for key in LEARNING_BEHAVIOURS:
        employees = lookup.get(BENCHMARK_TABLE, key, EMPLOYMENT, LOONDIENST)
        total = lookup.get(BENCHMARK_TABLE, key, TOTAL, NOORD_NEDERLAND)
        if employees is None or total is None:
            continue  # a benchmark set without Tabel 3.3
        difference, classification = _compare(figures[key].mean, employees.value)
        behaviours.append(
            TeamBehaviourRow(
                key=key,
                statement=learning_behaviour_text(key),
                team=figures[key],
                employees=employees.value,
                total=total.value,
                difference=difference,
                classification=classification,
            )
        )
    return TeamView(
        **counts,
        blocks=tuple(blocks),
        behaviours=tuple(behaviours),
        benchmark_set=lookup.slug,
    )
