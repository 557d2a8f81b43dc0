"""Not losing the link, in a real browser: the remembered scan, the QR code, the language switch.

Anna starts her scan on her phone, closes the tab, and comes back to the home page later: it offers
to continue. Her laptop's browser is English, and she still gets Dutch until she chooses otherwise.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.test_self_scan import (
    button,
    expect,
    expect_no_horizontal_scrolling,
    expect_step,
    nl,
    start_scan,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anna_continues_her_remembered_scan_from_the_home_page(
    phone_page, live_server, scan_data, axe_check
) -> None:
    page = phone_page
    start_scan(page, live_server)

    # The step's resume block: the link as a QR code with a text alternative, and the mail form.
    page.get_by_text(nl("Continue on another device, or get the link by e-mail")).click()
    qr = page.get_by_role("img", name=nl("QR code of your private link"))
    expect(qr).to_be_visible()
    assert qr.locator("svg").count() == 1
    expect(page.get_by_label(nl("Send me the link by e-mail"))).to_be_visible()
    expect_no_horizontal_scrolling(page)
    axe_check(page, "step 1 with the QR code and the e-mail form, on a phone")

    page.goto(live_server.url + "/")
    offer = page.get_by_role("region", name=nl("Continue your scan"))
    expect(offer).to_be_visible()
    expect_no_horizontal_scrolling(page)
    axe_check(page, "the landing page with a remembered scan, on a phone")
    offer.get_by_role("link", name=nl("Continue your scan")).click()
    expect_step(page, 1, "Your organisation")

    page.goto(live_server.url + "/")
    page.get_by_role("button", name=nl("Forget this device")).click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("region", name=nl("Continue your scan"))).to_have_count(0)
    expect(page.get_by_role("link", name=nl("Start the scan"))).to_be_visible()


def test_an_english_browser_gets_dutch_until_english_is_chosen(
    new_context, live_server, scan_data
) -> None:
    page = new_context(locale="en-GB").new_page()
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    page.get_by_label(nl("Language")).select_option("en")
    button(page, "Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Privacy", exact=True).click()
    expect(page).to_have_url(re.compile(r"/privacy/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_label("Language").select_option("nl")
    page.get_by_role("button", name="Change", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
