"""The results page as the three personas see it on a phone and on a desktop."""

from __future__ import annotations

import pytest

from leerscan.scans import services
from tests.personas_more import bakery_scan, metal_scan  # noqa: F401

pytestmark = pytest.mark.browser

PERSONAS = ["anna_scan", "bakery_scan", "metal_scan"]


def _finished(request, persona: str):
    scan = request.getfixturevalue(persona)
    return services.scan_finish(scan=scan)


def _open(page, live_server, scan) -> None:
    page.goto(f"{live_server.url}/scan/{scan.token}/resultaten/")


@pytest.mark.parametrize("persona", PERSONAS)
def test_on_a_phone_the_verdict_is_on_the_first_screen_and_nothing_scrolls_sideways(
    request, new_context, live_server, axe_check, persona
) -> None:
    scan = _finished(request, persona)
    for width in (390, 360):
        page = new_context(viewport={"width": width, "height": 844}, is_mobile=True).new_page()
        _open(page, live_server, scan)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), width
        verdict = page.locator(".glance .verdict")
        box = verdict.bounding_box()
        assert verdict.is_visible() and box["y"] + box["height"] <= 844, box
        # The wide tables and the chart of the building blocks give way to cards with a dot
        # plot on a phone; the chart of the differences stays, its values as text.
        assert not page.get_by_role("figure", name="Bouwstenen van de leercultuur").is_visible()
        assert page.locator(".score-card").first.is_visible()
        assert page.get_by_role("figure", name="Verschil").is_visible()
        sizes = page.eval_on_selector_all(
            ".score-card, .status-list li, .dot-legend, .page-chart p, .page-chart text",
            "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))",
        )
        assert sizes and min(sizes) >= 12, sizes
    axe_check(page, f"the results page of {persona} on a phone")


@pytest.mark.parametrize("persona", PERSONAS)
def test_on_a_desktop_the_tables_and_charts_are_there(
    request, page, live_server, axe_check, persona
) -> None:
    scan = _finished(request, persona)
    _open(page, live_server, scan)
    assert page.get_by_role("heading", name="In één oogopslag").is_visible()
    assert page.get_by_role("figure", name="Bouwstenen van de leercultuur").is_visible()
    assert page.get_by_role("figure", name="Verschil").is_visible()
    assert page.get_by_role("table", name="De zes bouwstenen").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    axe_check(page, f"the results page of {persona} on a desktop")


def test_the_group_values_and_the_monitors_words_fold_open_without_javascript(
    new_context, live_server, anna_scan
) -> None:
    scan = services.scan_finish(scan=anna_scan)
    page = new_context(java_script_enabled=False).new_page()
    _open(page, live_server, scan)
    summary = page.get_by_text("Alle groepen, met het aantal werkgevers (n)").first
    group_table = page.get_by_role("table", name="De zes bouwstenen (schaal 1-6): alle groepen")
    assert not group_table.is_visible()
    summary.click()
    assert group_table.is_visible()
    assert "n = 786" in group_table.inner_text()
