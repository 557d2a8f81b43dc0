"""Loading a benchmark file: idempotent, and a bad file is refused with the line it fails on."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from benchmarks.loading import DATA_DIR
from benchmarks.models import BenchmarkSet, BenchmarkValue

pytestmark = pytest.mark.django_db

CSV = DATA_DIR / "monitor2023.csv"


def _load(path: Path, slug: str = "test-set") -> str:
    out = StringIO()
    call_command("load_benchmarks", file=path, slug=slug, title="Test", year=2023, stdout=out)
    return out.getvalue()


def _variant(tmp_path: Path, replace: tuple[str, str] | None = None, append: str = "") -> Path:
    text = CSV.read_text(encoding="utf-8")
    if replace:
        assert replace[0] in text
        text = text.replace(replace[0], replace[1], 1)
    path = tmp_path / "variant.csv"
    path.write_text(text + append, encoding="utf-8")
    return path


def test_it_loads_the_monitor_with_every_table_and_the_text_numbers() -> None:
    out = StringIO()
    call_command("load_benchmarks", stdout=out)
    assert "monitor-llo-nn-2023: 367 values, loaded." in out.getvalue()
    bset = BenchmarkSet.objects.get(slug="monitor-llo-nn-2023")
    assert bset.year == 2023
    tables = set(bset.values.values_list("table", flat=True))
    assert tables == {"4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "text", "nation"}
    text = {v.indicator: v.value for v in bset.values.filter(table__in=["text", "nation"])}
    assert text == {
        "belang_leren": Decimal("8.2"),
        "belang_leren_2021": Decimal("8.5"),
        "wervingsproblemen": Decimal("6.5"),
        "uren_per_deelnemer": Decimal("47.6"),
        "cbs_2020_pct_cursus": Decimal("39"),
        "cbs_2020_uren_cursus": Decimal("15"),
        "ser_tno_2021_pct_deelname": Decimal("48.6"),
    }


def test_loading_twice_changes_nothing() -> None:
    call_command("load_benchmarks", verbosity=0)
    ids = sorted(BenchmarkValue.objects.values_list("id", flat=True))
    out = StringIO()
    call_command("load_benchmarks", stdout=out)
    assert "already up to date" in out.getvalue()
    assert sorted(BenchmarkValue.objects.values_list("id", flat=True)) == ids


def test_a_corrected_file_replaces_the_values_of_its_set(tmp_path: Path) -> None:
    _load(CSV)
    fixed = _variant(tmp_path, ("4.5,taken,sector,zd,182,4.5,", "4.5,taken,sector,zd,182,4.4,"))
    assert "loaded" in _load(fixed)
    value = BenchmarkValue.objects.get(
        benchmark_set__slug="test-set", table="4.5", indicator="taken", group="zd"
    )
    assert value.value == Decimal("4.4")
    assert BenchmarkValue.objects.filter(benchmark_set__slug="test-set").count() == 367


def test_a_later_edition_is_a_new_set_beside_the_first(tmp_path: Path) -> None:
    call_command("load_benchmarks", verbosity=0)
    _load(CSV, slug="monitor-llo-nn-2025")
    assert BenchmarkSet.objects.count() == 2
    assert BenchmarkValue.objects.count() == 2 * 367


# (what to change in the good file, the line that is then wrong, words of the message)
BAD_FILES = [
    (("4.1,groei,total", "4.9,groei,total"), 2, "unknown table '4.9'"),
    (("4.1,groei,total", "4.1,groeii,total"), 2, "unknown indicator 'groeii'"),
    (("4.1,groei,total,noord-nederland", "4.1,groei,total,drenthe"), 2, "unknown group"),
    (("4.1,groei,total", "4.1,groei,nation"), 2, "does not belong in table 4.1"),
    (("671,43.8,percent", "671,43.8,scale_1_6"), 2, "unit 'scale_1_6' should be 'percent'"),
    (("671,43.8,percent", "671,143.8,percent"), 2, "outside the range"),
    (("671,43.8,percent", '671,"43,8",percent'), 2, "decimal point"),
    (("671,43.8,percent", "671,veel,percent"), 2, "is not a number"),
    (("671,43.8,percent", "671,NaN,percent"), 2, "is not a number"),
    (("671,43.8,percent", "671,43.812,percent"), 2, "more than two decimals"),
    (("4.1,groei,total,noord-nederland,671", "4.1,groei,total,noord-nederland,-5"), 2, "n must"),
    (("table,indicator", "tabel,indicator"), 1, "header"),
]


@pytest.mark.parametrize(("replace", "line", "words"), BAD_FILES)
def test_it_refuses_a_bad_row_naming_its_line(tmp_path, replace, line, words) -> None:
    with pytest.raises(CommandError) as info:
        _load(_variant(tmp_path, replace))
    assert f"variant.csv, line {line}:" in str(info.value)
    assert words in str(info.value)
    assert not BenchmarkSet.objects.filter(slug="test-set").exists()


def test_it_refuses_a_duplicate_row(tmp_path: Path) -> None:
    first = CSV.read_text(encoding="utf-8").splitlines()[1]
    with pytest.raises(CommandError, match=r"line 369: duplicate of line 2"):
        _load(_variant(tmp_path, append=first + "\n"))


def test_it_refuses_a_table_with_a_missing_row(tmp_path: Path) -> None:
    row = "4.7,scholingsregeling,size,200+,46,93.5,percent,"
    text = CSV.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith(row))
    with pytest.raises(CommandError, match="table 4.7 lacks scholingsregeling for size/200\\+"):
        _load(_variant(tmp_path, (line + "\n", "")))


def test_a_refused_file_keeps_the_values_already_loaded(tmp_path: Path) -> None:
    _load(CSV)
    with pytest.raises(CommandError):
        _load(_variant(tmp_path, ("671,43.8,percent", "671,143.8,percent")))
    assert BenchmarkValue.objects.filter(benchmark_set__slug="test-set").count() == 367


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        _load(tmp_path / "nowhere.csv")


def test_the_database_refuses_a_value_outside_its_unit() -> None:
    bset = BenchmarkSet.objects.create(slug="s", title="t", year=2023, source="s")
    with pytest.raises(IntegrityError), transaction.atomic():
        BenchmarkValue.objects.create(
            benchmark_set=bset,
            table="4.5",
            indicator="taken",
            group_kind="total",
            group="noord-nederland",
            value=Decimal("6.5"),
            unit="scale_1_6",
            source="x",
        )
