"""Load the item bank (the statements of steps 2 and 3) from its data file into the database."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError

from benchmarks.vocabulary import BUILDING_BLOCKS, DLOQ_STATEMENTS
from leerscan.scans.models import Item, ItemBank

ITEM_BANK_FILE = Path(__file__).resolve().parent / "data" / "itembank.json"
_FIELDS = (
    "key",
    "group",
    "block",
    "role",
    "provenance",
    "indicator",
    "scale",
    "text_nl",
    "text_en",
    "source",
)


class ItemBankError(ValueError):
    """An item bank file that cannot be loaded; the message names the item."""


@dataclass(frozen=True)
class ItemBankLoad:
    version: str
    items: int
    changed: bool


def _check(position: int, raw: dict) -> dict:
    where = f"item {position} ({raw.get('key', '?')})"
    missing = [f for f in _FIELDS if f not in raw]
    if missing:
        raise ItemBankError(f"{where}: missing {', '.join(missing)}")
    blocks = BUILDING_BLOCKS if raw["group"] == "building_block" else DLOQ_STATEMENTS
    if raw["group"] not in Item.Group.values:
        raise ItemBankError(f"{where}: unknown group {raw['group']!r}")
    if raw["block"] not in blocks:
        raise ItemBankError(f"{where}: unknown block {raw['block']!r} for {raw['group']}")
    if raw["role"] not in Item.Role.values or raw["provenance"] not in Item.Provenance.values:
        raise ItemBankError(f"{where}: unknown role or provenance")
    if raw["role"] == "core" and raw["indicator"] != raw["block"]:
        raise ItemBankError(f"{where}: a core item is compared with its own block's indicator")
    if raw["role"] == "deepening" and (raw["indicator"] or raw["provenance"] != "deepening"):
        raise ItemBankError(f"{where}: a deepening item is never compared with the monitor")
    if raw["scale"] != "scale_1_6" or not raw["text_nl"].strip() or not raw["text_en"].strip():
        raise ItemBankError(f"{where}: needs the 1-6 scale and a Dutch and English text")
    return {f: raw[f] for f in _FIELDS}


def item_bank_load(path: Path = ITEM_BANK_FILE) -> ItemBankLoad:
    """Store the item bank file's version; unchanged files change nothing."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    data = json.loads(raw)
    items = [_check(i, item) for i, item in enumerate(data["items"], start=1)]
    keys = [i["key"] for i in items]
    if len(keys) != len(set(keys)):
        raise ItemBankError("item keys must be unique")
    for block in (*BUILDING_BLOCKS, *DLOQ_STATEMENTS):
        if not any(i["block"] == block and i["role"] == "core" for i in items):
            raise ItemBankError(f"no core item for {block}")
    with transaction.atomic():
        bank, created = ItemBank.objects.get_or_create(
            version=data["version"], defaults={"title": data["title"], "content_hash": digest}
        )
        if not created and bank.content_hash == digest:
            return ItemBankLoad(version=bank.version, items=len(items), changed=False)
        # Same version, edited file: correct texts in place; remove items nobody answered.
        for position, item in enumerate(items, start=1):
            Item.objects.update_or_create(
                bank=bank, key=item["key"], defaults={**item, "position": position}
            )
        try:
            bank.items.exclude(key__in=keys).delete()
        except ProtectedError:
            raise ItemBankError(
                f"version {bank.version} has answers to items the file drops; "
                "give the file a new version instead"
            ) from None
        bank.title, bank.content_hash = data["title"], digest
        bank.save(update_fields=["title", "content_hash"])
    return ItemBankLoad(version=bank.version, items=len(items), changed=True)
