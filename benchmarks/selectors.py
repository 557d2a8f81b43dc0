"""Read benchmark values and compare an organisation's value with the groups that apply to it.

`indicator_comparison` is the one public comparison: for an indicator and the employer's value
(or none), the values of Noord-Nederland, the province, the sector, the size class and the
estimated sector x size peer value, each with n, the difference and its classification.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from benchmarks.models import BenchmarkSet, BenchmarkValue
from benchmarks.profiles import GroupProfile
from benchmarks.vocabulary import (
    DIFFERENCE_THRESHOLDS,
    EDUCATION_PARTICIPATION,
    EMPLOYER_TABLES,
    EMPLOYMENT,
    LONG_EDUCATION_INITIATIVE,
    LOONDIENST,
    NEXT_COURSE,
    NOORD_NEDERLAND,
    PREVIOUS,
    PROVINCE,
    RELATIVE_THRESHOLD_INDICATORS,
    RELATIVE_THRESHOLD_UNITS,
    SECTOR,
    SHORT_EDUCATION_REASONS,
    SIZE,
    SMALL_GROUP_N,
    TOTAL,
    UNIT_RANGES,
    group_label,
    indicator_label,
)

ESTIMATE = "estimate"

COMPARABLE = "comparable"
SOMEWHAT_HIGHER, SOMEWHAT_LOWER = "somewhat_higher", "somewhat_lower"
CLEARLY_HIGHER, CLEARLY_LOWER = "clearly_higher", "clearly_lower"
# "Your organisation scores ... <group>", e.g. "duidelijk lager dan vergelijkbare bedrijven".
CLASSIFICATION_WORDS = {
    COMPARABLE: _("comparable with"),
    SOMEWHAT_HIGHER: _("somewhat higher than"),
    SOMEWHAT_LOWER: _("somewhat lower than"),
    CLEARLY_HIGHER: _("clearly higher than"),
    CLEARLY_LOWER: _("clearly lower than"),
}

# How a group is named after "higher than" / "lower than".
GROUP_PHRASES = {
    TOTAL: _("Noord-Nederland as a whole"),
    PROVINCE: _("your province"),
    SECTOR: _("your sector"),
    SIZE: _("organisations of your size"),
    ESTIMATE: _("similar organisations"),
}

_ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class GroupComparison:
    kind: str  # total, province, sector, size or estimate
    group: str
    label: str
    n: int | None
    value: Decimal
    difference: Decimal | None  # own value minus group value, rounded to one decimal
    classification: str | None
    small_group: bool
    is_estimate: bool = False

    @property
    def words(self) -> str:
        """The classification in words, e.g. "somewhat lower than" (translated)."""
        return str(CLASSIFICATION_WORDS[self.classification]) if self.classification else ""

    @property
    def phrase(self) -> str:
        """The group as named in a sentence, e.g. "similar organisations" (translated)."""
        return str(GROUP_PHRASES[self.kind])


@dataclass(frozen=True)
class Comparison:
    indicator: str
    table: str
    unit: str
    own_value: Decimal | None
    benchmark_set: str
    groups: tuple[GroupComparison, ...]

    def group(self, kind: str) -> GroupComparison | None:
        """The comparison with one kind of group, or None when that group does not apply."""
        return next((g for g in self.groups if g.kind == kind), None)

    @property
    def peer(self) -> GroupComparison:
        """The closest group available: the estimate, else size class, sector, Noord-Nederland."""
        for kind in (ESTIMATE, SIZE, SECTOR, TOTAL):
            found = self.group(kind)
            if found is not None:
                return found
        raise LookupError(self.indicator)


@dataclass(frozen=True)
class _LoadedSet:
    digest: str
    cells: dict[tuple[str, str, str, str], BenchmarkValue]
    # Every table an indicator appears in, sorted: table_of() is asked on every results page.
    tables: dict[str, list[str]]


def _pk(value: BenchmarkValue) -> int:
    return value.pk


def benchmark_set_current() -> BenchmarkSet | None:
    """The set new scans are compared with: the one settings.LEERSCAN_DEFAULT_BENCHMARK_SET pins,
    else the newest edition loaded (by year, then the last loaded)."""
    sets = BenchmarkSet.objects.all()
    pinned = settings.LEERSCAN_DEFAULT_BENCHMARK_SET
    if pinned:
        return sets.filter(slug=pinned).first()
    return sets.order_by("-year", "-loaded_at", "-pk").first()


def benchmark_set_respondents(benchmark_set: BenchmarkSet) -> int | None:
    """The most employers any of the set's Noord-Nederland figures of the employer survey rests on
    (the largest N of its tables of chapter 4)."""
    # Max ignores rows without N (PostgreSQL would sort them first in a descending order).
    return BenchmarkValue.objects.filter(
        benchmark_set=benchmark_set, group_kind=TOTAL, table__in=EMPLOYER_TABLES
    ).aggregate(most=Max("n"))["most"]


def benchmark_digests_sql() -> str:
    """SQL for one value that changes whenever any edition's file is loaded or corrected: every
    set's digest, in the order of id (PostgreSQL's string_agg, SQLite's group_concat over an
    ordered subquery). For fingerprints of what a page shows (group_version, cohort_version)."""
    table = connection.ops.quote_name(BenchmarkSet._meta.db_table)
    # Only a quoted table name is put in (S608).
    if connection.vendor == "postgresql":
        return f"(SELECT string_agg(content_hash, ',' ORDER BY id) FROM {table})"  # noqa: S608
    return (
        "(SELECT group_concat(content_hash, ',') FROM "  # noqa: S608
        f"(SELECT content_hash FROM {table} ORDER BY id))"
    )


# A set's values per process, keyed by the loaded file's digest: they only change when
# benchmark_set_load loads a different file, which changes the digest. Read-only, so several
# processes each holding a copy is fine.
_LOADED: dict[str, _LoadedSet] = {}


class BenchmarkLookup:
    """All values of one benchmark set in memory: one query to check the set's digest, and one
    more to read its values the first time this process sees that digest."""

    def __init__(self, slug: str | None = None) -> None:
        if slug is None:  # the set new scans use, read in the one query
            current = benchmark_set_current()
            if current is None:
                raise BenchmarkSet.DoesNotExist(
                    "No benchmark set is loaded; run benchmark_set_load"
                )
            slug, digest = current.slug, current.content_hash
        else:
            digest = (
                BenchmarkSet.objects.filter(slug=slug)
                .values_list("content_hash", flat=True)
                .first()
            )
        self.slug = slug
        if digest is None:
            raise BenchmarkSet.DoesNotExist(
                f"Benchmark set {self.slug!r} is not loaded; run manage.py benchmark_set_load."
            )
        loaded = _LOADED.get(self.slug)
        if loaded is None or loaded.digest != digest:
            rows = BenchmarkValue.objects.filter(benchmark_set__slug=self.slug)
            cells = {(v.table, v.indicator, v.group_kind, v.group): v for v in rows}
            tables: dict[str, set[str]] = {}
            for table, indicator, _kind, _group in cells:
                if table == PREVIOUS:
                    continue  # the previous edition's figure is never the comparison
                tables.setdefault(indicator, set()).add(table)
            sorted_tables = {indicator: sorted(found) for indicator, found in tables.items()}
            loaded = _LOADED[self.slug] = _LoadedSet(digest, cells, sorted_tables)
        self._cells = loaded.cells
        self._tables = loaded.tables

    def table_of(self, indicator: str) -> str:
        """The table an indicator comes from; a numbered table wins over a sentence."""
        tables = self._tables.get(indicator, [])
        if not tables:
            raise KeyError(f"No benchmark for indicator {indicator!r} in {self.slug}")
        numbered = [t for t in tables if t[0].isdigit()]
        return (numbered or tables)[0]

    def get(self, table: str, indicator: str, kind: str, group: str) -> BenchmarkValue | None:
        return self._cells.get((table, indicator, kind, group))

    def cells_of_table(self, table: str) -> list[BenchmarkValue]:
        """Every value of one table, in the order of the data file."""
        return sorted((v for (t, *_rest), v in self._cells.items() if t == table), key=_pk)

    def cells(self, table: str, indicator: str) -> list[BenchmarkValue]:
        """Every group's value of one indicator in one table."""
        return [v for (t, i, _k, _g), v in self._cells.items() if (t, i) == (table, indicator)]


