"""A second edition of the monitor, from data alone: a made-up "2025" edition is a CSV and an entry
in a sets file, loaded by the same command as the real one. Then every page uses the edition its
scans recorded: the owner's results page and report, the leertafel's group page and report, and
the coach's progress page, progress report and cohort. New scans and the landing page use the new
edition; a finished scan can be compared again with it, and says so.

The made-up edition differs from the 2023 one in numbers no page could get from anywhere else:
Noord-Nederland's "Inhoud van het werk" (taken) is 3.3 instead of 4.2, the importance of learning
7.7 instead of 8.2, and its previous edition is 2023 (8.2). It prints an N for the share of turnover
spent on learning, which 2023's Tabel 4.4 does not. Its first recommendation and its Box 4.2 say
what only it says.
"""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from html import unescape
from pathlib import Path

import pdfplumber
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from benchmarks.loading import DATA_DIR
from benchmarks.models import BenchmarkSet
from benchmarks.selectors import BenchmarkLookup
from leerscan.advisers.group import group_view
from leerscan.advisers.models import Participant
from leerscan.advisers.report import group_report_context, group_report_html
from leerscan.coaching.cohort import CohortFilters, cohort_make
from leerscan.coaching.models import Client, Measurement
from leerscan.coaching.progress import client_progress
from leerscan.coaching.progress_report import progress_report_context
from leerscan.reports.pdf import report_html, report_render_pdf
from leerscan.reports.services import report_context
from leerscan.scans import services
from leerscan.scans.models import Scan
from tests.advisers.conftest import bram, bram_client, leertafel  # noqa: F401 (fixtures)
from tests.coaching.conftest import anna_company, anna_intake  # noqa: F401 (fixtures)
from tests.coaching.test_progress import ANNA_T1_ITEMS, finish_followup
from tests.personas import ANNA_PROFILE, answer_items, fact
from tests.personas_more import BAKERY_FACTS, BAKERY_ITEMS, BAKERY_PROFILE, finished_scan

pytestmark = pytest.mark.django_db

EDITION_2023 = "Monitor Leven Lang Ontwikkelen Noord-Nederland 2023"
EDITION_2025 = "Monitor Leven Lang Ontwikkelen Noord-Nederland 2025 (proefeditie)"
SLUG_2025 = "monitor-llo-nn-2025-proef"
IMPORTANCE_2023 = (
    "Belang van leren: de monitor geeft alleen het gemiddelde van Noord-Nederland "
    "(8,2; 8,5 in december 2021)."
)
TABLE_4_4 = (
    "scholing onder werktijd, scholingskosten betaald door de werkgever, scholing met een "
    "terugbetalingsregeling, omzet besteed aan leren en scholing"
)
NO_N = "noemt geen aantal respondenten (N)."


def _edition_2025(folder: Path) -> Path:
    """The made-up edition's data file and sets file in `folder`; the sets file's path."""
    rows = (DATA_DIR / "monitor2023.csv").read_text(encoding="utf-8")
    replacements = {
        "4.5,taken,total,noord-nederland,786,4.2,": "4.5,taken,total,noord-nederland,801,3.3,",
        "text,belang_leren,total,noord-nederland,,8.2,": (
            "text,belang_leren,total,noord-nederland,,7.7,"
        ),
        # Its previous edition is 2023: the importance of learning then, and nothing else.
        "previous,belang_leren,total,noord-nederland,,8.5,": (
            "previous,belang_leren,total,noord-nederland,,8.2,"
        ),
    }
    for old, new in replacements.items():
        assert old in rows, old
        rows = rows.replace(old, new)
    rows, printed = re.subn(
        r"^4\.4,pct_omzet_leren,(\w+),([^,]+),,",
        r"4.4,pct_omzet_leren,\1,\2,500,",
        rows,
        flags=re.M,
    )
    assert printed == 12, printed
    rows = "\n".join(
        line
        for line in rows.splitlines()
        if not line.startswith(("previous,pct_onder_werktijd,", "previous,pct_kosten_werkgever,"))
    )
    (folder / "monitor2025.csv").write_text(rows + "\n", encoding="utf-8")
    real = json.loads((DATA_DIR / "sets.json").read_text(encoding="utf-8"))[0]
    entry = {
        "slug": SLUG_2025,
        "file": "monitor2025.csv",
        "name": EDITION_2025,
        "title": f"Iedereen leert! {EDITION_2025}",
        "year": 2025,
        "source": "Een verzonnen editie, alleen voor deze test.",
        "sentences": {
            **{k: v for k, v in real["sentences"].items() if not k.endswith("_2021")},
            # What advisers and institutions read beside the figures: from the figures' edition.
            "aanbeveling_1": {
                "section": "Aanbevelingen",
                "nl": "Proefaanbeveling: werk in de regio samen.",
                "en": "Trial recommendation: work together in the region.",
            },
            "samenhang_metingen": {
                "section": "4.4",
                "nl": "In de proefeditie is de correlatie 0,9.",
                "en": "In the trial edition the correlation is 0.9.",
            },
            "peiling_2023": {
                "section": "4.1",
                "nl": "De proefeditie vroeg werkgevers in de drie provincies, zoals in 2023.",
                "en": "The trial edition asked employers in the three provinces, as in 2023.",
            },
        },
        "previous": {
            "name": {"nl": "2023", "en": "2023"},
            "caption": {
                "nl": "Noord-Nederland in 2025 en in 2023",
                "en": "Noord-Nederland in 2025 and in 2023",
            },
            "sentences": ["peiling_2023"],
        },
    }
    sets = folder / "sets.json"
    sets.write_text(json.dumps([entry], ensure_ascii=False), encoding="utf-8")
    return sets


