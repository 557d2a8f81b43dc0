"""Participants join Bram's leertafel: they type the code at /doe-mee/ (or scan the QR code, which
opens /doe-mee/<CODE>/), see which session it is and who runs it, and start the ordinary scan.
Whatever else arrives as a code gets a plain Dutch message next to the field, never a 500."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from leerscan.advisers.models import Leertafel, Participant
from leerscan.advisers.services import leertafel_create, leertafel_set_open
from leerscan.scans.models import Scan
from leerscan.scans.resume import REMEMBER_COOKIE

pytestmark = pytest.mark.django_db

JOIN = reverse("advisers:join")


def _page(leertafel: Leertafel) -> str:
    return reverse("advisers:join_code", args=[leertafel.code])


def _spaced(code: str) -> str:
    """The code as someone types it from a projector: lower case, with a space and a dash."""
    return f" {code[:3].lower()} - {code[3:]} "


def test_the_join_page_has_a_field_labelled_code(client, db) -> None:
    response = client.get(JOIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<label[^>]*for="id_code"[^>]*>\s*Code\b', html)
    assert 'autocomplete="off"' in html


def test_a_typed_code_leads_to_its_leertafel(client, leertafel) -> None:
    response = client.post(JOIN, {"code": leertafel.code})
    assert response.status_code == 302
    assert response["Location"] == _page(leertafel)


def test_it_forgives_case_spaces_and_dashes_in_a_typed_code(client, leertafel) -> None:
    response = client.post(JOIN, {"code": _spaced(leertafel.code)})
    assert response["Location"] == _page(leertafel)


def test_it_forgives_what_a_phone_types_instead_of_a_space_or_a_dash(client, leertafel) -> None:
    code = leertafel.code
    typed = f"{code[:2]}\u00a0{code[2:4]}\u2013{code[4:]}\u200b"  # no-break space, en dash
    assert client.post(JOIN, {"code": typed})["Location"] == _page(leertafel)
    fullwidth = "".join(chr(ord(ch) + 0xFEE0) for ch in code)  # a Japanese keyboard
    assert client.post(JOIN, {"code": fullwidth})["Location"] == _page(leertafel)


def test_the_code_page_shows_which_session_and_who_runs_it(client, leertafel) -> None:
    html = client.get(_page(leertafel)).content.decode()
    assert "Leertafel techniek Emmen" in html
    assert "3 december 2026" in html and "Emmen" in html
    assert "bram@leerwerk-advies.nl" in html
    assert "Leerwerk Advies" in html


def test_the_adviser_s_name_is_shown_when_he_has_one(client, leertafel, bram) -> None:
    bram.user.first_name, bram.user.last_name = "Bram", "de Vries"
    bram.user.save()
    html = client.get(_page(leertafel)).content.decode()
    assert "Bram de Vries" in html
    assert "bram@leerwerk-advies.nl" not in html


def test_a_code_in_the_address_is_put_in_its_usual_form(client, leertafel) -> None:
    response = client.get(reverse("advisers:join_code", args=[leertafel.code.lower()]))
    assert response.status_code == 302
    assert response["Location"] == _page(leertafel)


def test_starting_joins_the_leertafel_and_opens_step_1_of_a_new_scan(client, leertafel) -> None:
    response = client.post(_page(leertafel))
    participant = Participant.objects.get()
    scan = participant.scan
    assert participant.leertafel == leertafel
    assert response.status_code == 302
    assert response["Location"] == reverse("scans:step", args=[scan.token, 1]) + "?nieuw=1"
    assert scan.context == Scan.Context.LEERTAFEL
    assert not scan.core_only
    assert not participant.show_name  # anonymous by default
    # This device remembers the scan, as after starting a scan on one's own.
    assert response.cookies[REMEMBER_COOKIE].value == scan.token
    assert client.get(response["Location"]).status_code == 200


def test_a_short_leertafel_starts_a_scan_with_the_core_statements_only(client, leertafel):
    leertafel.short_mode = True
    leertafel.save()
    assert "ongeveer 8 minuten" in client.get(_page(leertafel)).content.decode()
    client.post(_page(leertafel))
    assert Participant.objects.get().scan.core_only


def test_a_closed_leertafel_says_so_and_takes_no_new_participants(client, leertafel) -> None:
    leertafel_set_open(leertafel=leertafel, is_open=False)
    page = client.get(_page(leertafel))
    assert page.status_code == 200
    assert "Leertafel techniek Emmen" in page.content.decode()
    assert "Deze leertafel is gesloten" in page.content.decode()
    assert '<form method="post">' not in page.content.decode()
    response = client.post(_page(leertafel))
    assert response.status_code == 409
    assert "Deze leertafel is gesloten" in response.content.decode()
    assert not Participant.objects.exists()
    assert not Scan.objects.exists()


def test_a_reopened_leertafel_takes_participants_again(client, leertafel) -> None:
    leertafel_set_open(leertafel=leertafel, is_open=False)
    leertafel_set_open(leertafel=leertafel, is_open=True)
    assert client.post(_page(leertafel)).status_code == 302
    assert Participant.objects.count() == 1


def test_scanning_the_qr_code_again_offers_the_scan_already_started(client, leertafel) -> None:
    step_1 = client.post(_page(leertafel))["Location"]
    scan = Participant.objects.get().scan
    html = client.get(_page(leertafel)).content.decode()
    assert "U doet al mee aan deze leertafel op dit apparaat." in html
    assert reverse("scans:resume", args=[scan.token]) in html
    assert step_1.startswith(reverse("scans:step", args=[scan.token, 1]))


def test_a_scan_on_one_s_own_is_not_offered_as_joined(client, leertafel) -> None:
    client.post(reverse("scans:start"))  # remembered on this device, but not a participant
    html = client.get(_page(leertafel)).content.decode()
    assert "U doet al mee" not in html


def test_a_whole_table_behind_one_address_joins_at_once(client, leertafel, settings):
    """Twenty-five employers on the venue's Wi-Fi (one address) all start within the minute,
    more than the self-scan's 20 a minute per address allows."""
    for _ in range(25):
        assert client.post(_page(leertafel)).status_code == 302
    assert Participant.objects.filter(leertafel=leertafel).count() == 25


