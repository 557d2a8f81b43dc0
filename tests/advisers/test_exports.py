"""Bram downloads his leertafel's answers as CSV and XLSX after the session: one row per finished
participant, names only of those who allowed it, nothing that leads back to a person's scan, and
nothing at all below three finished participants. Carla never gets anything of Bram's."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.vocabulary import BUILDING_BLOCKS, DLOQ_STATEMENTS
from leerscan.advisers.models import Leertafel, Participant
from leerscan.scans import services
from tests.personas import ANNA_PROFILE
from tests.personas_more import (
    BAKERY_FACTS,
    BAKERY_ITEMS,
    BAKERY_PROFILE,
    METAL_FACTS,
    METAL_PROFILE,
    finished_scan,
)

pytestmark = pytest.mark.django_db

EXPORT_URLS = ("advisers:export_csv", "advisers:export_codebook", "advisers:export_xlsx")
ANNA_ITEMS = dict.fromkeys([*BUILDING_BLOCKS, *DLOQ_STATEMENTS], 3) | {
    "leiderschap": 5,
    "leren_essentieel": 4,
    "meten_resultaten": 2,
}


def join_finished(
    leertafel: Leertafel,
    profile: dict,
    items: dict,
    facts: dict | None = None,
    *,
    show_name: bool = False,
) -> Participant:
    """A participant who joined the leertafel and finished the scan."""
    scan = finished_scan(profile, items, facts or {})
    return Participant.objects.create(leertafel=leertafel, scan=scan, show_name=show_name)


@pytest.fixture
def table_of_three(leertafel) -> list[Participant]:
    """Anna (named), Baukje's bakery (anonymous) and Martin's metal firm (named)."""
    return [
        join_finished(leertafel, ANNA_PROFILE, ANNA_ITEMS, show_name=True),
        join_finished(leertafel, BAKERY_PROFILE, BAKERY_ITEMS, BAKERY_FACTS),
        join_finished(
            leertafel,
            METAL_PROFILE,
            dict.fromkeys([*BUILDING_BLOCKS, *DLOQ_STATEMENTS], 5),
            METAL_FACTS,
            show_name=True,
        ),
    ]


def csv_rows(response) -> list[dict[str, str]]:
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf"), "Dutch Excel needs the byte order mark"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_it_exports_one_row_per_finished_participant_numbered_from_one(
    bram_client, leertafel, table_of_three
):
    services.scan_save_profile(  # a fourth joined but did not finish: not in the export
        scan=Participant.objects.create(leertafel=leertafel, scan=services.scan_start()).scan,
        data=ANNA_PROFILE,
    )
    response = bram_client.get(reverse("advisers:export_csv", args=[leertafel.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert [row["participant"] for row in rows] == ["1", "2", "3"]
    bakery = rows[1]
    assert bakery["sbi_section"] == "C"
    assert bakery["size_class"] == "5-24"
    assert bakery["province"] == "Fryslân"
    assert bakery["samenwerken_kern"] == "2"
    assert bakery["pct_deelname"] == "Weet ik niet"
    assert bakery["pct_onder_werktijd"] == "50%"
    assert bakery["score_samenwerken"] == "2,00"  # a decimal comma for Dutch Excel
    assert rows[2]["size_class"] == "100-199"


def test_it_leaves_anonymous_names_blank_and_shows_consenting_names(
    bram_client, leertafel, table_of_three
):
    rows = csv_rows(bram_client.get(reverse("advisers:export_csv", args=[leertafel.pk])))
    assert [row["organisation_name"] for row in rows] == [
        "Annas Adviesbureau",
        "",
        "Metaalbewerking Drenthe",
    ]
    workbook = openpyxl.load_workbook(
        io.BytesIO(bram_client.get(reverse("advisers:export_xlsx", args=[leertafel.pk])).content)
    )
    names = [row[1] for row in workbook["antwoorden"].iter_rows(min_row=2, values_only=True)]
    assert names == ["Annas Adviesbureau", None, "Metaalbewerking Drenthe"]
    assert "Bakkerij De Terp" not in str(list(workbook["antwoorden"].values))


def test_it_never_exports_tokens_ids_or_email_addresses(
    bram_client, bram, leertafel, table_of_three
):
    for name in EXPORT_URLS:
        content = bram_client.get(reverse(name, args=[leertafel.pk])).content
        if name == "advisers:export_xlsx":
            workbook = openpyxl.load_workbook(io.BytesIO(content))
            content = "\n".join(
                str(value) for sheet in workbook for row in sheet.values for value in row
            ).encode()
        for participant in table_of_three:
            assert participant.scan.token.encode() not in content
        assert bram.user.email.encode() not in content
        assert b"@" not in content
        assert b"consent_at" not in content and b"finished_at" not in content


def test_it_gives_an_xlsx_with_the_answers_and_a_codebook(bram_client, leertafel, table_of_three):
    response = bram_client.get(reverse("advisers:export_xlsx", args=[leertafel.pk]))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["antwoorden", "codeboek"]
    header = next(workbook["antwoorden"].values)
    codebook = dict(list(workbook["codeboek"].values)[1:])
    assert list(header) == list(codebook)
    assert codebook["leiderschap_kern"].startswith(
        "In deze organisatie stimuleren leidinggevenden"
    )  # the statement, in Dutch
    assert "score_leiderschap" in codebook
    anna = list(workbook["antwoorden"].values)[1]
    assert anna[list(header).index("leiderschap_kern")] == 5  # a number, not text
    assert anna[list(header).index("score_leiderschap")] == 5


def test_it_gives_the_csv_codebook_as_its_own_file(bram_client, leertafel, table_of_three):
    rows = csv_rows(bram_client.get(reverse("advisers:export_codebook", args=[leertafel.pk])))
    keys = [row["key"] for row in rows]
    data = csv_rows(bram_client.get(reverse("advisers:export_csv", args=[leertafel.pk])))
    assert keys == list(data[0])


def test_it_disarms_a_name_that_a_spreadsheet_would_run_as_a_formula(bram_client, leertafel):
    for name in ('=HYPERLINK("http://x.invalid","klik")', "+31 Bouw", "-Min", "@SUM(A1)"):
        join_finished(
            leertafel, ANNA_PROFILE | {"organisation_name": name}, ANNA_ITEMS, show_name=True
        )
    rows = csv_rows(bram_client.get(reverse("advisers:export_csv", args=[leertafel.pk])))
    assert [row["organisation_name"] for row in rows] == [
        '\'=HYPERLINK("http://x.invalid","klik")',
        "'+31 Bouw",
        "'-Min",
        "'@SUM(A1)",
    ]
    workbook = openpyxl.load_workbook(
        io.BytesIO(bram_client.get(reverse("advisers:export_xlsx", args=[leertafel.pk])).content)
    )
    cell = workbook["antwoorden"]["B2"]
    assert cell.data_type == "s"  # text, not a formula
    assert cell.value.startswith("'=")


def test_it_refuses_every_export_below_three_finished_participants(bram_client, leertafel):
    join_finished(leertafel, ANNA_PROFILE, ANNA_ITEMS, show_name=True)
    join_finished(leertafel, BAKERY_PROFILE, BAKERY_ITEMS, BAKERY_FACTS)
    for name in EXPORT_URLS:
        response = bram_client.get(reverse(name, args=[leertafel.pk]))
        assert response.status_code == 409
        assert response["Content-Type"].startswith("text/html")
        assert "Content-Disposition" not in response
        page = response.content.decode()
        assert "Annas Adviesbureau" not in page
        assert "vanaf 3" in page  # awaits the Dutch translations


def test_it_names_the_file_safely_whatever_the_leertafel_is_called(
    bram_client, leertafel, table_of_three
):
    leertafel.name = 'Tafel "Zuid"\r\nSet-Cookie: x=1; ../../etc'
    leertafel.save()
    response = bram_client.get(reverse("advisers:export_xlsx", args=[leertafel.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="leertafel-tafel-zuid-set-cookie-x1-etc-2026-12-03-antwoorden.xlsx"'
    )


def test_its_query_count_does_not_grow_with_the_participants(
    bram_client, leertafel, table_of_three
):
    url = reverse("advisers:export_csv", args=[leertafel.pk])
    with CaptureQueriesContext(connection) as three:
        assert bram_client.get(url).status_code == 200
    for _ in range(3):
        join_finished(leertafel, BAKERY_PROFILE, BAKERY_ITEMS, BAKERY_FACTS)
    with CaptureQueriesContext(connection) as six:
        assert bram_client.get(url).status_code == 200
    assert len(six) == len(three)


@pytest.mark.parametrize("name", EXPORT_URLS)
def test_carla_gets_a_404_for_brams_exports(carla_client, leertafel, table_of_three, name):
    assert carla_client.get(reverse(name, args=[leertafel.pk])).status_code == 404


@pytest.mark.parametrize("name", EXPORT_URLS)
def test_it_sends_anonymous_visitors_to_the_login_page(client, leertafel, name):
    response = client.get(reverse(name, args=[leertafel.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("advisers:login"))


@pytest.mark.parametrize("name", EXPORT_URLS)
def test_a_participant_with_a_scan_link_gets_no_export(client, leertafel, table_of_three, name):
    # A participant's scan link is no login: the export sends them to the adviser login.
    client.get(reverse("scans:resume", args=[table_of_three[0].scan.token]))
    response = client.get(reverse(name, args=[leertafel.pk]))
    assert response.status_code == 302