@pytest.fixture
def edition_2025(scan_data, tmp_path) -> BenchmarkSet:
    call_command("benchmark_set_load", sets=_edition_2025(tmp_path), verbosity=0)
    return BenchmarkSet.objects.get(slug=SLUG_2025)


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


def test_it_loads_from_data_alone_beside_the_first(edition_2025):
    assert set(BenchmarkSet.objects.values_list("slug", flat=True)) == {
        "monitor-llo-nn-2023",
        SLUG_2025,
    }
    new, old = BenchmarkLookup(SLUG_2025), BenchmarkLookup("monitor-llo-nn-2023")
    assert new.get("4.5", "taken", "total", "noord-nederland").value == Decimal("3.3")
    assert old.get("4.5", "taken", "total", "noord-nederland").value == Decimal("4.2")
    # The edition new scans use is the newest; the default lookup follows it.
    assert BenchmarkLookup().slug == SLUG_2025


def test_the_landing_page_names_the_edition_and_its_employers(client, scan_data):
    html = _text(client.get(reverse("scans:landing")))
    # The largest N of the employer survey (Tabel 4.3), not of chapter 3's survey of inhabitants.
    assert f"met die van tot 854 werkgevers uit de {EDITION_2023}" in html


def test_new_scans_and_the_landing_page_use_the_newest_edition(client, edition_2025):
    html = _text(client.get(reverse("scans:landing")))
    assert EDITION_2025 in html and EDITION_2023 not in html
    assert services.scan_start().benchmark_set == edition_2025


def test_the_owner_keeps_the_edition_of_their_scan_and_may_compare_again(
    client, anna_scan, edition_2025
):
    services.scan_finish(scan=anna_scan)  # Anna finished on 2023, before 2025 was loaded
    anna_scan.refresh_from_db()
    assert anna_scan.benchmark_set.slug == "monitor-llo-nn-2023"
    url = reverse("reports:results", args=[anna_scan.token])
    html = _text(client.get(url))
    assert f"Vergeleken met de {EDITION_2023}." in html
    assert f"Opnieuw vergelijken met de {EDITION_2025}" in html
    # What 2023 leaves out of its training figures, from its data.
    notes = [IMPORTANCE_2023, f"Tabel 4.4 van de monitor ({TABLE_4_4}) {NO_N}"]
    assert all(note in html for note in notes), html
    # Her report too: the 2023 figure (4,2) of Noord-Nederland.
    report = report_html(context=report_context(scan=Scan.objects.get(pk=anna_scan.pk)))
    assert EDITION_2023 in report and EDITION_2025 not in report
    assert all(note in re.sub(r"\s+", " ", report) for note in notes)

    compare = reverse("reports:compare_again", args=[anna_scan.token])
    assert client.post(compare).status_code == 302
    assert client.post(compare).status_code == 302  # a second click changes nothing
    anna_scan.refresh_from_db()
    assert anna_scan.benchmark_set == edition_2025
    assert anna_scan.first_benchmark_set.slug == "monitor-llo-nn-2023"
    html = _text(client.get(url))
    assert f"Vergeleken met de {EDITION_2025} (opnieuw vergeleken op" in html
    assert f"eerst vergeleken met de {EDITION_2023})" in html
    assert "Opnieuw vergelijken met" not in html
    results = report_context(scan=anna_scan)["results"]
    taken = next(row for row in results.building_blocks if row.key == "taken")
    assert taken.comparison.group("total").value == Decimal("3.3")
    report = report_html(context=report_context(scan=anna_scan))
    assert EDITION_2025 in report and f"eerst vergeleken met de {EDITION_2023}" in report
    # Every page of the PDF names the edition at its foot.
    pdf = pdfplumber.open(io.BytesIO(report_render_pdf(html=report)))
    feet = [
        page.crop((0, page.height - 60, page.width, page.height)).extract_text()
        for page in pdf.pages
    ]
    assert all(EDITION_2025 in foot for foot in feet), feet


