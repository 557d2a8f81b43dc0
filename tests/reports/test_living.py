"""The living benchmark: consented scans pooled per sector x size x province."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _

from benchmarks.vocabulary import BUILDING_BLOCKS, DLOQ_STATEMENTS
from leerscan.reports.living import (
    living_benchmark_for,
    living_benchmark_refresh,
    living_consent_set,
    organisation_key,
)
from leerscan.reports.models import LivingBenchmarkCell
from leerscan.scans import services
from leerscan.scans.models import Scan
from tests.personas import ANNA_PROFILE, answer_items

pytestmark = pytest.mark.django_db


def peer_scan(name: str, *, taken: int = 4, consent: bool = True, **profile) -> Scan:
    """A finished scan of an organisation in Anna's cell (ZD, 5-24, Groningen) unless told."""
    scan = services.scan_start()
    services.scan_save_profile(
        scan=scan, data={**ANNA_PROFILE, "organisation_name": name, **profile}
    )
    answer_items(scan, {**dict.fromkeys([*BUILDING_BLOCKS, *DLOQ_STATEMENTS], 4), "taken": taken})
    services.scan_finish(scan=scan)
    if consent:
        living_consent_set(scan=scan, allowed=True)
    return scan


def peers(count: int) -> list[Scan]:
    return [peer_scan(f"Bedrijf {i}") for i in range(count)]


def results_html(client, scan: Scan) -> str:
    return client.get(reverse("reports:results", args=[scan.token])).content.decode()


@pytest.fixture
def anna_finished(anna_scan) -> Scan:
    services.scan_finish(scan=anna_scan)
    return anna_scan


def test_it_shows_nothing_with_nine_organisations(client, anna_finished) -> None:
    peers(9)
    living_benchmark_refresh()
    assert living_benchmark_for(scan=anna_finished) is None
    html = results_html(client, anna_finished)
    assert _("Leerscan benchmark, not a figure from the monitor.") not in html
    assert _("Your scan does not count in the Leerscan benchmark.") in html


def test_it_shows_the_cell_from_ten_organisations(client, anna_finished) -> None:
    peers(9)
    peer_scan("Bedrijf 9", taken=6)
    living_benchmark_refresh()
    figures = living_benchmark_for(scan=anna_finished)
    assert figures is not None and figures.organisations == 10
    assert str(figures.means["taken"]) == "4.20"  # nine 4s and one 6
    html = results_html(client, anna_finished)
    assert _("Leerscan benchmark, not a figure from the monitor.") in html
    assert re.search(r'aria-labelledby="kop-living">.*?\b10\b.*?</p>', html, re.S)  # N
    assert '<td class="text-end">4,2</td>' in html  # taken, beside the monitor's 4,6


def test_it_releases_in_steps_of_five(anna_finished) -> None:
    peers(14)
    living_benchmark_refresh()
    assert living_benchmark_for(scan=anna_finished).organisations == 10
    peer_scan("Bedrijf 14")
    living_benchmark_refresh()
    assert living_benchmark_for(scan=anna_finished).organisations == 15


def test_it_shows_months_not_days(client, anna_finished) -> None:
    peers(10)
    living_benchmark_refresh()
    figures = living_benchmark_for(scan=anna_finished)
    assert figures.first_month.day == 1 and figures.last_month.day == 1


def test_duplicates_of_one_organisation_count_once(anna_finished) -> None:
    peers(9)
    peer_scan("Bedrijf 0 B.V.")  # the same organisation as "Bedrijf 0", a second scan
    peer_scan("  bedrijf   0 ")
    living_benchmark_refresh()
    assert living_benchmark_for(scan=anna_finished) is None
    peer_scan("Bedrijf 9")
    living_benchmark_refresh()
    assert living_benchmark_for(scan=anna_finished).organisations == 10


def test_an_organisation_counts_with_its_latest_scan(anna_finished) -> None:
    peers(9)
    peer_scan("Bedrijf 9", taken=1)
    peer_scan("Bedrijf 9", taken=6)  # finished later
    living_benchmark_refresh()
    assert str(living_benchmark_for(scan=anna_finished).means["taken"]) == "4.20"


def test_a_scan_without_a_name_or_consent_does_not_count(anna_finished) -> None:
    peers(9)
    peer_scan("")
    peer_scan("Zonder toestemming", consent=False)
    peer_scan("Elders", province="elders")
    peer_scan("Andere sector", sbi_section="C", sbi_code="")
    living_benchmark_refresh()
    assert not LivingBenchmarkCell.objects.exists()


def test_a_withdrawn_consent_leaves_at_the_next_refresh(client, anna_finished) -> None:
    scans = peers(10)
    call_command("living_benchmark_refresh", stdout=StringIO())
    assert living_benchmark_for(scan=anna_finished).organisations == 10
    url = reverse("reports:living_consent", args=[scans[0].token])
    assert client.post(url, {}).status_code == 302
    scans[0].refresh_from_db()
    assert scans[0].living_consent_at is None
    # Until the refresh the released figures stay; after it the cell has 9 and is gone.
    assert living_benchmark_for(scan=anna_finished).organisations == 10
    living_benchmark_refresh()
    assert living_benchmark_for(scan=anna_finished) is None


def test_consent_is_off_by_default_and_kept_when_saved_again(client, anna_finished) -> None:
    assert anna_finished.living_consent_at is None
    url = reverse("reports:living_consent", args=[anna_finished.token])
    html = client.get(url).content.decode()
    assert 'name="benchmark" value="ja" id="id_benchmark">' in html  # not checked
    client.post(url, {"benchmark": "ja"})
    anna_finished.refresh_from_db()
    first = anna_finished.living_consent_at
    assert first is not None
    client.post(url, {"benchmark": "ja"})
    anna_finished.refresh_from_db()
    assert anna_finished.living_consent_at == first


def test_it_refuses_nonsense_in_dutch(client, anna_finished) -> None:
    url = reverse("reports:living_consent", args=[anna_finished.token])
    response = client.post(url, {"benchmark": "misschien"})
    assert response.status_code == 400
    # The message is Dutch through the catalogue (/tmp/nl-living.json until it is merged).
    assert _("Tick the box or leave it empty, and save.") in response.content.decode()
    anna_finished.refresh_from_db()
    assert anna_finished.living_consent_at is None


def test_the_consent_form_needs_its_csrf_token(anna_finished) -> None:
    url = reverse("reports:living_consent", args=[anna_finished.token])
    assert Client(enforce_csrf_checks=True).post(url, {"benchmark": "ja"}).status_code == 403


def test_organisation_key_drops_case_punctuation_and_legal_form() -> None:
    assert organisation_key("Bakkerij Jansen B.V.") == organisation_key("bakkerij  jansen")
    assert organisation_key("Jansen & Zn") != organisation_key("Jansen")