def test_joining_is_limited_per_leertafel_and_address(client, leertafel, bram, settings):
    settings.LEERSCAN_RATE_LIMITS = {**settings.LEERSCAN_RATE_LIMITS, "leertafel_join": (2, 600)}
    assert client.post(_page(leertafel)).status_code == 302
    assert client.post(_page(leertafel)).status_code == 302
    refused = client.post(_page(leertafel))
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert Participant.objects.filter(leertafel=leertafel).count() == 2
    # Another leertafel from the same address is a count of its own.
    other = leertafel_create(
        adviser=bram,
        data={"name": "Tweede tafel", "date": leertafel.date, "approach": "open"},
        language="nl",
    )
    assert client.post(_page(other)).status_code == 302


def test_joining_counts_against_the_days_scans_per_address(client, leertafel, settings):
    settings.LEERSCAN_RATE_LIMITS = {
        **settings.LEERSCAN_RATE_LIMITS,
        "scan_start_daily": (2, 86400),
    }
    assert client.post(_page(leertafel)).status_code == 302
    assert client.post(reverse("scans:start")).status_code == 302  # the same count
    assert client.post(_page(leertafel)).status_code == 429
    assert Participant.objects.count() == 1


def test_an_empty_code_gets_a_message_next_to_the_field(client, db) -> None:
    response = client.post(JOIN, {"code": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-invalid="true"' in html or "is-invalid" in html
    assert "Vul de code in die uw adviseur laat zien." in html


def test_an_unknown_code_gets_a_message_next_to_the_field(client, leertafel) -> None:
    unknown = "KKKKKK" if leertafel.code != "KKKKKK" else "MMMMMM"
    response = client.post(JOIN, {"code": unknown})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Er is geen leertafel met deze code." in html
    assert f'value="{unknown}"' in html


def test_an_unknown_code_in_the_address_is_a_404_with_the_field_to_try_again(client, db):
    response = client.get(reverse("advisers:join_code", args=["KKKKKK"]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Er is geen leertafel met deze code." in html
    assert re.search(r'<label[^>]*for="id_code"', html)
    assert 'value="KKKKKK"' in html
    assert client.post(reverse("advisers:join_code", args=["KKKKKK"])).status_code == 404
    assert not Scan.objects.exists()


NONSENSE = [
    "0O1IL2",  # look-alikes the alphabet leaves out
    "K7M4Q",  # one short
    "K7M4QXK",  # one too many
    "K" * 10_000,
    "ÄÖÜÉÈ€",
    "\U0001f600" * 6,  # emoji
    "'; DROP TABLE advisers_leertafel; --",
    "<script>alert(1)</script>",
    "K7M\x004QX!",
    "%00",
    "..",
    "null",
]


@pytest.mark.parametrize("typed", NONSENSE)
def test_nonsense_typed_as_a_code_gets_a_message_not_an_error(client, leertafel, typed) -> None:
    response = client.post(JOIN, {"code": typed})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Er is geen leertafel met deze code." in html or "Een code heeft zes" in html
    assert "<script>alert(1)</script>" not in html
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/doe-mee/0O1IL2/",
        "/doe-mee/" + "K" * 5000 + "/",
        "/doe-mee/%00/",
        "/doe-mee/K7M%004QX/",
        "/doe-mee/%F0%9F%98%80%F0%9F%98%80/",
        "/doe-mee/%C3%A4%C3%B6%C3%BC/",
        "/doe-mee/%FF%FE/",  # not UTF-8 at all
        "/doe-mee/a%2Fb/",
        "/doe-mee/a/b/",
        "/doe-mee/%3Cscript%3E/",
        "/doe-mee/K7M4QX%20%20/",
    ],
)
def test_nonsense_in_the_address_is_a_4xx_never_a_500(client, leertafel, path) -> None:
    for response in (client.get(path), client.post(path)):
        assert 400 <= response.status_code < 500, (path, response.status_code)
        assert "<script>" not in response.content.decode(errors="replace")
    assert not Participant.objects.exists()


def test_a_control_character_is_not_shown_again_in_the_field(client, db) -> None:
    html = client.get("/doe-mee/K7M%004QX%07/").content.decode()
    assert "\x00" not in html and "\x07" not in html


def test_a_well_formed_code_with_a_nul_byte_still_finds_its_leertafel(client, leertafel):
    # A NUL is never part of a code (and PostgreSQL refuses it in a query): it is dropped.
    path = f"/doe-mee/{leertafel.code[:3]}%00{leertafel.code[3:]}/"
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == _page(leertafel)
