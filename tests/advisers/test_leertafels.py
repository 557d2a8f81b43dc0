"""Bram logs in, creates a leertafel and gets a code, a join URL and a QR code; Carla, of another
organisation, gets a 404 for everything of Bram's."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from leerscan.advisers.models import Adviser, DiscussionPrompt, Leertafel
from leerscan.constants import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from tests.advisers.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_logs_bram_in_with_his_email_address_in_any_case(client, bram):
    response = client.post(
        reverse("advisers:login"), {"username": "Bram@Leerwerk-Advies.nl", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("advisers:dashboard")


def test_it_refuses_a_wrong_password_with_a_message_next_to_the_form(client, bram):
    response = client.post(
        reverse("advisers:login"), {"username": bram.user.email, "password": "fout"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "alert-danger" in response.content.decode()


def test_it_locks_the_adviser_login_after_repeated_failures(client, bram, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("advisers:login"), {"username": bram.user.email, "password": "x"})
    response = client.post(
        reverse("advisers:login"), {"username": bram.user.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_sends_anonymous_visitors_to_the_login_page(client, db):
    response = client.get(reverse("advisers:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("advisers:login"))


def test_it_creates_a_leertafel_with_a_code_and_the_monitors_prompts(bram_client, scan_data):
    response = bram_client.post(
        reverse("advisers:leertafel_new"),
        {
            "name": "Leertafel bakkers Fryslân",
            "date": "2026-12-10",
            "place": "Leeuwarden",
            "approach": "open",
            "theme": "personeel vasthouden",
        },
    )
    leertafel = Leertafel.objects.get()
    assert response["Location"] == reverse("advisers:leertafel", args=[leertafel.pk])
    assert len(leertafel.code) == JOIN_CODE_LENGTH
    assert set(leertafel.code) <= set(JOIN_CODE_ALPHABET)
    assert leertafel.is_open and not leertafel.short_mode
    assert DiscussionPrompt.objects.filter(leertafel=leertafel).count() >= 6
    page = bram_client.get(response["Location"]).content.decode()
    assert leertafel.code in page
    assert "<svg" in page  # the QR code, drawn on the server
    assert f"/doe-mee/{leertafel.code}/" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("date", "gisteren"),
        ("date", "2026-13-45"),
        ("approach", "koffie"),
        ("name", "x" * 500),
    ],
)
def test_it_refuses_a_bad_leertafel_with_a_dutch_message_next_to_the_field(
    bram_client, scan_data, field, value
):
    data = {"name": "Leertafel", "date": "2026-12-10", "approach": "open", field: value}
    response = bram_client.post(reverse("advisers:leertafel_new"), data)
    assert response.status_code == 400
    assert f"id_{field}" in response.content.decode()
    assert not Leertafel.objects.exists()


def test_bram_closes_and_reopens_his_leertafel(bram_client, leertafel):
    url = reverse("advisers:leertafel_toggle_open", args=[leertafel.pk])
    bram_client.post(url, {"open": "0"})
    leertafel.refresh_from_db()
    assert not leertafel.is_open
    bram_client.post(url, {"open": "1"})
    leertafel.refresh_from_db()
    assert leertafel.is_open


def test_carla_gets_a_404_for_bram_s_leertafel_pages(carla_client, leertafel):
    for name in ("advisers:leertafel",):
        assert carla_client.get(reverse(name, args=[leertafel.pk])).status_code == 404
    response = carla_client.post(
        reverse("advisers:leertafel_toggle_open", args=[leertafel.pk]), {"open": "0"}
    )
    assert response.status_code == 404
    leertafel.refresh_from_db()
    assert leertafel.is_open
    assert leertafel.name not in carla_client.get(reverse("advisers:dashboard")).content.decode()


def test_a_logged_in_user_without_adviser_account_is_not_let_in(client, django_user_model, db):
    user = django_user_model.objects.create_user("iemand@example.nl", password=PASSWORD)
    client.force_login(user)
    assert client.get(reverse("advisers:dashboard")).status_code == 302


def test_an_organisation_admin_invites_a_colleague_who_chooses_a_password(bram_client, bram):
    assert bram.is_organisation_admin  # the first adviser of a new organisation
    response = bram_client.post(reverse("advisers:invite"), {"email": "Dewi@Leerwerk-Advies.nl"})
    assert response.status_code == 302
    dewi = Adviser.objects.get(user__email="dewi@leerwerk-advies.nl")
    assert dewi.organisation == bram.organisation and not dewi.is_organisation_admin
    assert len(mail.outbox) == 1 and "/adviseur/wachtwoord/" in mail.outbox[0].body
    again = bram_client.post(reverse("advisers:invite"), {"email": "dewi@leerwerk-advies.nl"})
    assert again.status_code == 400


def test_a_colleague_who_is_not_admin_cannot_invite(client, bram):
    from leerscan.advisers.services import adviser_create

    dewi = adviser_create(
        email="dewi@leerwerk-advies.nl", organisation_name="Leerwerk Advies", password=PASSWORD
    )
    client.force_login(dewi.user)
    assert client.post(reverse("advisers:invite"), {"email": "x@y.nl"}).status_code == 403
    assert not Adviser.objects.filter(user__email="x@y.nl").exists()
