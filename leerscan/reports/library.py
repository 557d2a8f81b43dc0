"""Load the HR-instrument library from its data file, checking every tie to the vocabulary."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.db import transaction

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


class LibraryError(ValueError):
    """An instrument file that cannot be loaded; the message names the instrument."""


def _check(raw: dict) -> dict:
    where = f"instrument {raw.get('key', '?')!r}"
    for field in ("key", "effort", "external_support", *TEXT_FIELDS, *VOCABULARY):
        if field not in raw:
            raise LibraryError(f"{where}: missing {field}")
    if raw["effort"] not in Instrument.Effort.values:
        raise LibraryError(f"{where}: effort must be quick_win or structureel")
    for field in TEXT_FIELDS:
        if not str(raw[field]).strip():
            raise LibraryError(f"{where}: {field} is empty")
    for field, allowed in VOCABULARY.items():
        unknown = set(raw[field]) - allowed
        if unknown:
            raise LibraryError(f"{where}: unknown {field} {sorted(unknown)}")
    if not raw["building_blocks"] and not raw["dloq"]:
        raise LibraryError(f"{where}: strengthens no building block or DLOQ statement")
    return {
        "key": raw["key"],
        "effort": raw["effort"],
        "external_support": bool(raw["external_support"]),
        **{f: raw[f] for f in TEXT_FIELDS},
        **{f: list(raw[f]) for f in VOCABULARY},
    }


def library_load(path: Path = LIBRARY_FILE) -> tuple[InstrumentLibrary, bool]:
    """Store the library file's version; an unchanged file changes nothing."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    data = json.loads(raw)
    instruments = [_check(item) for item in data["instruments"]]
    keys = [i["key"] for i in instruments]
    if len(keys) != len(set(keys)):
        raise LibraryError("instrument keys must be unique")
    with transaction.atomic():
        library, created = InstrumentLibrary.objects.get_or_create(
            version=data["version"], defaults={"title": data["title"], "content_hash": digest}
        )
        if not created and library.content_hash == digest:
            return library, False
        for position, item in enumerate(instruments, start=1):
            Instrument.objects.update_or_create(
                library=library, key=item["key"], defaults={**item, "position": position}
            )
        library.instruments.exclude(key__in=keys).delete()
        library.title, library.content_hash = data["title"], digest
        library.save(update_fields=["title", "content_hash"])
    return library, True
