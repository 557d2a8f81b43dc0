"""A coaching organisation's cohort: its clients' latest scans against the monitor, the change
since the intake and the bundled demand (DESIGN §8, issue 11 "Cohorts and research").

What counts. Per client the LATEST round with a finished scan (the highest Measurement.round
whose scan is finished); a client without a finished scan counts in the demand but not in the
scores. A client's scores are the results page's definition (leerscan/scans/scores.py): a
building block is the mean of its core statements, a DLOQ statement the mean of its items, an
"n.v.t." is no score. They are computed here in the database, one aggregate for all clients
(scan x building block), instead of scores_from_answers scan by scan: the cohort of an
institution with thousands of clients must not cost a query, or a Python loop over every answer,
per client (docs/cohort.md; tests/coaching/test_cohort.py checks that both give the same score).

The change. For clients with a finished intake (round 0) and a finished later round: their mean
at the latest round minus their mean at the intake, per row, each rounded to one decimal and put
into words exactly as one client's progress page does (leerscan/coaching/progress.py
change_between: the monitor's thresholds, 0.2 somewhat, 0.5 clearly).

Filters (sector group, size class, province) read the client's profile as the coach entered it,
not the scan's: a client stays in the same group from intake to follow-up.

Below GROUP_MIN_FINISHED clients with a score there are counts only: no means, no distribution,
no average change (a mean of one or two firms is that firm, not a cohort).

The query count does not depend on the number of clients: clients, wishes, the measurements
that count, the aggregated answers and the benchmark set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from benchmarks.models import BenchmarkSet
from benchmarks.profiles import SECTOR_OF_SECTION
from benchmarks.selectors import CLASSIFICATION_WORDS, BenchmarkLookup, classify
from benchmarks.vocabulary import (
    BUILDING_BLOCKS,
    DLOQ_STATEMENTS,
    ELSEWHERE,
    GROUPS,
    KNOWLEDGE_INSTITUTION_WISHES,
    NOORD_NEDERLAND,
    PROVINCE,
    PROVINCES,
    SCALE_1_6,
    SCALE_MAX,
    SCALE_MIN,
    SECTOR,
    SIZE,
    TOTAL,
    group_label,
    indicator_label,
)
from leerscan.advisers.models import Organisation
from leerscan.coaching.models import Client, ClientWish, Measurement
from leerscan.coaching.progress import Change, change_between
from leerscan.constants import GROUP_MIN_FINISHED
from leerscan.scans.models import Item, ItemAnswer

_TWO_DECIMALS = Decimal("0.01")
_ONE_DECIMAL = Decimal("0.1")
INTAKE_ROUND = 0

# The head counts of the monitor's size classes, as half-open ranges for the filter.
SIZE_RANGES: dict[str, tuple[int, int | None]] = {
    "5-24": (5, 25),
    "25-99": (25, 100),
    "100-199": (100, 200),
    "200+": (200, None),
}


@dataclass(frozen=True)
class CohortFilters:
    """The cohort's filters; None means all."""

    sector: str | None = None  # lin, hvh, zd, ncd (benchmarks.vocabulary GROUPS[SECTOR])
    size: str | None = None  # 5-24, 25-99, 100-199, 200+
    province: str | None = None  # drenthe, fryslan, groningen or elders

    @property
    def active(self) -> bool:
        return any((self.sector, self.size, self.province))


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The values each filter accepts, with their labels (for the form)."""
    return {
        "sector": [(key, str(label)) for key, label in GROUPS[SECTOR].items()],
        "size": [(key, str(label)) for key, label in GROUPS[SIZE].items()],
        "province": [
            *((key, str(label)) for key, label in GROUPS[PROVINCE].items()),
            (ELSEWHERE, str(_("Elsewhere in the Netherlands"))),
        ],
    }


@dataclass(frozen=True)
class CohortRow:
    """A building block or DLOQ statement over the clients' latest scans."""

    key: str
    label: str
    n: int  # clients with a score on this row
    counts: list[int]  # clients per scale point 1..6 (the score rounded half up)
    mean: Decimal | None  # None below GROUP_MIN_FINISHED clients
    benchmark: Decimal | None  # Noord-Nederland
    difference: Decimal | None  # mean minus Noord-Nederland, one decimal
    classification: str | None

    @property
    def shown(self) -> bool:
        return self.mean is not None

    @property
    def words(self) -> str:
        """The mean against Noord-Nederland in words, e.g. "somewhat lower than"."""
        return str(CLASSIFICATION_WORDS[self.classification]) if self.classification else ""

    @property
    def points(self) -> list[tuple[int, int]]:
        return list(zip(range(SCALE_MIN, SCALE_MAX + 1), self.counts, strict=True))


