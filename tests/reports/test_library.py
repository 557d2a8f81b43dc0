"""The HR-instrument library: loaded idempotently, corrected in place, and a bad file refused
with the file and the line of the offending instrument."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from leerscan.reports.library import LIBRARY_FILE
from leerscan.reports.models import Instrument, InstrumentLibrary
from tests.datafiles import json_variant, object_start

pytestmark = pytest.mark.django_db

ROWS = len(json.loads(LIBRARY_FILE.read_text(encoding="utf-8"))["instruments"])


def _load(path: Path = LIBRARY_FILE) -> str:
    out = StringIO()
    call_command("instrument_library_load", file=path, stdout=out)
    return out.getvalue()


def _variant(tmp_path: Path, change: Callable[[dict], object]) -> Path:
    return json_variant(tmp_path, LIBRARY_FILE, change)


def test_it_loads_every_instrument_in_the_files_order() -> None:
    assert _load() == f"instrument library 2023.1: {ROWS} rows, loaded.\n"
    library = InstrumentLibrary.objects.get()
    assert library.title == "Leerscan HR-instrumenten bij de Monitor LLO Noord-Nederland 2023"
    first = library.instruments.get(position=1)
    assert (first.key, first.name_nl) == ("pop", "Persoonlijk ontwikkelplan (POP)")
    assert first.building_blocks == ["leiderschap"]


def test_it_changes_nothing_when_loaded_twice() -> None:
    _load()
    ids = list(Instrument.objects.values_list("id", flat=True))
    assert _load() == f"instrument library 2023.1: {ROWS} rows, unchanged.\n"
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
        f"instrument library 2023.1: {ROWS - 1} rows, loaded.\n"
    )
    assert Instrument.objects.get(pk=pop.pk).name_nl == "Ontwikkelplan"
    assert not Instrument.objects.filter(key=dropped).exists()
    assert InstrumentLibrary.objects.count() == 1


def test_it_loads_a_new_version_beside_the_first(tmp_path: Path) -> None:
    _load()
    _load(_variant(tmp_path, lambda d: d.update(version="2024.1")))
    assert sorted(InstrumentLibrary.objects.values_list("version", flat=True)) == [
        "2023.1",
        "2024.1",
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
