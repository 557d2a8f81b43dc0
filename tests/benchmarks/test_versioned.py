"""Loading versioned data: read, check, store in place, prune; and every refusal names the file
and the line, for JSON the line on which the offending object starts."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from benchmarks.loading import BENCHMARK_SET, SETS_FILE
from benchmarks.models import BenchmarkSet, BenchmarkValue
from benchmarks.versioned import (
    DataFile,
    DataFileError,
    LoadResult,
    Version,
    versioned_data_load,
)

DATA_FILES = [
    SETS_FILE,
    Path("leerscan/scans/data/itembank.json"),
    Path("leerscan/reports/data/instruments.json"),
]


def _objects(value):
    """Every JSON object in a parsed document, depth first."""
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from _objects(child)
    elif isinstance(value, list):
        for child in value:
            yield from _objects(child)


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_it_reads_the_data_files_as_the_standard_json_parser_does(path: Path) -> None:
    parsed = DataFile.read(path).json()
    assert parsed == json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_it_knows_the_line_each_object_starts_on(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    objects = list(_objects(DataFile.read(path).json()))
    assert len(objects) > 5
    for obj in objects:
        assert lines[obj.line - 1].rstrip().endswith("{")
    # Objects are met in file order, each on a line of its own in these files.
    starts = [obj.line for obj in objects]
    assert starts == sorted(starts)
    assert len(set(starts)) == len(starts)


def test_it_names_the_line_of_a_json_syntax_error() -> None:
    source = DataFile("bad.json", b'[\n  {"a": 1},\n  {"b": 2,}\n]\n')
    with pytest.raises(DataFileError) as info:
        source.json()
    assert str(info.value).startswith("bad.json, line 3: not valid JSON")
    assert (info.value.file, info.value.line) == ("bad.json", 3)


@pytest.mark.parametrize(
    "text",
    ["", "[1, 2", '{"a": 1} 2', '{"a" 1}', "[1 2]", "{'a': 1}", "[1,]", '{"a": tru}'],
)
def test_it_refuses_what_the_standard_json_parser_refuses(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    with pytest.raises(DataFileError, match="not valid JSON"):
        DataFile("x.json", text.encode()).json()


def test_it_names_the_line_of_bytes_that_are_not_utf8() -> None:
    with pytest.raises(DataFileError, match=r"^x.csv, line 2: the file is not UTF-8 text$"):
        DataFile("x.csv", b"a,b\n1,\xff\n").text  # noqa: B018 (reading is what is tested)


def test_a_missing_field_is_named_at_the_line_of_its_object() -> None:
    source = DataFile("x.json", b'{\n  "items": [\n    {"key": "a"}\n  ]\n}\n')
    item = source.json()["items"][0]
    with pytest.raises(DataFileError, match=r"^x.json, line 3: item a: missing text$"):
        source.require(item, ("key", "text"), "item a")


def test_a_load_result_says_what_happened_in_one_style() -> None:
    assert LoadResult("item bank", "2023.1", 29, changed=True).message == (
        "item bank 2023.1: 29 rows, loaded."
    )
    assert LoadResult("benchmark set", "monitor-llo-nn-2023", 367, changed=False).message == (
        "benchmark set monitor-llo-nn-2023: 367 rows, unchanged."
    )


# A tiny kind of file for the helper alone: a benchmark set written as JSON.
def _parse(source: DataFile) -> Version:
    data = source.json()
    rows = [
        (row.line, BenchmarkValue(table="text", group_kind="total", unit="scale_1_10", **row))
        for row in data["values"]
    ]
    fields = {"title": data["title"], "name": data["title"], "year": 2023, "source": "s"}
    return Version(key="tiny", fields=fields, rows=rows)


def _tiny(tmp_path: Path, title: str, values: dict[str, str]) -> Path:
    rows = ",\n".join(
        f'  {{"indicator": "{k}", "group": "noord-nederland", "value": "{v}", "source": "s"}}'
        for k, v in values.items()
    )
    path = tmp_path / "tiny.json"
    path.write_text(f'{{"title": "{title}", "values": [\n{rows}\n]}}\n', encoding="utf-8")
    return path


def _load(path: Path) -> LoadResult:
    return versioned_data_load(kind=BENCHMARK_SET, path=path, parse=_parse)


@pytest.mark.django_db
def test_it_stores_a_version_and_changes_nothing_the_second_time(tmp_path: Path) -> None:
    path = _tiny(tmp_path, "Tiny", {"belang_leren": "8.2", "wervingsproblemen": "6.5"})
    assert _load(path) == LoadResult("benchmark set", "tiny", 2, changed=True)
    ids = list(BenchmarkValue.objects.values_list("id", flat=True))
    stored = BenchmarkSet.objects.get(slug="tiny")
    assert _load(path) == LoadResult("benchmark set", "tiny", 2, changed=False)
    assert list(BenchmarkValue.objects.values_list("id", flat=True)) == ids
    assert BenchmarkSet.objects.get(slug="tiny").content_hash == stored.content_hash


@pytest.mark.django_db
def test_it_updates_rows_in_place_adds_new_ones_and_prunes_the_dropped(tmp_path: Path) -> None:
    _load(_tiny(tmp_path, "Tiny", {"belang_leren": "8.2", "wervingsproblemen": "6.5"}))
    kept = BenchmarkValue.objects.get(indicator="belang_leren")
    _load(_tiny(tmp_path, "Tiny 2", {"belang_leren": "8.3", "belang_leren_2021": "8.5"}))
    values = dict(BenchmarkValue.objects.values_list("indicator", "value"))
    assert values == {"belang_leren": Decimal("8.3"), "belang_leren_2021": Decimal("8.5")}
    assert BenchmarkValue.objects.get(indicator="belang_leren").pk == kept.pk
    assert BenchmarkSet.objects.get(slug="tiny").title == "Tiny 2"


@pytest.mark.django_db
def test_it_refuses_a_row_the_model_refuses_naming_its_line(tmp_path: Path) -> None:
    _load(_tiny(tmp_path, "Tiny", {"belang_leren": "8.2"}))
    path = _tiny(tmp_path, "Tiny 2", {"belang_leren": "8.3", "wervingsproblemen": "6.555"})
    with pytest.raises(DataFileError) as info:
        _load(path)
    assert str(info.value).startswith("tiny.json, line 3: value: ")
    # Refused as a whole: the first row and the title stay as they were.
    assert BenchmarkValue.objects.get().value == Decimal("8.2")
    assert BenchmarkSet.objects.get().title == "Tiny"


@pytest.mark.django_db
def test_it_refuses_two_rows_with_the_same_key_naming_the_second(tmp_path: Path) -> None:
    path = _tiny(tmp_path, "Tiny", {"belang_leren": "8.2"})
    path.write_text(
        path.read_text().replace(
            "\n]",
            ',\n  {"indicator": "belang_leren", "group": "noord-nederland", "value": "8", '
            '"source": "s"}\n]',
        )
    )
    with pytest.raises(DataFileError, match=r"^tiny.json, line 3: duplicate of line 2 "):
        _load(path)
    assert not BenchmarkSet.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_version_the_model_refuses_naming_its_line(tmp_path: Path) -> None:
    path = _tiny(tmp_path, "T" * 201, {"belang_leren": "8.2"})
    with pytest.raises(DataFileError, match=r"^tiny.json, line 1: title: Ensure this value"):
        _load(path)
    assert not BenchmarkSet.objects.exists()
