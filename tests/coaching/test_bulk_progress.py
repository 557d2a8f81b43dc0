"""All progress reports as one ZIP: Bram presses the button on the cohort page, the worker makes
one PDF per client with a finished intake while the status page shows a progress bar, and the ZIP
is offered when ready. A client whose PDF fails is named in the ZIP, not fatal. Carla never gets
Bram's; an anonymous visitor is sent to the login."""

from __future__ import annotations

import io
import logging
import zipfile

import pytest
from django.test import Client as BrowserClient
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from leerscan.background.models import Output
from leerscan.coaching import bulk_progress
from leerscan.coaching.models import Client, Measurement
from tests.coaching.test_cohort import ANNA_ITEMS, ANNA_T1, client_with_rounds
from tests.coaching.test_research import IMMEDIATE
from tests.personas import ANNA_PROFILE
from tests.personas_more import BAKERY_ITEMS, BAKERY_PROFILE
from tests.worker import run_queued

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7 fake"


@pytest.fixture
def clients(bram, carla, scan_data):
    """Anna (intake and follow-up) and the bakery (intake) of Bram's organisation, a client of his
    still invited (no scan), and a client of Carla's organisation with a finished intake."""
    org = bram.organisation
    anna = client_with_rounds(org, ANNA_PROFILE, [ANNA_ITEMS, ANNA_T1])
    bakery = client_with_rounds(org, BAKERY_PROFILE, [BAKERY_ITEMS])
    invited = Client.objects.create(organisation=org, name="Nog niet gescand BV")
    Measurement.objects.create(client=invited, round=0)
    client_with_rounds(carla.organisation, BAKERY_PROFILE, [BAKERY_ITEMS])
    return anna, bakery


@pytest.fixture
def fake_pdf(monkeypatch):
    monkeypatch.setattr(bulk_progress, "progress_report_pdf", lambda *, client: FAKE_PDF)


def export_id_of(status_url: str) -> str:
    return status_url.rstrip("/").rsplit("/", 1)[1]


