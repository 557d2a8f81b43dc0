"""The monitor's content added in issue 19 section 3, as a person sees it on a phone (390 px)
and a laptop: beside Anna's team scan the monitor's figures for employees, the point on mandatory
training in her advice, Box 4.2 with the statements; the recommendations on Bram's leertafels page
and cohort page. Each page passes axe and scrolls no table sideways off the screen."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from leerscan.scans import services
from leerscan.teams.models import TEAM_ANSWER_KEYS
from tests.browser.conftest import PHONE
from tests.browser.test_adviser_pages import leertafel, log_in  # noqa: F401 (fixture)
from tests.browser.test_self_scan import expect_no_horizontal_scrolling
from tests.teams import answering

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": PHONE, "laptop": {}}


def _shot(page: Any, name: str) -> None:
    """A full-page screenshot when LEERSCAN_SCREENSHOTS names a folder (for a person to look at;
    nothing is asserted about it)."""
    folder = os.environ.get("LEERSCAN_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("size", SIZES)
def test_annas_results_show_the_monitors_employees_the_law_and_box_4_2(
    new_context, live_server, anna_scan, axe_check, size
):
    scan = services.scan_finish(scan=anna_scan)
    answering.answer(scan, [{**dict.fromkeys(TEAM_ANSWER_KEYS, 4), "taken": 6}] * 5)
    page = new_context(**SIZES[size]).new_page()
    page.goto(f"{live_server.url}/scan/{scan.token}/resultaten/")
    employees = page.locator(".monitor-employees")
    assert employees.is_visible()
    assert "58,0%" in employees.inner_text() and "N = 3" in employees.inner_text()
    page.locator(".monitor-employees summary").click()  # the 16 reasons fold open
    assert page.get_by_text("31,2%").first.is_visible()
    assert page.locator(".mandatory-training").is_visible()
    assert "7:611a" in page.locator(".mandatory-training").inner_text()
    assert "0,7" in page.locator(".two-measures").inner_text()
    expect_no_horizontal_scrolling(page)
    axe_check(page, "the results page with the monitor's employees, the law and Box 4.2")
    _shot(page, f"results-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_brams_leertafels_and_cohort_pages_show_recommendations_1_to_3(
    new_context,
    live_server,
    leertafel,  # noqa: F811
    axe_check,
    size,
):
    page = new_context(**SIZES[size]).new_page()
    log_in(page, live_server)
    recommendations = page.locator(".monitor-recommendations")
    assert recommendations.locator("li").count() == 3
    assert "aanbeveling 3, bewerkt" in recommendations.text_content()
    recommendations.locator("summary").click()  # folded, so the page stays short on a phone
    assert recommendations.locator("li").nth(2).is_visible()
    expect_no_horizontal_scrolling(page)
    axe_check(page, "the leertafels page with the monitor's recommendations")
    _shot(page, f"dashboard-{size}")
    page.goto(live_server.url + "/coaching/cohort/")
    assert page.locator(".monitor-recommendations li").count() == 3
    expect_no_horizontal_scrolling(page)
    axe_check(page, "the cohort page with the monitor's recommendations")
    _shot(page, f"cohort-{size}")
