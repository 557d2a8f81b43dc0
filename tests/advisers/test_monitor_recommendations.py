"""The monitor's recommendations 1-3 for advisers (the leertafels page, the group report) and
institutions (the cohort page), shortened and marked "bewerkt", from the benchmark set's data;
and Box 4.2 wherever the building blocks and the statements are shown together. Bram runs
leertafels and coaches clients for his institution."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leerscan.advisers import report as group_report

pytestmark = pytest.mark.django_db

FIRST = "LLO heeft alleen kans van slagen wanneer het samen wordt opgepakt"
SECOND = "LLO heeft niet voor iedereen dezelfde betekenis en urgentie"
THIRD = "Voorbeelden zijn leer- en ontwikkelcoaches, praktijkbegeleiders"
BOX_4_2 = "De correlatie is 0,7. (Monitor, paragraaf 4.4, Box 4.2)"


def test_bram_reads_the_three_recommendations_on_his_leertafels_page(bram_client, scan_data):
    html = bram_client.get(reverse("advisers:dashboard")).content.decode()
    for words in (FIRST, SECOND, THIRD):
        assert words in html
    for n in (1, 2, 3):
        assert f"(Monitor, Aanbevelingen, aanbeveling {n}, bewerkt)" in html
    assert 'aria-labelledby="kop-aanbevelingen"' in html


def test_the_group_report_has_the_recommendations_and_box_4_2(leertafel):
    context = group_report.group_report_context(leertafel=leertafel)
    html = group_report.group_report_html(context=context)
    for words in (FIRST, SECOND, THIRD):
        assert words in html
    # Box 4.2 stands with the statements, which the report shows only from enough participants.
    assert context["monitor"]["samenhang_metingen"].startswith("De samenhang tussen beide")


def test_the_cohort_page_has_the_recommendations_for_institutions(bram_client, scan_data):
    html = bram_client.get(reverse("coaching:cohort")).content.decode()
    for words in (FIRST, SECOND, THIRD):
        assert words in html
    assert "(Monitor, Aanbevelingen, aanbeveling 3, bewerkt)" in html