def classify(difference: Decimal, *, unit: str, reference: Decimal, indicator: str = "") -> str:
    """Put a difference into words using the named thresholds of its unit, or of its indicator
    where the vocabulary gives it its own (relative) thresholds."""
    somewhat, clearly = DIFFERENCE_THRESHOLDS[unit]
    relative = unit in RELATIVE_THRESHOLD_UNITS
    if indicator in RELATIVE_THRESHOLD_INDICATORS:
        somewhat, clearly = RELATIVE_THRESHOLD_INDICATORS[indicator]
        relative = True
    size = abs(difference)
    if relative:
        if reference == 0:
            size = Decimal("Infinity") if difference else Decimal(0)
        else:
            size = size / reference
    if size < somewhat:
        return COMPARABLE
    higher = difference > 0
    if size < clearly:
        return SOMEWHAT_HIGHER if higher else SOMEWHAT_LOWER
    return CLEARLY_HIGHER if higher else CLEARLY_LOWER


def _compare(
    own: Decimal | None, value: Decimal, unit: str, indicator: str
) -> tuple[Decimal | None, str | None]:
    if own is None:
        return None, None
    difference = (own - value).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)
    return difference, classify(difference, unit=unit, reference=value, indicator=indicator)


def _row(kind: str, bv: BenchmarkValue, own: Decimal | None) -> GroupComparison:
    difference, classification = _compare(own, bv.value, bv.unit, bv.indicator)
    return GroupComparison(
        kind=kind,
        group=bv.group,
        label=group_label(bv.group_kind, bv.group),
        n=bv.n,
        value=bv.value,
        difference=difference,
        classification=classification,
        small_group=bv.n is not None and bv.n < SMALL_GROUP_N,
    )


