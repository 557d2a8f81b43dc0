"""Load the HR-instrument library from its data file, checking every tie to the vocabulary.

Loading follows benchmarks.versioned: the same file twice changes nothing; a changed file with
the same version updates the instruments in place; a bad file is refused as a whole, naming the
line where the offending instrument starts.

The same file holds `regional_support`: the organisations and schemes the report names under
"Support in the region", each for some provinces (or all), a sector fund for some SBI codes, each
with its source and the date it was last checked. They belong to the library's version and are
stored with it, in the same transaction; a bad entry is refused by its line like an instrument.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from benchmarks import versioned
from benchmarks.vocabulary import (
    ARRANGEMENTS,
    BUILDING_BLOCKS,
    DLOQ_STATEMENTS,
    ELSEWHERE,
    PROVINCES,
)
from leerscan.reports.models import Instrument, InstrumentLibrary, RegionalSupport
from leerscan.scans.questions import INSTRUMENTS, OBSTACLES, TRAINING_FACTS

LIBRARY_FILE = Path(__file__).resolve().parent / "data" / "instruments.json"
TEXT_FIELDS = (
    "name_nl",
    "name_en",
    "description_nl",
    "description_en",
    "first_step_nl",
    "first_step_en",
    "support_nl",
    "support_en",
    "source",
)
VOCABULARY = {
    "building_blocks": set(BUILDING_BLOCKS),
    "dloq": set(DLOQ_STATEMENTS),
    "arrangements": set(ARRANGEMENTS),
    "instruments_in_use": {key for key, _label in INSTRUMENTS} - {"geen"},
    "obstacles": {key for key, _label in OBSTACLES},
    "indicators": set(TRAINING_FACTS),
}
FLAGS = ("external_support", "needs_departments")
SUPPORT_TEXT_FIELDS = (
    "name_nl",
    "name_en",
    "description_nl",
    "description_en",
    "source",
)
SUPPORT_FIELDS = ("key", "kind", "provinces", "sbi_prefixes", "url", "last_checked")
_SBI_PREFIX = re.compile(r"^[0-9]{2,5}$")


INSTRUMENT_LIBRARY = versioned.DataKind(
    label="instrument library",
    model=InstrumentLibrary,
    row_model=Instrument,
    parent_field="library",
    row_key=("key",),
)


def _check(source: versioned.DataFile, raw: versioned.JsonObject) -> dict:
    where = f"instrument {raw.get('key', '?')}"
    source.require(raw, ("key", "effort", *FLAGS, *TEXT_FIELDS, *VOCABULARY), where)

    def fail(message: str) -> Exception:
        return source.error(raw.line, f"{where}: {message}")

    if raw["effort"] not in Instrument.Effort.values:
        raise fail("effort must be quick_win or structureel")
    for flag in FLAGS:
        if not isinstance(raw[flag], bool):
            raise fail(f"{flag} must be true or false")
    for field in TEXT_FIELDS:
        if not str(raw[field]).strip():
            raise fail(f"{field} is empty")
    for field, allowed in VOCABULARY.items():
        if not isinstance(raw[field], list):
            raise fail(f"{field} must be a list")
        unknown = set(raw[field]) - allowed
        if unknown:
            raise fail(f"unknown {field} {sorted(unknown)}")
    if not raw["building_blocks"] and not raw["dloq"]:
        raise fail("strengthens no building block or DLOQ statement")
    return {
        "key": raw["key"],
        "effort": raw["effort"],
        **{f: raw[f] for f in FLAGS},
        **{f: raw[f] for f in TEXT_FIELDS},
        **{f: list(raw[f]) for f in VOCABULARY},
    }


def parse_instrument_library(source: versioned.DataFile) -> versioned.Version:
    """Check a whole library file; raise DataFileError naming the line of the bad instrument."""
    return versioned.parse_json_version(
        source,
        rows="instruments",
        row=lambda raw, position: Instrument(**_check(source, raw), position=position),
    )


def _support_row(source: versioned.DataFile, raw: versioned.JsonObject, position: int):
    where = f"regional support {raw.get('key', '?')}"
    source.require(raw, (*SUPPORT_FIELDS, *SUPPORT_TEXT_FIELDS), where)

    def fail(message: str) -> Exception:
        return source.error(raw.line, f"{where}: {message}")

    for field in SUPPORT_TEXT_FIELDS:
        if not isinstance(raw[field], str) or not raw[field].strip():
            raise fail(f"{field} is empty")
    for field in ("provinces", "sbi_prefixes"):
        if not isinstance(raw[field], list):
            raise fail(f"{field} must be a list")
    unknown = set(raw["provinces"]) - {*PROVINCES, ELSEWHERE}
    if unknown:
        raise fail(f"unknown provinces {sorted(unknown)}")
    if not all(isinstance(p, str) and _SBI_PREFIX.match(p) for p in raw["sbi_prefixes"]):
        raise fail("sbi_prefixes must be SBI codes of 2 to 5 digits")
    if (raw["kind"] == RegionalSupport.Kind.SECTOR_FUND) != bool(raw["sbi_prefixes"]):
        raise fail("a sector_fund names the SBI codes it serves, and only a sector_fund does")
    try:
        last_checked = datetime.date.fromisoformat(str(raw["last_checked"]))
    except ValueError:
        raise fail("last_checked must be a date, YYYY-MM-DD") from None
    row = RegionalSupport(
        key=raw["key"],
        position=position,
        kind=raw["kind"],
        provinces=list(raw["provinces"]),
        sbi_prefixes=list(raw["sbi_prefixes"]),
        url=raw["url"],
        last_checked=last_checked,
        **{f: raw[f] for f in SUPPORT_TEXT_FIELDS},
    )
    try:
        row.clean_fields(exclude=["library"])
    except ValidationError as exc:
        raise fail(versioned.validation_message(exc)) from None
    return row


def parse_regional_support(source: versioned.DataFile) -> list[RegionalSupport]:
    """The file's regional support entries, checked; raise DataFileError naming the bad line."""
    data = source.json()
    entries = data.get("regional_support", []) if isinstance(data, dict) else []
    if not isinstance(entries, list):
        raise source.error(getattr(data, "line", 1), "regional_support must be a list")
    rows, seen = [], {}
    for position, raw in enumerate(entries, start=1):
        source.require(raw, (), "each of the regional_support")
        row = _support_row(source, raw, position)
        if row.key in seen:
            raise source.error(
                raw.line, f"duplicate of line {seen[row.key]} ({row.key}); each key must be unique"
            )
        seen[row.key] = raw.line
        rows.append(row)
    return rows


def instrument_library_load(path: Path = LIBRARY_FILE) -> versioned.LoadResult:
    """Store the library file's version with its regional support; an unchanged file changes
    nothing."""
    support: list[RegionalSupport] = []

    def parse(source: versioned.DataFile) -> versioned.Version:
        version = parse_instrument_library(source)
        support[:] = parse_regional_support(source)
        return version

    with transaction.atomic():
        result = versioned.versioned_data_load(kind=INSTRUMENT_LIBRARY, path=path, parse=parse)
        if result.changed:
            library = InstrumentLibrary.objects.get(version=result.version)
            # Nothing points at these rows: the file's entries replace the stored ones.
            RegionalSupport.objects.filter(library=library).delete()
            for row in support:
                row.library = library
            RegionalSupport.objects.bulk_create(support)
    return result
