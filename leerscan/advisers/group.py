"""A leertafel's group figures: the one selector behind the group view, the group PDF and the
exports (DESIGN §7, monitor Tabel 4.5 and 4.6).

Only finished participants count. Below GROUP_MIN_FINISHED of them there are no figures at all
(no means, no dots, no koplopers, no profile): with one or two participants, each could read the
other's answers off the group's. A row that fewer than GROUP_MIN_FINISHED participants scored
(the rest answered "n.v.t.") is left empty for the same reason.

The scores are the results page's own: scan_scores_many (scores_from_answers on each scan's
answers), read for all participants at once (a fixed number of queries, whatever the number of
participants). The group's sector mix is the mean of what the results page shows each
participant as its closest group (Comparison.peer: the sector x size estimate where there is
one), so the table compares itself with the same yardstick its members saw on their own pages.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from benchmarks.profiles import SBI_SECTION_LABELS, profile_groups, size_class
from benchmarks.profiles import GroupProfile as GroupsOfScan
from benchmarks.selectors import BenchmarkLookup, benchmark_digests_sql, indicator_comparison
from benchmarks.vocabulary import (
    BUILDING_BLOCKS,
    DLOQ_STATEMENTS,
    GROUPS,
    MIN_SURVEYED_EMPLOYEES,
    NOORD_NEDERLAND,
    SIZE,
    TOTAL,
    indicator_label,
)
from leerscan.advisers.models import DiscussionPrompt, Leertafel, Participant
from leerscan.constants import GROUP_MIN_FINISHED, KOPLOPERS_SHOWN
from leerscan.scans.models import Scan
from leerscan.scans.selectors import scan_scores_many

_TWO_DECIMALS = Decimal("0.01")
# The scan fields the group figures read (group_view loads no others).
SCAN_FIELDS = (
    "finished_at",
    "organisation_name",
    "sbi_section",
    "employees",
    "province",
    "item_bank_id",
)
# The profile's size class of a firm below the monitor's smallest class (MIN_SURVEYED_EMPLOYEES).
FEWER_THAN_SURVEYED = _("fewer than %(n)s employees")


@dataclass(frozen=True)
class Dot:
    """One finished participant's score on a row; the name only when the participant allowed it."""

    value: Decimal
    name: str | None


@dataclass(frozen=True)
class Koploper:
    name: str
    value: Decimal


@dataclass(frozen=True)
class GroupRow:
    """A building block (Tabel 4.5) or DLOQ statement (Tabel 4.6) for the whole table."""

    key: str
    label: str
    n: int  # finished participants with a score on this row ("n.v.t." is no score)
    mean: Decimal | None
    sd: Decimal | None  # sample standard deviation (n - 1)
    dots: list[Dot]  # in the participants' order (joined first), never sorted by name
    noord_nederland: Decimal | None
    sector_mix: Decimal | None
    koplopers: list[Koploper]

    @property
    def shown(self) -> bool:
        """Whether the row has figures (enough participants scored it)."""
        return self.mean is not None

    @property
    def named_dots(self) -> list[Dot]:
        return [dot for dot in self.dots if dot.name]


@dataclass(frozen=True)
class GroupProfile:
    """How many finished participants per size class, SBI section and province (labels)."""

    sizes: dict[str, int]
    sectors: dict[str, int]
    provinces: dict[str, int]


@dataclass(frozen=True)
class GroupView:
    joined: int
    finished: int
    enough: bool  # finished >= GROUP_MIN_FINISHED; below it no figures at all
    blocks: list[GroupRow]
    statements: list[GroupRow]
    profile: GroupProfile | None
    version: str  # changes whenever anything the group view shows may have changed
    min_finished: int = GROUP_MIN_FINISHED
    # The edition Noord-Nederland's values come from: the participants' own when they share one,
    # else the newest of theirs; `other_editions` then counts the participants on each other one.
    edition: str = ""
    edition_slug: str = ""
    other_editions: dict[str, int] = field(default_factory=dict)


def _mean(values: list[Decimal]) -> Decimal | None:
    return (sum(values) / len(values)).quantize(_TWO_DECIMALS) if values else None


def _sd(values: list[Decimal]) -> Decimal | None:
    if len(values) < 2:
        return None
    return Decimal(str(statistics.stdev(float(v) for v in values))).quantize(_TWO_DECIMALS)


