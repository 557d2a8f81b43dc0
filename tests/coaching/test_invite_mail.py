"""A coach has Leerscan mail a round's invitation to the client, and later a reminder
(leerscan/coaching/views/invite_mail.py): only to the client's own address, only while the round
is not answered, once a day at most, rate-limited, a CSRF-protected POST, and only for the
coach's own organisation. Bram coaches Anna's IT firm; Carla (Kennispunt Noord) must never reach it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from leerscan.coaching.models import Client as Company
from leerscan.coaching.models import Measurement

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


def test_the_client_page_offers_the_button_only_while_unanswered(bram_en, anna_company):
    page = bram_en.get(reverse("coaching:client", args=[anna_company.pk])).content.decode()
    assert mail_url(anna_company) in page
    assert "Let Leerscan e-mail the invitation to anna@anna-it.nl" in page
