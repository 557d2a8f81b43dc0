"""Coaching in real browsers: Bram (coach) adds Anna's IT firm as a client on a laptop and
copies the invitation; Anna does the intake scan on her phone, ticks what she wishes from a
school and makes a team link; six employees answer the team scan on their phones; Bram sees the
team next to Anna's own scores (blind spots), the bundled demand in the cohort view, and starts
the follow-up. Every new page passes axe with zero violations.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from benchmarks.vocabulary import BUILDING_BLOCKS, DLOQ_STATEMENTS, LEARNING_BEHAVIOURS
from leerscan.advisers.services import adviser_create
from leerscan.coaching.models import Client, Measurement
from leerscan.teams.models import TeamResponse
from tests.browser.conftest import PHONE
from tests.browser.test_leertafel import field
from tests.browser.test_self_scan import (
    answer_statements,
    button,
    consent,
    expect_no_horizontal_scrolling,
    expect_step,
    group,
    nl,
)

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails in CI, with the reason
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-7"  # noqa: S105 (a test password)
BLOCKS = list(BUILDING_BLOCKS)
BEHAVIOURS = list(LEARNING_BEHAVIOURS)
DLOQ = list(DLOQ_STATEMENTS)
# Anna rates every building block 5; her six employees rate them 2 or 3 (mean 2.5): a clear
# difference on every block, so six blind spots.
ANNA_BLOCK = 5
TEAM_BLOCK = (2, 3, 2, 3, 2, 3)


def anna_does_the_intake(phone: Any, invite_url: str, axe_check: Any) -> str:
    """On Anna's phone: the invitation, step 1 prefilled (she confirms), the statements; the
    private token of her scan."""
    phone.goto(invite_url)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Leerwerk Advies")
    axe_check(phone, "the invitation")
    button(phone, "Start the scan").click()
    expect_step(phone, 1, "Your organisation")
    expect(phone.get_by_label(nl("Number of employees"))).to_have_value("12")
    group(phone, nl("Your role")).get_by_label(nl("Owner or director")).check()
    consent(phone).check()
    button(phone, "Next").click()
    expect_step(phone, 2, "Learning culture")
    answer_statements(phone, {f"{block}_kern": ANNA_BLOCK for block in BLOCKS})
    button(phone, "Next").click()
    expect_step(phone, 3, "Learning as an organisation")
    answer_statements(phone, dict.fromkeys(DLOQ, 4))
    button(phone, "Next").click()
    for number, title in ((4, "Training in figures"), (5, "Arrangements and HR")):
        expect_step(phone, number, title)
        button(phone, "Next").click()
    expect_step(phone, 6, "Staff")
    button(phone, "Save and check").click()
    button(phone, "Finish and see results").click()
    expect(phone).to_have_url(re.compile(r"/scan/[\w-]{32}/resultaten/$"))
    return phone.url.split("/")[4]


def employee_answers(phone: Any, team_url: str, block: int, behaviour: int) -> None:
    phone.goto(team_url)
    for key in BLOCKS:
        phone.locator(f"#id_{key}_{block}").check()
    for key in BEHAVIOURS:
        phone.locator(f"#id_{key}_{behaviour}").check()
    button(phone, "Send").click()
    expect(phone).to_have_url(re.compile(r"/team/[\w-]{32}/bedankt/$"))


def test_a_coaching_track_from_invitation_to_follow_up(
    new_context, live_server, scan_data, axe_check
):
    adviser_create(
        email="bram@leerwerk-advies.nl", organisation_name="Leerwerk Advies", password=PASSWORD
    )

    # Bram logs in and adds Anna's firm as a client.
    laptop = new_context().new_page()
    laptop.goto(live_server.url + "/coaching/")
    expect(laptop).to_have_url(re.compile(r"/adviseur/inloggen/"))
    laptop.get_by_label(nl("E-mail address")).fill("bram@leerwerk-advies.nl")
    laptop.get_by_label(nl("Password")).fill(PASSWORD)
    button(laptop, "Log in").click()
    expect(laptop).not_to_have_url(re.compile(r"/adviseur/inloggen/"))
    laptop.goto(live_server.url + "/coaching/")
    expect(laptop.get_by_role("heading", level=1)).to_have_text(nl("Your clients"))
    axe_check(laptop, "the coach's clients")
    laptop.get_by_role("link", name=nl("New client")).click()
    expect(laptop).to_have_url(re.compile(r"/coaching/klanten/nieuw/$"))
    axe_check(laptop, "the new client form")
    field(laptop, "Name of the organisation").fill("Adviesbureau Anna")
    laptop.get_by_label(re.compile(r"^\s*" + nl("SBI code"))).fill("6201")
    laptop.get_by_label(re.compile(r"^\s*" + nl("Number of employees"))).fill("12")
    laptop.get_by_label(re.compile(r"^\s*" + nl("Province"))).select_option(label="Groningen")
    button(laptop, "Add the client").click()
    expect(laptop).to_have_url(re.compile(r"/coaching/klanten/\d+/$"))
    client = Client.objects.get()
    axe_check(laptop, "the client page")
    invite_url = laptop.locator("#uitnodiging-0").input_value()
    assert invite_url.endswith(f"/coaching/uitnodiging/{client.measurements.get().invite_token}/")

    # Anna does the intake on her phone, ticks two wishes and makes a team link.
    anna = new_context(**PHONE).new_page()
    token = anna_does_the_intake(anna, invite_url, axe_check)
    assert Measurement.objects.get(client=client, round=0).scan.token == token
    expect_no_horizontal_scrolling(anna)
    anna.get_by_role("link", name=nl("What you wish from a school, college or university")).click()
    expect(anna).to_have_url(re.compile(r"/scan/[\w-]+/coaching/$"))
    axe_check(anna, "the intake checklist")
    anna.get_by_label(nl("Shorter courses")).check()
    anna.get_by_label(nl("More online courses")).check()
    anna.locator("textarea, input[type=text]").first.fill("Leidinggeven aan developers")
    button(anna, "Save").click()
    anna.goto(live_server.url + f"/scan/{token}/resultaten/")
    anna.get_by_label(nl("How many employees do you invite?")).fill(str(len(TEAM_BLOCK)))
    button(anna, "Make invitations").click()
    expect(anna.get_by_role("heading", level=1)).to_have_text(nl("Invitations for the team scan"))
    axe_check(anna, "the team invitations")
    expect_no_horizontal_scrolling(anna)
    team_urls = anna.locator("#team-links").input_value().split()
    assert len(team_urls) == len(TEAM_BLOCK)
    assert all(re.fullmatch(r"http://[^/]+/team/[\w-]{32}/", url) for url in team_urls)

    # Anna's own phone cannot answer an invitation: her answers would mix into the team's.
    anna.goto(team_urls[0])
    expect(anna.get_by_role("alert")).to_contain_text(nl("This invitation is for an employee."))
    for key in BLOCKS + BEHAVIOURS:
        anna.locator(f"#id_{key}_1").check()
    button(anna, "Send").click()
    expect(anna.get_by_role("alert")).to_contain_text(nl("This invitation is for an employee."))
    assert TeamResponse.objects.count() == 0

    # Six employees answer on their phones, each with their own invitation; the first sees the
    # form checked by axe.
    for number, (block, team_url) in enumerate(zip(TEAM_BLOCK, team_urls, strict=True)):
        employee = new_context(**PHONE).new_page()
        if number == 0:
            employee.goto(team_url)
            axe_check(employee, "the team form")
            expect_no_horizontal_scrolling(employee)
        employee_answers(employee, team_url, block, 4)
        if number == 0:
            axe_check(employee, "the team thank-you page")
            employee.goto(team_url)  # a used invitation
            expect(employee.get_by_role("heading", level=1)).to_have_text(
                nl("This invitation has been used")
            )
        employee.context.close()
    assert TeamResponse.objects.count() == len(TEAM_BLOCK)

    # Bram sees the team next to Anna's own scores: six blind spots, and no single answer. The
    # figures are those of the first five (2, 3, 2, 3, 2: 2.4, shown to half a point as 2.5).
    laptop.goto(live_server.url + f"/coaching/klanten/{client.pk}/ronde/0/")
    team = laptop.locator("#team")
    expect(team).to_contain_text(nl("Blind spot"))
    team_row = team.get_by_role("row", name=re.compile(nl("Content of the work")))
    expect(team_row).to_contain_text("5,0")
    expect(team_row).to_contain_text("2,5")
    assert token not in laptop.content()
    axe_check(laptop, "the coach's view of the intake with the team")

    # The cohort view adds up what clients ask for.
    laptop.goto(live_server.url + "/coaching/cohort/")
    demand = laptop.locator("#kop-vraag").locator("xpath=..")
    for wish in ("Shorter courses", "More online courses"):
        expect(demand.get_by_role("row", name=re.compile(re.escape(nl(wish))))).to_contain_text("1")
    expect(demand).to_contain_text("Leidinggeven aan developers")
    axe_check(laptop, "the cohort view")

    # Bram starts the follow-up: a second invitation appears; progress waits for it.
    laptop.goto(live_server.url + f"/coaching/klanten/{client.pk}/")
    button(laptop, "Start follow-up").click()
    expect(laptop.locator("#uitnodiging-1")).to_have_value(
        re.compile(r"/coaching/uitnodiging/[\w-]{32}/$")
    )
    assert client.measurements.count() == 2
    laptop.goto(live_server.url + f"/coaching/klanten/{client.pk}/voortgang/")
    axe_check(laptop, "the progress page")
