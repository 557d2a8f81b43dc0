"""The research export: Bram asks for one, the worker makes it in the background while the page
shows a progress bar, and the files are offered when done. Only scans whose owner allowed
research use are in it, and nothing that names a client. Carla never gets Bram's.

The owner allows or withdraws research use on /scan/<token>/onderzoek/.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.test import Client as BrowserClient
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leerscan.background.models import Output
from leerscan.coaching import research
from leerscan.coaching.models import CoachNote
from leerscan.scans.models import FactAnswer, Item, Scan
from tests.coaching.test_cohort import (
    ALL_FIVE,
    ANNA_ITEMS,
    ANNA_T1,
    client_with_rounds,
)
from tests.personas import ANNA_PROFILE
from tests.personas_more import BAKERY_ITEMS, BAKERY_PROFILE, METAL_PROFILE
from tests.worker import run_queued

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def consent(client, *rounds: int) -> None:
    Scan.objects.filter(
        coaching_measurement__client=client, coaching_measurement__round__in=rounds
    ).update(research_consent_at=timezone.now())


@pytest.fixture
def clients(bram, scan_data):
    """Anna (t0 and t1, both consented), the bakery (t0, never consented) and the metal firm
    (t0, consented and then withdrawn)."""
    org = bram.organisation
    anna = client_with_rounds(
        org, ANNA_PROFILE, [ANNA_ITEMS, ANNA_T1], training_questions="Excel voor Anna's team"
    )
    bakery = client_with_rounds(org, BAKERY_PROFILE, [BAKERY_ITEMS])
    metal = client_with_rounds(org, METAL_PROFILE, [ALL_FIVE])
    consent(anna, 0, 1)
    consent(metal, 0)
    Scan.objects.filter(coaching_measurement__client=metal).update(research_consent_at=None)
    CoachNote.objects.create(client=anna, author=bram, text="Geheime notitie over Anna")
    return anna, bakery, metal


def rows_of(content: bytes) -> list[dict[str, str]]:
    text = content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def make(bram) -> tuple[bytes, bytes, bytes]:
    table = research.research_export_table(organisation=bram.organisation)
    from leerscan.advisers.exports import export_codebook_csv, export_csv

    return (
        export_csv(table=table),
        research.research_xlsx(table=table),
        export_codebook_csv(table=table),
    )


def test_it_holds_only_scans_whose_owner_allows_research(bram, clients):
    data, _xlsx, _codebook = make(bram)
    rows = rows_of(data)
    assert [(r["round"], r["sector"], r["size_class"], r["province"]) for r in rows] == [
        ("0", "zd", "5-24", "groningen"),
        ("1", "zd", "5-24", "groningen"),
    ]
    # Anna's two rounds share one pseudonym; the bakery (never) and the metal firm (withdrawn)
    # are absent.
    assert rows[0]["client"] == rows[1]["client"]
    assert re.fullmatch(r"K\d{4}", rows[0]["client"])
    assert rows[0]["score_leiderschap"] == "5,00" and rows[1]["score_leiderschap"] == "6,00"
    assert re.fullmatch(r"\d{4}-\d{2}", rows[0]["month"])


def test_it_never_holds_a_name_contact_token_code_or_free_text(bram, clients):
    anna = clients[0]
    scans = list(Scan.objects.filter(coaching_measurement__client=anna))
    forbidden = [
        anna.name,
        anna.contact_name,
        anna.contact_email,
        ANNA_PROFILE["organisation_name"],
        ANNA_PROFILE["sbi_code"],
        anna.training_questions,
        "Geheime notitie",
        *(scan.token for scan in scans),
        *(m.invite_token for m in anna.measurements.all()),
    ]
    data, xlsx, codebook = make(bram)
    table = research.research_export_table(organisation=bram.organisation)
    sav, dta = research.research_sav(table=table), research.research_dta(table=table)
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        sheets = b"".join(book.read(name) for name in book.namelist())
    for content in (data, sheets, codebook, sav, dta):
        for secret in forbidden:
            assert secret.encode() not in content, secret
    header = rows_of(data)[0].keys()
    for column in ("organisation_name", "sbi_code", "sbi_section", "employees", "token"):
        assert column not in header


def test_its_workbook_holds_the_same_rows_and_the_codebook(bram, clients):
    import openpyxl

    data, xlsx, codebook = make(bram)
    book = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
    assert book.sheetnames == ["antwoorden", "codeboek"]
    sheet = list(book["antwoorden"].iter_rows(values_only=True))
    rows = rows_of(data)
    assert list(sheet[0]) == list(rows[0].keys())
    assert [(r[0], r[1]) for r in sheet[1:]] == [(r["client"], int(r["round"])) for r in rows]
    assert len(list(book["codeboek"].iter_rows())) == len(rows_of(codebook)) + 1


def test_its_codebook_names_every_column_its_scale_and_versions(bram, clients):
    data, _xlsx, codebook = make(bram)
    entries = {r["variable"]: r for r in rows_of(codebook)}
    assert list(entries) == list(rows_of(data)[0].keys())
    item = Item.objects.get(block="leiderschap", role=Item.Role.CORE)
    assert entries[item.key]["label"] == item.text_nl
    assert entries[item.key]["values"].startswith("1 = Helemaal oneens")
    assert "6 = Helemaal eens" in entries[item.key]["values"]
    assert entries["item_bank"]["values"].startswith(item.bank.version)
    assert entries["benchmark_set"]["values"].startswith("monitor-llo-nn-2023 = ")
    assert "zd = " in entries["sector"]["values"]


def test_it_reports_its_progress_while_reading(bram, clients, monkeypatch):
    monkeypatch.setattr(research, "BATCH", 1)
    seen: list[int] = []
    research.research_export_table(organisation=bram.organisation, progress=seen.append)
    assert seen == sorted(seen) and len(seen) == 2 and seen[-1] == 70


def test_it_makes_the_export_in_the_background_and_offers_the_files(bram_client, clients):
    response = bram_client.post(reverse("coaching:research"))
    status_url = response["Location"]
    queued = DBTaskResult.objects.ready().get()
    assert queued.task_path == "leerscan.background.tasks.output_make"
    html = bram_client.get(status_url).content.decode()
    assert 'data-export-state="queued"' in html and "<progress" in html
    assert 'hx-trigger="every 2s"' in html
    assert run_queued() == ["made"]
    html = bram_client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-export-state="done"' in html and "<progress" not in html
    export_id = status_url.rstrip("/").rsplit("/", 1)[1]
    download = bram_client.get(reverse("coaching:research_download", args=[export_id, "csv"]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="leerscan-onderzoek-')
    assert len(rows_of(download.content)) == 2
    xlsx = bram_client.get(reverse("coaching:research_download", args=[export_id, "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    assert "/sav/" in html and "/dta/" in html
    sav = bram_client.get(reverse("coaching:research_download", args=[export_id, "sav"]))
    assert sav.content[:4] == b"$FL2" and sav["Content-Type"] == "application/x-spss-sav"
    assert sav["Content-Disposition"].endswith('-antwoorden.sav"')
    dta = bram_client.get(reverse("coaching:research_download", args=[export_id, "dta"]))
    assert (
        dta.content.startswith(b"<stata_dta>") and dta["Content-Type"] == "application/x-stata-dta"
    )
    assert dta["Content-Disposition"].endswith('-antwoorden.dta"')
    for nonsense in ("sps", "do", "..", "csv.sav"):
        url = reverse("coaching:research_download", args=[export_id, nonsense])
        assert bram_client.get(url).status_code == 404, nonsense


def test_it_shows_the_progress_of_a_running_export(bram, bram_client, clients):
    export_id = research.research_export_queue(organisation=bram.organisation)
    Output.objects.filter(key=export_id).update(state=Output.State.RUNNING, progress=42)
    html = bram_client.get(reverse("coaching:research_status", args=[export_id])).content.decode()
    assert 'value="42"' in html and 'max="100"' in html
    assert reverse("coaching:research_status", args=[export_id]) + '">' in html  # refresh link


def test_it_offers_the_files_at_once_with_the_immediate_backend(bram_client, clients, settings):
    settings.TASKS = IMMEDIATE
    response = bram_client.post(reverse("coaching:research"), follow=True)
    assert 'data-export-state="done"' in response.content.decode()


def test_carla_never_gets_brams_export(bram, carla_client, clients, settings):
    settings.TASKS = IMMEDIATE
    export_id = research.research_export_queue(organisation=bram.organisation)
    assert research.research_export_status(
        organisation_id=bram.organisation.pk, export_id=export_id
    ).ready
    assert {"sav", "dta"} <= set(research.KINDS)
    urls = [
        reverse("coaching:research_status", args=[export_id]),
        *(reverse("coaching:research_download", args=[export_id, k]) for k in research.KINDS),
    ]
    for url in urls:
        assert carla_client.get(url).status_code == 404
    html = carla_client.get(reverse("coaching:research")).content.decode()
    assert export_id not in html


def test_it_sends_an_anonymous_visitor_to_the_login_for_every_coach_url(client):
    export_id = "a" * 32
    urls = [
        reverse("coaching:research"),
        reverse("coaching:research_status", args=[export_id]),
        reverse("coaching:research_download", args=[export_id, "csv"]),
    ]
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (302, 405), url
            if response.status_code == 302:
                assert "next=" in response["Location"]
    assert client.post(reverse("coaching:research")).status_code == 302
    assert DBTaskResult.objects.count() == 0


def test_it_lets_the_owner_allow_and_withdraw_research_use(client, anna_intake):
    scan = anna_intake.scan
    url = reverse("coaching:research_consent", args=[scan.token])
    page = client.get(url)
    assert page.status_code == 200 and "checked" not in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert client.post(url, {"onderzoek": "ja"}).status_code == 302
    scan.refresh_from_db()
    first = scan.research_consent_at
    assert first is not None
    client.post(url, {"onderzoek": "ja"})  # again: idempotent, the first moment stays
    scan.refresh_from_db()
    assert scan.research_consent_at == first
    assert "checked" in client.get(url).content.decode()
    client.post(url, {})
    scan.refresh_from_db()
    assert scan.research_consent_at is None


def test_it_refuses_a_nonsense_consent_and_a_post_without_csrf(anna_intake):
    url = reverse("coaching:research_consent", args=[anna_intake.scan.token])
    browser = BrowserClient(enforce_csrf_checks=True)
    assert browser.post(url, {"onderzoek": "ja"}).status_code == 403
    assert BrowserClient().post(url, {"onderzoek": "misschien"}).status_code == 400
    anna_intake.scan.refresh_from_db()
    assert anna_intake.scan.research_consent_at is None


def test_the_results_page_links_to_the_consent(client, anna_intake):
    html = client.get(reverse("reports:results", args=[anna_intake.scan.token])).content.decode()
    assert reverse("coaching:research_consent", args=[anna_intake.scan.token]) in html


# SPSS and Stata


@pytest.fixture
def anna_with_facts(clients):
    """Anna's intake also answers facts: a percentage with a decimal, "weet ik niet", "n.v.t.",
    a choice, a multiple choice and scales; one statement is "n.v.t."."""
    scan = Scan.objects.get(coaching_measurement__client=clients[0], coaching_measurement__round=0)
    FactAnswer.objects.bulk_create(
        [
            FactAnswer(scan=scan, key="pct_deelname", number=Decimal("12.5")),
            FactAnswer(scan=scan, key="uren_per_deelnemer", dont_know=True),
            FactAnswer(scan=scan, key="hr_leren", not_applicable=True),
            FactAnswer(scan=scan, key="promotieregeling", choice="nee"),
            FactAnswer(scan=scan, key="verwachting_personeel", choice="krimp"),
            FactAnswer(scan=scan, key="doelen", choices=["vakkennis"]),
            FactAnswer(scan=scan, key="belemmering_kosten", number=Decimal(5)),
            FactAnswer(scan=scan, key="belang_leren", number=Decimal(8)),
        ]
    )
    item = Item.objects.get(block="taken", role=Item.Role.CORE)
    scan.item_answers.filter(item=item).update(value=None, not_applicable=True)
    return clients


def stat_files(bram):
    table = research.research_export_table(organisation=bram.organisation)
    from leerscan.advisers.exports import export_csv

    return (
        table,
        export_csv(table=table),
        research.research_sav(table=table),
        research.research_dta(table=table),
    )


def read_back(content: bytes, suffix: str, tmp_path):
    import pyreadstat

    path = tmp_path / f"export.{suffix}"
    path.write_bytes(content)
    reader = pyreadstat.read_sav if suffix == "sav" else pyreadstat.read_dta
    return reader(str(path), user_missing=True)


def expected_cell(variable, cell: str, missing: dict):
    """What the CSV's cell is in the SPSS or Stata file."""
    if variable.text:
        return cell
    if cell == "":
        return None
    if cell in missing:
        return missing[cell]
    if variable.numbers:
        return variable.numbers[cell]
    return float(cell.replace(",", "."))