def indicator_comparison(
    *,
    indicator: str,
    value: Decimal | int | float | None,
    profile: GroupProfile,
    table: str | None = None,
    lookup: BenchmarkLookup | None = None,
) -> Comparison:
    """Compare a value of an indicator with every group that applies to the profile."""
    lookup = lookup or BenchmarkLookup()
    table = table or lookup.table_of(indicator)
    own = None if value is None else Decimal(str(value))
    total = lookup.get(table, indicator, TOTAL, NOORD_NEDERLAND)
    if total is None:
        raise KeyError(f"No Noord-Nederland value for {indicator!r} in table {table}")
    rows = [_row(TOTAL, total, own)]
    for kind, group in (
        (PROVINCE, profile.province),
        (SECTOR, profile.sector),
        (SIZE, profile.size),
    ):
        bv = lookup.get(table, indicator, kind, group) if group else None
        if bv is not None:
            rows.append(_row(kind, bv, own))
    sector = lookup.get(table, indicator, SECTOR, profile.sector) if profile.sector else None
    size = lookup.get(table, indicator, SIZE, profile.size) if profile.size else None
    if sector is not None and size is not None:
        # Main effects only: NN + (sector - NN) + (size - NN). The monitor publishes no
        # sector x size table, so this is an estimate, kept inside the unit's range.
        low, high = UNIT_RANGES[total.unit]
        estimate = min(
            max(total.value + (sector.value - total.value) + (size.value - total.value), low), high
        )
        difference, classification = _compare(own, estimate, total.unit, indicator)
        rows.append(
            GroupComparison(
                kind=ESTIMATE,
                group=f"{sector.group}|{size.group}",
                label=str(_("similar organisations (estimate)")),
                n=None,
                value=estimate,
                difference=difference,
                classification=classification,
                small_group=any(b.n is not None and b.n < SMALL_GROUP_N for b in (sector, size)),
                is_estimate=True,
            )
        )
    return Comparison(
        indicator=indicator,
        table=table,
        unit=total.unit,
        own_value=own,
        benchmark_set=lookup.slug,
        groups=tuple(rows),
    )


GROUP_ORDER = (TOTAL, PROVINCE, SECTOR, SIZE)


