"""Beside the team scan: the monitor's own figures for employees (Tabel 3.2, the second Tabel 3.2,
Tabel 3.4 and section 3.3), on the owner's results page and in the report's team chapter. Anna's
IT firm (12 people, Groningen) sees them with or without a team; the report shows them in the
team chapter, which needs five answers.

The labels are English msgids until the lead fills the Dutch catalogue, so these tests read the
page in English or assert what is the same in both: the numbers (Dutch decimal comma on a Dutch
page), the N and the monitor's own Dutch sentences."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leerscan.reports import services as report_services
from leerscan.scans import services as scan_services
from leerscan.scans.models import Scan
from leerscan.teams.models import TEAM_ANSWER_KEYS
from tests.teams import answering

pytestmark = pytest.mark.django_db

# Tabel 3.2 (line 871), Tabel 3.4 (line 1169), the second Tabel 3.2 (line 1102) and section 3.3
# (lines 990-996): the employees' (Loondienst) figures as a Dutch page shows them.
PARTICIPATION = ("42,0%", "58,0%", "17,5%", "50,5%")
NEXT_COURSE = ("52,2%", "17,2%", "12,7%", "68,2%", "1,3%")
INITIATIVE = ("55%", "27%", "75%")  # printed as whole numbers in the sentence
MANDATORY_REASON = "31,2%"


def test_it_shows_the_monitors_employees_beside_the_team_before_anyone_is_invited(
    client, anna_scan
):
    scan_services.scan_finish(scan=anna_scan)
    html = client.get(reverse("reports:results", args=[anna_scan.token])).content.decode()
    team = html[html.index('id="kop-team"') : html.index('id="kop-advies"')]
    for value in (*PARTICIPATION, *NEXT_COURSE, *INITIATIVE, MANDATORY_REASON):
        assert value in team, value
    assert "N = 3113" in team or "N = 3.113" in team  # Tabel 3.2, Loondienst
    assert "N = 2860" in team or "N = 2.860" in team  # Tabel 3.4, Loondienst
    # The monitor's own sentences on initiative and costs (sections 3.3 and 3.4).
    assert "Een op de tien werknemers betaalt de scholing helemaal zelf." in team
    assert "Mensen in loondienst initiëren kort onderwijs zelden zelf" in team


def test_it_labels_the_figures_as_the_monitors_employees_with_their_n_in_english(
    client, anna_scan, settings
):
    scan_services.scan_finish(scan=anna_scan)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("reports:results", args=[anna_scan.token])).content.decode()
    assert "What the monitor says about employees" in html
    assert "(Tabel 3.2 of the monitor, N = 3,113)" in html or "N = 3113" in html
    assert "the monitor prints no N" in html  # section 3.3 and the reasons table
    assert "Because it was mandatory" in html and "31.2%" in html
    assert "The monitor numbers two tables Tabel 3.2" in html
    assert "<caption>" in html and 'scope="row"' in html


def answer(scan, employees: int) -> None:
    answering.answer(scan, [{**dict.fromkeys(TEAM_ANSWER_KEYS, 4), "taken": 6}] * employees)


@pytest.fixture
def html_as_pdf(monkeypatch):
    """The report's HTML instead of its PDF: what it shows, without WeasyPrint's seconds."""
    monkeypatch.setattr(
        report_services, "report_render_pdf", lambda *, html, progress=None: html.encode()
    )


def test_the_reports_team_chapter_shows_the_monitors_employees(anna_scan, html_as_pdf):
    scan = scan_services.scan_finish(scan=anna_scan)
    answer(scan, 5)
    report = report_services.report_pdf(scan=Scan.objects.get(pk=scan.pk)).decode()
    chapter = report[report.index("De cijfers van 5 medewerkers") :]
    for value in (*PARTICIPATION, *NEXT_COURSE, *INITIATIVE, MANDATORY_REASON):
        assert value in chapter, value
    assert "Een op de tien werknemers betaalt de scholing helemaal zelf." in chapter


def test_the_report_without_a_team_has_no_team_chapter_and_no_employees_figures(
    anna_scan, html_as_pdf
):
    scan = scan_services.scan_finish(scan=anna_scan)
    report = report_services.report_pdf(scan=scan).decode()
    assert "Een op de tien werknemers" not in report
    assert "50,5%" not in report
