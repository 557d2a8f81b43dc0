"""Independent transcription of the chapter-3 tables shown beside the team scan: Tabel 3.2
(participation in long and short education, line 846), the second table the monitor captions
"Tabel 3.2" (reasons for short education, line 1094; stored as table "3.2b"), Tabel 3.4 (the wish
for a next course, line 1139) and the numbers of section 3.3 on initiative and costs.

The rows below are the printed lines of the report text (``seeds/monitor-llo-noord-nederland-
2023.txt``), typed as printed, with decimal commas and "%", NOT derived from the benchmark data
file. Where the monitor's text is next to the project, each line is also found in it word for
word, so a typo here fails as well as a typo in the data file.

Leerscan stores the rows whose groups its vocabulary knows (Noord-Nederland, loondienst,
zelfstandige); the other printed rows (provinces, pensioen, inactief, anders, man/vrouw,
opleidingsniveau) are transcribed here too, so the test shows what was left out, and checks that
none of it was stored.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from benchmarks.models import BenchmarkValue
from benchmarks.vocabulary import EDUCATION_PARTICIPATION, NEXT_COURSE, SHORT_EDUCATION_REASONS

SEED = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "seeds"
    / "monitor-llo-noord-nederland-2023.txt"
)
needs_seed = pytest.mark.skipif(
    not SEED.is_file(), reason="the monitor's text is not next to the project"
)

# Tabel 3.2, line 846: "N= | Niet deelgenomen aan onderwijs | Deelgenomen aan onderwijs | Waarvan:
# Deelname aan lang onderwijs | Deelname aan kort onderwijs".
TABEL_3_2 = """\
Totaal Noord-Nederland 8814 67,0% 33,0% 10,5% 27,3%
Drenthe 3157 66,3% 33,7% 10,7% 27,9%
Fryslân 2422 71,4% 28,6% 9,1% 25,2%
Groningen 3204 64,9% 35,1% 11,5% 28,8%
Loondienst 3113 42,0% 58,0% 17,5% 50,5%
Zelfstandige 637 58,3% 41,7% 14,0% 35,1%
Pensioen 3871 87,7% 12,3% 2,8% 11,1%
Inactief 939 82,1% 17,9% 4,1% 15,5%
Anders (incl. studenten) 223 26,9% 73,1% 65,3% 18,8%
Man 4649 72,8% 27,2% 8,7% 23,4%
Vrouw 3474 61,6% 38,4% 11,2% 32,3%
Laag 1479 80,0% 20,0% 8,5% 14,5%
Midden 1955 68,8% 31,2% 9,4% 26,9%
Hoog 4453 62,4% 37,6% 10,8% 32,7%"""

# The second "Tabel 3.2", line 1094: "Medewerkers in loondienst | Zelfstandigen | Pensionarissen |
# Inactieven", no N.
TABEL_3_2_REDENEN = """\
1 Om nieuwe dingen te leren 51,9% 48,4% 29,3% 35,4%
2 Omdat dit verplicht was 31,2% 25,6% 11,9% 13,2%
3 Uit interesse/hobby 21,4% 30,1% 58,9% 44,4%
4 Om kennis of vaardigheden voor het dagelijks leven 22,1% 21,0% 16,8% 20,8%
5 Om een diploma te halen 18,2% 18,7% 9,3% 8,3%
6 Vanwege veranderingen op het werk 20,6% 7,3% 0,9% 0%
7 Voor betere carrièrekansen 11,2% 7,8% 1,2% 2,1%
8 Ik ga een andere rol/taak vervullen op werk 12,3% 2,7% 0,7% 0%
9 Om nieuwe mensen te ontmoeten 3,3% 4,1% 15,9% 7,6%
10 Om (ander) werk te kunnen vinden 2,8% 3,7% 1,2% 3,5%
11 Om meer waardering van leidinggevende te krijgen 2,3% 0% 0% 0%
12 Voor uw gezondheid 3,3% 3,7% 6,1% 13,2%
13 Om uw eigen bedrijf te starten 1,4% 0,5% 0,9% 0%
14 Om beter te worden in uw vrijwilligerswerk 2,3% 4,1% 28,3% 35,4%
15 Om meer omzet te kunnen maken 0% 11,9% 0,5% 0,7%
16 Om meer/ander soort klanten te krijgen 0% 11,9% 0,5% 0,7%"""

# Tabel 3.4, line 1139: "N= | Ja, behoefte aan een volgende cursus | Met welke reden wilt u dat
# doen? Huidig werk beter doen | Kansen op werk | Mijzelf ontwikkelen | Tijd doorkomen".
TABEL_3_4 = """\
Totaal Noord-Nederland 8196 35,5% 11,3% 9,4% 73,5% 4,5%
Drenthe 2904 36,4% 12,5% 8,8% 74,5% 3,3%
Fryslân 2422 31,8% 11,3% 8,6% 73,0% 5,1%
Groningen 2970 36,5% 10,2% 10,6% 72,8% 5,3%
Loondienst 2860 52,2% 17,2% 12,7% 68,2% 1,3%
Zelfstandige 590 44,2% 16,5% 5,7% 75,5% 0,4%
Pensioen 3749 21,0% 2,0% 0,9% 84,4% 10,2%
Inactief 897 29,9% 3,7% 4,5% 79,1% 10,1%
Anders (incl. studenten) 200 52,5% 2,9% 47,6% 46,7% 2,9%
Man 4647 29,8% 12,1% 7,9% 73,9% 4,6%
Vrouw 3474 42,2% 10,6% 10,7% 73,1% 4,4%
Laag 1479 21,8% 6,8% 15,5% 68,3% 7,1%
Midden 1953 31,6% 12,3% 11,3% 70,4% 4,4%
Hoog 4453 42,1% 11,6% 7,9% 75,4% 4,0%"""

# The printed row that each stored group comes from.
ROW_GROUPS = {
    "Totaal Noord-Nederland": ("total", "noord-nederland"),
    "Loondienst": ("employment", "loondienst"),
    "Zelfstandige": ("employment", "zelfstandige"),
}
# The reasons table's columns that are stored (pensionarissen and inactieven are not).
REASON_COLUMNS = (("employment", "loondienst"), ("employment", "zelfstandige"))

# Section 3.3, lines 990-996, as printed: the numbers in the sentence.
SECTION_3_3 = (
    "in 55% van de gevallen zelf het initiatief hebben genomen",
    "samen met de werkgever tot het besluit zijn gekomen (27%)",
    "De werkgever draagt wel in 75% van de gevallen de kosten van de scholing",
)
SECTION_3_3_NUMBERS = {
    "lang_initiatief_zelf": "55",
    "lang_initiatief_samen": "27",
    "lang_kosten_werkgever": "75",
}


def _number(printed: str) -> Decimal:
    return Decimal(printed.rstrip("%").replace(",", "."))


def _rows(printed: str, cells: int) -> dict[str, list[str]]:
    """Printed lines -> {row name: cells}; the name is what precedes the last `cells` cells."""
    rows = {}
    for line in printed.splitlines():
        words = line.split(" ")
        rows[" ".join(words[:-cells])] = words[-cells:]
    return rows


def _expected_with_n(printed: str, indicators: tuple[str, ...]) -> dict:
    expected = {}
    for name, cells in _rows(printed, len(indicators) + 1).items():
        if name not in ROW_GROUPS:
            continue
        kind, group = ROW_GROUPS[name]
        n, *values = cells
        for indicator, value in zip(indicators, values, strict=True):
            expected[(kind, group, indicator)] = (int(n), _number(value))
    return expected


def _expected_reasons() -> dict:
    expected = {}
    rows = _rows(TABEL_3_2_REDENEN, 4)
    assert [name.split(" ")[0] for name in rows] == [str(i) for i in range(1, 17)]
    for indicator, cells in zip(SHORT_EDUCATION_REASONS, rows.values(), strict=True):
        for (kind, group), value in zip(REASON_COLUMNS, cells[:2], strict=True):
            expected[(kind, group, indicator)] = (None, _number(value))
    return expected


def _stored(table: str) -> dict:
    call_command("benchmark_set_load", verbosity=0)
    return {
        (v.group_kind, v.group, v.indicator): (v.n, v.value)
        for v in BenchmarkValue.objects.filter(table=table)
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "table, expected",
    [
        ("3.2", lambda: _expected_with_n(TABEL_3_2, EDUCATION_PARTICIPATION)),
        ("3.2b", _expected_reasons),
        ("3.4", lambda: _expected_with_n(TABEL_3_4, NEXT_COURSE)),
    ],
    ids=["tabel_3_2", "tabel_3_2_redenen", "tabel_3_4"],
)
def test_it_holds_every_stored_cell_and_n_as_printed(table, expected):
    assert _stored(table) == expected()


@pytest.mark.django_db
def test_it_holds_the_numbers_of_section_3_3_for_employees():
    call_command("benchmark_set_load", verbosity=0)
    stored = {
        v.indicator: v
        for v in BenchmarkValue.objects.filter(table="text", indicator__startswith="lang_")
    }
    assert {k: str(v.value.normalize()) for k, v in stored.items()} == SECTION_3_3_NUMBERS
    assert {(v.group_kind, v.group, v.n) for v in stored.values()} == {
        ("employment", "loondienst", None)
    }


def test_the_participation_rows_add_up_as_printed():
    # Not taken part + taken part = 100%, and lang + kort cover at least "taken part" (a person
    # can do both): a check on the transcription, true of every printed row.
    for name, cells in _rows(TABEL_3_2, 5).items():
        _n, niet, wel, lang, kort = (_number(c) for c in cells)
        assert niet + wel == 100, name
        assert lang + kort >= wel, name


def _seed_words() -> str:
    text = SEED.read_text(encoding="utf-8")
    return " ".join(re.sub(r"-\s*\n\s*", "", text).split())


@needs_seed
@pytest.mark.parametrize("printed", [TABEL_3_2, TABEL_3_2_REDENEN, TABEL_3_4])
def test_each_transcribed_line_is_in_the_monitor_word_for_word(printed):
    text = SEED.read_text(encoding="utf-8")
    for line in printed.splitlines():
        assert f"\n{line}" in text, line


@needs_seed
def test_the_two_tables_captioned_tabel_3_2_are_both_in_the_monitor():
    text = SEED.read_text(encoding="utf-8")
    assert text.count("Tabel 3.2:") == 2
    first, second = (m.start() for m in re.finditer(r"Tabel 3\.2:", text))
    assert text[first:].startswith("Tabel 3.2: Deelname van inwoners Noord-Nederland")
    assert text[second:].startswith("Tabel 3.2: Redenen van deelname aan kort onderwijs.")


@needs_seed
def test_the_numbers_of_section_3_3_are_the_monitors_words():
    words = _seed_words()
    for phrase in SECTION_3_3:
        assert phrase in words, phrase
