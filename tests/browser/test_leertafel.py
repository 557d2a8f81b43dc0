"""A leertafel in real browsers: Bram (adviser) creates it on a laptop; three employers join by
code on their phones and finish their scans; the projected group view shows three finished, the
right means and a name only where it was allowed; ideas placed from two phones appear on the
projector's matrix. Every page passes axe with zero violations.

Tiles: Anna's IT firm in Groningen (12 people, allows her name), a bakery in Fryslân (7 people,
anonymous) and a metal firm in Drenthe (150 people, anonymous).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from leerscan.advisers.models import Leertafel, Participant
from leerscan.advisers.services import adviser_create
from tests.browser.conftest import PHONE
from tests.browser.test_self_scan import (
    answer_statements,
    button,
    expect_no_horizontal_scrolling,
    expect_step,
    fill_organisation,
    nl,
)

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails in CI, with the reason
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-7"  # noqa: S105 (a test password)
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}

BLOCKS = [
    "taken_kern",
    "ruimte_veiligheid_kern",
    "samenwerken_kern",
    "leiderschap_kern",
    "organisatie_inrichting_kern",
    "externe_omgeving_kern",
]
DLOQ = [
    "leren_essentieel",
    "feedback_reflectie",
    "leren_in_doelen",
    "opleidingsplekken",
    "meten_resultaten",
]
# name, sector, employees, province, every building block, every DLOQ statement, name allowed
EMPLOYERS = [
    ("Adviesbureau Anna", "J", "12", "Groningen", 5, 4, True),
    ("Bakkerij De Korenschoof", "C", "7", "Fryslân", 2, 3, False),
    ("Metaalbewerking Drenthe", "C", "150", "Drenthe", 4, 5, False),
]


def field(page: Any, msgid: str) -> Any:
    """A form field by its Dutch label, with or without the required-field asterisk."""
    text = nl(msgid)
    label = re.escape(text[:1].upper() + text[1:])
    return page.get_by_label(re.compile(rf"^\s*{label}\s*\*?\s*$"))


def employer_joins_and_finishes(phone: Any, live_server: Any, code: str, employer: tuple) -> str:
    """On a phone: type the code, start, answer the required statements, finish; the token."""
    name, sector, employees, province, block_score, dloq_score, _allowed = employer
    phone.goto(live_server.url + "/doe-mee/")
    field(phone, "Code").fill(code.lower())  # case is forgiven
    button(phone, "Next").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Leertafel techniek Emmen")
    button(phone, "Start the scan").click()
    expect_step(phone, 1, "Your organisation")
    fill_organisation(
        phone,
        name=name,
        sector_letter=sector,
        employees=employees,
        province=province,
        role="Owner or director",
    )
    button(phone, "Next").click()
    expect_step(phone, 2, "Learning culture")
    expect(phone.locator("details.deepening")).to_have_count(0)  # the short scan
    answer_statements(phone, dict.fromkeys(BLOCKS, block_score))
    button(phone, "Next").click()
    expect_step(phone, 3, "Learning as an organisation")
    answer_statements(phone, dict.fromkeys(DLOQ, dloq_score))
    button(phone, "Next").click()
    for number, title in ((4, "Training in figures"), (5, "Arrangements and HR")):
        expect_step(phone, number, title)
        button(phone, "Next").click()
    expect_step(phone, 6, "Staff")
    button(phone, "Save and check").click()
    button(phone, "Finish and see results").click()
    expect(phone).to_have_url(re.compile(r"/scan/[\w-]{32}/resultaten/$"))
    expect_no_horizontal_scrolling(phone)
    return phone.url.split("/")[4]


def test_a_leertafel_from_code_to_projector(new_context, live_server, scan_data, axe_check):
    adviser_create(
        email="bram@leerwerk-advies.nl", organisation_name="Leerwerk Advies", password=PASSWORD
    )

    # Bram logs in and creates a short-mode leertafel with the instrumental approach.
    laptop = new_context().new_page()
    laptop.goto(live_server.url + "/adviseur/")
    expect(laptop).to_have_url(re.compile(r"/adviseur/inloggen/"))
    axe_check(laptop, "the adviser login")
    laptop.get_by_label(nl("E-mail address")).fill("bram@leerwerk-advies.nl")
    laptop.get_by_label(nl("Password")).fill(PASSWORD)
    button(laptop, "Log in").click()
    expect(laptop.get_by_role("heading", level=1)).to_have_text(nl("Your leertafels"))
    axe_check(laptop, "the dashboard")
    laptop.get_by_role("link", name=nl("New leertafel")).click()
    expect(laptop).to_have_url(re.compile(r"/adviseur/leertafel/nieuw/$"))
    axe_check(laptop, "the new leertafel form")
    field(laptop, "name").fill("Leertafel techniek Emmen")
    field(laptop, "date").fill("2026-12-03")
    field(laptop, "place").fill("Emmen")
    laptop.get_by_label(nl("instrumental: the wow-how-now-no matrix")).check()
    laptop.get_by_label(nl("short scan (core statements only)").capitalize()).check()
    button(laptop, "Create the leertafel").click()
    expect(laptop).to_have_url(re.compile(r"/adviseur/leertafel/\d+/$"))
    axe_check(laptop, "the leertafel page")
    leertafel = Leertafel.objects.get()
    expect(laptop.get_by_label(nl("Join code"))).to_have_text(leertafel.code)
    expect(laptop.locator(".qr-join svg")).to_be_visible()

    # The group view on the projector, before anyone finished: no figures.
    projector = new_context(**PROJECTOR).new_page()
    projector.context.add_cookies(laptop.context.cookies())
    projector.goto(live_server.url + f"/adviseur/leertafel/{leertafel.pk}/groep/")
    expect(projector.get_by_role("status")).to_contain_text("3")
    axe_check(projector, "the group view without figures")

    # Three employers, each on their own phone.
    phones, tokens = [], []
    for employer in EMPLOYERS:
        phone = new_context(**PHONE).new_page()
        tokens.append(employer_joins_and_finishes(phone, live_server, leertafel.code, employer))
        phones.append(phone)
    axe_check(phones[0], "a participant's results page")

    # Anna allows her name on her leertafel page; the others stay anonymous.
    anna = phones[0]
    anna.goto(live_server.url + f"/scan/{tokens[0]}/leertafel/")
    axe_check(anna, "the participant page")
    anna.get_by_label(nl("The table may see my organisation's name next to my scores")).check()
    button(anna, "Save").click()
    assert Participant.objects.get(scan__token=tokens[0]).show_name

    # Two ideas from two phones.
    for phone, token, text, quadrant in (
        (phones[0], tokens[0], "Elke vrijdag een kennissessie", "wow"),
        (phones[1], tokens[1], "Samen met de buren opleiden", "how"),
    ):
        phone.goto(live_server.url + f"/scan/{token}/leertafel/ideeen/")
        axe_check(phone, "the ideas page")
        phone.get_by_role("radio", name=nl("Content of the work")).check()
        field(phone, "Your idea").fill(text)
        phone.locator(f"input[name=quadrant][value={quadrant}]").check()
        button(phone, "Add my idea").click()
        expect(phone.get_by_text(text)).to_be_visible()

    # The group view updates by itself: 3 finished, the means, Anna's name only.
    live = projector.locator("#groep-live")
    expect(live).to_contain_text(re.compile(nl("Finished") + r"\s*3"), timeout=15_000)
    content = projector.get_by_role("article", name=nl("Content of the work"))
    expected_mean = sum(Decimal(e[4]) for e in EMPLOYERS) / 3
    expect(content.locator(".group-mean-figure")).to_have_text(
        f"{expected_mean:.1f}".replace(".", ",")
    )
    expect(projector.locator("body")).to_contain_text("Adviesbureau Anna")
    expect(projector.locator("body")).not_to_contain_text("Bakkerij De Korenschoof")
    expect(projector.locator("body")).not_to_contain_text("Metaalbewerking Drenthe")
    axe_check(projector, "the group view with figures")

    # The matrix on the projector shows both ideas in their quadrants.
    projector.goto(live_server.url + f"/adviseur/leertafel/{leertafel.pk}/matrix/")
    for text, quadrant in (
        ("Elke vrijdag een kennissessie", "wow"),
        ("Samen met de buren opleiden", "how"),
    ):
        cell = projector.locator(f"#kwadrant-taken-{quadrant}").locator("xpath=..")
        expect(cell.locator(".idea-text", has_text=text)).to_be_visible()
    axe_check(projector, "the matrix")
