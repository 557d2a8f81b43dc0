"""Read a benchmark file (long CSV, one number a row), check every row, and store it as a set.

The file is refused as a whole when one row is wrong; the message names the line, so whoever
transcribes a new edition of the monitor can fix it. Loading the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from benchmarks.models import BenchmarkSet, BenchmarkValue
from benchmarks.vocabulary import GROUPS, NATION, TABLE_INDICATORS, TOTAL, UNIT_RANGES

DATA_DIR = Path(__file__).resolve().parent / "data"
SETS_FILE = DATA_DIR / "sets.json"
COLUMNS = ["table", "indicator", "group_kind", "group", "n", "value", "unit", "source"]
# Groups a row of each kind of table may belong to.
TABLE_GROUP_KINDS = {"text": {TOTAL}, "nation": {NATION}}
TABLE_DEFAULT_GROUP_KINDS = {"total", "province", "sector", "size"}


class BenchmarkFileError(ValueError):
    """A benchmark file that cannot be loaded; the message names the file and line."""


@dataclass(frozen=True)
class LoadResult:
    slug: str
    rows: int
    changed: bool


def _fail(name: str, line: int, message: str) -> BenchmarkFileError:
    return BenchmarkFileError(f"{name}, line {line}: {message}")


def _parse_row(name: str, line: int, row: dict[str, str]) -> BenchmarkValue:
    table, indicator = row["table"], row["indicator"]
    kind, group, unit = row["group_kind"], row["group"], row["unit"]
    if table not in TABLE_INDICATORS:
        raise _fail(name, line, f"unknown table {table!r}")
    if indicator not in TABLE_INDICATORS[table]:
        raise _fail(name, line, f"unknown indicator {indicator!r} for table {table}")
    if kind not in TABLE_GROUP_KINDS.get(table, TABLE_DEFAULT_GROUP_KINDS):
        raise _fail(name, line, f"group kind {kind!r} does not belong in table {table}")
    if group not in GROUPS[kind]:
        raise _fail(name, line, f"unknown group {group!r} for group kind {kind!r}")
    expected_unit = TABLE_INDICATORS[table][indicator]
    if unit != expected_unit:
        raise _fail(name, line, f"unit {unit!r} should be {expected_unit!r} for {indicator}")
    n: int | None = None
    if row["n"].strip():
        if not row["n"].strip().isdigit() or int(row["n"]) < 1:
            raise _fail(name, line, f"n must be a positive whole number or empty, not {row['n']!r}")
        n = int(row["n"])
    raw = row["value"].strip()
    if "," in raw or "%" in raw:
        raise _fail(name, line, f"value {raw!r} must be a plain number with a decimal point")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise _fail(name, line, f"value {raw!r} is not a number") from None
    if not value.is_finite():
        raise _fail(name, line, f"value {raw!r} is not a number")
    low, high = UNIT_RANGES[unit]
    if not low <= value <= high:
        raise _fail(name, line, f"value {value} is outside the range {low}-{high} of {unit}")
    if abs(value.as_tuple().exponent) > 2:
        raise _fail(name, line, f"value {value} has more than two decimals")
    if not row["source"].strip():
        raise _fail(name, line, "source is empty; name the table or sentence of the monitor")
    return BenchmarkValue(
        table=table,
        indicator=indicator,
        group_kind=kind,
        group=group,
        n=n,
        value=value,
        unit=unit,
        source=row["source"].strip(),
    )


def parse_benchmark_csv(text: str, *, name: str = "benchmark file") -> list[BenchmarkValue]:
    """Parse and check a whole benchmark file; raise BenchmarkFileError naming the bad line."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != COLUMNS:
        raise _fail(name, 1, f"the header must be exactly {','.join(COLUMNS)}")
    values: list[BenchmarkValue] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for row in reader:
        line = reader.line_num
        if None in row or any(v is None for v in row.values()):
            raise _fail(name, line, f"expected {len(COLUMNS)} columns")
        value = _parse_row(name, line, row)
        cell = (value.table, value.indicator, value.group_kind, value.group)
        if cell in seen:
            raise _fail(name, line, f"duplicate of line {seen[cell]} ({' '.join(cell)})")
        seen[cell] = line
        values.append(value)
    if not values:
        raise _fail(name, 2, "the file holds no values")
    # A numbered table is complete or absent: a missing row is a transcription slip.
    for table in sorted({v.table for v in values} - set(TABLE_GROUP_KINDS)):
        for indicator in TABLE_INDICATORS[table]:
            for kind in sorted(TABLE_DEFAULT_GROUP_KINDS):
                for group in GROUPS[kind]:
                    if (table, indicator, kind, group) not in seen:
                        raise _fail(
                            name,
                            reader.line_num,
                            f"table {table} lacks {indicator} for {kind}/{group}",
                        )
    return values


def load_benchmark_set(*, path: Path, slug: str, title: str, year: int, source: str) -> LoadResult:
    """Store a benchmark file as the set `slug`, replacing its values only if the file changed."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    values = parse_benchmark_csv(raw.decode("utf-8-sig"), name=path.name)
    with transaction.atomic():
        bset = BenchmarkSet.objects.select_for_update().filter(slug=slug).first()
        if bset and bset.content_hash == digest:
            if (bset.title, bset.year, bset.source) != (title, year, source):
                bset.title, bset.year, bset.source = title, year, source
                bset.save(update_fields=["title", "year", "source", "loaded_at"])
            return LoadResult(slug=slug, rows=len(values), changed=False)
        if bset is None:
            bset = BenchmarkSet(slug=slug)
        bset.title, bset.year, bset.source, bset.content_hash = title, year, source, digest
        bset.full_clean()
        bset.save()
        bset.values.all().delete()
        for value in values:
            value.benchmark_set = bset
        BenchmarkValue.objects.bulk_create(values)
    return LoadResult(slug=slug, rows=len(values), changed=True)


def load_default_sets() -> list[LoadResult]:
    """Load every set listed in benchmarks/data/sets.json."""
    specs = json.loads(SETS_FILE.read_text(encoding="utf-8"))
    return [
        load_benchmark_set(
            path=DATA_DIR / spec["file"],
            slug=spec["slug"],
            title=spec["title"],
            year=int(spec["year"]),
            source=spec["source"],
        )
        for spec in specs
    ]
