"""The HR-instrument library and its regional support: loaded idempotently, corrected in place,
and a bad file refused with the file and the line of the offending instrument or entry."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from leerscan.reports.library import LIBRARY_FILE
from leerscan.reports.models import Instrument, InstrumentLibrary, RegionalSupport
from tests.datafiles import json_variant, object_start

pytestmark = pytest.mark.django_db

DATA = json.loads(LIBRARY_FILE.read_text(encoding="utf-8"))
ROWS = len(DATA["instruments"])
VERSION = DATA["version"]


def _load(path: Path = LIBRARY_FILE) -> str:
    out = StringIO()
    call_command("instrument_library_load", file=path, stdout=out)
    return out.getvalue()


def _variant(tmp_path: Path, change: Callable[[dict], object]) -> Path:
    return json_variant(tmp_path, LIBRARY_FILE, change)


def test_it_loads_every_instrument_in_the_files_order() -> None:
    assert _load() == f"instrument library {VERSION}: {ROWS} rows, loaded.\n"
    library = InstrumentLibrary.objects.get()
    assert library.title == "Leerscan HR-instrumenten bij de Monitor LLO Noord-Nederland 2023"
    first = library.instruments.get(position=1)
    assert (first.key, first.name_nl) == ("pop", "Persoonlijk ontwikkelplan (POP)")
    assert first.building_blocks == ["leiderschap"]


def test_it_changes_nothing_when_loaded_twice() -> None:
    _load()
    ids = list(Instrument.objects.values_list("id", flat=True))
    assert _load() == f"instrument library {VERSION}: {ROWS} rows, unchanged.\n"
    assert list(Instrument.objects.values_list("id", flat=True)) == ids
    assert InstrumentLibrary.objects.count() == 1


def test_it_corrects_a_changed_file_with_the_same_version_in_place(tmp_path: Path) -> None:
    _load()
    pop = Instrument.objects.get(key="pop")
    dropped = Instrument.objects.get(position=ROWS).key

    def change(data: dict) -> None:
        data["instruments"][0]["name_nl"] = "Ontwikkelplan"
        data["instruments"].pop()

    assert _load(_variant(tmp_path, change)) == (
        f"instrument library {VERSION}: {ROWS - 1} rows, loaded.\n"
    )
    assert Instrument.objects.get(pk=pop.pk).name_nl == "Ontwikkelplan"
    assert not Instrument.objects.filter(key=dropped).exists()
    assert InstrumentLibrary.objects.count() == 1


def test_it_loads_a_new_version_beside_the_first(tmp_path: Path) -> None:
    _load()
    _load(_variant(tmp_path, lambda d: d.update(version="2099.1")))
    assert sorted(InstrumentLibrary.objects.values_list("version", flat=True)) == [
        VERSION,
        "2099.1",
    ]
    assert Instrument.objects.count() == 2 * ROWS


@pytest.mark.parametrize(
    ("change", "words", "line"),
    [
        (
            lambda d: d["instruments"][0].update(effort="snel"),
            "effort must be",
            object_start("pop"),
        ),
        (
            lambda d: d["instruments"][0].update(support_en=" "),
            "support_en is empty",
            object_start("pop"),
        ),
        (
            lambda d: d["instruments"][1].update(obstacles=["geld"]),
            "unknown obstacles ['geld']",
            object_start("functioneringsgesprekken"),
        ),
        (
            lambda d: d["instruments"][0].update(building_blocks=[], dloq=[]),
            "strengthens no building block",
            object_start("pop"),
        ),
        (lambda d: d["instruments"][0].pop("source"), "missing source", object_start("pop")),
        (lambda d: d["instruments"].append(d["instruments"][0]), "unique", object_start("pop", 2)),
        (lambda d: d["instruments"][0].update(key="p" * 41), "at most 40", object_start("p" * 41)),
        (
            lambda d: d["instruments"][0].update(needs_departments="ja"),
            "needs_departments must be true or false",
            object_start("pop"),
        ),
        (
            lambda d: d["regional_support"][0].update(provinces=["overijssel"]),
            "unknown provinces ['overijssel']",
            object_start("leerwerkloket_groningen"),
        ),
        (
            lambda d: d["regional_support"][0].update(last_checked="gisteren"),
            "last_checked must be a date",
            object_start("leerwerkloket_groningen"),
        ),
        (
            lambda d: d["regional_support"][0].update(source=""),
            "source is empty",
            object_start("leerwerkloket_groningen"),
        ),
        (
            lambda d: d["regional_support"][0].update(kind="sector_fund"),
            "a sector_fund names the SBI codes it serves",
            object_start("leerwerkloket_groningen"),
        ),
        (
            lambda d: d["regional_support"].append(d["regional_support"][0]),
            "each key must be unique",
            object_start("leerwerkloket_groningen", 2),
        ),
        (
            lambda d: d["regional_support"][0].update(url="werkcentrum"),
            "Enter a valid URL",
            object_start("leerwerkloket_groningen"),
        ),
    ],
)
def test_it_refuses_a_bad_file_naming_the_line(tmp_path, change, words, line) -> None:
    path = _variant(tmp_path, change)
    with pytest.raises(CommandError) as info:
        _load(path)
    assert f"instruments.json, line {line(path)}:" in str(info.value)
    assert words in str(info.value)
    assert not InstrumentLibrary.objects.exists()


def test_it_refuses_a_file_that_is_not_json_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "instruments.json"
    path.write_text('{\n  "version": "2023.1",\n  "title": "x",\n  "instruments": [\n  ]]\n}\n')
    with pytest.raises(CommandError, match=r"instruments.json, line 5: not valid JSON"):
        _load(path)


def test_a_refused_file_keeps_the_library_already_loaded(tmp_path: Path) -> None:
    _load()
    with pytest.raises(CommandError):
        _load(_variant(tmp_path, lambda d: d["instruments"][3].update(effort="snel")))
    assert Instrument.objects.count() == ROWS
    assert Instrument.objects.get(position=4).effort in {"quick_win", "structureel"}


def test_it_loads_the_regional_support_with_its_source_and_date() -> None:
    _load()
    library = InstrumentLibrary.objects.get()
    support = list(library.regional_support.order_by("position"))
    assert [s.key for s in support] == [e["key"] for e in DATA["regional_support"]]
    fund = library.regional_support.get(key="sociaal_fonds_bakkersbedrijf")
    assert fund.kind == RegionalSupport.Kind.SECTOR_FUND
    assert fund.sbi_prefixes == ["1071"]
    assert isinstance(fund.last_checked, datetime.date)
    assert all(s.source.strip() for s in support)


def test_loading_twice_keeps_the_regional_support_and_a_correction_replaces_it(tmp_path) -> None:
    _load()
    ids = list(RegionalSupport.objects.values_list("id", flat=True))
    _load()
    assert list(RegionalSupport.objects.values_list("id", flat=True)) == ids

    def change(data: dict) -> None:
        data["regional_support"][0]["last_checked"] = "2030-01-31"
        data["regional_support"].pop()

    _load(_variant(tmp_path, change))
    assert RegionalSupport.objects.count() == len(DATA["regional_support"]) - 1
    first = RegionalSupport.objects.get(position=1)
    assert first.last_checked == datetime.date(2030, 1, 31)


def test_a_leertafel_is_not_assumed_to_be_running() -> None:
    leertafel = next(i for i in DATA["instruments"] if i["key"] == "leertafel")
    assert "eerstvolgende bijeenkomst" not in leertafel["first_step_nl"]
    assert "next meeting" not in leertafel["first_step_en"]
    assert "Of er nu bijeenkomsten zijn" in leertafel["support_nl"]
