"""Read a benchmark file (long CSV, one number a row), check every row, and store it as a set.

The sets themselves (slug, human name, title, year, source and the monitor's sentences) are listed
in benchmarks/data/sets.json, one entry per edition: a later edition of the monitor is a new CSV
file and a new entry there, no code. Loading follows benchmarks.versioned: a file is refused as a
whole when one row is wrong, the message names the file and the line, and loading the same file
twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from benchmarks.models import BenchmarkSet, BenchmarkValue
from benchmarks.versioned import (
    DataFile,
    DataKind,
    JsonObject,
    LoadResult,
    Version,
    validation_message,
    versioned_data_load,
)
from benchmarks.vocabulary import (
    EMPLOYMENT,
    GROUPS,
    NATION,
    PREVIOUS,
    TABLE_INDICATORS,
    TOTAL,
    UNIT_RANGES,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
SETS_FILE = DATA_DIR / "sets.json"
COLUMNS = ["table", "indicator", "group_kind", "group", "n", "value", "unit", "source"]
# Groups a row of each kind of table may belong to.
# Chapter 3 (inhabitants): Noord-Nederland, and employed and self-employed people; the second
# Tabel 3.2 (reasons for short education) prints no total row. A sentence of section 3.3 speaks of
# employees, so a number from the text may belong to an employment group too. The previous
# edition's figures (table "previous"): Noord-Nederland only.
TABLE_GROUP_KINDS = {
    "text": {TOTAL, EMPLOYMENT},
    "nation": {NATION},
    "3.2": {TOTAL, EMPLOYMENT},
    "3.2b": {EMPLOYMENT},
    "3.3": {TOTAL, EMPLOYMENT},
    "3.4": {TOTAL, EMPLOYMENT},
    PREVIOUS: {TOTAL},
}
TABLE_DEFAULT_GROUP_KINDS = {"total", "province", "sector", "size"}
SET_FIELDS = ("slug", "file", "name", "title", "year", "source", "sentences")
SENTENCE_FIELDS = ("section", "nl", "en")
# The optional "previous" block of a set: what the edition says of the edition before it.
PREVIOUS_FIELDS = ("name", "caption")
TEXT_LANGUAGES = ("nl", "en")

BENCHMARK_SET = DataKind(
    label="benchmark set",
    model=BenchmarkSet,
    row_model=BenchmarkValue,
    parent_field="benchmark_set",
    row_key=("table", "indicator", "group_kind", "group"),
)


def _parse_row(source: DataFile, line: int, row: dict[str, str]) -> BenchmarkValue:
    table, indicator = row["table"], row["indicator"]
    kind, group, unit = row["group_kind"], row["group"], row["unit"]
    if table not in TABLE_INDICATORS:
        raise source.error(line, f"unknown table {table!r}")
    if indicator not in TABLE_INDICATORS[table]:
        raise source.error(line, f"unknown indicator {indicator!r} for table {table}")
    if kind not in TABLE_GROUP_KINDS.get(table, TABLE_DEFAULT_GROUP_KINDS):
        raise source.error(line, f"group kind {kind!r} does not belong in table {table}")
    if group not in GROUPS[kind]:
        raise source.error(line, f"unknown group {group!r} for group kind {kind!r}")
    expected_unit = TABLE_INDICATORS[table][indicator]
    if unit != expected_unit:
        raise source.error(line, f"unit {unit!r} should be {expected_unit!r} for {indicator}")
    n: int | None = None
    if row["n"].strip():
        if not row["n"].strip().isdigit() or int(row["n"]) < 1:
            raise source.error(
                line, f"n must be a positive whole number or empty, not {row['n']!r}"
            )
        n = int(row["n"])
    raw = row["value"].strip()
    if "," in raw or "%" in raw:
        raise source.error(line, f"value {raw!r} must be a plain number with a decimal point")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise source.error(line, f"value {raw!r} is not a number") from None
    if not value.is_finite():
        raise source.error(line, f"value {raw!r} is not a number")
    low, high = UNIT_RANGES[unit]
    if not low <= value <= high:
        raise source.error(line, f"value {value} is outside the range {low}-{high} of {unit}")
    if abs(value.as_tuple().exponent) > 2:
        raise source.error(line, f"value {value} has more than two decimals")
    if not row["source"].strip():
        raise source.error(line, "source is empty; name the table or sentence of the monitor")
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


def parse_benchmark_csv(source: DataFile) -> list[tuple[int, BenchmarkValue]]:
    """Parse and check a whole benchmark file into (line, value); raise DataFileError if bad."""
    reader = csv.DictReader(io.StringIO(source.text))
    if reader.fieldnames != COLUMNS:
        raise source.error(1, f"the header must be exactly {','.join(COLUMNS)}")
    values: list[tuple[int, BenchmarkValue]] = []
    for row in reader:
        line = reader.line_num
        if None in row or any(v is None for v in row.values()):
            raise source.error(line, f"expected {len(COLUMNS)} columns")
        values.append((line, _parse_row(source, line, row)))
    if not values:
        raise source.error(2, "the file holds no values")
    # A numbered table is complete or absent: a missing row is a transcription slip.
    cells = {(v.table, v.indicator, v.group_kind, v.group) for _line, v in values}
    for table in sorted({table for table, *_rest in cells if table[0].isdigit()}):
        for indicator in TABLE_INDICATORS[table]:
            for kind in sorted(TABLE_GROUP_KINDS.get(table, TABLE_DEFAULT_GROUP_KINDS)):
                for group in GROUPS[kind]:
                    if (table, indicator, kind, group) not in cells:
                        raise source.error(
                            reader.line_num, f"table {table} lacks {indicator} for {kind}/{group}"
                        )
    return values


def benchmark_set_load(
    *,
    path: Path,
    slug: str,
    title: str,
    year: int,
    source: str,
    name: str = "",
    sentences: dict[str, dict[str, str]] | None = None,
    previous: dict[str, Any] | None = None,
) -> LoadResult:
    """Store a benchmark file as the set `slug`; the same file and description change nothing."""
    fields: dict[str, Any] = {
        "title": title,
        "name": name or title,
        "year": year,
        "source": source,
        "sentences": sentences or {},
        "previous": previous or {},
    }

    def parse(data: DataFile) -> Version:
        rows = parse_benchmark_csv(data)
        # A figure called inferred must be one of the previous edition's figures.
        printed = {v.indicator for _line, v in rows if v.table == PREVIOUS}
        for indicator in fields["previous"].get("inferred", {}):
            if indicator not in printed:
                raise data.error(1, f"previous: inferred {indicator!r} has no row in {PREVIOUS}")
        # A previous edition's figure stands beside the edition's own for Noord-Nederland.
        own = {v.indicator for _line, v in rows if v.table != PREVIOUS and v.group_kind == TOTAL}
        for line, value in rows:
            if value.table == PREVIOUS and value.indicator not in own:
                raise data.error(
                    line,
                    f"{PREVIOUS} {value.indicator!r}: the edition has no Noord-Nederland row "
                    "of its own to stand beside",
                )
        return Version(key=slug, fields=fields, rows=rows)

    return versioned_data_load(kind=BENCHMARK_SET, path=path, parse=parse)


def _check_texts(sets: DataFile, texts: Any, what: str) -> None:
    texts = sets.require(texts, TEXT_LANGUAGES, what)
    if not all(isinstance(texts[lang], str) and texts[lang].strip() for lang in TEXT_LANGUAGES):
        raise sets.error(texts.line, f"{what}: a text is empty")


def _check_previous(sets: DataFile, spec: JsonObject) -> None:
    """The optional "previous" block: name and caption in Dutch and English, the notes of
    inferred figures by indicator, and the keys of the set's sentences about that edition."""
    previous = sets.require(spec["previous"], PREVIOUS_FIELDS, "previous")
    for field in PREVIOUS_FIELDS:
        _check_texts(sets, previous[field], f"previous {field}")
    inferred = previous.get("inferred", JsonObject())
    if not isinstance(inferred, JsonObject):
        raise sets.error(previous.line, "previous inferred must be an object by indicator")
    for indicator, texts in inferred.items():
        if indicator not in TABLE_INDICATORS[PREVIOUS]:
            raise sets.error(previous.line, f"previous inferred: unknown indicator {indicator!r}")
        _check_texts(sets, texts, f"previous inferred {indicator}")
    keys = previous.get("sentences", [])
    if not isinstance(keys, list) or any(key not in spec["sentences"] for key in keys):
        raise sets.error(previous.line, "previous sentences must be keys of the set's sentences")


