"""The self-scan in a real browser, as a person takes it: by labels, roles and the keyboard.

Anna owns an IT consultancy of 12 people (SBI 6202) in Groningen and takes the scan in Dutch.
Every page she sees passes axe with zero violations. The words the tests look for are the
Dutch catalogue's translations of the app's English msgids, i.e. exactly what Anna reads.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation

from leerscan.scans.forms import sector_choice_label
from leerscan.scans.models import Item

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails in CI, with the reason
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGREEMENT = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Slightly disagree",
    4: "Slightly agree",
    5: "Agree",
    6: "Strongly agree",
}
# Anna's statements on steps 2 and 3, by item key; the content of the work gets a 3.
ANNA_BUILDING_BLOCKS = {
    "taken_kern": 3,
    "ruimte_veiligheid_kern": 4,
    "samenwerken_kern": 5,
    "leiderschap_kern": 4,
    "organisatie_inrichting_kern": 5,
    "externe_omgeving_kern": 4,
}
ANNA_DEEPENING = {"taken_uitdaging": 5, "leiderschap_voorbeeld": 2}
ANNA_DLOQ = {
    "leren_essentieel": 5,
    "feedback_reflectie": 4,
    "leren_in_doelen": 4,
    "opleidingsplekken": 6,
    "meten_resultaten": 2,
}
# Step 4 (numbers as typed: a Dutch decimal comma, "ongeveer", a percent sign) and step 5.
# Anna has 12 employees, so participation is asked as a number of them, or as a percentage.
TURNOVER_QUESTION = (
    "What percentage of your turnover do you spend on learning, development and training?"
)
IMPORTANCE = "How important is it that your employees can learn?"
ANNA_TRAINING = {
    "Or as a percentage of your employees": "40",
    "How many hours of training did a participant take on average in the last 12 months?": (
        "ongeveer 24"
    ),
    "What percentage of the training takes place during working hours?": "80%",
    "What percentage of the training costs does your organisation pay?": "100",
    "For what percentage of the training does a repayment clause apply?": "10",
    TURNOVER_QUESTION: "1,5",
}
ANNA_ARRANGEMENTS = {
    "Does your organisation have a promotion arrangement?": "No",
    "Does your organisation have a performance review arrangement?": "Yes",
    "Does your organisation have a training arrangement?": "I don't know",
    "Does your organisation have an HR (P&O) department?": "No",
}


def nl(msgid: str) -> str:
    """The Dutch a person sees for an English msgid (the msgid itself while untranslated)."""
    with translation.override("nl"):
        return translation.gettext(msgid)


def dutch(msgid: str) -> str:
    """Like nl(), for a text that must really be Dutch on the page (an error message, say)."""
    text = nl(msgid)
    assert text != msgid, f"the Dutch catalogue does not translate {msgid!r}"
    return text


def scale(value: int) -> str:
    """A point on the six-point scale as labelled on the page, e.g. "3 – Enigszins oneens"."""
    return f"{value} \u2013 {nl(AGREEMENT[value])}"


def statement(key: str) -> str:
    """The Dutch text of a statement in the item bank."""
    return Item.objects.get(key=key).text_nl


def sector(letter: str) -> str:
    """A sector as the list shows it, with its examples: "Industrie — o.a. bakkerij, ..."."""
    with translation.override("nl"):
        return sector_choice_label(letter)


def open_deepening(page: Any) -> None:
    """Unfold "Verdieping (niet verplicht)" on step 2; it is closed at first."""
    deepening = page.locator("details.deepening")
    expect(deepening).not_to_have_attribute("open", "")
    deepening.locator("summary").click()
    expect(deepening).to_have_attribute("open", "")


def group(page: Any, legend: str) -> Any:
    """A fieldset (radio or checkbox group) by its legend."""
    return page.get_by_role("group", name=legend)


def button(page: Any, msgid: str) -> Any:
    return page.get_by_role("button", name=nl(msgid), exact=True)


def expect_step(page: Any, number: int, title: str) -> None:
    expect(page).to_have_url(re.compile(rf"/scan/[\w-]{{32}}/stap/{number}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(nl(title))


def start_scan(page: Any, live_server: Any) -> None:
    """From the landing page to step 1 of a new scan."""
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.get_by_role("link", name=nl("Start the scan")).click()
    button(page, "Begin").click()
    expect(page).to_have_url(re.compile(r"/scan/[\w-]{32}/stap/1/\?nieuw=1$"))
    expect_step(page, 1, "Your organisation")


def resume_link(page: Any) -> str:
    """The private link, read from its labelled field (opening the disclosure if it is in one)."""
    field = page.get_by_label(nl("Your private link"), exact=True)
    if not field.is_visible():
        page.get_by_text(nl("Continue later? Your private link"), exact=True).click()
    expect(field).to_be_visible()
    link = field.input_value()
    assert re.fullmatch(r"http://[^/]+/scan/[\w-]{32}/", link), link
    return link


def fill_organisation(
    page: Any,
    *,
    employees: str,
    province: str,
    role: str,
    name: str = "",
    sector_letter: str = "",
    sbi_code: str = "",
) -> None:
    """Step 1 with the mouse; the province and role are English msgids (or Dutch names)."""
    if name:
        page.get_by_label(nl("Name of your organisation (optional)")).fill(name)
    if sector_letter:
        page.get_by_label(nl("Sector"), exact=True).select_option(label=sector(sector_letter))
    if sbi_code:
        page.get_by_label(nl("SBI code (optional)")).fill(sbi_code)
    page.get_by_label(nl("Number of employees")).fill(employees)
    group(page, nl("Where is your organisation located?")).get_by_label(nl(province)).check()
    group(page, nl("Your role")).get_by_label(nl(role)).check()
    consent(page).check()


def consent(page: Any) -> Any:
    return page.get_by_role(
        "checkbox",
        name=nl(
            "I agree that my answers are stored to show my results. I can delete them at any time."
        ),
    )


def chosen_option(select: Any) -> str:
    """The text of the option a select shows as chosen."""
    return select.evaluate("select => select.selectedOptions[0].textContent.trim()")


def answer_statements(page: Any, answers: dict[str, int]) -> None:
    for key, value in answers.items():
        group(page, statement(key)).get_by_role("radio", name=scale(value), exact=True).check()


def expect_statements_answered(page: Any, answers: dict[str, int]) -> None:
    for key, value in answers.items():
        statement_group = group(page, statement(key))
        expect(statement_group.get_by_role("radio", name=scale(value), exact=True)).to_be_checked()
        expect(statement_group.get_by_role("radio", checked=True)).to_have_count(1)


def expect_no_horizontal_scrolling(page: Any) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth, document.body.scrollWidth]"
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[1], (
        f"the page scrolls sideways on {page.url}: scrollWidth {widths[0]} (body {widths[2]}) "
        f"> innerWidth {widths[1]}"
    )


def test_anna_takes_the_whole_scan_on_a_desktop(page, live_server, scan_data, axe_check) -> None:
    page.goto(live_server.url + "/")
    axe_check(page, "the landing page")
    page.get_by_role("link", name=nl("Start the scan")).click()
    expect(page).to_have_url(re.compile(r"/scan/$"))
    axe_check(page, "the start page")
    button(page, "Begin").click()
    expect_step(page, 1, "Your organisation")
    resume_link(page)
    expect(page.get_by_role("button", name=nl("Copy link"))).to_be_visible()
    axe_check(page, "step 1")

    # Step 1, partly with the keyboard: type, Tab into the radio groups, arrows, Space, Enter.
    page.get_by_label(nl("Name of your organisation (optional)")).fill("Adviesbureau Anna")
    page.get_by_label(nl("Sector"), exact=True).select_option(label=sector("J"))
    page.get_by_label(nl("SBI code (optional)")).fill("6202")
    employees = page.get_by_label(nl("Number of employees"))
    employees.focus()
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    provinces = group(page, nl("Where is your organisation located?"))
    expect(provinces.get_by_role("radio", name="Drenthe")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(provinces.get_by_role("radio", name="Groningen")).to_be_checked()
    page.keyboard.press("Tab")
    owner = group(page, nl("Your role")).get_by_role("radio", name=nl("Owner or director"))
    expect(owner).to_be_focused()
    page.keyboard.press("Space")
    expect(owner).to_be_checked()
    page.keyboard.press("Tab")
    expect(consent(page)).to_be_focused()
    page.keyboard.press("Space")
    expect(consent(page)).to_be_checked()
    page.keyboard.press("Tab")
    expect(button(page, "Next")).to_be_focused()
    page.keyboard.press("Enter")

    expect_step(page, 2, "Learning culture")
    axe_check(page, "step 2")
    # The six required statements by keyboard: Tab into each row of buttons, Space picks 1, the
    # right arrow moves up the scale.
    first = group(page, statement("taken_kern")).get_by_role("radio").first
    first.focus()
    for index, (key, value) in enumerate(ANNA_BUILDING_BLOCKS.items()):
        row = group(page, statement(key))
        if index:
            page.keyboard.press("Tab")
        expect(row.get_by_role("radio", name=scale(1), exact=True)).to_be_focused()
        page.keyboard.press("Space")
        for _ in range(value - 1):
            page.keyboard.press("ArrowRight")
        expect(row.get_by_role("radio", name=scale(value), exact=True)).to_be_checked()
    expect_statements_answered(page, ANNA_BUILDING_BLOCKS)
    open_deepening(page)
    axe_check(page, "step 2 with the deepening open")
    answer_statements(page, ANNA_DEEPENING)
    button(page, "Next").click()

    expect_step(page, 3, "Learning as an organisation")
    axe_check(page, "step 3")
    answer_statements(page, ANNA_DLOQ)
    button(page, "Next").click()

    expect_step(page, 4, "Training in figures")
    axe_check(page, "step 4")
    group(page, nl(IMPORTANCE)).get_by_role("radio", name="8", exact=True).check()
    for question, number in ANNA_TRAINING.items():
        page.get_by_label(nl(question), exact=True).fill(number)
    goals = group(page, nl("What are the goals of training in your organisation?"))
    goals.get_by_label(nl("Increase expertise")).check()
    goals.get_by_label(nl("Increase professional knowledge")).check()
    button(page, "Next").click()

    expect_step(page, 5, "Arrangements and HR")
    axe_check(page, "step 5")
    # Whether HR is in charge of learning is asked only once there is an HR department.
    hr_task = group(page, nl("Is the HR department in charge of learning and development?"))
    expect(hr_task).to_be_hidden()
    hr = group(page, nl("Does your organisation have an HR (P&O) department?"))
    hr.get_by_role("radio", name=nl("Yes"), exact=True).check()
    expect(hr_task).to_be_visible()
    for question, answer in ANNA_ARRANGEMENTS.items():
        group(page, nl(question)).get_by_role("radio", name=nl(answer), exact=True).check()
    expect(hr_task).to_be_hidden()
    instruments = group(
        page, nl("Which of these instruments does your organisation use to develop employees?")
    )
    instruments.get_by_label(nl("Performance and/or appraisal interviews")).check()
    instruments.get_by_label(nl("Feedback from managers")).check()
    group(page, nl("Employees cannot be missed at work.")).get_by_role(
        "radio", name=scale(5), exact=True
    ).check()
    button(page, "Next").click()

    expect_step(page, 6, "Staff")
    axe_check(page, "step 6")
    group(
        page,
        nl("How will the number of staff in your organisation develop over the next two years?"),
    ).get_by_label(nl("It will grow")).check()
    group(page, nl("Which of these does your organisation use to find staff?")).get_by_label(
        nl("Freelancers (zzp)")
    ).check()
    problems = group(page, nl("How many problems do you expect in finding staff?"))
    problems.get_by_role("radio", name="7", exact=True).check()
    button(page, "Save and check").click()

    expect(page).to_have_url(re.compile(r"/scan/[\w-]{32}/controle/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Check and finish"))
    axe_check(page, "the review page")
    # The answers at a glance, with a link to change each step.
    step4 = page.get_by_role("region", name=re.compile(re.escape(nl("Training in figures"))))
    expect(step4).to_contain_text("24 " + nl("hours"))
    expect(step4).to_contain_text("80%")
    expect(step4).to_contain_text("1,5%")
    expect(step4.get_by_role("link", name=re.compile("4"))).to_have_attribute(
        "href", re.compile(r"/stap/4/$")
    )
    button(page, "Finish and see results").click()

    expect(page).to_have_url(re.compile(r"/scan/[\w-]{32}/resultaten/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{dutch('Your results')}: Adviesbureau Anna"
    )
    axe_check(page, "the results page")

    # Anna's own 3,0 for the content of the work next to similar organisations' 4,6 (Tabel 4.5:
    # 4.2 + (4.5 - 4.2) + (4.3 - 4.2)).
    blocks = page.get_by_role("table", name=nl("The six building blocks (scale 1-6)"))
    headers = [" ".join(h.split()) for h in blocks.get_by_role("columnheader").all_inner_texts()]
    content_of_work = blocks.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=nl("Content of the work"))
    )
    cells = content_of_work.get_by_role("cell")
    expect(cells.nth(headers.index(nl("Your score")) - 1)).to_have_text("3,0")
    peer = headers.index(nl("similar organisations (estimate)"))
    expect(cells.nth(peer - 1)).to_contain_text("4,6")
    # The deepening statement is shown beside the score, not mixed into it.
    expect(content_of_work.get_by_role("rowheader")).to_contain_text("5,0")
    dloq = page.get_by_role("table", name=nl("The five statements (scale 1-6)"))
    expect(dloq.get_by_role("row")).to_have_count(6)
    # Her figures from step 4 arrived, the decimal comma read as a comma.
    turnover = page.get_by_role("listitem").filter(has_text=nl(TURNOVER_QUESTION))
    expect(turnover).to_contain_text("1,5%")

    # The charts are drawn by the page itself, each named by its caption, her values as text.
    blocks_chart = page.get_by_role("figure", name=nl("Building blocks of learning culture"))
    expect(
        blocks_chart.get_by_role("listitem").filter(has_text=nl("Content of the work"))
    ).to_contain_text("3,0")
    differences = page.get_by_role("figure", name=nl("Difference"))
    expect(differences.get_by_role("listitem")).to_have_count(11)
    expect(page.get_by_role("figure").get_by_role("img")).to_have_count(0)
    expect(page.get_by_role("link", name=nl("Delete my scan"))).to_have_count(1)

    # The advice is on the page, and the report downloads as a dated PDF.
    advice = page.get_by_role("region", name=nl("Recommended actions"))
    expect(advice.get_by_role("listitem")).not_to_have_count(0)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=nl("Download the advice report (PDF)")).click()
    download = download_info.value
    assert re.fullmatch(
        r"leerscan-adviesrapport-\d{4}-\d{2}-\d{2}\.pdf", download.suggested_filename
    )
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_anna_stops_halfway_and_continues_on_another_device(
    page, new_context, live_server, scan_data
) -> None:
    start_scan(page, live_server)
    fill_organisation(
        page,
        name="Adviesbureau Anna",
        sector_letter="J",
        employees="12",
        province="Groningen",
        role="HR or training officer",
    )
    button(page, "Next").click()
    expect_step(page, 2, "Learning culture")
    answer_statements(page, ANNA_BUILDING_BLOCKS)
    open_deepening(page)
    answer_statements(page, ANNA_DEEPENING)
    button(page, "Next").click()
    expect_step(page, 3, "Learning as an organisation")
    answer_statements(page, ANNA_DLOQ)
    button(page, "Next").click()
    expect_step(page, 4, "Training in figures")
    link = resume_link(page)

    # Later, on her laptop at home: a browser that has never seen the scan.
    laptop = new_context().new_page()
    laptop.goto(link)
    expect_step(laptop, 4, "Training in figures")
    progress = laptop.get_by_role("navigation", name=nl("Progress"))

    progress.get_by_role("link", name=f"1. {nl('Your organisation')}").click()
    expect_step(laptop, 1, "Your organisation")
    expect(laptop.get_by_label(nl("Name of your organisation (optional)"))).to_have_value(
        "Adviesbureau Anna"
    )
    assert chosen_option(laptop.get_by_label(nl("Sector"), exact=True)) == sector("J")
    expect(laptop.get_by_label(nl("Number of employees"))).to_have_value("12")
    expect(
        group(laptop, nl("Where is your organisation located?")).get_by_label("Groningen")
    ).to_be_checked()
    expect(
        group(laptop, nl("Your role")).get_by_label(nl("HR or training officer"))
    ).to_be_checked()
    expect(consent(laptop)).to_be_checked()

    progress.get_by_role("link", name=f"2. {nl('Learning culture')}").click()
    expect_step(laptop, 2, "Learning culture")
    expect_statements_answered(laptop, ANNA_BUILDING_BLOCKS)
    expect(laptop.locator("details.deepening summary")).to_contain_text("(2 ")
    open_deepening(laptop)
    expect_statements_answered(laptop, ANNA_DEEPENING)

    progress.get_by_role("link", name=f"3. {nl('Learning as an organisation')}").click()
    expect_step(laptop, 3, "Learning as an organisation")
    expect_statements_answered(laptop, ANNA_DLOQ)

    # The rest is optional: she skips it and finishes.
    button(laptop, "Next").click()
    expect_step(laptop, 4, "Training in figures")
    button(laptop, "Next").click()
    expect_step(laptop, 5, "Arrangements and HR")
    button(laptop, "Next").click()
    expect_step(laptop, 6, "Staff")
    button(laptop, "Save and check").click()
    button(laptop, "Finish and see results").click()
    expect(laptop.get_by_role("heading", level=1)).to_have_text(
        f"{nl('Your results')}: Adviesbureau Anna"
    )


def test_anna_answers_on_her_phone_without_scrolling_sideways(
    phone_page, live_server, scan_data, axe_check
) -> None:
    page = phone_page
    start_scan(page, live_server)
    expect_no_horizontal_scrolling(page)
    axe_check(page, "step 1 on a phone")
    page.get_by_label(nl("Number of employees")).fill("12")
    page.get_by_label(nl("SBI code (optional)")).fill("6202")
    group(page, nl("Where is your organisation located?")).get_by_label("Groningen").tap()
    group(page, nl("Your role")).get_by_label(nl("Owner or director")).tap()
    consent(page).tap()
    button(page, "Next").tap()

    expect_step(page, 2, "Learning culture")
    expect_no_horizontal_scrolling(page)
    axe_check(page, "step 2 on a phone")
    for key, value in ANNA_BUILDING_BLOCKS.items():
        group(page, statement(key)).get_by_role("radio", name=scale(value), exact=True).tap()
    expect_statements_answered(page, ANNA_BUILDING_BLOCKS)
    button(page, "Next").tap()

    expect_step(page, 3, "Learning as an organisation")
    expect_no_horizontal_scrolling(page)
    axe_check(page, "step 3 on a phone")
    button(page, "Next").tap()
    for number, title in ((4, "Training in figures"), (5, "Arrangements and HR"), (6, "Staff")):
        expect_step(page, number, title)
        expect_no_horizontal_scrolling(page)
        axe_check(page, f"step {number} on a phone")
        button(page, "Save and check" if number == 6 else "Next").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Check and finish"))
    expect_no_horizontal_scrolling(page)
    axe_check(page, "the review page on a phone")


def test_the_scan_works_without_javascript(new_context, live_server, scan_data) -> None:
    page = new_context(java_script_enabled=False).new_page()
    start_scan(page, live_server)
    # The private link is there without JavaScript; only its copy button needs a script.
    resume_link(page)
    expect(page.get_by_role("button", name=nl("Copy link"))).to_have_count(0)
    fill_organisation(
        page, sbi_code="6202", employees="12", province="Groningen", role="Owner or director"
    )
    button(page, "Next").click()
    expect_step(page, 2, "Learning culture")
    answer_statements(page, {"taken_kern": 3})
    open_deepening(page)
    answer_statements(page, {"taken_uitdaging": 4})
    button(page, "Next").click()
    expect_step(page, 3, "Learning as an organisation")
    button(page, "Next").click()
    button(page, "Next").click()
    expect_step(page, 5, "Arrangements and HR")
    hr = group(page, nl("Does your organisation have an HR (P&O) department?"))
    hr.get_by_role("radio", name=nl("No"), exact=True).check()
    hr_task = group(page, nl("Is the HR department in charge of learning and development?"))
    hr_task.get_by_role("radio", name=nl("Yes"), exact=True).check()
    button(page, "Next").click()
    expect_step(page, 5, "Arrangements and HR")
    expect(hr_task).to_contain_text(
        dutch(
            "You answered that there is no HR department, so this question does not apply. "
            "Choose “Not applicable”, or change your answer to the question above."
        )
    )
    hr_task.get_by_role(
        "radio", name=nl("Not applicable: there is no HR department"), exact=True
    ).check()
    button(page, "Next").click()
    expect_step(page, 6, "Staff")


def test_bad_input_is_explained_at_the_field_and_loses_nothing_saved(
    page, live_server, scan_data, axe_check
) -> None:
    start_scan(page, live_server)
    step_1 = page.url.split("?")[0]
    fill_organisation(
        page,
        sector_letter="J",
        employees="12",
        province="Drenthe",
        role="Manager",
    )
    button(page, "Next").click()
    expect_step(page, 2, "Learning culture")
    button(page, "Previous").click()
    expect_step(page, 1, "Your organisation")

    sbi_code = page.get_by_label(nl("SBI code (optional)"))
    sbi_code.fill("99999999")
    employees = page.get_by_label(nl("Number of employees"))
    employees.fill("")
    employees.press_sequentially("nul")
    group(page, nl("Where is your organisation located?")).get_by_label(nl("Groningen")).check()
    button(page, "Next").click()

    expect_step(page, 1, "Your organisation")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(
        dutch("Some answers need your attention. See the messages at the questions.")
    )
    # Each problem is listed with a link that takes the focus to its field.
    expect(alert.get_by_role("link")).to_have_count(2)
    alert.get_by_role("link", name=nl("Number of employees")).click()
    expect(page.get_by_label(nl("Number of employees"))).to_be_focused()
    # Each message is tied to its field (aria-describedby), so it is read out with the field.
    expect(sbi_code).to_have_attribute("aria-invalid", "true")
    sbi_error = dutch("An SBI code has 2 to 5 digits, such as 6201.")
    expect(sbi_code).to_have_accessible_description(re.compile(re.escape(sbi_error)))
    expect(employees).to_have_attribute("aria-invalid", "true")
    employees_error = dutch("Fill in a whole number, for example 12.")
    expect(employees).to_have_accessible_description(re.compile(re.escape(employees_error)))
    axe_check(page, "step 1 with errors")

    # Nothing of the bad attempt was stored: the saved answers come back on a fresh load.
    page.goto(step_1)
    expect(sbi_code).to_have_value("")
    expect(employees).to_have_value("12")
    assert chosen_option(page.get_by_label(nl("Sector"), exact=True)) == sector("J")
    expect(
        group(page, nl("Where is your organisation located?")).get_by_label("Drenthe")
    ).to_be_checked()
    expect(group(page, nl("Your role")).get_by_label(nl("Manager"))).to_be_checked()
    expect(consent(page)).to_be_checked()
    expect(page.get_by_role("alert")).to_have_count(0)
