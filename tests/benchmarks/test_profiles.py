"""Mapping an organisation's sector code, size and province onto the monitor's groups."""

from __future__ import annotations

import contextlib

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.profiles import (
    SBI_SECTION_DIVISIONS,
    profile_groups,
    sbi_section,
    sector_group,
    size_class,
)

SECTION_SECTOR = {
    **dict.fromkeys("ABCDEF", "lin"),
    **dict.fromkeys("GHI", "hvh"),
    **dict.fromkeys("JKLMN", "zd"),
    **dict.fromkeys("OPQRSTU", "ncd"),
}


@pytest.mark.parametrize(("letter", "sector"), sorted(SECTION_SECTOR.items()))
def test_it_maps_every_section_letter_to_its_sector(letter: str, sector: str) -> None:
    assert sector_group(letter) == sector
    assert sector_group(letter.lower()) == sector


@pytest.mark.parametrize(
    ("code", "section", "sector"),
    [
        ("01", "A", "lin"),  # crop and animal production
        ("0111", "A", "lin"),
        ("2511", "C", "lin"),  # metal construction
        ("4120", "F", "lin"),  # construction of buildings
        ("47111", "G", "hvh"),  # supermarkets
        ("4941", "H", "hvh"),  # road haulage
        ("5610", "I", "hvh"),  # restaurants
        ("6201", "J", "zd"),  # software development
        ("62.01", "J", "zd"),  # as printed on some KvK extracts
        ("6420", "K", "zd"),
        ("7022", "M", "zd"),  # management consultancy
        ("78", "N", "zd"),  # employment agencies
        ("8411", "O", "ncd"),
        ("85314", "P", "ncd"),  # mbo
        ("8710", "Q", "ncd"),  # nursing homes
        ("9311", "R", "ncd"),
        ("99000", "U", "ncd"),
    ],
)
def test_it_maps_kvk_sbi_codes_through_their_section(code: str, section: str, sector: str) -> None:
    assert sbi_section(code) == section
    assert sector_group(code) == sector


@pytest.mark.parametrize("code", ["", " ", "1", "123456", "ab", "V", "Z", "6201a", "-62", "0"])
def test_it_rejects_malformed_codes_with_a_clear_message(code: str) -> None:
    with pytest.raises(ValidationError) as info:
        sector_group(code)
    assert info.value.code == "sbi_format"
    assert "SBI" in info.value.messages[0]


@pytest.mark.parametrize("code", ["00", "04", "34", "40", "44", "48", "54", "57", "67", "76"])
def test_it_rejects_codes_of_divisions_that_do_not_exist(code: str) -> None:
    with pytest.raises(ValidationError) as info:
        sector_group(code + "11")
    assert info.value.code == "sbi_unknown"
    assert code in info.value.messages[0]


def test_the_divisions_cover_each_section_once() -> None:
    divisions = [d for ds in SBI_SECTION_DIVISIONS.values() for d in ds]
    assert len(divisions) == len(set(divisions)) == 88


@given(st.text(max_size=8))
def test_any_text_either_maps_to_a_sector_or_gives_a_validation_error(text: str) -> None:
    with contextlib.suppress(ValidationError):
        assert sector_group(text) in {"lin", "hvh", "zd", "ncd"}


@pytest.mark.parametrize(
    ("employees", "expected"),
    [
        (1, None),
        (4, None),
        (5, "5-24"),
        (24, "5-24"),
        (25, "25-99"),
        (99, "25-99"),
        (100, "100-199"),
        (199, "100-199"),
        (200, "200+"),
        (1_000_000, "200+"),
    ],
)
def test_it_puts_employees_in_the_monitors_size_classes(employees: int, expected: str) -> None:
    assert size_class(employees) == expected


@pytest.mark.parametrize("employees", [0, -1, -250, 1_000_001])
def test_it_rejects_impossible_numbers_of_employees(employees: int) -> None:
    with pytest.raises(ValidationError):
        size_class(employees)


@given(st.integers())
def test_size_class_never_fails_with_anything_but_a_validation_error(employees: int) -> None:
    try:
        result = size_class(employees)
    except ValidationError:
        assert employees < 1 or employees > 1_000_000
    else:
        assert 1 <= employees <= 1_000_000
        assert (result is None) == (employees < 5)


def test_anna_is_a_small_business_services_firm_in_groningen(anna) -> None:
    assert (anna.sector, anna.size, anna.province) == ("zd", "5-24", "groningen")
    assert anna.notes == ()


def test_a_firm_below_five_employees_gets_no_size_class_and_is_told_why() -> None:
    profile = profile_groups(sbi_code="I", employees=3, province="fryslan")
    assert profile.size is None
    assert profile.province is None
    assert profile.sector == "hvh"
    assert any("5" in note for note in profile.notes)


def test_a_firm_outside_the_north_is_compared_with_noord_nederland_only() -> None:
    profile = profile_groups(sbi_code="C", employees=40, province="elders")
    assert profile.province is None
    assert any("Noord-Nederland" in note for note in profile.notes)


def test_an_unknown_province_is_refused() -> None:
    with pytest.raises(ValidationError):
        profile_groups(sbi_code="C", employees=40, province="utrecht")
