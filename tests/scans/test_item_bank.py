"""The item bank: the monitor's statements word for word, loaded idempotently, checked on load,
and a bad file refused with the file and the line of the offending item."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from leerscan.scans.itembank import BUILDING_BLOCKS, ITEM_BANK_FILE
from leerscan.scans.models import Item, ItemBank
from tests.datafiles import json_variant, line_of, object_start

pytestmark = pytest.mark.django_db

VERBATIM = {
    "taken": "In deze organisatie beslissen medewerkers zelf hoe ze hun werk uitvoeren.",
    "leiderschap": "In deze organisatie stimuleren leidinggevenden medewerkers om zich te blijven "
    "ontwikkelen.",
    "organisatie_inrichting": "In deze organisatie zijn afdelingen/teams zo georganiseerd dat je "
    "makkelijk met andere afdelingen/teams kunt samenwerken.",
    "externe_omgeving": "Deze organisatie stimuleert medewerkers om op zoek te gaan naar actuele "
    "informatie. Bijvoorbeeld over de markt, concurrentie, nieuwe technologie of trends.",
    # Tabel 4.6's column heads, as statements.
    "leren_essentieel": "Leren wordt gezien als essentieel voor het verbeteren van de organisatie.",
    "feedback_reflectie": "Feedback en zelfreflectie zijn onderdeel van alle routines.",
    "leren_in_doelen": "Leren is onderdeel van de doelen van de organisatie.",
    "opleidingsplekken": "Het is belangrijk om opleidingsplekken aan te bieden.",
    "meten_resultaten": "Wij meten de resultaten van tijd en geld besteed aan scholing.",
}


def _load(path: Path = ITEM_BANK_FILE) -> str:
    out = StringIO()
    call_command("item_bank_load", file=path, stdout=out)
    return out.getvalue()


def test_it_uses_the_monitors_statements_word_for_word() -> None:
    _load()
    core = {i.block: i for i in Item.objects.filter(role="core")}
    for block, text in VERBATIM.items():
        assert core[block].text_nl == text
        assert core[block].provenance == "monitor_verbatim"
        assert core[block].indicator == block
    for block in ("ruimte_veiligheid", "samenwerken"):
        assert core[block].provenance == "reconstructed"


def test_it_never_compares_deepening_items() -> None:
    _load()
    deepening = Item.objects.filter(role="deepening")
    assert 12 <= deepening.count() <= 18
    assert set(deepening.values_list("indicator", flat=True)) == {""}
    assert set(deepening.values_list("provenance", flat=True)) == {"deepening"}
    for block in BUILDING_BLOCKS:
        assert 2 <= deepening.filter(block=block).count() <= 3, block


def test_it_changes_nothing_when_loaded_twice() -> None:
    rows = len(json.loads(ITEM_BANK_FILE.read_text(encoding="utf-8"))["items"])
    assert _load() == f"item bank 2023.1: {rows} rows, loaded.\n"
    ids = list(Item.objects.values_list("id", flat=True))
    assert _load() == f"item bank 2023.1: {rows} rows, unchanged.\n"
    assert list(Item.objects.values_list("id", flat=True)) == ids
    assert ItemBank.objects.count() == 1


def _variant(tmp_path: Path, change: Callable[[dict], object]) -> Path:
    return json_variant(tmp_path, ITEM_BANK_FILE, change)


@pytest.mark.parametrize(
    ("change", "words", "line"),
    [
        (
            lambda d: d["items"][1].update(indicator="taken"),
            "never compared",
            object_start("taken_uitdaging"),
        ),
        (
            lambda d: d["items"].pop(0),
            "no core item for taken",
            lambda path: line_of(path, '"items": ['),
        ),
        (
            lambda d: d["items"].append(dict(d["items"][0])),
            "unique",
            object_start("taken_kern", 2),
        ),
        (
            lambda d: d["items"][0].update(block="onzin"),
            "unknown block",
            object_start("taken_kern"),
        ),
        (lambda d: d["items"][0].update(text_en=" "), "English text", object_start("taken_kern")),
        (lambda d: d["items"][0].pop("source"), "missing source", object_start("taken_kern")),
        (lambda d: d["items"][0].update(key="x" * 41), "at most 40", object_start("x" * 41)),
    ],
)
def test_it_refuses_a_bad_item_bank_naming_the_line(tmp_path, change, words, line) -> None:
    path = _variant(tmp_path, change)
    with pytest.raises(CommandError) as info:
        _load(path)
    assert f"itembank.json, line {line(path)}:" in str(info.value)
    assert words in str(info.value)
    assert not ItemBank.objects.exists()


def test_it_updates_a_corrected_text_with_the_same_version_in_place(tmp_path) -> None:
    _load()
    path = _variant(tmp_path, lambda d: d["items"][1].update(text_nl="Nieuwe tekst."))
    assert "loaded" in _load(path)
    assert Item.objects.get(position=2).text_nl == "Nieuwe tekst."
    assert ItemBank.objects.count() == 1


def test_it_refuses_a_file_that_is_not_json_naming_the_line(tmp_path) -> None:
    path = tmp_path / "itembank.json"
    path.write_text('{\n  "version": "2023.2",\n  "title": "x"\n  "items": []\n}\n')
    with pytest.raises(CommandError, match=r"itembank.json, line 4: not valid JSON"):
        _load(path)


def test_it_loads_a_new_version_beside_the_one_scans_were_answered_with(
    tmp_path, anna_scan
) -> None:
    old = anna_scan.item_bank
    path = _variant(tmp_path, lambda d: d.update(version="2023.2") or d["items"].pop(1))
    rows = old.items.count()
    assert _load(path) == f"item bank 2023.2: {rows - 1} rows, loaded.\n"
    assert ItemBank.objects.count() == 2
    anna_scan.refresh_from_db()
    assert anna_scan.item_bank == old
    assert old.items.count() == rows


def _drop_the_core_item_of_taken(data: dict) -> None:
    # A valid file still: the next item of "taken" becomes its core item.
    data["items"].pop(0)
    data["items"][0].update(role="core", indicator="taken")


def test_it_refuses_to_drop_items_someone_answered(tmp_path, anna_scan) -> None:
    # Anna answered the core item of "taken"; this version of the file no longer has it.
    path = _variant(tmp_path, _drop_the_core_item_of_taken)
    with pytest.raises(CommandError) as info:
        _load(path)
    assert "itembank.json, line 1: the file drops rows of item bank 2023.1 that are in use" in str(
        info.value
    )
    assert "new version" in str(info.value)
    assert Item.objects.filter(bank=anna_scan.item_bank, key="taken_kern").exists()
    assert Item.objects.get(key="taken_uitdaging").role == "deepening"
