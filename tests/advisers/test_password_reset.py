"""Bram forgot his password: the reset mails are limited per e-mail address asked for and per
client address, and the answer never tells whether an address has an account."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

RESET = reverse("advisers:password_reset")
DONE = reverse("advisers:password_reset_done")
NOBODY = "niemand@example.nl"


def _limits(settings, **limits) -> None:
    settings.LEERSCAN_RATE_LIMITS = {**settings.LEERSCAN_RATE_LIMITS, **limits}


def test_thirty_requests_for_one_address_send_only_a_few_mails(client, bram) -> None:
    """The issue's measurement: 30 in a row for one address, all sent."""
    statuses = [client.post(RESET, {"email": bram.user.email}).status_code for _ in range(30)]
    assert len(mail.outbox) == 3  # the default: three an hour per address
    # The same page for the rest, until the client address's own limit (20 an hour) says why.
    assert statuses == [302] * 20 + [429] * 10


def test_the_address_counts_in_any_case_and_with_spaces(client, bram, settings) -> None:
    _limits(settings, password_reset_email=(1, 3600))
    client.post(RESET, {"email": "Bram@Leerwerk-Advies.nl"})
    client.post(RESET, {"email": " bram@leerwerk-advies.nl "})
    assert len(mail.outbox) == 1


def test_a_held_back_mail_looks_like_a_sent_one(client, bram, settings) -> None:
    _limits(settings, password_reset_email=(1, 3600))
    sent = client.post(RESET, {"email": bram.user.email}, follow=True)
    held = client.post(RESET, {"email": bram.user.email}, follow=True)
    unknown = client.post(RESET, {"email": NOBODY}, follow=True)
    assert len(mail.outbox) == 1
    # The same page, byte for byte, but for the form's fresh CSRF token.
    pages = [re.sub(r'value="[^"]{64}"', "", r.content.decode()) for r in (sent, held, unknown)]
    assert [r.status_code for r in (sent, held, unknown)] == [200, 200, 200]
    assert [r.redirect_chain for r in (sent, held, unknown)] == [[(DONE, 302)]] * 3
    assert pages[0] == pages[1] == pages[2]


def test_an_unknown_address_is_counted_like_a_known_one(client, bram, settings) -> None:
    """So the moment a refusal starts tells nothing either."""
    _limits(settings, password_reset_email=(2, 3600), password_reset_client=(3, 3600))
    for _ in range(3):
        assert client.post(RESET, {"email": NOBODY})["Location"] == DONE
    refused = client.post(RESET, {"email": bram.user.email})
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert not mail.outbox


def test_one_client_address_cannot_mail_a_list_of_addresses(client, bram, settings) -> None:
    _limits(settings, password_reset_client=(5, 3600))
    statuses = [
        client.post(RESET, {"email": f"collega{i}@leerwerk-advies.nl"}).status_code
        for i in range(5)
    ]
    assert statuses == [302] * 5
    refused = client.post(RESET, {"email": bram.user.email})
    assert refused.status_code == 429
    assert reverse("advisers:login") in refused.content.decode()
    assert not mail.outbox
    # Another address (Bram at the office) still gets his mail.
    assert client.post(RESET, {"email": bram.user.email}, REMOTE_ADDR="198.51.100.20")
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "typed",
    ["", "geen-adres", "a@b", "x" * 300 + "@example.nl", "bram@leerwerk-advies.nl\x00", "<script>"],
)
def test_nonsense_gets_a_message_next_to_the_field_and_counts_nothing(
    client, bram, settings, typed
) -> None:
    _limits(settings, password_reset_client=(1, 3600))
    response = client.post(RESET, {"email": typed})
    assert 400 <= response.status_code < 500 or response.status_code == 200
    assert response.status_code != 302
    assert "is-invalid" in response.content.decode()
    assert client.post(RESET, {"email": bram.user.email})["Location"] == DONE
    assert len(mail.outbox) == 1
