"""The join code: six characters from an alphabet without look-alikes, forgiving to type, and unique
(a drawn code that is taken is drawn again, a limited number of times)."""

from __future__ import annotations

import datetime
import string

import pytest
from django.db import DataError, IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leerscan.advisers import services
from leerscan.advisers.models import Leertafel
from leerscan.advisers.services import (
    JOIN_CODE_ATTEMPTS,
    join_code_new,
    join_code_normalise,
    leertafel_create,
)
from leerscan.advisers.views.join import code_is_well_formed
from leerscan.constants import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH

# Characters read one for another on a projector or typed one for another: none may be in a code.
LOOK_ALIKES = "0O1IL2Z5S8BUV"

codes = st.text(alphabet=JOIN_CODE_ALPHABET, min_size=JOIN_CODE_LENGTH, max_size=JOIN_CODE_LENGTH)
# What a person adds while typing: spaces (also a phone's no-break and zero-width ones) and dashes.
noise = st.text(alphabet=" -\t\u00a0\u2013\u2014\u2011\u200b", max_size=3)


def test_the_alphabet_leaves_out_the_look_alikes() -> None:
    assert not set(LOOK_ALIKES) & set(JOIN_CODE_ALPHABET)
    assert set(JOIN_CODE_ALPHABET) <= set(string.ascii_uppercase + string.digits)
    assert len(set(JOIN_CODE_ALPHABET)) == len(JOIN_CODE_ALPHABET)
    # Enough codes that guessing one of a handful of open leertafels is hopeless.
    assert len(JOIN_CODE_ALPHABET) ** JOIN_CODE_LENGTH > 100_000_000


def test_new_codes_have_the_format_no_look_alikes_and_differ() -> None:
    # join_code_new draws with `secrets`, not with hypothesis: the property holds for every draw.
    drawn = [join_code_new() for _i in range(2000)]
    for code in drawn:
        assert len(code) == JOIN_CODE_LENGTH
        assert set(code) <= set(JOIN_CODE_ALPHABET)
        assert not set(code) & set(LOOK_ALIKES)
        assert code_is_well_formed(code)
    assert len(set(drawn)) > 1990  # 2000 draws from 148 million: a repeat is a rare coincidence


@given(codes)
def test_a_code_is_its_own_normal_form(code) -> None:
    assert join_code_normalise(code) == code
    assert code_is_well_formed(code)


@given(
    code=codes, pieces=st.lists(noise, min_size=JOIN_CODE_LENGTH + 1, max_size=7), data=st.data()
)
def test_case_spaces_and_dashes_are_forgiven(code, pieces, data) -> None:
    lowered = data.draw(st.lists(st.booleans(), min_size=JOIN_CODE_LENGTH, max_size=6))
    typed = pieces[0] + "".join(
        (ch.lower() if low else ch) + sep
        for ch, low, sep in zip(code, lowered, pieces[1:], strict=True)
    )
    assert join_code_normalise(typed) == code


@given(code=codes)
def test_full_width_letters_of_a_phone_keyboard_are_forgiven(code) -> None:
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in code)
    assert join_code_normalise(full_width) == code


@given(st.text(max_size=40))
def test_normalising_twice_changes_nothing(raw) -> None:
    once = join_code_normalise(raw)
    assert join_code_normalise(once) == once
    assert not any(ch.isspace() or ch == "-" or ch == "\x00" for ch in once)


@given(st.text(max_size=12))
def test_only_a_well_formed_code_passes_the_format_check(raw) -> None:
    code = join_code_normalise(raw)
    expected = len(code) == JOIN_CODE_LENGTH and all(c in JOIN_CODE_ALPHABET for c in code)
    assert code_is_well_formed(code) == expected


@given(st.text(alphabet=LOOK_ALIKES, min_size=1, max_size=6), codes)
def test_a_look_alike_never_makes_a_well_formed_code(look_alikes, code) -> None:
    typed = look_alikes + code[len(look_alikes) :]
    assert not code_is_well_formed(join_code_normalise(typed))


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["K7M4Q0", "K7M4QO", "k7m4qx", "K7M4Q", "K7M4QXY", "K7M-4Q"])
def test_the_database_refuses_a_code_off_the_format(bram, code) -> None:
    # The format constraint, or (PostgreSQL, a seventh character) the column's length.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Leertafel.objects.create(
            organisation=bram.organisation, name="Fout", date=datetime.date(2026, 12, 3), code=code
        )


# --- Collisions -------------------------------------------------------------------------------


def _data(name: str) -> dict:
    return {
        "name": name,
        "date": datetime.date(2026, 12, 3),
        "place": "Emmen",
        "approach": Leertafel.Approach.OPEN,
        "theme": "",
        "short_mode": False,
    }


def _draws(monkeypatch, *drawn: str) -> list[str]:
    """Make join_code_new hand out these codes in turn; the list of codes handed out so far."""
    handed: list[str] = []
    queue = list(drawn)

    def fake() -> str:
        code = queue.pop(0) if len(queue) > 1 else queue[0]
        handed.append(code)
        return code

    monkeypatch.setattr(services, "join_code_new", fake)
    return handed


@pytest.mark.django_db
def test_a_taken_code_is_drawn_again(bram, scan_data, monkeypatch) -> None:
    first = leertafel_create(adviser=bram, data=_data("Eerste"), language="nl")
    handed = _draws(monkeypatch, first.code, first.code, "K7M4QX")
    second = leertafel_create(adviser=bram, data=_data("Tweede"), language="nl")
    assert handed == [first.code, first.code, "K7M4QX"]
    assert second.code == "K7M4QX"
    # The failed attempts left nothing behind: one leertafel each, each with its own prompts.
    assert Leertafel.objects.count() == 2
    assert second.prompts.count() == first.prompts.count() > 0


@pytest.mark.django_db
def test_it_gives_up_after_the_attempts_with_a_clear_error(bram, scan_data, monkeypatch) -> None:
    taken = leertafel_create(adviser=bram, data=_data("Eerste"), language="nl")
    handed = _draws(monkeypatch, taken.code)
    with pytest.raises(RuntimeError, match=f"no free join code after {JOIN_CODE_ATTEMPTS}"):
        leertafel_create(adviser=bram, data=_data("Tweede"), language="nl")
    assert len(handed) == JOIN_CODE_ATTEMPTS
    assert Leertafel.objects.count() == 1


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(taken=st.integers(min_value=0, max_value=JOIN_CODE_ATTEMPTS - 1))
def test_any_number_of_collisions_below_the_limit_ends_in_a_free_code(
    bram, scan_data, monkeypatch, taken
) -> None:
    Leertafel.objects.filter(name="Volgende").delete()
    existing = Leertafel.objects.filter(name="Eerste").first() or leertafel_create(
        adviser=bram, data=_data("Eerste"), language="nl"
    )
    free = "MNPQRT" if existing.code != "MNPQRT" else "WXY346"
    handed = _draws(monkeypatch, *([existing.code] * taken), free)
    created = leertafel_create(adviser=bram, data=_data("Volgende"), language="nl")
    assert created.code == free
    assert len(handed) == taken + 1