def _version_sql() -> tuple[str, str]:
    """The two queries of group_version; only table and column names (quoted) are put in, the
    leertafel's id is a parameter."""
    quote = connection.ops.quote_name
    participant, scan, prompt = (
        quote(model._meta.db_table) for model in (Participant, Scan, DiscussionPrompt)
    )
    columns = ", ".join(quote(c) for c in ("id", "block", "position", "text"))
    tables = f"{participant} p INNER JOIN {scan} s ON s.id = p.scan_id"
    participants = (
        "SELECT COUNT(p.id), COUNT(s.finished_at), MAX(p.id), MAX(s.updated_at), "  # noqa: S608
        "SUM(CASE WHEN p.show_name THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN p.show_name THEN p.id ELSE 0 END), "
        f"{benchmark_digests_sql()} FROM {tables} WHERE p.leertafel_id = %s"
    )
    prompts = f"SELECT {columns} FROM {prompt} WHERE leertafel_id = %s ORDER BY id"  # noqa: S608
    return participants, prompts


def group_version(*, leertafel: Leertafel) -> str:
    """A cheap fingerprint of everything the group view shows (two small queries): participants
    joining, answering, finishing or changing their consent to be named, the prompts, the
    leertafel itself, and the editions' files (Noord-Nederland's values and the monitor's
    sentences beside them; a corrected file changes its digest).

    Any answer saved or a scan finished moves its scan's updated_at; a consent changes the count
    and the sum of the named participants' ids; a prompt edit changes the prompts' digest. Plain
    SQL, because every open group view asks this every few seconds and the ORM's compiling of
    the aggregate cost more than the database's answer.
    """
    participants_sql, prompts_sql = _version_sql()
    with connection.cursor() as cursor:
        cursor.execute(participants_sql, [leertafel.pk])
        participants = cursor.fetchone()
        cursor.execute(prompts_sql, [leertafel.pk])
        prompts = cursor.fetchall()
    fingerprint = repr(
        (
            tuple(participants),
            prompts,
            leertafel.name,
            leertafel.approach,
            leertafel.theme,
            leertafel.is_open,
            leertafel.short_mode,
        )
    )
    return hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:16]


def _name(participant: Participant) -> str | None:
    name = participant.scan.organisation_name.strip()
    return name if participant.show_name and name else None


def _rows(
    keys: tuple[str, ...],
    scores_of,
    finished: list[Participant],
    peers: dict[int, dict[str, Decimal]],
    lookup: BenchmarkLookup,
) -> list[GroupRow]:
    rows = []
    names = {p.pk: _name(p) for p in finished}
    for key in keys:
        scored = [(p, scores_of(p).get(key)) for p in finished]
        scored = [(p, value) for p, value in scored if value is not None]
        total = lookup.get(lookup.table_of(key), key, TOTAL, NOORD_NEDERLAND)
        nn = total.value if total is not None else None
        if len(scored) < GROUP_MIN_FINISHED:
            rows.append(
                GroupRow(key, indicator_label(key), len(scored), None, None, [], nn, None, [])
            )
            continue
        values = [value for _p, value in scored]
        named = [(p, value, names[p.pk]) for p, value in scored]
        # sorted() is stable: equal scores keep the participants' order (who joined first).
        ranked = sorted((t for t in named if t[2]), key=lambda t: -t[1])
        rows.append(
            GroupRow(
                key=key,
                label=indicator_label(key),
                n=len(scored),
                mean=_mean(values),
                sd=_sd(values),
                dots=[Dot(value=value, name=name) for _p, value, name in named],
                noord_nederland=nn,
                sector_mix=_mean([peers[p.pk][key] for p in finished if key in peers[p.pk]]),
                koplopers=[
                    Koploper(name=name, value=value) for _p, value, name in ranked[:KOPLOPERS_SHOWN]
                ],
            )
        )
    return rows


def _profile(finished: list[Participant]) -> GroupProfile:
    size_order = [*GROUPS[SIZE], None]
    sizes: dict[str | None, int] = {}
    sections: dict[str, int] = {}
    provinces: dict[str, int] = {}
    for participant in finished:
        scan = participant.scan
        size = size_class(scan.employees) if scan.employees is not None else None
        sizes[size] = sizes.get(size, 0) + 1
        if scan.sbi_section:
            sections[scan.sbi_section] = sections.get(scan.sbi_section, 0) + 1
        if scan.province:
            provinces[scan.province] = provinces.get(scan.province, 0) + 1
    province_order = [key for key, _label in Scan.PROVINCE_CHOICES]
    province_labels = dict(Scan.PROVINCE_CHOICES)
    return GroupProfile(
        sizes={
            (
                str(GROUPS[SIZE][size])
                if size
                else str(FEWER_THAN_SURVEYED) % {"n": MIN_SURVEYED_EMPLOYEES}
            ): sizes[size]
            for size in size_order
            if size in sizes
        },
        sectors={str(SBI_SECTION_LABELS[s]): sections[s] for s in sorted(sections)},
        provinces={str(province_labels[p]): provinces[p] for p in province_order if p in provinces},
    )