def benchmark_group_sizes(
    *, lookup: BenchmarkLookup, columns: tuple[tuple[str, str], ...]
) -> list[tuple[str, ...]]:
    """How many employers answered, per group: a row (group label, N of each (table, indicator)
    column), Noord-Nederland first, then the provinces, sectors and size classes."""
    sizes: dict[tuple[str, str], dict[int, int | None]] = {}
    for column, (table, indicator) in enumerate(columns):
        for value in lookup.cells(table, indicator):
            sizes.setdefault((value.group_kind, value.group), {})[column] = value.n
    ordered = sorted(
        (key for key in sizes if key[0] in GROUP_ORDER), key=lambda key: GROUP_ORDER.index(key[0])
    )
    return [
        (group_label(kind, group), *(sizes[(kind, group)].get(c) for c in range(len(columns))))
        for kind, group in ordered
    ]


@dataclass(frozen=True)
class MonitorFigure:
    """One of the monitor's numbers as shown: its label, value and N (None: none printed)."""

    indicator: str
    label: str
    value: Decimal
    n: int | None


@dataclass(frozen=True)
class EmployeeLearning:
    """The monitor's figures for employees (in loondienst) from chapter 3, which asked
    inhabitants of Noord-Nederland: shown beside the team scan, never compared with it (the team
    is not asked these questions)."""

    participation: tuple[MonitorFigure, ...]  # Tabel 3.2 (line 846)
    short_reasons: tuple[MonitorFigure, ...]  # the second "Tabel 3.2" (line 1094), as "3.2b"
    next_course: MonitorFigure  # Tabel 3.4: wants a next course
    next_course_reasons: tuple[MonitorFigure, ...]  # Tabel 3.4: and why
    initiative: tuple[MonitorFigure, ...]  # section 3.3, long education: initiative and costs

    def figure(self, indicator: str) -> MonitorFigure | None:
        everything = (
            *self.participation,
            *self.short_reasons,
            self.next_course,
            *self.next_course_reasons,
            *self.initiative,
        )
        return next((f for f in everything if f.indicator == indicator), None)


def employee_learning(*, lookup: BenchmarkLookup) -> EmployeeLearning | None:
    """The monitor's chapter-3 figures for employees (loondienst), read from the loaded set
    (no query of its own); None for a set without these tables."""

    def figures(table: str, indicators: tuple[str, ...]) -> tuple[MonitorFigure, ...] | None:
        found = [lookup.get(table, key, EMPLOYMENT, LOONDIENST) for key in indicators]
        if any(value is None for value in found):
            return None
        return tuple(
            MonitorFigure(v.indicator, indicator_label(v.indicator), v.value, v.n) for v in found
        )

    participation = figures("3.2", EDUCATION_PARTICIPATION)
    reasons = figures("3.2b", SHORT_EDUCATION_REASONS)
    next_course = figures("3.4", NEXT_COURSE)
    initiative = figures("text", LONG_EDUCATION_INITIATIVE)
    if participation is None or reasons is None or next_course is None or initiative is None:
        return None
    return EmployeeLearning(
        participation=participation,
        short_reasons=reasons,
        next_course=next_course[0],
        next_course_reasons=next_course[1:],
        initiative=initiative,
    )


# The monitor's recommendations 1-3 (chapter "Aanbevelingen"), shown to advisers and institutions.
RECOMMENDATION_KEYS = ("aanbeveling_1", "aanbeveling_2", "aanbeveling_3")
# Box 4.2: the building blocks and the DLOQ statements measure much the same (correlation 0.7).
TWO_MEASURES_KEY = "samenhang_metingen"


def monitor_sentences(*, keys: tuple[str, ...], language: str, slug: str = "") -> dict[str, str]:
    """The monitor's sentences `keys` in `language`, one query: from the set `slug` (the edition a
    group's or a cohort's figures come from), else from the set new scans use. A key the set lacks
    is left out."""
    bset = BenchmarkSet.objects.filter(slug=slug).first() if slug else benchmark_set_current()
    if bset is None:
        return {}
    return {key: bset.sentence(key, language) for key in keys if key in bset.sentences}