def test_a_new_scan_is_compared_with_the_new_edition_and_offers_nothing(client, edition_2025):
    bakery = finished_scan(BAKERY_PROFILE, BAKERY_ITEMS, BAKERY_FACTS)
    assert bakery.benchmark_set == edition_2025
    html = _text(client.get(reverse("reports:results", args=[bakery.token])))
    assert f"Vergeleken met de {EDITION_2025}." in html
    assert "Opnieuw vergelijken" not in html
    assert "3,3" in html  # Noord-Nederland's "Inhoud van het werk" in 2025
    # The 2025 edition's importance of learning and its previous edition's; its Tabel 4.4 has an
    # N for the share of turnover, so the note names only the other three.
    importance = IMPORTANCE_2023.replace("8,2; 8,5 in december 2021", "7,7; 8,2 in 2023")
    assert importance in html
    three = TABLE_4_4.removesuffix(", omzet besteed aan leren en scholing")
    assert f"Tabel 4.4 van de monitor ({three}) {NO_N}" in html
    assert IMPORTANCE_2023 not in html


def _finished_participant(leertafel, items: dict[str, int]) -> Participant:  # noqa: F811
    participant = Participant.objects.create(leertafel=leertafel, scan=services.scan_start())
    services.scan_save_profile(scan=participant.scan, data=ANNA_PROFILE)
    answer_items(participant.scan, items)
    services.scan_finish(scan=participant.scan)
    return participant


def test_the_leertafel_uses_the_edition_its_participants_recorded(
    bram_client,  # noqa: F811
    leertafel,  # noqa: F811
    tmp_path,
):
    items = dict.fromkeys(ANNA_T1_ITEMS, 4)
    for _ in range(3):
        _finished_participant(leertafel, items)  # on 2023, the only edition yet
    call_command("benchmark_set_load", sets=_edition_2025(tmp_path), verbosity=0)
    view = group_view(leertafel=leertafel)
    assert (view.edition, view.other_editions) == (EDITION_2023, {})
    assert view.blocks[0].key == "taken" and view.blocks[0].noord_nederland == Decimal("4.2")
    page = _text(bram_client.get(reverse("advisers:group", args=[leertafel.pk])))
    assert f"Cijfers van Noord-Nederland: de {EDITION_2023}." in page
    # The report's recommendations and Box 4.2 are the 2023 edition's, beside its figures; the
    # dashboard, which shows no figures, has those of the edition new scans use.
    report = re.sub(
        r"\s+", " ", group_report_html(context=group_report_context(leertafel=leertafel))
    )
    assert "De correlatie is 0,7." in report and "LLO heeft alleen kans van slagen" in report
    assert "proefeditie" not in report and "Proefaanbeveling" not in report
    assert "Proefaanbeveling" in _text(bram_client.get(reverse("advisers:dashboard")))

    _finished_participant(leertafel, items)  # joins now: compared with 2025
    view = group_view(leertafel=leertafel)
    assert (view.edition, view.other_editions) == (EDITION_2025, {EDITION_2023: 3})
    assert view.blocks[0].noord_nederland == Decimal("3.3")
    page = _text(bram_client.get(reverse("advisers:group", args=[leertafel.pk])))
    assert f"Cijfers van Noord-Nederland: de {EDITION_2025}." in page
    assert f"De scans van 3 deelnemers zijn vergeleken met de {EDITION_2023}" in page
    report = re.sub(
        r"\s+", " ", group_report_html(context=group_report_context(leertafel=leertafel))
    )
    assert f"Bron van de vergelijking: de {EDITION_2025}" in report
    assert "In de proefeditie is de correlatie 0,9." in report and "Proefaanbeveling" in report
    assert "De correlatie is 0,7." not in report


