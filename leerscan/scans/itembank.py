"""Load the item bank (the statements of steps 2 and 3) from its data file into the database.

Loading follows benchmarks.versioned: the same file twice changes nothing; a changed file with
the same version corrects the items in place and removes the ones nobody answered; a bad file is
refused as a whole, naming the line where the offending item starts. A scan keeps the version it
was answered with, so a change in what a respondent sees or may answer (an example line, "n.v.t.")
is a new version: the old one stays for the scans that used it, new scans take the newest.

Provenance: `monitor_verbatim` only for the monitor's words exactly; `monitor_adapted` for a
column head of Tabel 4.6 completed into a sentence, with the head itself in `monitor_head`
(DESIGN.md 2.2); `reconstructed` for a core item the monitor describes but does not print.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks import versioned
from benchmarks.vocabulary import BUILDING_BLOCKS, DLOQ_STATEMENTS
from leerscan.scans.models import Item, ItemBank

ITEM_BANK_FILE = Path(__file__).resolve().parent / "data" / "itembank.json"
ITEM_BANK = versioned.DataKind(
    label="item bank", model=ItemBank, row_model=Item, parent_field="bank", row_key=("key",)
)
# An item in the file has the model's fields but the position, which is its place there; these
# may be left out and then take their default.
OPTIONAL_FIELDS = {
    "monitor_head": "",
    "example_nl": "",
    "example_en": "",
    "allows_not_applicable": False,
}
ITEM_FIELDS = tuple(f for f in ITEM_BANK.row_fields() if f != "position")
REQUIRED_FIELDS = tuple(f for f in ITEM_FIELDS if f not in OPTIONAL_FIELDS)


def _check(source: versioned.DataFile, obj: versioned.JsonObject) -> dict:
    where = f"item {obj.get('key', '?')}"
    source.require(obj, REQUIRED_FIELDS, where)

    def fail(message: str) -> Exception:
        return source.error(obj.line, f"{where}: {message}")

    unknown = sorted(set(obj) - set(ITEM_FIELDS))
    if unknown:  # a misspelt optional field would otherwise vanish without a word
        raise fail(f"unknown field {', '.join(unknown)}")
    raw = {**OPTIONAL_FIELDS, **obj}

    if raw["group"] not in Item.Group.values:
        raise fail(f"unknown group {raw['group']!r}")
    blocks = BUILDING_BLOCKS if raw["group"] == Item.Group.BUILDING_BLOCK else DLOQ_STATEMENTS
    if raw["block"] not in blocks:
        raise fail(f"unknown block {raw['block']!r} for {raw['group']}")
    if raw["role"] not in Item.Role.values or raw["provenance"] not in Item.Provenance.values:
        raise fail("unknown role or provenance")
    if raw["role"] == Item.Role.CORE and raw["indicator"] != raw["block"]:
        raise fail("a core item is compared with its own block's indicator")
    if raw["role"] == Item.Role.DEEPENING and (
        raw["indicator"] or raw["provenance"] != Item.Provenance.DEEPENING
    ):
        raise fail("a deepening item is never compared with the monitor")
    adapted = raw["provenance"] == Item.Provenance.MONITOR_ADAPTED
    if adapted and (raw["role"] != Item.Role.CORE or not str(raw["monitor_head"]).strip()):
        raise fail("an adapted item is a core item with the monitor's column head in monitor_head")
    if not adapted and raw["monitor_head"]:
        raise fail("only an adapted item has a monitor_head; a verbatim item is the head itself")
    if bool(str(raw["example_nl"]).strip()) != bool(str(raw["example_en"]).strip()):
        raise fail("an example needs both a Dutch and an English text")
    if not isinstance(raw["allows_not_applicable"], bool):
        raise fail("allows_not_applicable is true or false")
    if (
        raw["scale"] != "scale_1_6"
        or not str(raw["text_nl"]).strip()
        or not str(raw["text_en"]).strip()
    ):
        raise fail("needs the 1-6 scale and a Dutch and English text")
    return {f: raw[f] for f in ITEM_FIELDS}


def parse_item_bank(source: versioned.DataFile) -> versioned.Version:
    """Check a whole item bank file; raise DataFileError naming the line of the bad item."""
    version = versioned.parse_json_version(
        source,
        rows="items",
        row=lambda raw, position: Item(**_check(source, raw), position=position),
    )
    for block in (*BUILDING_BLOCKS, *DLOQ_STATEMENTS):
        if not any(i.block == block and i.role == Item.Role.CORE for _line, i in version.rows):
            raise source.error(version.rows_line, f"no core item for {block}")
    return version


def item_bank_load(path: Path = ITEM_BANK_FILE) -> versioned.LoadResult:
    """Store the item bank file's version; an unchanged file changes nothing."""
    return versioned.versioned_data_load(kind=ITEM_BANK, path=path, parse=parse_item_bank)
