"""A coach has Leerscan mail a round's invitation to the client, and later a reminder
(leerscan/coaching/views/invite_mail.py): only to the client's own address, only while the round
is not answered, once a day at most, rate-limited, a CSRF-protected POST, and only for the
coach's own organisation. Bram coaches Anna's IT firm; Carla (Kennispunt Noord) must never reach it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from leerscan.coaching import services
from leerscan.coaching.models import Client as Company
from leerscan.coaching.models import Measurement
from leerscan.coaching.services import InviteMailRefused, measurement_invite_mail_claim

pytestmark = pytest.mark.django_db


def mail_url(client, number=0) -> str:
    return reverse("coaching:round_invite_mail", args=[client.pk, number])


def dutch(msgid: str) -> str:
    with translation.override("nl"):
        return gettext(msgid)


@pytest.fixture
def bram_en(bram_client):
    """Bram's browser, reading the pages in English (the mails go out in Dutch)."""
    bram_client.cookies["django_language"] = "en"
    return bram_client


def test_it_mails_the_invitation_to_the_client_alone_with_bram_as_reply_to(bram_en, anna_company):
    intake = anna_company.measurements.get(round=0)

    response = bram_en.post(mail_url(anna_company))

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@anna-it.nl"] and not message.cc and not message.bcc
    assert message.reply_to == ["bram@leerwerk-advies.nl"]
    assert f"/coaching/uitnodiging/{intake.invite_token}/" in message.body
    assert message.subject == dutch("Invitation to the Leerscan")
    intake.refresh_from_db()
    assert intake.invite_mailed_at is not None
    page = bram_en.get(response["Location"]).content.decode()
    assert "The invitation has been sent to anna@anna-it.nl." in page
    assert "Leerscan mailed the invitation on" in page and "A reminder can be sent from" in page


def test_a_second_mail_the_same_day_is_refused_and_a_reminder_follows_later(bram_en, anna_company):
    bram_en.post(mail_url(anna_company))
    mail.outbox.clear()

    too_soon = bram_en.post(mail_url(anna_company))

    assert too_soon.status_code == 429 and int(too_soon["Retry-After"]) > 0
    assert "less than a day ago" in too_soon.content.decode()
    assert not mail.outbox

    intake = Measurement.objects.get(client=anna_company)
    intake.invite_mailed_at -= timedelta(hours=25)  # a day and an hour later
    intake.save(update_fields=["invite_mailed_at"])
    later = bram_en.post(mail_url(anna_company))

    assert later.status_code == 302 and len(mail.outbox) == 1
    assert mail.outbox[0].subject == dutch("Reminder: invitation to the Leerscan")
    assert mail.outbox[0].to == ["anna@anna-it.nl"]


def test_a_double_click_mails_once(bram_en, anna_company):
    first = bram_en.post(mail_url(anna_company))
    second = bram_en.post(mail_url(anna_company))

    assert first.status_code == 302 and second.status_code == 429
    assert [m.to for m in mail.outbox] == [["anna@anna-it.nl"]]


def test_of_two_requests_that_read_the_round_at_once_one_claims_the_mail(anna_company, monkeypatch):
    """The other request claims the mail between this one's check and its update: this one's
    conditional update finds the round changed, reads it again and is refused."""
    intake = Measurement.objects.get(client=anna_company)
    other = Measurement.objects.get(client=anna_company)
    check = services._invite_mail_refusal
    raced = {}

    def meanwhile(measurement, now):
        if "other" not in raced:
            raced["other"] = None  # the other request's own check runs as usual
            raced["other"] = measurement_invite_mail_claim(measurement=other)
        return check(measurement, now)

    monkeypatch.setattr(services, "_invite_mail_refusal", meanwhile)

    with pytest.raises(InviteMailRefused) as refused:
        measurement_invite_mail_claim(measurement=intake)

    assert refused.value.status == 429 and refused.value.again is not None
    assert Measurement.objects.get(pk=intake.pk).invite_mailed_at == raced["other"].mailed_at


