"""The results page of a finished scan."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.vocabulary import BUILDING_BLOCKS, DLOQ_STATEMENTS
from leerscan.scans import services
from tests.personas import answer_items

pytestmark = pytest.mark.django_db


def test_results_wait_until_the_scan_is_finished(client, anna_scan) -> None:
    response = client.get(reverse("reports:results", args=[anna_scan.token]))
    assert response.status_code == 302
    assert response["Location"] == reverse("scans:review", args=[anna_scan.token])


def test_the_results_page_shows_the_comparisons(client, anna_scan) -> None:
    services.scan_finish(scan=anna_scan)
    html = client.get(reverse("reports:results", args=[anna_scan.token])).content.decode()
    assert "Inhoud van het werk" in html
    assert "duidelijk lager dan vergelijkbare organisaties" in html
    assert "n = 786" in html  # Tabel 4.5, Noord-Nederland, in the folded group table
    assert "786 werkgevers" in html  # the same on a phone, in words
    assert "4,6" in html and "\u22121,6" in html  # estimate for taken and the difference
    assert "74,8" in html  # 5-24 pp with a performance review arrangement, Tabel 4.7
    # The charts are drawn by the template: no images, the differences as text.
    assert "data:image/svg+xml" not in html
    assert 'aria-labelledby="chart-blocks-caption"' in html
    assert 'aria-labelledby="chart-differences-caption"' in html


def test_the_results_page_draws_no_matplotlib_chart_in_the_request(
    client, anna_scan, monkeypatch
) -> None:
    def refuse(**_kwargs):
        raise AssertionError("the results page drew a matplotlib chart")

    monkeypatch.setattr("leerscan.reports.charts.results_chart_svgs", refuse)
    monkeypatch.setattr("leerscan.reports.services.results_chart_svgs", refuse)
    monkeypatch.setattr("leerscan.reports.charts.radar_svg", refuse)
    monkeypatch.setattr("leerscan.reports.charts.difference_bars_svg", refuse)
    services.scan_finish(scan=anna_scan)
    response = client.get(reverse("reports:results", args=[anna_scan.token]))
    assert response.status_code == 200
    assert "Inhoud van het werk" in response.content.decode()


def test_the_results_follow_a_corrected_answer(client, anna_scan) -> None:
    services.scan_finish(scan=anna_scan)
    url = reverse("reports:results", args=[anna_scan.token])
    client.get(url)
    answer_items(anna_scan, {"taken_kern": 6})
    html = client.get(url).content.decode()
    assert "+1,4" in html  # 6 - 4.6


def test_the_results_page_needs_the_same_queries_for_any_scan(client, anna_scan) -> None:
    services.scan_finish(scan=anna_scan)
    fuller = services.scan_start()
    services.scan_save_profile(
        scan=fuller,
        data={
            "organisation_name": "",
            "sbi_section": "C",
            "sbi_code": "",
            "employees": 3,
            "province": "elders",
            "respondent_role": "hr",
        },
    )
    answer_items(
        fuller,
        dict.fromkeys([*BUILDING_BLOCKS, *DLOQ_STATEMENTS], 6),
    )
    services.scan_finish(scan=fuller)
    for scan in (anna_scan, fuller):
        # The first visit reads the benchmark set into the process and queues the report.
        client.get(reverse("reports:results", args=[scan.token]))
    counts = []
    for scan in (anna_scan, fuller, anna_scan):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("reports:results", args=[scan.token])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]
    # scan, items, statement answers, facts, benchmark set, instrument library, instruments,
    # regional support, the report's rendering (and whether its PDF is stored), the team link with
    # its number of answers (leerscan/teams), the coach's measurement (coaching), the living
    # benchmark's cell (asked for a scan without a cell too, so the count stays the same), the
    # edition new scans use (is there a newer one to compare with again?); the charts are drawn by
    # the template and need none.
    assert counts[0] <= 13


def test_the_results_speak_english_when_asked(client, anna_scan, settings) -> None:
    services.scan_finish(scan=anna_scan)
    url = reverse("reports:results", args=[anna_scan.token])
    # English is chosen with the language switch, which sets the language cookie.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url).content.decode()
    assert "Your results" in html
    assert "clearly lower than similar organisations" in html