@pytest.mark.parametrize(
    ("suffix", "missing"),
    [("sav", {"weet_niet": -1, "nvt": -2}), ("dta", {"weet_niet": "d", "nvt": "n"})],
)
def test_its_spss_and_stata_files_hold_the_csvs_values_row_by_row(
    bram, anna_with_facts, tmp_path, suffix, missing
):
    table, data, sav, dta = stat_files(bram)
    frame, meta = read_back(sav if suffix == "sav" else dta, suffix, tmp_path)
    variables = research.research_stat_variables(table=table)
    assert meta.column_names == [v.name for v in variables]
    rows = rows_of(data)
    assert len(frame) == len(rows) == 2
    for number, row in enumerate(rows):
        for variable in variables:
            got = frame[variable.name].iloc[number]
            want = expected_cell(variable, row[variable.column], missing)
            if want is None:
                assert got != got or got is None, (variable.column, got)  # NaN: system missing
            else:
                assert got == want, (variable.column, got, want)
    first = {v.column: frame[v.name].iloc[0] for v in variables}
    # The cells the fixture answered, as a researcher reads them.
    assert first["pct_deelname"] == 12.5 and first["belang_leren"] == 8
    assert first["uren_per_deelnemer"] == missing["weet_niet"]
    assert first["hr_leren"] == missing["nvt"] and first["taken_kern"] == missing["nvt"]
    assert first["promotieregeling"] == 2 and first["verwachting_personeel"] == 3
    assert first["doelen__vakkennis"] == 1 and first["doelen__loopbaan"] == 0
    assert first["sector"] == 3 and first["size_class"] == 2 and first["province"] == 3
    assert first["score_leiderschap"] == 5.0
    assert meta.readstat_variable_types[first_name(variables, "pct_deelname")] == "double"
    assert meta.readstat_variable_types[first_name(variables, "client")] == "string"


