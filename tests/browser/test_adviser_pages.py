"""Every page of the advisers' side and of joining that the leertafel walk-through does not
reach, checked with axe (zero violations), on a phone and on a laptop: joining by code (also a
wrong code and a closed leertafel), the questions for the table, the group report's page below
the threshold, inviting colleagues, the password reset pages, and a form with its errors."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from leerscan.advisers.models import Leertafel
from leerscan.advisers.services import adviser_create, leertafel_create, leertafel_set_open
from tests.browser.conftest import PHONE
from tests.browser.test_self_scan import button, expect_no_horizontal_scrolling, nl

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails in CI, with the reason
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-7"  # noqa: S105 (a test password)


@pytest.fixture
def leertafel(scan_data) -> Leertafel:
    bram = adviser_create(
        email="bram@leerwerk-advies.nl", organisation_name="Leerwerk Advies", password=PASSWORD
    )
    return leertafel_create(
        adviser=bram,
        data={
            "name": "Leertafel bakkers Fryslân",
            "date": datetime.date(2026, 12, 10),
            "place": "Leeuwarden",
            "approach": Leertafel.Approach.OPEN,
            "theme": "Personeel vasthouden",
            "short_mode": False,
        },
        language="nl",
    )


def log_in(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/adviseur/inloggen/")
    page.get_by_label(nl("E-mail address")).fill("bram@leerwerk-advies.nl")
    page.get_by_label(nl("Password")).fill(PASSWORD)
    button(page, "Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Your leertafels"))


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_join_pages_pass_axe(new_context, live_server, leertafel, axe_check, size):
    page = new_context(**(PHONE if size == "phone" else {})).new_page()
    page.goto(live_server.url + "/doe-mee/")
    axe_check(page, "the join page")
    page.get_by_role("textbox").fill("ZZ")
    button(page, "Next").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    axe_check(page, "the join page with an error")
    page.goto(live_server.url + f"/doe-mee/{leertafel.code}/")
    axe_check(page, "a leertafel's join page")
    expect_no_horizontal_scrolling(page)
    leertafel_set_open(leertafel=leertafel, is_open=False)
    page.reload()
    axe_check(page, "a closed leertafel's join page")


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_adviser_pages_pass_axe(new_context, live_server, leertafel, axe_check, size):
    page = new_context(**(PHONE if size == "phone" else {})).new_page()
    log_in(page, live_server)
    base = f"{live_server.url}/adviseur/leertafel/{leertafel.pk}"
    for url, what in (
        (f"{base}/vragen/", "the questions for the table"),
        (f"{base}/rapport/", "the group report below the threshold"),
        (f"{base}/groep/", "the group view without participants"),
        (f"{live_server.url}/adviseur/collegas/", "inviting colleagues"),
    ):
        page.goto(url)
        axe_check(page, what)
        expect_no_horizontal_scrolling(page)
    page.goto(f"{live_server.url}/adviseur/leertafel/nieuw/")
    button(page, "Create the leertafel").click()  # everything empty
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    axe_check(page, "the new leertafel form with its errors")


def test_the_password_reset_pages_pass_axe(page, live_server, leertafel, axe_check):
    page.goto(live_server.url + "/adviseur/wachtwoord-vergeten/")
    axe_check(page, "forgot your password")
    page.get_by_role("textbox").fill("bram@leerwerk-advies.nl")
    button(page, "Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Check your e-mail"))
    axe_check(page, "the e-mail is on its way")
    page.goto(live_server.url + "/adviseur/wachtwoord/MQ/ongeldig-token/")
    axe_check(page, "a password link that no longer works")
