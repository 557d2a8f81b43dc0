"""The team chapter of the owner's PDF report, and a new report once the team's answers change
(the report is stored per answers_version: leerscan/reports/services.py)."""

from __future__ import annotations

import pytest

from leerscan.background.models import Output
from leerscan.reports import services as report_services
from leerscan.scans import services as scan_services
from leerscan.scans.models import Scan
from leerscan.teams.models import TEAM_ANSWER_KEYS
from tests.teams import answering

pytestmark = pytest.mark.django_db


@pytest.fixture
def html_as_pdf(monkeypatch):
    """The report's HTML instead of its PDF: what it shows, without WeasyPrint's seconds."""
    monkeypatch.setattr(
        report_services, "report_render_pdf", lambda *, html, progress=None: html.encode()
    )


def answer(scan, employees: int) -> None:
    answering.answer(scan, [{**dict.fromkeys(TEAM_ANSWER_KEYS, 4), "taken": 6}] * employees)


def test_the_report_shows_the_team_only_from_the_threshold(anna_scan, html_as_pdf):
    scan = scan_services.scan_finish(scan=anna_scan)
    answer(scan, 4)

    below = report_services.report_pdf(scan=Scan.objects.get(pk=scan.pk)).decode()
    answer(scan, 1)
    above = report_services.report_pdf(scan=Scan.objects.get(pk=scan.pk)).decode()

    assert "Het beeld van uw team" not in below and "beantwoordde" not in below
    assert "Het beeld van uw team" in above and "De cijfers van 5 medewerkers" in above
    assert "blinde vlek" in above  # taken: Anna 3, team 6
    assert "form-" not in above
    assert "Spreiding" not in above  # not below ten answers in the figures


def test_the_report_changes_only_with_a_new_batch_of_answers(anna_scan, html_as_pdf):
    scan = scan_services.scan_finish(scan=anna_scan)
    answer(scan, 5)
    first = report_services.report_pdf(scan=Scan.objects.get(pk=scan.pk))

    answer(scan, 4)  # nine answers: still the figures of five, the same report
    scan = Scan.objects.get(pk=scan.pk)
    assert report_services.report_status(scan=scan).ready
    assert report_services.report_pdf(scan=scan) == first

    answer(scan, 1)  # ten: new figures, a new report
    scan = Scan.objects.get(pk=scan.pk)
    assert not report_services.report_status(scan=scan).ready
    second = report_services.report_pdf(scan=scan)

    assert b"De cijfers van 5 medewerkers" in first
    assert b"De cijfers van 10 medewerkers" in second and b"Spreiding" in second
    stored = Output.objects.filter(scan=scan, kind="report", state=Output.State.DONE)
    versions = [key.split(":")[0] for key in stored.values_list("key", flat=True)]
    assert versions == [str(scan.answers_version)]