def first_name(variables, column: str) -> str:
    return next(v.name for v in variables if v.column == column)


def test_its_spss_file_holds_the_codebooks_labels_and_missing_values(
    bram, anna_with_facts, tmp_path
):
    table, _data, sav, _dta = stat_files(bram)
    _frame, meta = read_back(sav, "sav", tmp_path)
    codebook = {entry[0]: entry for entry in table.codebook}
    names = {entry[3]: entry[0] for entry in table.codebook}
    for name, label in meta.column_names_to_labels.items():
        assert label == codebook[names[name]][1], name  # whole: SPSS holds 256 characters
    item = Item.objects.get(block="externe_omgeving", role=Item.Role.CORE)
    assert len(item.text_nl) > 80
    assert meta.column_names_to_labels[item.key] == item.text_nl
    labels = meta.variable_value_labels
    assert labels[item.key] == {
        1.0: "Helemaal oneens",
        2.0: "Oneens",
        3.0: "Een beetje oneens",
        4.0: "Een beetje eens",
        5.0: "Eens",
        6.0: "Helemaal eens",
        -1.0: "Weet ik niet",
        -2.0: "n.v.t.",
    }
    assert labels["sector"] == {
        1.0: "Landbouw, Industrie & Nijverheid",
        2.0: "Handel, Vervoer & Horeca",
        3.0: "Zakelijke Dienstverlening",
        4.0: "Niet-commerciële dienstverlening",
    }
    assert labels["size_class"][1.0] == "minder dan 5 medewerkers"
    assert labels["size_class"][5.0] == "200 of meer medewerkers"
    assert labels["province"][4.0] == "Elders in Nederland"
    assert labels["promotieregeling"] == {
        1.0: "Ja",
        2.0: "Nee",
        -1.0: "Weet ik niet",
        -2.0: "n.v.t.",
    }
    assert labels["belang_leren"][10.0] == "heel belangrijk"
    assert "score_leiderschap" not in labels and "round" not in labels
    assert meta.missing_ranges["pct_deelname"] == [
        {"lo": -1.0, "hi": -1.0},
        {"lo": -2.0, "hi": -2.0},
    ]
    assert "score_leiderschap" not in meta.missing_ranges
    assert meta.variable_measure["size_class"] == "ordinal"
    assert meta.variable_measure["pct_deelname"] == "scale"