@dataclass(frozen=True)
class ChangeRow:
    """The average change of a row between the intake and the latest follow-up."""

    key: str
    label: str
    n: int  # clients with a score on this row in both
    intake: Decimal | None  # the clients' mean at the intake; None below GROUP_MIN_FINISHED
    latest: Decimal | None  # ... and at their latest follow-up
    change: Change  # latest minus intake as shown, in the progress page's words


@dataclass(frozen=True)
class Demand:
    """How many clients wish one kind of offer of Box 5.2."""

    key: str
    label: str
    clients: int


@dataclass(frozen=True)
class TrainingQuestion:
    client_id: int
    client_name: str
    text: str


@dataclass(frozen=True)
class Cohort:
    filters: CohortFilters
    clients: int  # clients in the filter
    scanned: int  # of them, with a finished scan
    followed_up: int  # of them, with a finished intake and a finished later round
    blocks: list[CohortRow]
    statements: list[CohortRow]
    changes: list[ChangeRow]
    demand: list[Demand]  # most wished first
    training_questions: list[TrainingQuestion]
    benchmark_name: str
    min_clients: int = GROUP_MIN_FINISHED
    rounds: dict[int, int] = field(default_factory=dict)  # latest round -> clients

    @property
    def enough(self) -> bool:
        return self.scanned >= self.min_clients

    @property
    def enough_followed_up(self) -> bool:
        return self.followed_up >= self.min_clients


def cohort_clients(*, organisation: Organisation, filters: CohortFilters) -> QuerySet[Client]:
    """The organisation's clients that fall within the filters (by the client's own profile)."""
    clients = Client.objects.filter(organisation=organisation)
    if filters.sector:
        sections = [s for s, sector in SECTOR_OF_SECTION.items() if sector == filters.sector]
        clients = clients.filter(sbi_section__in=sections)
    if filters.size:
        low, high = SIZE_RANGES[filters.size]
        clients = clients.filter(employees__gte=low)
        if high is not None:
            clients = clients.filter(employees__lt=high)
    if filters.province:
        clients = clients.filter(province=filters.province)
    return clients


def counted_measurements(*, clients: QuerySet[Client]) -> QuerySet[Measurement]:
    """The rounds the cohort reads: per client its latest finished round and its finished
    intake (the same row when the intake is the latest)."""
    finished = Measurement.objects.filter(client__in=clients, scan__finished_at__isnull=False)
    latest_round = (
        Measurement.objects.filter(client=OuterRef("client"), scan__finished_at__isnull=False)
        .order_by("-round")
        .values("round")[:1]
    )
    return finished.annotate(latest=Subquery(latest_round)).filter(
        Q(round=F("latest")) | Q(round=INTAKE_ROUND)
    )


def scan_row_scores(*, scans: QuerySet) -> dict[int, dict[str, Decimal]]:
    """Per scan, its score per building block and DLOQ statement, aggregated by the database
    (the mean of the compared items, as scores_from_answers; "n.v.t." is no score)."""
    compared = Q(item__role=Item.Role.CORE, item__group=Item.Group.BUILDING_BLOCK) | Q(
        item__group=Item.Group.DLOQ
    )
    rows = (
        ItemAnswer.objects.filter(compared, scan_id__in=scans, not_applicable=False)
        .values_list("scan_id", "item__block")
        .annotate(score=Avg("value"))
        .order_by()
    )
    scores: dict[int, dict[str, Decimal]] = {}
    for scan_id, block, score in rows:
        scores.setdefault(scan_id, {})[block] = Decimal(str(score)).quantize(_TWO_DECIMALS)
    return scores


def _mean(values: list[Decimal]) -> Decimal | None:
    return (sum(values) / len(values)).quantize(_TWO_DECIMALS) if values else None


def _point(value: Decimal) -> int:
    point = int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return min(max(point, SCALE_MIN), SCALE_MAX)


def _row(key: str, values: list[Decimal], lookup: BenchmarkLookup) -> CohortRow:
    counts = [0] * (SCALE_MAX - SCALE_MIN + 1)
    for value in values:
        counts[_point(value) - SCALE_MIN] += 1
    total = lookup.get(lookup.table_of(key), key, TOTAL, NOORD_NEDERLAND)
    benchmark = total.value if total is not None else None
    enough = len(values) >= GROUP_MIN_FINISHED
    mean = _mean(values) if enough else None
    difference = classification = None
    if mean is not None and benchmark is not None:
        difference = (mean - benchmark).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)
        classification = classify(difference, unit=SCALE_1_6, reference=benchmark)
    return CohortRow(
        key=key,
        label=indicator_label(key),
        n=len(values),
        counts=counts if enough else [],
        mean=mean,
        benchmark=benchmark,
        difference=difference,
        classification=classification,
    )


