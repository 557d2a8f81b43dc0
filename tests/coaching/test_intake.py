"""The intake checklist: Anna ticks what she wishes from a knowledge institution (Box 5.2) and
types her training questions under her scan's link; Bram sees and edits the same."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_only_a_scan_tied_to_a_client_has_an_intake(client, anna_scan):
    assert client.get(reverse("coaching:intake", args=[anna_scan.token])).status_code == 404


def test_anna_saves_her_wishes_and_questions_and_saving_again_changes_nothing(client, anna_intake):
    url = reverse("coaching:intake", args=[anna_intake.scan.token])
    data = {"wishes": ["evc", "online"], "training_questions": "Excel voor kantoor"}
    for _time in range(2):
        response = client.post(url, data)
        assert response.status_code == 302
    company = anna_intake.client
    company.refresh_from_db()
    assert sorted(company.wishes.values_list("key", flat=True)) == ["evc", "online"]
    assert company.training_questions == "Excel voor kantoor"
    assert sorted(client.get(url).context["form"].initial["wishes"]) == ["evc", "online"]


def test_bram_sees_and_changes_the_same_intake(bram_client, client, anna_intake):
    company = anna_intake.client
    company.wishes.create(key="korter")
    url = reverse("coaching:client_intake", args=[company.pk])
    response = bram_client.post(url, {"wishes": ["bundelen"], "training_questions": "BHV"})
    assert response.status_code == 302
    assert list(company.wishes.values_list("key", flat=True)) == ["bundelen"]
    page = bram_client.get(reverse("coaching:client", args=[company.pk])).content.decode()
    assert "BHV" in page


@pytest.mark.parametrize(
    "data",
    [
        {"wishes": ["vliegen"]},
        {"wishes": ["evc"], "training_questions": "x" * 301},
        {"training_questions": "Excel\x00"},
    ],
)
def test_nonsense_is_refused_and_nothing_saved_is_lost(client, anna_intake, data):
    company = anna_intake.client
    company.wishes.create(key="korter")
    company.training_questions = "Planning"
    company.save()
    response = client.post(reverse("coaching:intake", args=[anna_intake.scan.token]), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    company.refresh_from_db()
    assert list(company.wishes.values_list("key", flat=True)) == ["korter"]
    assert company.training_questions == "Planning"


def test_the_checklist_has_the_nine_wishes_of_box_5_2_in_the_monitors_order(client, anna_intake):
    url = reverse("coaching:intake", args=[anna_intake.scan.token])
    choices = [key for key, _label in client.get(url).context["form"].fields["wishes"].choices]
    assert choices == [
        "modulair",
        "evc",
        "bundelen",
        "leiderschap",
        "opleidingsvragen",  # "Ondersteunen bij opleidingsvragen", long missing
        "korter",
        "online",
        "praktisch_hbo",
        "hybride_bbl",
    ]


def test_anna_wishes_support_with_her_training_questions(client, anna_intake):
    url = reverse("coaching:intake", args=[anna_intake.scan.token])
    response = client.post(url, {"wishes": ["opleidingsvragen"], "training_questions": ""})
    assert response.status_code == 302
    assert list(anna_intake.client.wishes.values_list("key", flat=True)) == ["opleidingsvragen"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Support with training questions" in client.get(url).content.decode()


def test_the_database_refuses_a_wish_outside_box_5_2(anna_intake):
    with pytest.raises(IntegrityError), transaction.atomic():
        anna_intake.client.wishes.create(key="vliegen")
