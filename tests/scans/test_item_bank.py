"""The item bank: the monitor's statements word for word, loaded idempotently, checked on load,
and a bad file refused with the file and the line of the offending item."""

from __future__ import annotations

import importlib
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
    # Tabel 4.6's column heads that are full sentences, word for word.
    "feedback_reflectie": "Feedback en zelfreflectie zijn onderdeel van alle routines.",
    "opleidingsplekken": "Het is belangrijk om opleidingsplekken aan te bieden.",
}
# Tabel 4.6's column heads completed into a sentence: (the sentence, the exact head).
ADAPTED = {
    "leren_essentieel": (
        "Leren wordt gezien als essentieel voor het verbeteren van de organisatie.",
        "Leren wordt gezien als essentieel voor verbeteren organisatie",
    ),
    "leren_in_doelen": (
        "Leren is onderdeel van de doelen van de organisatie.",
        "Leren is onderdeel van de doelen van een organisatie",
    ),
    "meten_resultaten": (
        "Wij meten de resultaten van tijd en geld besteed aan scholing.",
        "Wij meten de resultaten van tijd en geld gespendeerd aan scholing",
    ),
}
VERSION = json.loads(ITEM_BANK_FILE.read_text(encoding="utf-8"))["version"]
SEED = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "seeds"
    / "monitor-llo-noord-nederland-2023.txt"
)


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
        assert core[block].monitor_head == ""
        assert core[block].indicator == block
    for block in ("ruimte_veiligheid", "samenwerken"):
        assert core[block].provenance == "reconstructed"
    assert set(
        Item.objects.filter(provenance="monitor_verbatim").values_list("block", flat=True)
    ) == set(VERBATIM)


def test_it_never_calls_a_completed_column_head_verbatim() -> None:
    _load()
    for key, (sentence, head) in ADAPTED.items():
        item = Item.objects.get(key=key)
        assert (item.provenance, item.text_nl, item.monitor_head) == (
            "monitor_adapted",
            sentence,
            head,
        )
        assert item.role == "core" and item.indicator == key  # still compared with Tabel 4.6
        assert "letterlijk" not in item.source
        assert item.provenance == Item.Provenance.MONITOR_ADAPTED


@pytest.mark.skipif(not SEED.is_file(), reason="the monitor's text is not next to the project")
def test_the_stored_heads_are_the_monitors_column_heads() -> None:
    # Tabel 4.6 prints its heads over many short lines, with "gespen-deerd" hyphenated.
    text = SEED.read_text(encoding="utf-8")
    table = text[text.index("Tabel 4.6: Waardering") : text.index("Totaal Noord-Nederland 761")]
    words = " ".join(table.replace("-\n", "").split())
    for _sentence, head in ADAPTED.values():
        assert head in words


def test_every_required_statement_has_an_example_in_both_languages() -> None:
    _load()
    for item in Item.objects.filter(role="core"):
        assert item.example_nl and item.example_en, item.key
        assert not item.example_nl.startswith("Bijvoorbeeld"), "the page adds the word"


def test_not_applicable_is_offered_only_where_a_statement_may_not_fit() -> None:
    _load()
    offered = set(Item.objects.filter(allows_not_applicable=True).values_list("key", flat=True))
    assert "organisatie_inrichting_kern" in offered  # departments/teams, in a firm of 7
    assert offered <= {
        "organisatie_inrichting_kern",
        "samenwerken_teamontwikkeling",
        "samenwerken_andere_vakgebieden",
    }


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
    assert _load() == f"item bank {VERSION}: {rows} rows, loaded.\n"
    ids = list(Item.objects.values_list("id", flat=True))
    assert _load() == f"item bank {VERSION}: {rows} rows, unchanged.\n"
    assert list(Item.objects.values_list("id", flat=True)) == ids
    assert ItemBank.objects.count() == 1


def _item(data: dict, key: str) -> dict:
    return next(item for item in data["items"] if item["key"] == key)


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
        (
            lambda d: d["items"][0].update(monitor_head="In deze organisatie"),
            "only an adapted item has a monitor_head",
            object_start("taken_kern"),
        ),
        (
            lambda d: _item(d, "meten_resultaten").pop("monitor_head"),
            "an adapted item is a core item with the monitor's column head",
            object_start("meten_resultaten"),
        ),
        (
            lambda d: _item(d, "taken_uitdaging").update(provenance="monitor_adapted"),
            "never compared",
            object_start("taken_uitdaging"),
        ),
        (
            lambda d: _item(d, "taken_kern").update(example_en=""),
            "both a Dutch and an English text",
            object_start("taken_kern"),
        ),
        (
            lambda d: _item(d, "taken_kern").update(exmaple_nl="Een typfout."),
            "unknown field exmaple_nl",
            object_start("taken_kern"),
        ),
        (
            lambda d: _item(d, "taken_kern").update(allows_not_applicable="ja"),
            "allows_not_applicable is true or false",
            object_start("taken_kern"),
        ),
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
    path = _variant(tmp_path, lambda d: d.update(version="2099.1") or d["items"].pop(1))
    rows = old.items.count()
    assert _load(path) == f"item bank 2099.1: {rows - 1} rows, loaded.\n"
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
    assert (
        f"itembank.json, line 1: the file drops rows of item bank {VERSION} that are in use"
        in str(info.value)
    )
    assert "new version" in str(info.value)
    assert Item.objects.filter(bank=anna_scan.item_bank, key="taken_kern").exists()
    assert Item.objects.get(key="taken_uitdaging").role == "deepening"


def _first_edition(data: dict) -> None:
    """Item bank 2023.1 as it was: the three completed heads called verbatim, no examples."""
    data["version"] = "2023.1"
    for item in data["items"]:
        for extra in ("monitor_head", "example_nl", "example_en", "allows_not_applicable"):
            item.pop(extra, None)
        if item["provenance"] == "monitor_adapted":
            item["provenance"] = "monitor_verbatim"


def test_scans_answered_with_the_first_edition_keep_it_and_its_labels_are_corrected(
    tmp_path, scan_data
) -> None:
    from django.apps import apps
    from django.utils import timezone

    from leerscan.scans import services

    path = _variant(tmp_path, _first_edition)
    ItemBank.objects.all().delete()
    _load(path)
    ItemBank.objects.filter(version="2023.1").update(loaded_at=timezone.now().replace(year=2024))
    old_scan = services.scan_start()
    assert old_scan.item_bank.version == "2023.1"
    # The migration that introduced monitor_adapted corrects the label of loaded banks.
    migration = importlib.import_module(
        "leerscan.scans.migrations.0002_item_examples_adapted_heads_not_applicable"
    )
    migration.label_adapted_items(apps, None)
    relabelled = Item.objects.get(bank__version="2023.1", key="meten_resultaten")
    assert relabelled.provenance == "monitor_adapted"
    assert relabelled.monitor_head == ADAPTED["meten_resultaten"][1]
    # Loading the current file adds its version beside the first; new scans take the newest.
    assert "loaded" in _load()
    assert ItemBank.objects.count() == 2
    old_scan.refresh_from_db()
    assert old_scan.item_bank.version == "2023.1"
    assert services.scan_start().item_bank.version == VERSION
