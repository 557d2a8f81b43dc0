"""The living benchmark: consented Leerscan scans pooled per sector x size x province.

The monitor prints sector, size class and province apart, never together. Owners who allow it
(Scan.living_consent_at, off by default, withdrawn by clearing it) pool their finished scans into
that cell. The cells are rebuilt whole, daily, by `manage.py living_benchmark_refresh`, so a
withdrawal leaves at the next refresh; the results page reads the stored cell (one query).

Disclosure, as in the team scan (docs/team-scan.md, "Batches"):
- a cell is stored only from LIVING_BENCHMARK_MIN (10) organisations, and a building block or
  statement only when at least that many of them answered it;
- its figures are those of the first 10, 15, 20, ... organisations (in the order they first gave
  consent), never of the ones in between, so one organisation joining or leaving between two
  steps changes nothing that is shown;
- only means, N and the range of months: never a single organisation's score, name or day.

One organisation counts once: its scans are recognised by the organisation's name, normalised
(organisation_key), within the cell, and only its latest consented finished scan counts. A scan
without a name cannot be told apart from another organisation's, so it is not pooled (the consent
page says so). The limits (a differently spelt name counts twice, two organisations of the same
name in one cell once) are in docs/benchmarks.md.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from benchmarks.profiles import profile_groups
from benchmarks.vocabulary import BUILDING_BLOCKS, DLOQ_STATEMENTS
from leerscan.constants import LIVING_BENCHMARK_MIN, LIVING_BENCHMARK_STEP
from leerscan.disclosure import batch_released
from leerscan.reports.models import LivingBenchmarkCell
from leerscan.scans.models import Scan
from leerscan.scans.selectors import scan_scores_many
from leerscan.scans.services import scan_consent_set

# Legal forms that do not make an organisation another one ("Bakkerij Jansen B.V." is
# "bakkerij jansen").
LEGAL_FORMS = frozenset({"bv", "nv", "vof", "cv", "holding", "stichting", "vereniging"})
_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class Cell:
    sector: str
    size_class: str
    province: str


@dataclass(frozen=True)
class LivingFigures:
    """A cell's released figures: N organisations, the months they span, a mean per indicator."""

    organisations: int
    first_month: datetime.date
    last_month: datetime.date
    means: dict[str, Decimal]


def organisation_key(name: str) -> str:
    """The name an organisation is recognised by: lower case, letters and digits, no legal form."""
    folded = name.casefold().replace(".", "")
    words = [w for w in _NOT_ALPHANUMERIC.split(folded) if w and w not in LEGAL_FORMS]
    return " ".join(words)


def scan_cell(*, scan: Scan) -> Cell | None:
    """The scan's sector x size x province cell, or None when its profile lacks one."""
    if not (scan.sbi_section and scan.employees and scan.province):
        return None
    groups = profile_groups(
        sbi_code=scan.sbi_section, employees=scan.employees, province=scan.province
    )
    if not (groups.sector and groups.size and groups.province):
        return None
    return Cell(sector=groups.sector, size_class=groups.size, province=groups.province)


def living_consent_set(*, scan: Scan, allowed: bool) -> None:
    """Allow (keeping the first moment) or withdraw the scan's place in the living benchmark."""
    scan_consent_set(scan=scan, field="living_consent_at", allowed=allowed)


def _month(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date().replace(day=1)


def living_cells_compute() -> dict[Cell, LivingFigures]:
    """Every cell's released figures from the scans consented right now (a fixed few queries)."""
    scans = Scan.objects.filter(living_consent_at__isnull=False, finished_at__isnull=False).exclude(
        organisation_name=""
    )
    # Per cell and organisation: its latest finished scan, and when it first consented.
    latest: dict[Cell, dict[str, Scan]] = {}
    first_consent: dict[tuple[Cell, str], datetime.datetime] = {}
    for scan in scans.order_by("finished_at", "pk"):
        cell = scan_cell(scan=scan)
        key = organisation_key(scan.organisation_name)
        if cell is None or not key:
            continue
        latest.setdefault(cell, {})[key] = scan
        moment = first_consent.get((cell, key))
        if moment is None or scan.living_consent_at < moment:
            first_consent[(cell, key)] = scan.living_consent_at
    chosen: dict[Cell, list[Scan]] = {}
    for cell, by_key in latest.items():
        released = batch_released(
            len(by_key), minimum=LIVING_BENCHMARK_MIN, step=LIVING_BENCHMARK_STEP
        )
        if released:
            order = sorted(by_key, key=lambda k: (first_consent[(cell, k)], k))
            chosen[cell] = [by_key[k] for k in order[:released]]
    answers = scan_scores_many(
        scans=[scan for cell_scans in chosen.values() for scan in cell_scans], compared_only=True
    )
    figures = {}
    for cell, cell_scans in chosen.items():
        means: dict[str, Decimal] = {}
        for part, keys in (("building_blocks", BUILDING_BLOCKS), ("dloq", DLOQ_STATEMENTS)):
            for key in keys:
                values = [
                    score
                    for scan in cell_scans
                    if (score := getattr(answers[scan.pk].scores, part).get(key)) is not None
                ]
                if len(values) >= LIVING_BENCHMARK_MIN:
                    mean = sum(values, Decimal(0)) / len(values)
                    means[key] = mean.quantize(Decimal("0.01"), ROUND_HALF_UP)
        months = [_month(scan.finished_at) for scan in cell_scans]
        figures[cell] = LivingFigures(
            organisations=len(cell_scans),
            first_month=min(months),
            last_month=max(months),
            means=means,
        )
    return figures


def living_benchmark_refresh() -> int:
    """Rebuild the stored cells from the consents of now; returns the number of cells."""
    figures = living_cells_compute()
    now = timezone.now()
    with transaction.atomic():
        LivingBenchmarkCell.objects.all().delete()
        LivingBenchmarkCell.objects.bulk_create(
            LivingBenchmarkCell(
                sector=cell.sector,
                size_class=cell.size_class,
                province=cell.province,
                organisations=f.organisations,
                first_month=f.first_month,
                last_month=f.last_month,
                means={key: str(value) for key, value in f.means.items()},
                refreshed_at=now,
            )
            for cell, f in figures.items()
        )
    return len(figures)


def living_benchmark_for(*, scan: Scan) -> LivingFigures | None:
    """The stored figures of the scan's own cell, or None (one query, also without a cell)."""
    cell = scan_cell(scan=scan)
    # Queried even without a cell, so the results page costs the same for every scan.
    row = LivingBenchmarkCell.objects.filter(
        sector=cell.sector if cell else "",
        size_class=cell.size_class if cell else "",
        province=cell.province if cell else "",
    ).first()
    if row is None:
        return None
    return LivingFigures(
        organisations=row.organisations,
        first_month=row.first_month,
        last_month=row.last_month,
        means={key: Decimal(value) for key, value in row.means.items()},
    )
