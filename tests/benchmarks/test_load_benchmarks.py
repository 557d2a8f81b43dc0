"""Loading a benchmark set: idempotent, its sentences and name from the data, and a bad file
refused with the file and line it fails on."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from benchmarks.loading import DATA_DIR, SETS_FILE
from benchmarks.models import BenchmarkSet, BenchmarkValue

pytestmark = pytest.mark.django_db

CSV = DATA_DIR / "monitor2023.csv"
# The data file's rows (its lines but the header), and the line of the row the bad files change.
ROWS = len(CSV.read_text(encoding="utf-8").splitlines()) - 1
GROEI = next(
    n
    for n, line in enumerate(CSV.read_text(encoding="utf-8").splitlines(), 1)
    if line.startswith("4.1,groei,total,noord-nederland,")
)


def _load(path: Path, slug: str = "test-set") -> str:
    out = StringIO()
    call_command("benchmark_set_load", file=path, slug=slug, title="Test", year=2023, stdout=out)
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
    call_command("benchmark_set_load", stdout=out)
    assert out.getvalue() == f"benchmark set monitor-llo-nn-2023: {ROWS} rows, loaded.\n"
    bset = BenchmarkSet.objects.get(slug="monitor-llo-nn-2023")
    assert bset.year == 2023
    tables = set(bset.values.values_list("table", flat=True))
    assert tables == {
        *("3.2", "3.2b", "3.3", "3.4"),
        *("4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7"),
        *("text", "nation", "previous"),
    }
    # The previous edition's figures (December 2021) under the indicators they compare with.
    previous = {v.indicator: v.value for v in bset.values.filter(table="previous")}
    assert previous == {
        "belang_leren": Decimal("8.5"),
        "pct_onder_werktijd": Decimal("64"),
        "pct_kosten_werkgever": Decimal("91"),
    }
    assert bset.previous_text("name", "en") == "December 2021"
    text = {v.indicator: v.value for v in bset.values.filter(table__in=["text", "nation"])}
    assert text == {
        "belang_leren": Decimal("8.2"),
        "wervingsproblemen": Decimal("6.5"),
        "uren_per_deelnemer": Decimal("47.6"),
        "lang_initiatief_zelf": Decimal("55"),
        "lang_initiatief_samen": Decimal("27"),
        "lang_kosten_werkgever": Decimal("75"),
        "cbs_2020_pct_cursus": Decimal("39"),
        "cbs_2020_uren_cursus": Decimal("15"),
        "ser_tno_2021_pct_deelname": Decimal("48.6"),
    }


def test_it_changes_nothing_when_loaded_twice() -> None:
    call_command("benchmark_set_load", verbosity=0)
    ids = sorted(BenchmarkValue.objects.values_list("id", flat=True))
    digest = BenchmarkSet.objects.get().content_hash
    out = StringIO()
    call_command("benchmark_set_load", stdout=out)
    assert out.getvalue() == f"benchmark set monitor-llo-nn-2023: {ROWS} rows, unchanged.\n"
    assert sorted(BenchmarkValue.objects.values_list("id", flat=True)) == ids
    assert BenchmarkSet.objects.get().content_hash == digest


def test_it_replaces_the_values_of_a_set_with_a_corrected_file(tmp_path: Path) -> None:
    _load(CSV)
    fixed = _variant(tmp_path, ("4.5,taken,sector,zd,182,4.5,", "4.5,taken,sector,zd,182,4.4,"))
    assert "loaded" in _load(fixed)
    value = BenchmarkValue.objects.get(
        benchmark_set__slug="test-set", table="4.5", indicator="taken", group="zd"
    )
    assert value.value == Decimal("4.4")
    assert BenchmarkValue.objects.filter(benchmark_set__slug="test-set").count() == ROWS


def test_it_keeps_the_rows_a_corrected_file_does_not_change(tmp_path: Path) -> None:
    _load(CSV)
    before = dict(BenchmarkValue.objects.values_list("id", "value"))
    _load(_variant(tmp_path, ("4.5,taken,sector,zd,182,4.5,", "4.5,taken,sector,zd,182,4.4,")))
    after = dict(BenchmarkValue.objects.values_list("id", "value"))
    assert after.keys() == before.keys()
    assert sum(after[pk] != before[pk] for pk in after) == 1


def test_it_loads_a_later_edition_as_a_new_set_beside_the_first(tmp_path: Path) -> None:
    call_command("benchmark_set_load", verbosity=0)
    _load(CSV, slug="monitor-llo-nn-2025")
    assert BenchmarkSet.objects.count() == 2
    assert BenchmarkValue.objects.count() == 2 * ROWS


# (what to change in the good file, the line that is then wrong, words of the message)
BAD_FILES = [
    (("4.1,groei,total", "4.9,groei,total"), GROEI, "unknown table '4.9'"),
    (("4.1,groei,total", "4.1,groeii,total"), GROEI, "unknown indicator 'groeii'"),
    (("4.1,groei,total,noord-nederland", "4.1,groei,total,drenthe"), GROEI, "unknown group"),
    (("4.1,groei,total", "4.1,groei,nation"), GROEI, "does not belong in table 4.1"),
    (("671,43.8,percent", "671,43.8,scale_1_6"), GROEI, "unit 'scale_1_6' should be 'percent'"),
    (("671,43.8,percent", "671,143.8,percent"), GROEI, "outside the range"),
    (("671,43.8,percent", '671,"43,8",percent'), GROEI, "decimal point"),
    (("671,43.8,percent", "671,veel,percent"), GROEI, "is not a number"),
    (("671,43.8,percent", "671,NaN,percent"), GROEI, "is not a number"),
    (("671,43.8,percent", "671,43.812,percent"), GROEI, "more than two decimals"),
    (("noord-nederland,671,43.8", "noord-nederland,-5,43.8"), GROEI, "n must"),
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
    with pytest.raises(CommandError, match=rf"line {ROWS + 2}: duplicate of line 2"):
        _load(_variant(tmp_path, append=first + "\n"))


def test_it_refuses_a_table_with_a_missing_row(tmp_path: Path) -> None:
    row = "4.7,scholingsregeling,size,200+,46,93.5,percent,"
    text = CSV.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith(row))
    with pytest.raises(CommandError, match="table 4.7 lacks scholingsregeling for size/200\\+"):
        _load(_variant(tmp_path, (line + "\n", "")))


def test_it_keeps_the_values_already_loaded_when_a_file_is_refused(tmp_path: Path) -> None:
    _load(CSV)
    with pytest.raises(CommandError):
        _load(_variant(tmp_path, ("671,43.8,percent", "671,143.8,percent")))
    assert BenchmarkValue.objects.filter(benchmark_set__slug="test-set").count() == ROWS


def test_it_says_plainly_that_a_file_is_missing(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read nowhere.csv"):
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


SENTENCE_KEYS = {
    "hr_afdeling",
    "instrumenten",
    "belemmeringen",
    "doelen",
    "wervingsproblemen",
    # The monitor's "no differences between groups", each with the indicators it is about.
    "geen_verschillen_dloq",
    "geen_verschillen_bouwstenen_provincie",
    "geen_verschillen_kosten_terugbetaling",
    # The December 2021 measurement where the monitor gives a sentence, not a number.
    "deelname_2021",
    "meten_resultaten_2021",
    "peiling_2021",
    # Beside the team scan: who takes the initiative for employees' training and who pays.
    "initiatief_lang_loondienst",
    "initiatief_kort_loondienst",
    # The owner's advice: just under half of training is mandatory.
    "verplichte_scholing",
    "verplichte_scholing_sectoren",
    # Box 4.2: the two measures of learning culture agree (correlation 0.7).
    "samenhang_metingen",
    # Recommendations 1-3, for advisers and institutions.
    "aanbeveling_1",
    "aanbeveling_2",
    "aanbeveling_3",
}


def _sets_variant(tmp_path: Path, change=None) -> Path:
    """A copy of sets.json (and the CSV beside it) in tmp_path, changed by `change`."""
    shutil.copy(CSV, tmp_path / CSV.name)
    sets = json.loads(SETS_FILE.read_text(encoding="utf-8"))
    if change:
        change(sets[0])
    path = tmp_path / "sets.json"
    path.write_text(json.dumps(sets, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_it_takes_the_editions_name_and_the_monitors_sentences_from_the_data() -> None:
    call_command("benchmark_set_load", verbosity=0)
    bset = BenchmarkSet.objects.get(slug="monitor-llo-nn-2023")
    assert bset.name == "Monitor Leven Lang Ontwikkelen Noord-Nederland 2023"
    assert set(bset.sentences) == SENTENCE_KEYS
    assert bset.sentence("wervingsproblemen", "nl") == (
        "De ervaren problemen rond de werving van personeel schommelen rond een 6,5 op een schaal "
        "van 1 tot aan 10. (Monitor, paragraaf 4.2, bewerkt)"
    )
    assert bset.sentence("wervingsproblemen", "en") == (
        "Experienced problems in recruiting staff hover around 6.5 on a scale of 1 to 10. "
        "(Monitor, section 4.2, edited)"
    )
    assert bset.sentences["wervingsproblemen"]["section"] == "4.2"
    english = bset.sentences_for("en")
    assert set(english) == SENTENCE_KEYS
    assert english["doelen"].startswith("The main goal of training")


def test_a_sentence_falls_back_to_dutch_in_a_language_the_data_lacks() -> None:
    call_command("benchmark_set_load", verbosity=0)
    bset = BenchmarkSet.objects.get()
    assert bset.sentence("doelen", "de") == bset.sentence("doelen", "nl")
    assert bset.sentence("doelen", "en-gb") == bset.sentence("doelen", "en")
    assert bset.sentences_for("fr") == bset.sentences_for("nl")


def test_it_loads_a_changed_sentence_without_touching_the_values(tmp_path: Path) -> None:
    call_command("benchmark_set_load", verbosity=0)
    ids = sorted(BenchmarkValue.objects.values_list("id", flat=True))
    changed = _sets_variant(
        tmp_path,
        lambda s: (
            s.update(name="Monitor LLO NN 2023")
            or s["sentences"]["doelen"].update(nl="Een nieuwe zin.")
        ),
    )
    out = StringIO()
    call_command("benchmark_set_load", sets=changed, stdout=out)
    assert out.getvalue() == f"benchmark set monitor-llo-nn-2023: {ROWS} rows, loaded.\n"
    bset = BenchmarkSet.objects.get()
    assert bset.name == "Monitor LLO NN 2023"
    assert bset.sentence("doelen", "nl") == "Een nieuwe zin."
    assert sorted(BenchmarkValue.objects.values_list("id", flat=True)) == ids


# (what to change in the set's entry, the text on the line named, words of the message)
BAD_SETS = [
    (lambda s: s.pop("name"), '"slug": "monitor-llo-nn-2023"', "missing name"),
    (lambda s: s["sentences"]["doelen"].pop("nl"), '"doelen": {', "sentence doelen: missing nl"),
    (lambda s: s["sentences"]["doelen"].update(en=" "), '"doelen": {', "en is empty"),
    (lambda s: s.update(year="2023"), '"slug": "monitor-llo-nn-2023"', "whole number"),
    (lambda s: s.update(slug="monitor 2023"), '"slug": "monitor 2023"', "slug"),
]


@pytest.mark.parametrize(("change", "text", "words"), BAD_SETS)
def test_it_refuses_a_bad_sets_file_naming_the_line(tmp_path, change, text, words) -> None:
    path = _sets_variant(tmp_path, change)
    # An object starts one line above its first field, or on the line of its key.
    line = _line_of(path, text)
    line = line - 1 if text.startswith('"slug"') else line
    with pytest.raises(CommandError) as info:
        call_command("benchmark_set_load", sets=path, verbosity=0)
    assert f"sets.json, line {line}:" in str(info.value)
    assert words in str(info.value)
    assert not BenchmarkSet.objects.exists()


def test_it_refuses_a_sets_file_that_is_not_json_naming_the_line(tmp_path: Path) -> None:
    path = _sets_variant(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[6] = lines[6].rstrip(",")  # a missing comma between two fields
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CommandError, match=r"sets.json, line 8: not valid JSON"):
        call_command("benchmark_set_load", sets=path, verbosity=0)
    assert not BenchmarkSet.objects.exists()
