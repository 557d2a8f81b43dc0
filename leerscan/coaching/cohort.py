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

The query count does not depend on the number of clients: clients, one aggregate query for all
figures (the answers are averaged and counted by the database; a few dozen rows come back), the
wishes and the benchmark set. The figures are kept per cohort version (a fingerprint of the
organisation's clients, rounds, scans and wishes, one small query) as an output of the background
layer (leerscan/background, kind "cohort"), which goes with the organisation: the
aggregate reads every answer of every client, some 100,000 rows for 10,000 scans, and a coach
opens the page far more often than the clients change (docs/performance.md).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import pickle
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benchmarks.models import BenchmarkSet
from benchmarks.profiles import SECTOR_OF_SECTION
from benchmarks.selectors import (
    CLASSIFICATION_WORDS,
    BenchmarkLookup,
    benchmark_digests_sql,
    classify,
)
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
from leerscan.background.kinds import Kind, Made
from leerscan.background.services import output_file, output_latest_key, output_make_now
from leerscan.background.tasks import output_queue
from leerscan.coaching.models import Client, ClientWish, Measurement
from leerscan.coaching.progress import Change, change_between
from leerscan.constants import GROUP_MIN_FINISHED
from leerscan.scans.models import Item, ItemAnswer, Scan

_TWO_DECIMALS = Decimal("0.01")
_ONE_DECIMAL = Decimal("0.1")
INTAKE_ROUND = 0
# The figures of a cohort version are kept this long; any change to the
# clients, their rounds, scans or wishes makes a new version (cohort_version), so this only
# bounds how long an unused version takes room.
COHORT_KEEP_SECONDS = 60 * 60
# Right after a change the page shows the last figures made for the same organisation, filters
# and language, said plainly with their time, while the task worker makes the new ones (the
# aggregate takes about half a second with 10,000 scans); figures older than this are made
# while the coach waits instead, so a stopped worker never leaves the page behind for long.
COHORT_STALE_SECONDS = 10 * 60

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
    benchmark_name: str  # the edition of the clients' latest scans (the newest, when several)
    min_clients: int = GROUP_MIN_FINISHED
    rounds: dict[int, int] = field(default_factory=dict)  # latest round -> clients
    made_at: datetime.datetime | None = None
    # The figures of before the latest change, shown while the new ones are made (cohort_view).
    stale: bool = False
    # Clients whose latest scan was compared with another edition than benchmark_name, by name.
    other_editions: dict[str, int] = field(default_factory=dict)
    # The slug of benchmark_name's set (empty in figures made before it was kept).
    benchmark_slug: str = ""

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


def _cohort_sql(clients: QuerySet[Client]) -> tuple[str, list]:
    """The one query of the cohort's figures, and its parameters.

    `latest`: per client in the filter its latest round with a finished scan. `scores`: per
    client and row, in one pass over the answers, the mean of the compared answers at the latest
    round (`last_score`) and, for a client with a later round, at the intake (`first_score`).
    Then, in one result:
    the latest scores per row and scale point (part 0: clients, sum of scores), the change per row
    over the clients with a score in both (part 1: clients, sum of intake scores, sum of latest
    scores), the clients per latest round (part 2) and with a follow-up (part 3), and the clients
    per edition their latest scan was compared with (part 4: the set's year and slug). A few
    dozen rows, whatever the number of clients.
    """
    quote = connection.ops.quote_name
    answer, item, measurement, scan, benchmark = (
        quote(model._meta.db_table) for model in (ItemAnswer, Item, Measurement, Scan, BenchmarkSet)
    )
    group, round_, value = quote("group"), quote("round"), quote("value")
    finished = Measurement.objects.filter(client__in=clients, scan__finished_at__isnull=False)
    latest_sql, latest_params = (
        finished.values("client_id")
        .annotate(latest=Max("round"))
        .order_by()
        .query.sql_with_params()
    )
    point = " ".join(
        f"WHEN last_score < {p + Decimal('0.5')} THEN {p}" for p in range(SCALE_MIN, SCALE_MAX)
    )
    sql = f"""
        WITH latest AS ({latest_sql}),
        scores AS (
            SELECT m.client_id AS client_id, i.block AS block,
                   AVG(CASE WHEN m.{round_} = l.latest THEN a.{value} END) AS last_score,
                   AVG(CASE WHEN m.{round_} = %s AND l.latest > %s THEN a.{value} END)
                     AS first_score
            FROM {answer} a
            INNER JOIN {item} i ON i.id = a.item_id
            INNER JOIN {measurement} m ON m.scan_id = a.scan_id
            INNER JOIN {scan} s ON s.id = m.scan_id
            INNER JOIN latest l ON l.client_id = m.client_id
            WHERE a.not_applicable = %s AND s.finished_at IS NOT NULL
              AND (m.{round_} = l.latest OR m.{round_} = %s)
              AND ((i.role = %s AND i.{group} = %s) OR i.{group} = %s)
            GROUP BY m.client_id, i.block
        )
        SELECT 0, block, CASE {point} ELSE {SCALE_MAX} END, COUNT(*), SUM(last_score), 0
        FROM scores WHERE last_score IS NOT NULL
        GROUP BY block, CASE {point} ELSE {SCALE_MAX} END
        UNION ALL
        SELECT 1, block, 0, COUNT(*), SUM(first_score), SUM(last_score)
        FROM scores WHERE first_score IS NOT NULL AND last_score IS NOT NULL
        GROUP BY block
        UNION ALL
        SELECT 2, '', latest, COUNT(*), 0, 0 FROM latest GROUP BY latest
        UNION ALL
        SELECT 3, '', 0, COUNT(*), 0, 0
        FROM latest l INNER JOIN {measurement} m ON m.client_id = l.client_id
        INNER JOIN {scan} s ON s.id = m.scan_id
        WHERE l.latest > %s AND m.{round_} = %s AND s.finished_at IS NOT NULL
        UNION ALL
        SELECT 4, b.slug, b.year, COUNT(*), 0, 0
        FROM latest l INNER JOIN {measurement} m ON m.client_id = l.client_id
        INNER JOIN {scan} s ON s.id = m.scan_id
        INNER JOIN {benchmark} b ON b.id = s.benchmark_set_id
        WHERE m.{round_} = l.latest
        GROUP BY b.slug, b.year
    """  # noqa: S608 (only quoted table and column names and integers are put in)
    params = [
        *latest_params,
        INTAKE_ROUND,
        INTAKE_ROUND,
        False,
        INTAKE_ROUND,
        Item.Role.CORE,
        Item.Group.BUILDING_BLOCK,
        Item.Group.DLOQ,
        INTAKE_ROUND,
        INTAKE_ROUND,
    ]
    return sql, params


def _number(value) -> Decimal:
    # SQLite answers a float, PostgreSQL a Decimal.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _mean(total: Decimal, count: int) -> Decimal:
    return (total / count).quantize(_TWO_DECIMALS)


def _row(key: str, counts: dict[int, tuple[int, Decimal]], lookup: BenchmarkLookup) -> CohortRow:
    n = sum(count for count, _total in counts.values())
    total = lookup.get(lookup.table_of(key), key, TOTAL, NOORD_NEDERLAND)
    benchmark = total.value if total is not None else None
    enough = n >= GROUP_MIN_FINISHED
    mean = _mean(sum(t for _c, t in counts.values()), n) if enough else None
    difference = classification = None
    if mean is not None and benchmark is not None:
        difference = (mean - benchmark).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)
        classification = classify(difference, unit=SCALE_1_6, reference=benchmark)
    points = range(SCALE_MIN, SCALE_MAX + 1)
    return CohortRow(
        key=key,
        label=indicator_label(key),
        n=n,
        counts=[counts.get(p, (0, 0))[0] for p in points] if enough else [],
        mean=mean,
        benchmark=benchmark,
        difference=difference,
        classification=classification,
    )