def zip_of(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_it_bundles_one_real_pdf_per_client_with_a_finished_intake(bram_client, clients, settings):
    settings.TASKS = IMMEDIATE
    anna, bakery = clients
    response = bram_client.post(reverse("coaching:bulk_progress_start"), follow=True)
    html = response.content.decode()
    assert 'data-export-state="done"' in html and "<progress" not in html
    download_url = reverse("coaching:bulk_progress_download", args=[response.context["export"].key])
    assert download_url in html
    download = bram_client.get(download_url)
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith('attachment; filename="voortgangsrapporten-')
    files = zip_of(download.content)
    assert set(files) == {
        f"voortgang-{anna.pk}-annas-adviesbureau.pdf",
        f"voortgang-{bakery.pk}-bakkerij-de-terp.pdf",
    }
    assert all(content.startswith(b"%PDF") for content in files.values())


def test_it_shows_a_progress_bar_and_then_the_download_link(bram, bram_client, clients, fake_pdf):
    status_url = bram_client.post(reverse("coaching:bulk_progress_start"))["Location"]
    assert DBTaskResult.objects.ready().get().task_path == ("leerscan.background.tasks.output_make")
    html = bram_client.get(status_url).content.decode()
    assert 'data-export-state="queued"' in html and "<progress" in html
    assert 'hx-trigger="every 2s"' in html and f'href="{status_url}"' in html  # refresh link
    export_id = export_id_of(status_url)
    Output.objects.filter(key=export_id).update(state=Output.State.RUNNING, progress=50)
    html = bram_client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert 'value="50"' in html and "<html" not in html
    Output.objects.filter(key=export_id).update(state=Output.State.QUEUED)  # back for the worker
    assert run_queued() == ["made"]
    html = bram_client.get(status_url).content.decode()
    assert "<progress" not in html
    assert reverse("coaching:bulk_progress_download", args=[export_id]) in html
    assert "2 progress reports" in html or "2 voortgangsrapporten" in html


def test_it_keeps_to_the_cohort_filters(bram_client, clients, fake_pdf, settings):
    settings.TASKS = IMMEDIATE
    anna, _bakery = clients
    page = bram_client.get(reverse("coaching:cohort"), {"provincie": "groningen"})
    assert 'name="provincie" value="groningen"' in page.content.decode()  # the button's form
    response = bram_client.post(
        reverse("coaching:bulk_progress_start"), {"provincie": "groningen"}, follow=True
    )
    export_id = response.context["export"].key
    download = bram_client.get(reverse("coaching:bulk_progress_download", args=[export_id]))
    assert list(zip_of(download.content)) == [f"voortgang-{anna.pk}-annas-adviesbureau.pdf"]
    assert (
        bram_client.post(reverse("coaching:bulk_progress_start"), {"grootte": "x"}).status_code
        == 400
    )


def test_a_client_whose_report_fails_is_named_in_the_zip(
    bram_client, clients, monkeypatch, settings, caplog
):
    settings.TASKS = IMMEDIATE
    anna, bakery = clients

    def pdf(*, client):
        if client.pk == bakery.pk:
            raise RuntimeError("broken font")
        return FAKE_PDF

    monkeypatch.setattr(bulk_progress, "progress_report_pdf", pdf)
    with caplog.at_level(logging.ERROR, logger="leerscan.coaching.bulk_progress"):
        response = bram_client.post(reverse("coaching:bulk_progress_start"), follow=True)
    assert f"client {bakery.pk} failed" in caplog.text
    assert "niet-gelukt.txt" in response.content.decode()
    export_id = response.context["export"].key
    files = zip_of(
        bram_client.get(reverse("coaching:bulk_progress_download", args=[export_id])).content
    )
    anna_pdf = f"voortgang-{anna.pk}-annas-adviesbureau.pdf"
    assert set(files) == {bulk_progress.FAILED_LIST, anna_pdf}
    assert bakery.name in files[bulk_progress.FAILED_LIST].decode()


def test_carla_never_gets_brams_zip(bram, carla_client, clients, fake_pdf, settings):
    settings.TASKS = IMMEDIATE
    export_id = bulk_progress.bulk_progress_queue(
        organisation=bram.organisation, filters=bulk_progress.CohortFilters(), language="nl"
    )
    assert bulk_progress.bulk_progress_status(
        organisation_id=bram.organisation.pk, export_id=export_id
    ).ready
    for url in (
        reverse("coaching:bulk_progress_status", args=[export_id]),
        reverse("coaching:bulk_progress_download", args=[export_id]),
    ):
        assert carla_client.get(url).status_code == 404


def test_it_404s_nonsense_ids_and_refuses_a_get_of_the_start(bram_client, clients):
    for export_id in ("a" * 32, "nonsense", "a" * 33):
        for name in ("coaching:bulk_progress_status", "coaching:bulk_progress_download"):
            assert bram_client.get(reverse(name, args=[export_id])).status_code == 404
    assert bram_client.get(reverse("coaching:bulk_progress_start")).status_code == 405
    assert DBTaskResult.objects.count() == 0


def test_it_sends_an_anonymous_visitor_to_the_login(client):
    urls = [
        reverse("coaching:bulk_progress_start"),
        reverse("coaching:bulk_progress_status", args=["a" * 32]),
        reverse("coaching:bulk_progress_download", args=["a" * 32]),
    ]
    for url in urls:
        response = client.get(url) if url != urls[0] else client.post(url)
        assert response.status_code == 302 and "next=" in response["Location"], url
    assert DBTaskResult.objects.count() == 0


def test_it_refuses_a_start_without_csrf(bram, clients):
    browser = BrowserClient(enforce_csrf_checks=True)
    browser.force_login(bram.user)
    assert browser.post(reverse("coaching:bulk_progress_start")).status_code == 403
    assert DBTaskResult.objects.count() == 0