def group_view(*, leertafel: Leertafel) -> GroupView:
    """The leertafel's group figures (a fixed number of queries, whatever the number of
    participants); no figures below GROUP_MIN_FINISHED finished participants."""
    participants = list(
        Participant.objects.filter(leertafel=leertafel)
        .select_related("scan")
        # Only what the figures need: a scan row has a dozen more fields, and its benchmark set
        # a JSON document, each read and converted for every participant otherwise.
        .only("pk", "show_name", "joined_at", "scan_id", *(f"scan__{f}" for f in SCAN_FIELDS))
        .annotate(
            benchmark_slug=F("scan__benchmark_set__slug"),
            benchmark_year=F("scan__benchmark_set__year"),
            benchmark_name=F("scan__benchmark_set__name"),
        )
        .order_by("joined_at", "pk")
    )
    finished = [p for p in participants if p.scan.finished_at is not None]
    version = group_version(leertafel=leertafel)
    enough = len(finished) >= GROUP_MIN_FINISHED
    if not enough:
        return GroupView(len(participants), len(finished), False, [], [], None, version)
    # The compared statements only: the group view shows no deepening means and no facts.
    scores = {
        scan_id: answers.scores
        for scan_id, answers in scan_scores_many(
            scans=[p.scan for p in finished], compared_only=True
        ).items()
    }
    lookups: dict[str, BenchmarkLookup] = {}

    def lookup_for(slug: str) -> BenchmarkLookup:
        # One lookup (one query) per set the participants' scans recorded.
        if slug not in lookups:
            lookups[slug] = BenchmarkLookup(slug)
        return lookups[slug]

    # Noord-Nederland's values: from the participants' own edition (the newest, when a participant
    # compared their scan again with a newer one, or joined after a new edition was loaded).
    newest = max(finished, key=lambda p: (p.benchmark_year, p.benchmark_slug))
    nn_lookup = lookup_for(newest.benchmark_slug)
    other_editions = Counter(
        p.benchmark_name for p in finished if p.benchmark_slug != newest.benchmark_slug
    )
    # Participants of one set and one profile (sector, size class, province) have the same
    # closest groups: at most 4 x 5 x 4 profiles, however many participants.
    peers_of_profile: dict[tuple, dict[str, Decimal]] = {}
    peers: dict[int, dict[str, Decimal]] = {}
    profiles: dict[tuple, GroupsOfScan] = {}
    for p in finished:
        scan = p.scan
        # profile_groups depends on the head count only through its size class.
        size = None if scan.employees is None else size_class(scan.employees)
        profile_key = (scan.sbi_section, scan.employees is None, size, scan.province)
        if profile_key not in profiles:
            profiles[profile_key] = profile_groups(
                sbi_code=scan.sbi_section, employees=scan.employees, province=scan.province
            )
        profile = profiles[profile_key]
        key = (p.benchmark_slug, profile.sector, profile.size, profile.province)
        if key not in peers_of_profile:
            lookup = lookup_for(p.benchmark_slug)
            peers_of_profile[key] = {
                indicator: indicator_comparison(
                    indicator=indicator, value=None, profile=profile, lookup=lookup
                ).peer.value
                for indicator in (*BUILDING_BLOCKS, *DLOQ_STATEMENTS)
            }
        peers[p.pk] = peers_of_profile[key]
    blocks = _rows(
        BUILDING_BLOCKS, lambda p: scores[p.scan_id].building_blocks, finished, peers, nn_lookup
    )
    statements = _rows(
        DLOQ_STATEMENTS, lambda p: scores[p.scan_id].dloq, finished, peers, nn_lookup
    )
    return GroupView(
        joined=len(participants),
        finished=len(finished),
        enough=True,
        blocks=blocks,
        statements=statements,
        profile=_profile(finished),
        version=version,
        edition=newest.benchmark_name,
        edition_slug=newest.benchmark_slug,
        other_editions=dict(other_editions),
    )