def test_the_coach_sees_each_round_on_its_own_edition(bram_client, anna_intake, tmp_path):  # noqa: F811
    company = anna_intake.client
    progress = client_progress(client=company)
    assert (progress.edition, progress.previous_name) == (EDITION_2023, "december 2021")
    cohort = cohort_make(organisation=company.organisation, filters=CohortFilters())
    assert cohort.benchmark_name == EDITION_2023

    call_command("benchmark_set_load", sets=_edition_2025(tmp_path), verbosity=0)
    # Nothing the coach sees moved: the intake was compared with 2023.
    progress = client_progress(client=company)
    assert progress.edition == EDITION_2023
    cohort = cohort_make(organisation=company.organisation, filters=CohortFilters())
    assert (cohort.benchmark_name, cohort.other_editions) == (EDITION_2023, {})
    page = _text(bram_client.get(reverse("coaching:cohort")))
    assert f"Vergeleken met Noord-Nederland in de {EDITION_2023}." in page
    # Below the minimum of clients no figures, so no Box 4.2; the recommendations are 2023's.
    assert "LLO heeft alleen kans van slagen" in page and "Proefaanbeveling" not in page

    # The follow-up is a new scan: compared with 2025, and with 2023 as its previous edition.
    finish_followup(company, ANNA_T1_ITEMS, {"belang_leren": fact(number=8)})
    progress = client_progress(client=company)
    assert (progress.edition, progress.edition_year, progress.previous_name) == (
        EDITION_2025,
        2025,
        "2023",
    )
    assert [(r.key, r.value, r.previous) for r in progress.references] == [
        ("belang_leren", Decimal("7.7"), Decimal("8.2"))
    ]
    page = _text(bram_client.get(reverse("coaching:progress", args=[company.pk])))
    assert "Vergeleken met 2023" in page and "Noord-Nederland in 2025 en in 2023" in page
    assert "De proefeditie vroeg werkgevers in de drie provincies" in page
    assert "december 2021" not in page
    context = progress_report_context(client=company)
    assert context["progress"].edition == EDITION_2025

    # A second client still on 2023: the cohort compares with the newest and says so.
    other = Client.objects.create(organisation=company.organisation, name="Bakkerij De Terp")
    bakery = finished_scan(BAKERY_PROFILE, BAKERY_ITEMS, BAKERY_FACTS)
    Scan.objects.filter(pk=bakery.pk).update(
        benchmark_set=BenchmarkSet.objects.get(slug="monitor-llo-nn-2023")
    )
    Measurement.objects.create(client=other, round=0, scan=bakery)
    cohort = cohort_make(organisation=company.organisation, filters=CohortFilters())
    assert (cohort.benchmark_name, cohort.other_editions) == (EDITION_2025, {EDITION_2023: 1})
    page = _text(bram_client.get(reverse("coaching:cohort")))
    assert f"De laatste scan van 1 klant is vergeleken met de {EDITION_2023}" in page
    assert "Proefaanbeveling" in page and "LLO heeft alleen kans van slagen" not in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"inferred": {"taken": {"nl": "x", "en": "x"}}}, "inferred 'taken' has no row"),
        ({"inferred": {"onbekend": {"nl": "x", "en": "x"}}}, "unknown indicator 'onbekend'"),
        ({"sentences": ["bestaat_niet"]}, "must be keys of the set's sentences"),
        ({"caption": {"nl": "", "en": "x"}}, "previous caption: a text is empty"),
        ({"name": "2023"}, "previous name must be a JSON object"),
    ],
)
def test_a_wrong_previous_block_refuses_the_edition_whole(scan_data, tmp_path, change, message):
    sets = _edition_2025(tmp_path)
    entries = json.loads(sets.read_text(encoding="utf-8"))
    entries[0]["previous"].update(change)
    sets.write_text(json.dumps(entries), encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("benchmark_set_load", sets=sets, verbosity=0)
    assert not BenchmarkSet.objects.filter(slug=SLUG_2025).exists()


def test_a_previous_figure_without_the_editions_own_refuses_the_edition(scan_data, tmp_path):
    """The progress page puts each previous figure beside the edition's own: a file with only the
    former is refused whole, not loaded to fail on the coach's page."""
    sets = _edition_2025(tmp_path)
    data = tmp_path / "monitor2025.csv"
    rows = data.read_text(encoding="utf-8")
    own = "text,belang_leren,total,noord-nederland,,7.7,"
    assert own in rows
    data.write_text(
        "\n".join(line for line in rows.splitlines() if not line.startswith(own)) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="previous 'belang_leren': the edition has no"):
        call_command("benchmark_set_load", sets=sets, verbosity=0)
    assert not BenchmarkSet.objects.filter(slug=SLUG_2025).exists()


def test_a_pinned_edition_stays_the_one_new_scans_use(settings, client, edition_2025):
    settings.LEERSCAN_DEFAULT_BENCHMARK_SET = "monitor-llo-nn-2023"
    assert services.scan_start().benchmark_set.slug == "monitor-llo-nn-2023"
    assert EDITION_2023 in _text(client.get(reverse("scans:landing")))