def _change(key: str, pairs: list[tuple[Decimal, Decimal]]) -> ChangeRow:
    if len(pairs) < GROUP_MIN_FINISHED:
        intake = latest = None
    else:
        intake = _mean([first for first, _last in pairs])
        latest = _mean([last for _first, last in pairs])
    # The same rounding and words as one client's progress page (leerscan/coaching/progress.py).
    change = change_between(intake, latest)
    return ChangeRow(key, indicator_label(key), len(pairs), intake, latest, change)


def _demand(clients: QuerySet[Client]) -> list[Demand]:
    counts = dict(
        ClientWish.objects.filter(client__in=clients)
        .values_list("key")
        .annotate(n=Count("client_id", distinct=True))
        .order_by()
    )
    order = list(KNOWLEDGE_INSTITUTION_WISHES)
    wished = sorted(
        (key for key in counts if key in order), key=lambda k: (-counts[k], order.index(k))
    )
    return [Demand(key, str(KNOWLEDGE_INSTITUTION_WISHES[key]), counts[key]) for key in wished]


def cohort_view(*, organisation: Organisation, filters: CohortFilters) -> Cohort:
    """The cohort of a coaching organisation's clients within the filters (a fixed number of
    queries, whatever the number of clients)."""
    clients = cohort_clients(organisation=organisation, filters=filters)
    client_rows = list(
        clients.values_list("pk", "name", "training_questions").order_by("name", "pk")
    )
    measurements = counted_measurements(clients=clients)
    latest: dict[int, tuple[int, int]] = {}  # client -> (round, scan)
    intake: dict[int, int] = {}  # client -> scan
    for client_id, round_, scan_id, latest_round in measurements.values_list(
        "client_id", "round", "scan_id", "latest"
    ):
        if round_ == latest_round:
            latest[client_id] = (round_, scan_id)
        if round_ == INTAKE_ROUND:
            intake[client_id] = scan_id
    scores = scan_row_scores(scans=measurements.values("scan_id")) if latest else {}
    slug = settings.LEERSCAN_DEFAULT_BENCHMARK_SET
    lookup = BenchmarkLookup(slug)
    benchmark_name = (
        BenchmarkSet.objects.filter(slug=slug).values_list("name", flat=True).first() or slug
    )

    def rows(keys: tuple[str, ...]) -> list[CohortRow]:
        result = []
        for key in keys:
            values = [
                scores[scan][key] for _round, scan in latest.values() if key in scores.get(scan, {})
            ]
            result.append(_row(key, values, lookup))
        return result

    followed = [c for c, (round_, _scan) in latest.items() if round_ > INTAKE_ROUND and c in intake]
    changes = []
    for key in (*BUILDING_BLOCKS, *DLOQ_STATEMENTS):
        pairs = []
        for client_id in followed:
            first = scores.get(intake[client_id], {}).get(key)
            last = scores.get(latest[client_id][1], {}).get(key)
            if first is not None and last is not None:
                pairs.append((first, last))
        changes.append(_change(key, pairs))
    rounds: dict[int, int] = {}
    for round_, _scan in latest.values():
        rounds[round_] = rounds.get(round_, 0) + 1
    return Cohort(
        filters=filters,
        clients=len(client_rows),
        scanned=len(latest),
        followed_up=len(followed),
        blocks=rows(BUILDING_BLOCKS),
        statements=rows(DLOQ_STATEMENTS),
        changes=changes,
        demand=_demand(clients),
        training_questions=[
            TrainingQuestion(pk, name, text.strip())
            for pk, name, text in client_rows
            if text.strip()
        ],
        benchmark_name=benchmark_name,
        rounds=dict(sorted(rounds.items())),
    )


def filter_labels(filters: CohortFilters) -> list[str]:
    """The active filters in words, e.g. ["Groningen", "5-24 employees"]."""
    labels = []
    if filters.sector:
        labels.append(group_label(SECTOR, filters.sector))
    if filters.size:
        labels.append(group_label(SIZE, filters.size))
    if filters.province:
        labels.append(
            group_label(PROVINCE, filters.province)
            if filters.province in PROVINCES
            else str(_("Elsewhere in the Netherlands"))
        )
    return labels
