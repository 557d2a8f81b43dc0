"""Guessing join codes: a code that matches no leertafel is a failed lookup, counted per address
and over all addresses; a right code never counts. An address over its limit is refused every
lookup (right or wrong), with the reason next to the field, 429 and Retry-After. A venue of thirty
behind one Wi-Fi address is never turned away by the global cap as long as it types right."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from leerscan.advisers.models import Leertafel, Participant
from leerscan.advisers.views.join import ADDRESS_REFUSED_MESSAGE, EVERYONE_REFUSED_MESSAGE

pytestmark = pytest.mark.django_db

JOIN = reverse("advisers:join")
VENUE = "192.0.2.10"


def _page(code: str) -> str:
    return reverse("advisers:join_code", args=[code])


def _wrong_codes(leertafel: Leertafel, count: int) -> list[str]:
    """Well-formed codes that are not the leertafel's (the alphabet's letters, one by one)."""
    codes = [f"KKKK{a}{b}" for a in "34679ACDEFGHJ" for b in "MNPQRTWXY"]
    return [code for code in codes if code != leertafel.code][:count]


def _limits(settings, **limits) -> None:
    settings.LEERSCAN_RATE_LIMITS = {**settings.LEERSCAN_RATE_LIMITS, **limits}


def _lead(message) -> str:
    """The part of a refusal before its time, in the active language."""
    return gettext(str(message)).split("%(time)s")[0].replace("'", "&#x27;")


def test_a_flood_of_wrong_codes_from_one_address_is_refused(client, leertafel) -> None:
    """The issue's measurement: 1,548 guesses in 10 s, none refused."""
    statuses = [
        client.post(JOIN, {"code": code}).status_code for code in _wrong_codes(leertafel, 60)
    ]
    assert statuses[:50] == [400] * 50  # the default: 50 wrong codes in 10 minutes
    assert set(statuses[50:]) == {429}


def test_the_refusal_is_next_to_the_field_with_retry_after(client, leertafel, settings) -> None:
    _limits(settings, join_code_failed=(2, 600))
    for code in _wrong_codes(leertafel, 2):
        client.post(JOIN, {"code": code})
    response = client.post(JOIN, {"code": "kkkk-mm"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 1200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "is-invalid" in html
    assert _lead(ADDRESS_REFUSED_MESSAGE) in html
    assert 'value="kkkk-mm"' in html  # what was typed stays
    assert html.count('type="submit"') >= 1


def test_a_refused_address_does_not_learn_that_the_right_code_is_right(
    client, leertafel, settings
) -> None:
    """Else the refusal itself would tell a hit from a miss."""
    _limits(settings, join_code_failed=(2, 600))
    for code in _wrong_codes(leertafel, 2):
        client.post(JOIN, {"code": code})
    assert client.post(JOIN, {"code": leertafel.code}).status_code == 429
    assert client.get(_page(leertafel.code)).status_code == 429
    assert client.post(_page(leertafel.code)).status_code == 429
    assert not Participant.objects.exists()
    # Another address is not affected.
    other = client.post(JOIN, {"code": leertafel.code}, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 302


def test_a_wrong_code_in_the_address_counts_too(client, leertafel, settings) -> None:
    _limits(settings, join_code_failed=(2, 600))
    for code in _wrong_codes(leertafel, 2):
        assert client.get(_page(code)).status_code == 404
    refused = client.get(_page(_wrong_codes(leertafel, 3)[2]))
    assert refused.status_code == 429
    assert _lead(ADDRESS_REFUSED_MESSAGE) in refused.content.decode()


def test_a_right_code_never_counts(client, leertafel, settings) -> None:
    _limits(settings, join_code_failed=(2, 600), join_code_failed_global=(2, 600))
    for _ in range(30):
        assert client.post(JOIN, {"code": leertafel.code}).status_code == 302
        assert client.get(_page(leertafel.code)).status_code == 200
    assert client.post(JOIN, {"code": _wrong_codes(leertafel, 1)[0]}).status_code == 400


def test_malformed_input_does_not_count(client, leertafel, settings) -> None:
    """It never reaches the database, so it tells nothing; the format message stays."""
    _limits(settings, join_code_failed=(2, 600))
    for typed in ["K7M4Q", "0O1IL2", "", "K" * 500]:
        assert client.post(JOIN, {"code": typed}).status_code == 400
    assert client.post(JOIN, {"code": leertafel.code}).status_code == 302


def test_a_venue_of_thirty_that_each_mistype_once_still_joins(client, leertafel) -> None:
    """Thirty people behind the venue's one Wi-Fi address, each with one typo, at the defaults."""
    for code in _wrong_codes(leertafel, 30):
        assert client.post(JOIN, {"code": code}, REMOTE_ADDR=VENUE).status_code == 400
    for _ in range(30):
        assert client.post(JOIN, {"code": leertafel.code}, REMOTE_ADDR=VENUE).status_code == 302
        assert client.post(_page(leertafel.code), REMOTE_ADDR=VENUE).status_code == 302
    assert Participant.objects.filter(leertafel=leertafel).count() == 30


def test_the_global_cap_refuses_addresses_that_guessed_not_a_venue_that_typed_right(
    client, leertafel, settings
) -> None:
    _limits(settings, join_code_failed_global=(3, 3600))
    guessers = ["203.0.113.1", "203.0.113.2", "203.0.113.3"]
    for address, code in zip(guessers, _wrong_codes(leertafel, 3), strict=True):
        assert client.post(JOIN, {"code": code}, REMOTE_ADDR=address).status_code == 400
    # The cap is reached. A guesser gets no second guess, and no answer for a right code either.
    refused = client.post(JOIN, {"code": leertafel.code}, REMOTE_ADDR=guessers[0])
    assert refused.status_code == 429
    assert _lead(EVERYONE_REFUSED_MESSAGE) in refused.content.decode()
    assert "Retry-After" in refused
    # The venue, with no wrong code of its own, joins: thirty phones, typed and scanned.
    for _ in range(30):
        assert client.post(JOIN, {"code": leertafel.code}, REMOTE_ADDR=VENUE).status_code == 302
        assert client.post(_page(leertafel.code), REMOTE_ADDR=VENUE).status_code == 302
    assert Participant.objects.count() == 30
    # One typo at the venue, while the cap holds, and it is told why it must wait.
    assert client.post(JOIN, {"code": "KKKKMM"}, REMOTE_ADDR=VENUE).status_code == 400
    again = client.post(JOIN, {"code": leertafel.code}, REMOTE_ADDR=VENUE)
    assert again.status_code == 429
    assert _lead(EVERYONE_REFUSED_MESSAGE) in again.content.decode()


def test_the_refusal_is_in_english_for_an_english_visitor(client, leertafel, settings) -> None:
    _limits(settings, join_code_failed=(1, 600))
    client.cookies["django_language"] = "en"
    client.post(JOIN, {"code": _wrong_codes(leertafel, 1)[0]})
    html = client.post(JOIN, {"code": leertafel.code}).content.decode()
    assert "Too many codes that do not exist were tried from your network." in html


def test_limits_off_count_nothing(client, leertafel, settings) -> None:
    _limits(settings, join_code_failed=(0, 600), join_code_failed_global=(0, 600))
    for code in _wrong_codes(leertafel, 60):
        assert client.post(JOIN, {"code": code}).status_code == 400
    assert client.post(JOIN, {"code": leertafel.code}).status_code == 302