def test_a_failing_mail_server_gives_the_claim_back(bram_en, anna_company, monkeypatch, caplog):
    def refused(self, messages):
        raise ConnectionRefusedError(f"refused {messages[0].to[0]}")

    monkeypatch.setattr(EmailBackend, "send_messages", refused)
    caplog.set_level(logging.INFO)

    response = bram_en.post(mail_url(anna_company))

    assert response.status_code == 503 and "could not be sent" in response.content.decode()
    assert Measurement.objects.get(client=anna_company).invite_mailed_at is None
    assert "ConnectionRefusedError" in caplog.text and "anna@anna-it.nl" not in caplog.text
    assert "/coaching/uitnodiging/" not in caplog.text.replace("/coaching/uitnodiging/<token>/", "")

    monkeypatch.undo()
    again = bram_en.post(mail_url(anna_company))  # at once, not a day later
    assert again.status_code == 302 and len(mail.outbox) == 1
    assert mail.outbox[0].subject == dutch("Invitation to the Leerscan")


def test_a_failed_reminder_leaves_the_last_mail_as_it_was(bram_en, anna_company, monkeypatch):
    bram_en.post(mail_url(anna_company))
    intake = Measurement.objects.get(client=anna_company)
    intake.invite_mailed_at -= timedelta(hours=25)
    intake.save(update_fields=["invite_mailed_at"])

    def refused(self, messages):
        raise OSError("no connection")

    monkeypatch.setattr(EmailBackend, "send_messages", refused)

    assert bram_en.post(mail_url(anna_company)).status_code == 503

    assert Measurement.objects.get(client=anna_company).invite_mailed_at == intake.invite_mailed_at


def test_once_answered_no_reminder_goes(bram_en, anna_intake):
    response = bram_en.post(mail_url(anna_intake.client))

    assert response.status_code == 409
    assert "This round has been answered" in response.content.decode()
    assert not mail.outbox


def test_a_client_without_an_address_gets_a_message_not_a_mail(bram_en, anna_company):
    anna_company.contact_email = ""
    anna_company.save(update_fields=["contact_email"])

    response = bram_en.post(mail_url(anna_company))

    assert response.status_code == 409 and "has no e-mail address" in response.content.decode()
    assert not mail.outbox


def test_carla_of_another_organisation_gets_a_404_and_mails_nothing(carla_client, anna_company):
    response = carla_client.post(mail_url(anna_company))

    assert response.status_code == 404
    assert not mail.outbox
    assert Measurement.objects.get(client=anna_company).invite_mailed_at is None


def test_an_unknown_round_is_a_404_and_get_is_refused(bram_en, anna_company):
    assert bram_en.post(mail_url(anna_company, number=7)).status_code == 404
    assert bram_en.get(mail_url(anna_company)).status_code == 405
    assert not mail.outbox


def test_it_needs_the_csrf_token(bram, anna_company):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(bram.user)

    response = browser.post(mail_url(anna_company))

    assert response.status_code == 403 and not mail.outbox


def test_it_is_rate_limited_per_coach(bram_en, anna_company, bram, settings):
    settings.LEERSCAN_RATE_LIMITS = {**settings.LEERSCAN_RATE_LIMITS, "coach_mail": (1, 3600)}
    bakery = Company.objects.create(
        organisation=bram.organisation, name="Bakkerij Baukje", contact_email="baukje@bakkerij.nl"
    )
    Measurement.objects.create(client=bakery, round=0)

    assert bram_en.post(mail_url(anna_company)).status_code == 302
    refused = bram_en.post(mail_url(bakery))

    assert refused.status_code == 429 and len(mail.outbox) == 1
    assert Measurement.objects.get(client=bakery).invite_mailed_at is None  # given back


def test_the_client_page_offers_the_button_only_while_unanswered(bram_en, anna_company):
    page = bram_en.get(reverse("coaching:client", args=[anna_company.pk])).content.decode()
    assert mail_url(anna_company) in page
    assert "Let Leerscan e-mail the invitation to anna@anna-it.nl" in page
