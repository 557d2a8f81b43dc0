"""Invitations by e-mail and reminders in real browsers, with and without JavaScript: Anna gives
her team's addresses on her phone and laptop, gets a mistake pointed out next to the field, sends,
and later reminds (the task worker mails the reminder); Bram has Leerscan mail Anna's invitation
from the client page. Every state passes axe (which needs JavaScript in the page, so it runs in
the runs with JavaScript).

Set LEERSCAN_SCREENSHOT_DIR to keep a screenshot of each state (phone and laptop) for a person to
look at; the test asserts nothing about them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from leerscan.advisers.models import Adviser
from leerscan.advisers.services import adviser_create
from leerscan.coaching.models import Client, Measurement
from leerscan.scans import services as scan_services
from leerscan.teams.tasks import team_reminder_send
from tests.browser.conftest import PHONE
from tests.browser.test_self_scan import button, expect_no_horizontal_scrolling, nl
from tests.teams.test_reminders import age
from tests.worker import run_queued

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails in CI, with the reason
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-7"  # noqa: S105 (a test password)
TEAM = [f"medewerker{n}@anna-it.nl" for n in range(1, 7)]
# (size, JavaScript on): axe and screenshots in the first two, the forms alone in the third.
RUNS = [("phone", True), ("laptop", True), ("phone", False)]


class Visit:
    """A browser page of one run, with axe and a screenshot per state when JavaScript is on."""

    def __init__(self, new_context: Any, axe_check: Any, size: str, javascript: bool) -> None:
        options = {**(PHONE if size == "phone" else {}), "java_script_enabled": javascript}
        self.page = new_context(**options).new_page()
        self.axe_check, self.size, self.javascript = axe_check, size, javascript

    def check(self, what: str, name: str) -> None:
        if not self.javascript:
            return
        self.axe_check(self.page, what)
        folder = os.environ.get("LEERSCAN_SCREENSHOT_DIR")
        if folder:
            path = Path(folder) / f"{name}-{self.size}.png"
            self.page.screenshot(path=str(path), full_page=True)


@pytest.mark.parametrize(("size", "javascript"), RUNS)
def test_anna_mails_her_team_and_reminds_it(
    new_context, live_server, anna_scan, axe_check, size, javascript
):
    scan = scan_services.scan_finish(scan=anna_scan)
    visit = Visit(new_context, axe_check, size, javascript)
    page = visit.page
    page.goto(live_server.url + f"/scan/{scan.token}/team/uitnodigingen/")
    visit.check("the invitations page", "team-1-empty")

    field = page.get_by_label(nl("E-mail addresses, one per line"))
    field.fill("\n".join([*TEAM[:5], "medewerker6"]))
    button(page, "Send the invitations").click()
    expect(page.locator("#error_id_emails")).to_contain_text("medewerker6")
    expect(field).to_have_value(re.compile("medewerker1@anna-it.nl"))
    visit.check("the invitations page with a wrong address", "team-2-error")
    assert not mail.outbox

    field.fill("\n".join(TEAM))
    button(page, "Send the invitations").click()
    expect(page.get_by_role("heading", name=nl("Send a reminder"))).to_be_visible()
    expect(field).to_have_value("")
    assert len(mail.outbox) == 6 and all(len(m.to) == 1 for m in mail.outbox)
    if javascript:
        expect_no_horizontal_scrolling(page)
    visit.check("the invitations page after sending", "team-3-sent")

    age(scan)
    button(page, "Send a reminder").click()
    expect(page.get_by_role("button", name=nl("Send a reminder"))).to_have_count(0)
    assert len(mail.outbox) == 6  # the request queued the reminder; the worker sends it
    run_queued(team_reminder_send)
    assert len(mail.outbox) == 12
    visit.check("the invitations page after a reminder", "team-4-reminded")


@pytest.mark.parametrize(("size", "javascript"), RUNS)
def test_bram_has_leerscan_mail_the_invitation(
    new_context, live_server, scan_data, axe_check, size, javascript
):
    adviser_create(
        email="bram@leerwerk-advies.nl", organisation_name="Leerwerk Advies", password=PASSWORD
    )
    visit = Visit(new_context, axe_check, size, javascript)
    page = visit.page
    page.goto(live_server.url + "/adviseur/inloggen/")
    page.get_by_label(nl("E-mail address")).fill("bram@leerwerk-advies.nl")
    page.get_by_label(nl("Password")).fill(PASSWORD)
    button(page, "Log in").click()
    expect(page).not_to_have_url(re.compile(r"/inloggen/"))
    bram = Adviser.objects.get()
    client = Client.objects.create(
        organisation=bram.organisation, name="Anna IT", contact_email="anna@anna-it.nl"
    )
    Measurement.objects.create(client=client, round=0)
    page.goto(live_server.url + f"/coaching/klanten/{client.pk}/")
    visit.check("the client page with the mail button", "coach-1-before")

    page.get_by_role("button", name=re.compile("anna@anna-it.nl")).click()
    expect(page.get_by_role("status").first).to_contain_text("anna@anna-it.nl")
    assert [m.to for m in mail.outbox] == [["anna@anna-it.nl"]]
    expect(page.get_by_role("button", name=re.compile("anna@anna-it.nl"))).to_be_disabled()
    visit.check("the client page after mailing", "coach-2-after")