def _change(key: str, pairs: tuple[int, Decimal, Decimal] | None) -> ChangeRow:
    n, first, last = pairs or (0, Decimal(0), Decimal(0))
    intake = latest = None
    if n >= GROUP_MIN_FINISHED:
        intake, latest = _mean(first, n), _mean(last, n)
    # The same rounding and words as one client's progress page (leerscan/coaching/progress.py).
    change = change_between(intake, latest)
    return ChangeRow(key, indicator_label(key), n, intake, latest, change)


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


def cohort_version(*, organisation: Organisation) -> str:
    """A cheap fingerprint of everything the organisation's cohort shows (one query): clients
    added, edited or removed, rounds started or removed, scans answered or finished (any answer
    saved moves its scan's updated_at, as group_version relies on), wishes ticked or unticked,
    and the benchmark sets' loaded files (the digest of every set's file, so a corrected file of
    any edition; a scan compared again with another edition moves its updated_at)."""
    quote = connection.ops.quote_name
    client, measurement, scan, wish = (
        quote(model._meta.db_table) for model in (Client, Measurement, Scan, ClientWish)
    )
    sql = f"""
        SELECT * FROM
          (SELECT COUNT(*) AS n, SUM(id) AS ids, MAX(updated_at) AS changed
           FROM {client} WHERE organisation_id = %s) c,
          (SELECT COUNT(m.id) AS n, SUM(m.id) AS ids, SUM(m.scan_id) AS scans,
                  COUNT(s.finished_at) AS finished, MAX(s.updated_at) AS changed
           FROM {measurement} m INNER JOIN {client} mc ON mc.id = m.client_id
           LEFT JOIN {scan} s ON s.id = m.scan_id WHERE mc.organisation_id = %s) m,
          (SELECT COUNT(w.id) AS n, SUM(w.id) AS ids
           FROM {wish} w INNER JOIN {client} wc ON wc.id = w.client_id
           WHERE wc.organisation_id = %s) w,
          (SELECT {benchmark_digests_sql()} AS digests) b
    """  # noqa: S608 (only quoted table names are put in)
    with connection.cursor() as cursor:
        cursor.execute(sql, [organisation.pk, organisation.pk, organisation.pk])
        parts = cursor.fetchone()
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


