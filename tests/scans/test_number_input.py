"""Numbers typed in other scripts, and Python's own number syntax, in every field that takes a
number. Decided: digits of any script count as 0-9 (a phone set to Arabic types "١٢" on its
number pad, a Japanese keyboard "１２"); what only Python reads as a number ("5_0", "1e3") is
refused with the field's own Dutch message. A row of buttons (1-6, 1-10) takes only its own
values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from leerscan.scans.facts import FactValue
from leerscan.scans.forms import FactStepForm, ItemStepForm, ProfileForm, parse_number
from leerscan.scans.models import Item

PROFILE = {
    "organisation_name": "Bakkerij Zoet",
    "sbi_section": "C",
    "sbi_code": "1071",
    "province": "fryslan",
    "respondent_role": "eigenaar",
    "consent": "on",
}


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("١٢", "12"),  # Arabic-Indic
        ("۱۲", "12"),  # Persian
        ("１２", "12"),  # full-width
        ("١٫٥", "1.5"),  # the Arabic decimal separator
        ("١٬٥٠٠", "1500"),  # and thousands separator
        ("٣٠٪", "30"),  # and percent sign
        ("１２％", "12"),
        ("१२", "12"),  # Devanagari
    ],
)
def test_digits_of_other_scripts_are_read_as_their_number(typed, number) -> None:
    assert parse_number(typed) == Decimal(number)


@pytest.mark.parametrize("typed", ["5_0", "1_000", "1e3", "0x10", "0b11", "٥_٠", "²", "½"])
def test_what_only_python_reads_as_a_number_is_refused(typed) -> None:
    assert parse_number(typed) is None


def _profile(employees: str) -> ProfileForm:
    return ProfileForm({**PROFILE, "employees": employees})


@pytest.mark.parametrize(
    ("typed", "employees"), [("7", 7), ("١٢", 12), ("１２", 12), ("1.000", 1000)]
)
def test_the_number_of_employees_takes_digits_of_any_script(typed, employees) -> None:
    form = _profile(typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["employees"] == employees


@pytest.mark.parametrize("typed", ["5_0", "1_2", "1e3", "7.5", "zeven"])
def test_the_number_of_employees_refuses_anything_but_a_whole_number(typed) -> None:
    form = _profile(typed)
    assert not form.is_valid()
    assert form.errors["employees"] == ["Vul een heel getal in, bijvoorbeeld 12."]


def test_a_thousand_employees_written_the_dutch_way_is_not_one() -> None:
    # Django's IntegerField cut "1.000" to 1.
    form = _profile("1.000")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["employees"] == 1000


def test_an_sbi_code_in_full_width_digits_is_the_same_code() -> None:
    form = ProfileForm({**PROFILE, "employees": "7", "sbi_code": "１０７１"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["sbi_code"] == "1071"


@pytest.mark.parametrize("typed", ["10_71", "1071²"])
def test_an_sbi_code_with_other_signs_is_refused(typed) -> None:
    form = ProfileForm({**PROFILE, "employees": "7", "sbi_code": typed})
    assert not form.is_valid()
    assert "sbi_code" in form.errors


@pytest.mark.parametrize(
    ("typed", "stored"), [("٣٠", "30"), ("３０%", "30"), ("ongeveer ٣٠", "30")]
)
def test_a_percentage_takes_digits_of_any_script(typed, stored) -> None:
    form = FactStepForm({"pct_omzet_leren": typed}, step=4)
    assert form.is_valid(), form.errors
    assert form.answers()["pct_omzet_leren"] == FactValue(number=Decimal(stored))


@pytest.mark.parametrize("typed", ["5_0", "3e1"])
def test_a_percentage_refuses_python_syntax_with_the_fields_message(typed) -> None:
    form = FactStepForm({"pct_omzet_leren": typed}, step=4)
    assert not form.is_valid()
    assert form.errors["pct_omzet_leren"] == [
        "Vul een percentage in, zoals 30, 30% of 12,5 (‘ongeveer 30’ mag ook)."
    ]


def test_the_bakery_may_count_participants_in_arabic_digits() -> None:
    form = FactStepForm({"pct_deelname__aantal": "٢"}, step=4, employees=7)
    assert form.is_valid(), form.errors
    assert form.answers()["pct_deelname"] == FactValue(number=Decimal("28.6"))


def test_a_count_of_participants_refuses_an_underscore() -> None:
    form = FactStepForm({"pct_deelname__aantal": "1_0"}, step=4, employees=15)
    assert not form.is_valid()
    assert "pct_deelname__aantal" in form.errors


@pytest.mark.parametrize("typed", ["８", "٨", "8_0", "08", " 8", "8.0"])
def test_a_one_to_ten_row_takes_only_its_own_values(typed) -> None:
    form = FactStepForm({"belang_leren": typed}, step=4)
    assert not form.is_valid()
    assert form.errors["belang_leren"] == ["Kies een van de antwoorden."]


@pytest.mark.parametrize("typed", ["５", "٥", "5_0", "05"])
def test_an_obstacle_on_one_to_six_takes_only_its_own_values(typed) -> None:
    form = FactStepForm({"belemmering_kosten": typed}, step=5)
    assert not form.is_valid()
    assert form.errors["belemmering_kosten"] == ["Kies een van de antwoorden."]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["５", "٥", "5_0", "05", "7"])
def test_a_statement_takes_only_one_to_six(scan_data, typed) -> None:
    item = Item.objects.filter(group=Item.Group.BUILDING_BLOCK).first()
    form = ItemStepForm({item.key: typed}, items=[item])
    assert not form.is_valid()
    assert form.errors[item.key] == ["Kies een van de zes antwoorden."]