def _check_set(sets: DataFile, spec: Any) -> JsonObject:
    """One entry of the sets file, checked with the set's own field rules."""
    spec = sets.require(spec, SET_FIELDS, "a benchmark set")
    sentences = spec["sentences"]
    if not isinstance(sentences, JsonObject):
        raise sets.error(spec.line, "sentences must be an object of sentences by key")
    for key, texts in sentences.items():
        texts = sets.require(texts, SENTENCE_FIELDS, f"sentence {key}")
        empty = [f for f in SENTENCE_FIELDS if not str(texts[f]).strip()]
        if empty:
            raise sets.error(texts.line, f"sentence {key}: {', '.join(empty)} is empty")
    if "previous" in spec:
        _check_previous(sets, spec)
    if not isinstance(spec["year"], int):
        raise sets.error(spec.line, f"year must be a whole number, not {spec['year']!r}")
    fields = {f: spec[f] for f in SET_FIELDS if f != "file"}
    fields["previous"] = spec.get("previous", {})
    try:
        BenchmarkSet(**fields).clean_fields(exclude=["content_hash", "loaded_at"])
    except ValidationError as exc:  # a slug, name or title the model refuses
        raise sets.error(spec.line, validation_message(exc)) from None
    return spec


def benchmark_set_load_all(sets_file: Path = SETS_FILE) -> list[LoadResult]:
    """Load every set listed in the sets file (benchmarks/data/sets.json by default)."""
    sets = DataFile.read(sets_file)
    specs = sets.json()
    if not isinstance(specs, list) or not specs:
        raise sets.error(1, "the sets file must be a list of benchmark sets")
    checked = [_check_set(sets, spec) for spec in specs]
    return [
        benchmark_set_load(
            path=sets_file.parent / spec["file"],
            **{f: spec[f] for f in SET_FIELDS if f != "file"},
            previous=spec.get("previous"),
        )
        for spec in checked
    ]
