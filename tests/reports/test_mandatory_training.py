"""The owner's advice on mandatory training: just under half of training is mandatory (monitor,
section 4.3), employees who took a short course because it was mandatory (the second Tabel 3.2),
and what art. 7:611a BW says. Anna's IT firm (Zakelijke Dienstverlening) reads the general point;
Martin's metal firm and Baukje's bakery (both Landbouw, Industrie & Nijverheid) also read that the
monitor finds relatively more mandatory training in their sector."""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.urls import reverse
from django.utils import translation

from leerscan.reports import services as report_services
from leerscan.reports.pdf import report_html
from leerscan.reports.selectors import scan_advice
from leerscan.reports.services import report_context
from leerscan.scans import services as scan_services
from tests.personas_more import bakery_scan, metal_scan  # noqa: F401, F811 (fixtures)
from tests.reports.conftest import results_of

pytestmark = pytest.mark.django_db

MONITOR = "iets minder dan de helft van de opleidingen wordt gevolgd omdat deze verplicht zijn"
SECTORS = "Vooral in de Landbouw, Industrie en Nijverheid en in de Niet commerciële dienstverlening"
# The same sentences in the English of the benchmark set's data.
MONITOR_EN = "just under half of the courses are taken because they are mandatory"
SECTORS_EN = "Especially in Agriculture, Industry and Manufacturing and in Non-commercial Services"


def point(scan):
    with translation.override("en"):
        return scan_advice(results=results_of(scan)).mandatory_training


def test_every_owner_reads_the_monitors_figure_and_the_law(finished):
    mandatory = point(finished)
    assert MONITOR_EN in mandatory.monitor[0]
    assert mandatory.monitor[0].endswith("(Monitor, section 4.3)")
    assert not any(SECTORS_EN in line for line in mandatory.monitor)  # Anna: business services
    assert "31.2% did so because it was mandatory" in mandatory.monitor[-1]
    for words in (
        "art. 7:611a BW",
        "enable your employees to take the training they need to do their job",
        "since 1 August 2022",
        "free of charge",
        "counts as working time",
        "a study-cost repayment clause for such training is void",
    ):
        assert words in mandatory.law, words
    assert "article 611a, paragraphs 1, 2 and 4" in mandatory.source
    assert "EU Directive 2019/1152" in mandatory.source


def test_the_metal_firm_and_the_bakery_read_that_their_sector_has_more(
    metal_scan,  # noqa: F811
    bakery_scan,  # noqa: F811
):
    for scan in (metal_scan, bakery_scan):
        assert any(SECTORS_EN in line for line in point(scan).monitor)


def test_the_results_page_and_the_report_show_the_point(client, anna_scan, monkeypatch):
    scan = scan_services.scan_finish(scan=anna_scan)
    html = client.get(reverse("reports:results", args=[scan.token])).content.decode()
    advice = html[html.index('id="kop-advies"') :]
    assert MONITOR in advice and "7:611a" in advice and "31,2%" in advice
    assert 'aria-labelledby="kop-verplicht"' in advice
    monkeypatch.setattr(
        report_services, "report_render_pdf", lambda *, html, progress=None: html.encode()
    )
    report = report_services.report_pdf(scan=scan).decode()
    assert SECTORS not in report  # Anna: business services
    assert MONITOR in report and "7:611a" in report and "2019/1152" in report


def test_box_4_2_stands_with_the_statements_on_the_page_and_in_the_report(
    client, anna_scan, monkeypatch
):
    scan = scan_services.scan_finish(scan=anna_scan)
    html = client.get(reverse("reports:results", args=[scan.token])).content.decode()
    statements = html[html.index('id="kop-dloq"') :]
    assert "De correlatie is 0,7. (Monitor, paragraaf 4.4, Box 4.2)" in statements
    monkeypatch.setattr(
        report_services, "report_render_pdf", lambda *, html, progress=None: html.encode()
    )
    report = report_services.report_pdf(scan=scan).decode()
    assert "De correlatie is 0,7." in report


def test_the_accountability_names_chapter_3_and_section_4_3_only_when_they_are_shown(anna_scan):
    """The report's accountability cites the monitor's employee tables and its section on
    mandatory training where the report shows them: an edition without them is not credited."""
    scan = scan_services.scan_finish(scan=anna_scan)
    employees = "De cijfers over werknemers naast de teamscan komen uit hoofdstuk 3"
    law = "Het punt over verplichte scholing citeert paragraaf 4.3"
    context = report_context(scan=scan)
    html = re.sub(r"\s+", " ", report_html(context=context))
    assert employees in html and law in html
    context["results"] = dataclasses.replace(context["results"], employee_learning=None)
    context["advice"] = dataclasses.replace(context["advice"], mandatory_training=None)
    html = re.sub(r"\s+", " ", report_html(context=context))
    assert employees not in html and law not in html
