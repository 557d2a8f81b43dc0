"""The team chapter of the owner's PDF report, and a new report once the team's answers change
(the report is stored per answers_version: leerscan/reports/services.py)."""

from __future__ import annotations

import pytest

from leerscan.reports import services as report_services
from leerscan.reports.models import RenderedArtefact
from leerscan.scans import services as scan_services
from leerscan.scans.models import Scan
from leerscan.teams.models import TEAM_ANSWER_KEYS
from leerscan.teams.services import team_response_submit, team_survey_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def html_as_pdf(monkeypatch):
    """The report's HTML instead of its PDF: what it shows, without WeasyPrint's seconds."""
    monkeypatch.setattr(
        report_services, "report_render_pdf", lambda *, html, progress=None: html.encode()
    )


def answer(survey, n: int) -> None:
    team_response_submit(
        survey=survey,
        submission_key=f"secret-key-{n}",
        answers={**dict.fromkeys(TEAM_ANSWER_KEYS, 4), "taken": 6},
    )


def test_the_report_shows_the_team_only_from_the_threshold(anna_scan, html_as_pdf):
    scan = scan_services.scan_finish(scan=anna_scan)
    survey = team_survey_open(scan=scan)
    for n in range(4):
        answer(survey, n)

    below = report_services.report_pdf(scan=Scan.objects.get(pk=scan.pk)).decode()
    answer(survey, 4)
    above = report_services.report_pdf(scan=Scan.objects.get(pk=scan.pk)).decode()

    assert "Het beeld van uw team" not in below and "beantwoordde" not in below
    assert "Het beeld van uw team" in above and "5 medewerkers beantwoordden" in above
    assert "blinde vlek" in above  # taken: Anna 3, team 6
    assert "secret-key" not in above


def test_a_new_answer_makes_a_new_report(anna_scan, html_as_pdf):
    scan = scan_services.scan_finish(scan=anna_scan)
    survey = team_survey_open(scan=scan)
    for n in range(5):
        answer(survey, n)
    first = report_services.report_pdf(scan=Scan.objects.get(pk=scan.pk))

    answer(survey, 5)
    scan = Scan.objects.get(pk=scan.pk)
    assert not report_services.report_status(scan=scan).ready
    second = report_services.report_pdf(scan=scan)

    assert b"5 medewerkers beantwoordden" in first
    assert b"6 medewerkers beantwoordden" in second
    stored = RenderedArtefact.objects.filter(scan=scan, kind=RenderedArtefact.Kind.PDF)
    assert list(stored.values_list("answers_version", flat=True)) == [scan.answers_version]
