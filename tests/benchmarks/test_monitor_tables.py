"""Independent transcription of Tabel 3.3 and 4.1-4.7 of the Monitor LLO Noord-Nederland 2023.

Every value below was typed by hand from the report text
(``seeds/monitor-llo-noord-nederland-2023.txt``, chapters 3 and 4), NOT derived from the
benchmark data file the ``benchmark_set_load`` command reads. Because the two were made
independently, a typo in either the data file or this transcription makes these tests fail.

Values are written as printed, but with a decimal point (the report mixes "43,8%" and
"48.8%") and without the "%" sign, so they compare exactly as ``Decimal``. Each row holds
the cells in printed column order; ``N`` marks the respondent-count column(s). An
indicator's ``n`` is the nearest ``N`` printed to its left (Tabel 4.3 prints two), and is
``None`` when the table prints no N at all (Tabel 3.3, 4.4). Tabel 3.3 asked inhabitants, so its
rows are Noord-Nederland and the employment position, not the employers' twelve groups.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.management import call_command

from benchmarks.models import BenchmarkValue

SET_SLUG = "monitor-llo-nn-2023"
N = "N"

# Row order of every printed table of chapter 4.
GROUPS = (
    ("total", "noord-nederland"),
    ("province", "drenthe"),
    ("province", "fryslan"),
    ("province", "groningen"),
    ("sector", "lin"),  # Landbouw, Industrie & Nijverheid
    ("sector", "hvh"),  # Handel, Vervoer & Horeca
    ("sector", "zd"),  # Zakelijke Dienstverlening
    ("sector", "ncd"),  # Niet commerciële dienstverlening
    ("size", "5-24"),  # "5-24 pp"
    ("size", "25-99"),  # "25-99 pp"
    ("size", "100-199"),  # "100-199 pp"
    ("size", "200+"),  # "> 200 pp"
)


@dataclass(frozen=True)
class PrintedTable:
    number: str
    columns: tuple[str, ...]  # printed column order; N marks a respondent count
    units: dict[str, str]  # indicator -> unit
    rows: dict[tuple[str, str], tuple]  # (group_kind, group) -> printed cells
    groups: tuple[tuple[str, str], ...] = GROUPS  # the printed rows, in order


# Tabel 3.3's column heads (lines 1227-1287), in printed order.
LEARNING_BEHAVIOUR_COLUMNS = (
    "eigen_ideeen",  # Ik gebruik mijn eigen ideeën om taken op het werk te verbeteren.
    "kijken_bij_anderen",  # Ik kijk naar hoe anderen werken binnen het bedrijf ...
    "vragen_hoe_goed",  # Ik vraag het aan mijn collega's als ik niet zeker weet hoe goed ...
    "methoden_collegas",  # Ik vraag mijn collega's welke methoden en trucs ze gebruiken ...
    "nadenken_vooraf",  # Voordat ik aan een nieuwe taak begin, denk ik na ...
    "nadenken_achteraf",  # Als ik klaar ben met een nieuwe taak, denk ik na ...
    "leren_carriere",  # Ik wil iets nieuws leren ... zodat ik ... carrière kan maken.
    "leren_problemen",  # Ik wil iets nieuws leren ... problemen op het werk sneller ...
)


def spaced(printed: str) -> tuple[str, ...]:
    """A row of cells as the monitor prints them, separated by spaces."""
    return tuple(printed.split(" "))


TABLES = (
    PrintedTable(
        number="3.3",
        columns=LEARNING_BEHAVIOUR_COLUMNS,
        units=dict.fromkeys(LEARNING_BEHAVIOUR_COLUMNS, "scale_1_6"),
        # The rows as printed (line 1281-1287), split on spaces.
        rows={
            ("total", "noord-nederland"): spaced("4.2 3.7 3.5 3.7 4.1 3.8 3.0 3.7"),
            ("employment", "loondienst"): spaced("4.2 3.8 3.5 3.7 4.1 3.8 3.1 3.8"),
            ("employment", "zelfstandige"): spaced("4.3 3.6 3.3 3.5 4.2 3.9 2.8 3.8"),
        },
        groups=(
            ("total", "noord-nederland"),
            ("employment", "loondienst"),
            ("employment", "zelfstandige"),
        ),
    ),
    PrintedTable(
        number="4.1",
        columns=(N, "groei", "gelijk", "krimp"),
        units={"groei": "percent", "gelijk": "percent", "krimp": "percent"},
        rows={
            ("total", "noord-nederland"): (671, "43.8", "47.4", "8.8"),
            ("province", "drenthe"): (207, "44.4", "48.8", "6.8"),
            ("province", "fryslan"): (97, "29.9", "58.8", "11.3"),
            ("province", "groningen"): (367, "47.1", "43.6", "9.3"),
            ("sector", "lin"): (152, "44.7", "47.4", "7.9"),
            ("sector", "hvh"): (182, "45.6", "46.7", "7.7"),
            ("sector", "zd"): (158, "52.5", "40.5", "7.0"),
            ("sector", "ncd"): (179, "33.5", "54.2", "12.3"),
            ("size", "5-24"): (471, "42.7", "49.5", "7.9"),
            ("size", "25-99"): (122, "56.6", "38.5", "4.9"),
            ("size", "100-199"): (36, "36.1", "50.0", "13.9"),
            ("size", "200+"): (42, "26.2", "47.6", "26.2"),
        },
    ),
    PrintedTable(
        number="4.2",
        columns=(N, "recruiters", "detachering", "zzp", "uitzendkrachten", "anders"),
        units={
            "recruiters": "percent",
            "detachering": "percent",
            "zzp": "percent",
            "uitzendkrachten": "percent",
            "anders": "percent",
        },
        rows={
            ("total", "noord-nederland"): (665, "22", "19", "31", "36", "46"),
            ("province", "drenthe"): (205, "20", "19", "29", "34", "48"),
            ("province", "fryslan"): (97, "24", "23", "40", "43", "37"),
            ("province", "groningen"): (363, "23", "18", "30", "36", "48"),
            ("sector", "lin"): (150, "27", "30", "48", "63", "27"),
            ("sector", "hvh"): (180, "24", "12", "16", "39", "47"),
            ("sector", "zd"): (157, "25", "20", "34", "24", "47"),
            ("sector", "ncd"): (178, "13", "16", "30", "21", "61"),
            ("size", "5-24"): (466, "14", "13", "27", "30", "52"),
            ("size", "25-99"): (121, "36", "30", "42", "48", "34"),
            ("size", "100-199"): (36, "44", "36", "28", "46", "36"),
            ("size", "200+"): (42, "48", "45", "50", "69", "21"),
        },
    ),
    PrintedTable(
        number="4.3",
        columns=(
            N,
            "pct_deelname_ongewogen",
            "pct_deelname_gewogen",
            N,
            "uren_per_werknemer",
            "uren_per_deelnemer",
        ),
        units={
            "pct_deelname_ongewogen": "percent",
            "pct_deelname_gewogen": "percent",
            "uren_per_werknemer": "hours",
            "uren_per_deelnemer": "hours",
        },
        rows={
            ("total", "noord-nederland"): (854, "50.1", "50.8", 760, "21.3", "47.6"),
            ("province", "drenthe"): (263, "50.8", "46.4", 235, "20.9", "46.9"),
            ("province", "fryslan"): (126, "50.7", "47.5", 114, "21.4", "42.8"),
            ("province", "groningen"): (465, "49.6", "53.4", 411, "21.5", "49.2"),
            ("sector", "lin"): (171, "41.5", "39.5", 154, "18.1", "50.9"),
            ("sector", "hvh"): (195, "41.4", "56.9", 183, "12.0", "36.2"),
            ("sector", "zd"): (212, "49.5", "46.1", 181, "25.2", "56.2"),
            ("sector", "ncd"): (276, "62.0", "52.9", 242, "27.4", "47.5"),
            ("size", "5-24"): (536, "53.5", "52.2", 491, "23.2", "47.6"),
            ("size", "25-99"): (180, "43.1", "43.6", 149, "14.3", "40.7"),
            ("size", "100-199"): (62, "41.1", "40.6", 54, "18.8", "59.4"),
            ("size", "200+"): (76, "50.0", "53.0", 66, "24.4", "52.8"),
        },
    ),
    PrintedTable(
        number="4.4",  # prints no N column
        columns=(
            "pct_onder_werktijd",
            "pct_kosten_werkgever",
            "pct_terugbetalingsregeling",
            "pct_omzet_leren",
        ),
        units={
            "pct_onder_werktijd": "percent",
            "pct_kosten_werkgever": "percent",
            "pct_terugbetalingsregeling": "percent",
            "pct_omzet_leren": "percent",
        },
        rows={
            ("total", "noord-nederland"): ("71.8", "91.6", "20.6", "4.5"),
            ("province", "drenthe"): ("68.7", "91.2", "20.4", "5.4"),
            ("province", "fryslan"): ("75.5", "94.4", "21.3", "3.2"),
            ("province", "groningen"): ("72.4", "91.2", "20.6", "4.3"),
            ("sector", "lin"): ("79.6", "93.4", "19.4", "3.5"),
            ("sector", "hvh"): ("68.6", "93.0", "19.0", "3.5"),
            ("sector", "zd"): ("75.6", "92.5", "21.4", "4.8"),
            ("sector", "ncd"): ("66.0", "88.6", "22.2", "5.9"),
            ("size", "5-24"): ("71.1", "90.4", "19.0", "4.4"),
            ("size", "25-99"): ("73.2", "95.3", "23.3", "4.7"),
            ("size", "100-199"): ("67.2", "93.1", "21.6", "3.9"),
            ("size", "200+"): ("76.8", "91.0", "26.8", "5.4"),
        },
    ),
    PrintedTable(
        number="4.5",
        columns=(
            N,
            "taken",
            "ruimte_veiligheid",
            "samenwerken",
            "leiderschap",
            "organisatie_inrichting",
            "externe_omgeving",
        ),
        units={
            "taken": "scale_1_6",
            "ruimte_veiligheid": "scale_1_6",
            "samenwerken": "scale_1_6",
            "leiderschap": "scale_1_6",
            "organisatie_inrichting": "scale_1_6",
            "externe_omgeving": "scale_1_6",
        },
        rows={
            ("total", "noord-nederland"): (786, "4.2", "4.5", "4.4", "4.6", "4.6", "4.3"),
            ("province", "drenthe"): (233, "4.1", "4.6", "4.5", "4.7", "4.7", "4.4"),
            ("province", "fryslan"): (113, "4.1", "4.3", "4.2", "4.4", "4.2", "4.1"),
            ("province", "groningen"): (440, "4.3", "4.6", "4.5", "4.6", "4.6", "4.3"),
            ("sector", "lin"): (166, "4.0", "4.3", "4.2", "4.3", "4.3", "4.0"),
            ("sector", "hvh"): (224, "4.1", "4.5", "4.3", "4.5", "4.6", "4.3"),
            ("sector", "zd"): (182, "4.5", "4.7", "4.5", "4.7", "4.8", "4.5"),
            ("sector", "ncd"): (214, "4.4", "4.6", "4.7", "4.8", "4.7", "4.3"),
            ("size", "5-24"): (563, "4.3", "4.6", "4.5", "4.7", "4.7", "4.4"),
            ("size", "25-99"): (136, "4.1", "4.6", "4.4", "4.5", "4.5", "4.2"),
            ("size", "100-199"): (41, "4.0", "4.2", "4.1", "4.2", "4.2", "3.9"),
            ("size", "200+"): (46, "4.3", "4.4", "4.4", "4.2", "4.3", "3.9"),
        },
    ),
    PrintedTable(
        number="4.6",
        columns=(
            N,
            "leren_essentieel",
            "feedback_reflectie",
            "leren_in_doelen",
            "opleidingsplekken",
            "meten_resultaten",
        ),
        units={
            "leren_essentieel": "scale_1_6",
            "feedback_reflectie": "scale_1_6",
            "leren_in_doelen": "scale_1_6",
            "opleidingsplekken": "scale_1_6",
            "meten_resultaten": "scale_1_6",
        },
        rows={
            ("total", "noord-nederland"): (761, "4.8", "4.4", "4.6", "4.7", "3.0"),
            ("province", "drenthe"): (227, "4.8", "4.4", "4.6", "4.7", "3.0"),
            ("province", "fryslan"): (112, "4.7", "4.2", "4.5", "4.7", "2.8"),
            ("province", "groningen"): (422, "4.8", "4.4", "4.6", "4.6", "3.0"),
            ("sector", "lin"): (164, "4.5", "4.0", "4.3", "4.6", "2.9"),
            ("sector", "hvh"): (213, "4.6", "4.4", "4.4", "4.4", "3.0"),
            ("sector", "zd"): (176, "4.9", "4.4", "4.7", "4.6", "3.0"),
            ("sector", "ncd"): (208, "5.1", "4.7", "4.9", "5.1", "3.0"),
            ("size", "5-24"): (543, "4.8", "4.5", "4.6", "4.5", "2.9"),
            ("size", "25-99"): (132, "4.7", "4.2", "4.6", "4.9", "3.1"),
            ("size", "100-199"): (40, "4.8", "4.1", "4.5", "4.6", "3.3"),
            ("size", "200+"): (46, "5.0", "4.3", "4.8", "5.2", "3.3"),
        },
    ),
    PrintedTable(
        number="4.7",
        columns=(N, "promotieregeling", "functioneringsregeling", "scholingsregeling"),
        units={
            "promotieregeling": "percent",
            "functioneringsregeling": "percent",
            "scholingsregeling": "percent",
        },
        rows={
            ("total", "noord-nederland"): (719, "34.9", "79.4", "78.0"),
            ("province", "drenthe"): (219, "33.3", "79.9", "77.6"),
            ("province", "fryslan"): (103, "33.0", "81.6", "79.6"),
            ("province", "groningen"): (397, "37.0", "78.6", "77.8"),
            ("sector", "lin"): (158, "38.0", "71.5", "77.8"),
            ("sector", "hvh"): (200, "29.0", "71.0", "67.5"),
            ("sector", "zd"): (169, "36.6", "85.2", "81.1"),
            ("sector", "ncd"): (192, "36.9", "89.6", "86.5"),
            ("size", "5-24"): (507, "25.2", "74.8", "72.6"),
            ("size", "25-99"): (128, "50.0", "89.8", "89.1"),
            ("size", "100-199"): (38, "65.7", "92.1", "94.7"),
            ("size", "200+"): (46, "73.9", "91.3", "93.5"),
        },
    ),
)


@dataclass(frozen=True)
class Cell:
    group_kind: str
    group: str
    indicator: str
    n: int | None
    value: Decimal
    unit: str


def printed_cells(table: PrintedTable) -> dict[tuple[str, str, str], Cell]:
    """Unfold a printed table into one cell per (group_kind, group, indicator)."""
    cells = {}
    for (kind, group), row in table.rows.items():
        n = None
        for column, printed in zip(table.columns, row, strict=True):
            if column == N:
                n = printed
                continue
            cells[(kind, group, column)] = Cell(
                kind, group, column, n, Decimal(printed), table.units[column]
            )
    return cells


def table_id(table: PrintedTable) -> str:
    return "tabel_" + table.number.replace(".", "_")


per_table = pytest.mark.parametrize("table", TABLES, ids=table_id)


def stored_rows(table: PrintedTable) -> dict[tuple[str, str, str], BenchmarkValue]:
    call_command("benchmark_set_load")
    rows = list(BenchmarkValue.objects.filter(benchmark_set__slug=SET_SLUG, table=table.number))
    keys = [(row.group_kind, row.group, row.indicator) for row in rows]
    duplicates = sorted(key for key, count in Counter(keys).items() if count > 1)
    assert not duplicates, f"Tabel {table.number}: stored more than once: {duplicates}"
    return dict(zip(keys, rows, strict=True))


def describe(table: PrintedTable, key: tuple[str, str, str]) -> str:
    kind, group, indicator = key
    return f"Tabel {table.number} {kind}={group} {indicator}"


@per_table
def test_the_transcription_lists_the_printed_groups_in_printed_order(table):
    assert tuple(table.rows) == table.groups
    indicators = [column for column in table.columns if column != N]
    assert sorted(indicators) == sorted(table.units)
    for group, row in table.rows.items():
        assert len(row) == len(table.columns), f"Tabel {table.number} {group}: cell count"


@pytest.mark.django_db
@per_table
def test_it_stores_exactly_the_printed_groups_and_columns_of_each_tabel(table):
    expected = set(printed_cells(table))
    stored = set(stored_rows(table))

    missing = sorted(expected - stored)
    extra = sorted(stored - expected)

    assert not missing, f"Tabel {table.number}: missing {missing}"
    assert not extra, f"Tabel {table.number}: not in the printed table {extra}"
    assert len(stored) == len(table.groups) * len(table.units)


@pytest.mark.django_db
@per_table
def test_it_holds_every_value_of_each_tabel_as_printed(table):
    stored = stored_rows(table)

    wrong = [
        f"{describe(table, key)}: stored {stored[key].value!r}, printed {cell.value}"
        for key, cell in printed_cells(table).items()
        if key in stored and stored[key].value != cell.value
    ]

    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@per_table
def test_it_holds_the_printed_n_of_each_tabel(table):
    stored = stored_rows(table)

    wrong = [
        f"{describe(table, key)}: stored n={stored[key].n!r}, printed n={cell.n!r}"
        for key, cell in printed_cells(table).items()
        if key in stored and stored[key].n != cell.n
    ]

    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@per_table
def test_it_labels_each_tabel_with_the_unit_of_its_column(table):
    stored = stored_rows(table)

    wrong = [
        f"{describe(table, key)}: stored unit={stored[key].unit!r}, expected {cell.unit!r}"
        for key, cell in printed_cells(table).items()
        if key in stored and stored[key].unit != cell.unit
    ]

    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_only_three_cells_of_tabel_4_7_match_no_whole_count_of_their_n(benchmarks_loaded):
    # docs/benchmarks.md names these three cells; a transcription error elsewhere shows up here.
    def whole(value: Decimal, n: int) -> bool:
        return any(
            (Decimal(100 * k) / n).quantize(Decimal("0.1"), rounding="ROUND_HALF_UP") == value
            for k in range(n + 1)
        )

    odd = {
        (v.indicator, v.group, v.n, str(v.value))
        for v in BenchmarkValue.objects.filter(table="4.7")
        if v.n and not whole(v.value, v.n)
    }
    assert odd == {
        ("promotieregeling", "100-199", 38, "65.70"),
        ("promotieregeling", "zd", 169, "36.60"),
        ("promotieregeling", "ncd", 192, "36.90"),
    }