def _scope(filters: CohortFilters) -> str:
    return f"{filters.sector or ''}:{filters.size or ''}:{filters.province or ''}"


def _params(filters: CohortFilters) -> dict:
    return {"filters": dataclasses.asdict(filters)}


def _loaded(content: bytes | None) -> Cohort | None:
    # Written by _cohort_make into the project's own database, never from outside.
    return pickle.loads(content) if content is not None else None  # noqa: S301


def _cohort_make(organisation: Organisation, params: dict, _progress) -> Made:
    cohort = _cohort(organisation, CohortFilters(**params["filters"]))
    return Made(files={"figures": pickle.dumps(cohort, protocol=pickle.HIGHEST_PROTOCOL)})


# A cohort's figures, an output of the background layer (leerscan/background) of the coaching
# organisation: key "<filters>@<version>", a newer version replacing the older of its filters.
COHORT = Kind("cohort", make=_cohort_make, files=("figures",), keep_seconds=COHORT_KEEP_SECONDS)


def cohort_view(*, organisation: Organisation, filters: CohortFilters) -> Cohort:
    """The cohort of a coaching organisation's clients within the filters (a fixed number of
    queries, whatever the number of clients; two while nothing changed).

    Right after a change, the last figures of the same filters (if made less than
    COHORT_STALE_SECONDS ago) come back marked `stale`, and the task worker is asked to make the
    new ones; otherwise they are made now."""
    version = cohort_version(organisation=organisation)
    scope = _scope(filters)
    key = f"{scope}@{version}"
    kept = _loaded(output_file(kind=COHORT.name, subject=organisation, key=key))
    if kept is not None:
        return kept
    latest = output_latest_key(
        kind=COHORT.name, subject=organisation, prefix=f"{scope}@", done=True
    )
    previous = (
        _loaded(output_file(kind=COHORT.name, subject=organisation, key=latest)) if latest else None
    )
    too_old = timezone.now() - datetime.timedelta(seconds=COHORT_STALE_SECONDS)
    if previous is not None and previous.made_at and previous.made_at > too_old:
        output_queue(kind=COHORT.name, subject=organisation, key=key, params=_params(filters))
        # A worker that runs tasks at once (the tests' immediate backend) has made them already.
        kept = _loaded(output_file(kind=COHORT.name, subject=organisation, key=key))
        return kept if kept is not None else replace(previous, stale=True)
    return cohort_make(organisation=organisation, filters=filters, version=version)