def test_its_stata_file_has_stata_names_short_labels_and_extended_missing_values(
    bram, anna_with_facts, tmp_path
):
    table, _data, _sav, dta = stat_files(bram)
    _frame, meta = read_back(dta, "dta", tmp_path)
    for name in meta.column_names:
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,29}", name), name
    assert len({name.lower() for name in meta.column_names}) == len(meta.column_names)
    # A name too long for Stata is cut, and the codebook says which.
    codebook = {entry[0]: entry for entry in table.codebook}
    assert codebook["ruimte_veiligheid_fouten_bespreken"][3] == "ruimte_veiligheid_fouten_bespr"
    assert codebook["client"][3] == "client"
    for name, label in meta.column_names_to_labels.items():
        whole = next(entry[1] for entry in table.codebook if entry[3] == name)
        assert len(label) <= 80
        if len(whole) <= 80:
            assert label == whole
        else:
            assert label.endswith("…") and whole.startswith(label[:-1])
    labels = meta.variable_value_labels
    item = Item.objects.get(block="leiderschap", role=Item.Role.CORE)
    assert labels[item.key][1] == "Helemaal oneens" and labels[item.key][6] == "Helemaal eens"
    assert labels[item.key]["n"] == "n.v.t." and labels[item.key]["d"] == "Weet ik niet"
    assert labels["sector"][3] == "Zakelijke Dienstverlening"
    assert set(labels["doelen__vakkennis"]) == {0, 1, "d", "n"}
    # Stata keeps no list of missing values: .d and .n are missing wherever they are.
    assert meta.missing_user_values["uren_per_deelnemer"] == ["d"]
    assert meta.missing_user_values["hr_leren"] == ["n"]


def test_stat_file_names_are_short_unique_and_valid():
    columns = ["a" * 40, "a" * 41, "in", "1e_meting", "ronde-2", "Client", "client"]
    columns += [f"kolom_{n}" for n in range(10)]  # 17 columns: a name has 32 - 2 characters
    names = research.stat_file_names(columns)
    assert names[:6] == ["a" * 30, "a" * 28 + "_2", "in_", "v_1e_meting", "ronde_2", "Client"]
    assert names[6] == "client_2"


def test_stata_labels_are_cut_at_a_word():
    text = "In deze organisatie " + "leren medewerkers " * 6
    label = research.stata_label(text)
    assert len(label) <= 80 and label.endswith("…")
    assert text.startswith(label[:-1]) and label[-2] != " "
    assert research.stata_label("Kort.") == "Kort."
