"""The item bank: the monitor's statements word for word, loaded idempotently, checked on load."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from leerscan.scans.itembank import BUILDING_BLOCKS, ITEM_BANK_FILE
from leerscan.scans.models import Item, ItemBank

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
    call_command("load_item_bank", file=path, stdout=out)
    return out.getvalue()


def test_the_monitors_statements_are_used_word_for_word() -> None:
    _load()
    core = {i.block: i for i in Item.objects.filter(role="core")}
    for block, text in VERBATIM.items():
        assert core[block].text_nl == text
        assert core[block].provenance == "monitor_verbatim"
        assert core[block].indicator == block
    for block in ("ruimte_veiligheid", "samenwerken"):
        assert core[block].provenance == "reconstructed"


def test_deepening_items_are_never_compared() -> None:
    _load()
    deepening = Item.objects.filter(role="deepening")
    assert 12 <= deepening.count() <= 18
    assert set(deepening.values_list("indicator", flat=True)) == {""}
    assert set(deepening.values_list("provenance", flat=True)) == {"deepening"}
    for block in BUILDING_BLOCKS:
        assert 2 <= deepening.filter(block=block).count() <= 3, block


def test_loading_twice_changes_nothing() -> None:
    assert "loaded" in _load()
    ids = list(Item.objects.values_list("id", flat=True))
    assert "already up to date" in _load()
    assert list(Item.objects.values_list("id", flat=True)) == ids
    assert ItemBank.objects.count() == 1


def _variant(tmp_path: Path, change) -> Path:
    data = json.loads(ITEM_BANK_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "items.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["items"][1].update(indicator="taken"), "never compared"),
        (lambda d: d["items"].pop(0), "no core item for taken"),
        (lambda d: d["items"].append(dict(d["items"][0])), "unique"),
        (lambda d: d["items"][0].update(block="onzin"), "unknown block"),
        (lambda d: d["items"][0].update(text_en=" "), "English text"),
        (lambda d: d["items"][0].pop("source"), "missing source"),
    ],
)
def test_a_bad_item_bank_is_refused(tmp_path, change, words) -> None:
    with pytest.raises(CommandError, match=words):
        _load(_variant(tmp_path, change))
    assert not ItemBank.objects.exists()


def test_a_corrected_text_with_the_same_version_is_updated_in_place(tmp_path) -> None:
    _load()
    path = _variant(tmp_path, lambda d: d["items"][1].update(text_nl="Nieuwe tekst."))
    assert "loaded" in _load(path)
    assert Item.objects.get(position=2).text_nl == "Nieuwe tekst."
    assert ItemBank.objects.count() == 1