def cohort_make(
    *, organisation: Organisation, filters: CohortFilters, version: str | None = None
) -> Cohort:
    """The cohort's figures of this version: kept, or made now and kept (the newest of their
    filters)."""
    version = version or cohort_version(organisation=organisation)
    key = f"{_scope(filters)}@{version}"
    content = output_make_now(
        kind=COHORT.name, subject=organisation, key=key, params=_params(filters)
    )
    return _loaded(content)


def _cohort(organisation: Organisation, filters: CohortFilters) -> Cohort:
    clients = cohort_clients(organisation=organisation, filters=filters)
    client_rows = list(
        clients.values_list("pk", "name", "training_questions").order_by("name", "pk")
    )
    distribution: dict[str, dict[int, tuple[int, Decimal]]] = {}
    pairs: dict[str, tuple[int, Decimal, Decimal]] = {}
    rounds: dict[int, int] = {}
    on_set: dict[str, tuple[int, int]] = {}  # slug -> (year, clients)
    followed_up = 0
    sql, params = _cohort_sql(clients)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for part, key, number, count, first, second in cursor.fetchall():
            if part == 0:
                distribution.setdefault(key, {})[int(number)] = (count, _number(first))
            elif part == 1:
                pairs[key] = (count, _number(first), _number(second))
            elif part == 2:
                rounds[int(number)] = count
            elif part == 3:
                followed_up = count
            else:
                on_set[key] = (int(number), count)
    # Noord-Nederland's values come from the edition the clients' latest scans were compared
    # with; from the newest, when some were compared with another (said on the page). Without a
    # scan, from the edition new scans use.
    newest = max(on_set, key=lambda slug: (on_set[slug][0], slug)) if on_set else None
    lookup = BenchmarkLookup(newest)  # None: the edition new scans use, in the same query
    slug = lookup.slug
    names = dict(BenchmarkSet.objects.filter(slug__in=[slug, *on_set]).values_list("slug", "name"))
    benchmark_name = names.get(slug, slug)
    return Cohort(
        filters=filters,
        clients=len(client_rows),
        scanned=sum(rounds.values()),
        followed_up=followed_up,
        blocks=[_row(key, distribution.get(key, {}), lookup) for key in BUILDING_BLOCKS],
        statements=[_row(key, distribution.get(key, {}), lookup) for key in DLOQ_STATEMENTS],
        changes=[_change(key, pairs.get(key)) for key in (*BUILDING_BLOCKS, *DLOQ_STATEMENTS)],
        demand=_demand(clients),
        training_questions=[
            TrainingQuestion(pk, name, text.strip())
            for pk, name, text in client_rows
            if text.strip()
        ],
        benchmark_name=benchmark_name,
        benchmark_slug=slug,
        other_editions={names[s]: n for s, (_year, n) in on_set.items() if s != slug},
        rounds=dict(sorted(rounds.items())),
        made_at=timezone.now(),
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
