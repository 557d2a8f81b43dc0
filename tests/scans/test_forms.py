"""The step forms on their own: numbers as people type them, participation as a number of
employees, "n.v.t." only where offered, and a sector list a baker finds their trade in."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.profiles import SBI_SECTION_LABELS, sbi_section
from leerscan.scans.facts import FactValue
from leerscan.scans.forms import FactStepForm, ProfileForm, fact_initial, parse_number
from leerscan.scans.questions import count_of, percentage_of


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("30", "30"),
        ("30%", "30"),
        ("30 %", "30"),
        ("ongeveer 30", "30"),
        ("Ongeveer 30%", "30"),
        ("ca. 30", "30"),
        ("about 30", "30"),
        ("± 30", "30"),
        ("30 procent", "30"),
        ("1,5", "1.5"),
        ("1.5", "1.5"),
        ("1,5%", "1.5"),
        ("24 uur", "24"),
        ("7,5 hours", "7.5"),
        ("1.500", "1500"),  # a thousands separator before three digits
        ("1 500", "1500"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("0,125", "0.125"),  # a leading zero is never followed by a thousands separator
        ("-5", "-5"),
        ("\u22125", "-5"),
    ],
)
def test_it_reads_numbers_as_people_type_them(typed, number) -> None:
    assert parse_number(typed) == Decimal(number)


@pytest.mark.parametrize(
    "typed", ["veel", "", "%", "30-40", "1,2,3", "1.2.3.4,5,6", "3e5", "NaN", "Infinity", "1..5"]
)
def test_it_refuses_what_is_not_one_number(typed) -> None:
    assert parse_number(typed) is None


@given(st.text(max_size=20))
def test_any_text_is_a_finite_number_or_none(text) -> None:
    number = parse_number(text)
    assert number is None or number.is_finite()


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    ("typed", "stored"),
    [("30%", "30"), ("ongeveer 30", "30"), ("about 30", "30"), ("1,5", "1.5"), ("1.5", "1.5")],
)
def test_the_figures_accept_the_same_numbers_in_both_languages(language, typed, stored) -> None:
    with translation.override(language):
        form = FactStepForm({"pct_omzet_leren": typed, "pct_onder_werktijd": typed}, step=4)
        assert form.is_valid(), form.errors
    answers = form.answers()
    assert answers["pct_omzet_leren"] == FactValue(number=Decimal(stored))
    assert answers["pct_onder_werktijd"] == FactValue(number=Decimal(stored))


def test_the_message_for_a_bad_number_shows_what_is_accepted() -> None:
    with translation.override("en"):
        form = FactStepForm({"pct_deelname": "lots"}, step=4)
        assert not form.is_valid()
        assert form.errors["pct_deelname"] == [
            "Fill in a percentage, such as 30, 30% or 12.5 (“about 30” is fine too)."
        ]


@pytest.mark.parametrize("employees", [2, 5, 7, 12, 24, 100, 999, 1000])
def test_a_count_of_employees_comes_back_as_the_same_count(employees) -> None:
    for count in range(employees + 1):
        assert count_of(percentage_of(Decimal(count), employees), employees) == count


def test_a_percentage_that_is_no_whole_count_stays_a_percentage() -> None:
    # Anna (12 people) typed 40%: 4.8 people, so it is shown as the 40% she typed.
    assert count_of(Decimal(40), 12) is None
    assert fact_initial({"pct_deelname": FactValue(number=Decimal(40))}, employees=12) == {
        "pct_deelname": Decimal(40)
    }


def test_the_bakery_gives_participation_as_two_of_seven() -> None:
    form = FactStepForm({"pct_deelname__aantal": "2"}, step=4, employees=7)
    assert form.is_valid(), form.errors
    assert form.answers()["pct_deelname"] == FactValue(number=Decimal("28.6"))
    # Opened again, the step shows the 2 it was given, not 28.6%.
    initial = fact_initial(form.answers(), employees=7)
    assert initial == {"pct_deelname__aantal": 2}
    again = FactStepForm(None, step=4, employees=7, initial=initial)
    [participation] = [q for q in again.questions_view() if q.name == "pct_deelname"]
    assert participation.count.value == "2"
    assert participation.value == ""


def test_a_firm_of_150_gives_participation_as_a_percentage_only() -> None:
    form = FactStepForm(None, step=4, employees=150)
    assert "pct_deelname__aantal" not in form.fields
    assert "pct_deelname" in form.fields


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"pct_deelname__aantal": "8"}, "pct_deelname__aantal", "from 0 to 7"),
        ({"pct_deelname__aantal": "2,5"}, "pct_deelname__aantal", "whole number of employees"),
        ({"pct_deelname__aantal": "2", "pct_deelname": "30"}, "pct_deelname__aantal", "not both"),
        (
            {"pct_deelname__aantal": "2", "pct_deelname__weet_niet": "on"},
            "pct_deelname__aantal",
            "not both",
        ),
    ],
)
def test_a_count_that_does_not_fit_is_refused(data, field, message) -> None:
    with translation.override("en"):
        form = FactStepForm(data, step=4, employees=7)
        assert not form.is_valid()
        assert message in " ".join(form.errors[field])


def test_not_applicable_is_stored_apart_from_dont_know() -> None:
    form = FactStepForm(
        {"uren_per_deelnemer__nvt": "on", "pct_onder_werktijd__weet_niet": "on"}, step=4
    )
    assert form.is_valid(), form.errors
    assert form.answers()["uren_per_deelnemer"] == FactValue(not_applicable=True)
    assert form.answers()["pct_onder_werktijd"] == FactValue(dont_know=True)


@pytest.mark.parametrize(
    "data",
    [
        {"pct_deelname__nvt": "on"},  # participation offers no "n.v.t."
        {"pct_omzet_leren__nvt": "on"},
        {"uren_per_deelnemer__nvt": "on", "uren_per_deelnemer": "24"},
        {"uren_per_deelnemer__nvt": "on", "uren_per_deelnemer__weet_niet": "on"},
    ],
)
def test_not_applicable_is_refused_where_it_is_not_offered_or_not_alone(data) -> None:
    form = FactStepForm(data, step=4)
    assert not form.is_valid()


def test_not_applicable_reads_back_as_it_was_written() -> None:
    answers = {
        "uren_per_deelnemer": FactValue(not_applicable=True),
        "pct_kosten_werkgever": FactValue(dont_know=True),
    }
    form = FactStepForm(None, step=4, initial=fact_initial(answers))
    data = {name: "on" for name, value in form.initial.items() if value is True}
    reposted = FactStepForm(data, step=4)
    assert reposted.is_valid(), reposted.errors
    assert reposted.answers() == answers


def test_one_to_ten_questions_are_a_row_of_ten_buttons() -> None:
    form = FactStepForm(None, step=4)
    [importance] = [q for q in form.questions_view() if q.name == "belang_leren"]
    assert importance.kind == "scale"
    assert [o.short for o in importance.options] == [str(v) for v in range(1, 11)]
    assert [o.value for o in importance.extras] == ["weet_niet"]
    form = FactStepForm({"belang_leren": "8"}, step=4)
    assert form.is_valid()
    assert form.answers()["belang_leren"] == FactValue(number=Decimal(8))


def test_a_baker_finds_the_sector_by_an_example() -> None:
    with translation.override("en"):
        choices = dict(ProfileForm().fields["sbi_section"].choices)
    examples = "e.g. bakery, metalworking, food products, machinery"
    assert choices["C"] == f"Manufacturing \u2014 {examples}"
    assert set(SBI_SECTION_LABELS) <= set(choices)


@pytest.mark.parametrize(
    ("example", "code"),
    [
        ("bakery", "1071"),
        ("installer", "4321"),
        ("driving school", "8553"),
        ("hairdresser", "9602"),
        ("childcare", "8891"),
        ("estate agent", "6831"),
        ("garage", "4520"),
        ("gym", "9313"),
    ],
)
def test_each_example_stands_under_the_section_its_sbi_code_belongs_to(example, code) -> None:
    with translation.override("en"):
        choices = dict(ProfileForm().fields["sbi_section"].choices)
    assert example in choices[sbi_section(code)]
