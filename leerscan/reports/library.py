"""Load the HR-instrument library from its data file, checking every tie to the vocabulary.

Loading follows benchmarks.versioned: the same file twice changes nothing; a changed file with
the same version updates the instruments in place; a bad file is refused as a whole, naming the
line where the offending instrument starts.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks import versioned
from benchmarks.vocabulary import ARRANGEMENTS, BUILDING_BLOCKS, DLOQ_STATEMENTS
from leerscan.reports.models import Instrument, InstrumentLibrary
from leerscan.scans.questions import INSTRUMENTS, OBSTACLES

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
    "indicators": {
        "pct_deelname",
        "uren_per_deelnemer",
        "pct_onder_werktijd",
        "pct_kosten_werkgever",
        "pct_omzet_leren",
        "belang_leren",
    },
}


INSTRUMENT_LIBRARY = versioned.DataKind(
    label="instrument library",
    model=InstrumentLibrary,
    row_model=Instrument,
    parent_field="library",
    row_key=("key",),
)


def _check(source: versioned.DataFile, raw: versioned.JsonObject) -> dict:
    where = f"instrument {raw.get('key', '?')}"
    source.require(raw, ("key", "effort", "external_support", *TEXT_FIELDS, *VOCABULARY), where)

    def fail(message: str) -> Exception:
        return source.error(raw.line, f"{where}: {message}")

    if raw["effort"] not in Instrument.Effort.values:
        raise fail("effort must be quick_win or structureel")
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
        "external_support": bool(raw["external_support"]),
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


def instrument_library_load(path: Path = LIBRARY_FILE) -> versioned.LoadResult:
    """Store the library file's version; an unchanged file changes nothing."""
    return versioned.versioned_data_load(
        kind=INSTRUMENT_LIBRARY, path=path, parse=parse_instrument_library
    )
