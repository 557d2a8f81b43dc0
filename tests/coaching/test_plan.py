"""The action plan and the notes: Bram turns a recommendation into an action, plans who and
when (a Dutch date), changes its status; Anna sees the plan on her results, never the notes."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from leerscan.coaching.models import ActionItem, CoachNote
from leerscan.reports.results import scan_results_for
from leerscan.reports.selectors import scan_advice

pytestmark = pytest.mark.django_db


def _new(company) -> str:
    return reverse("coaching:action_new", args=[company.pk])


def test_put_in_the_action_plan_fills_in_the_recommendation(bram_client, anna_intake):
    company = anna_intake.client
    first = scan_advice(results=scan_results_for(scan=anna_intake.scan)).recommendations[0]
    page = bram_client.get(reverse("coaching:client", args=[company.pk])).content.decode()
    assert f"?instrument={first.instrument.key}" in page
    form = bram_client.get(_new(company), {"instrument": first.instrument.key}).context["form"]
    assert form.initial["what"].startswith(f"{first.instrument.name_nl}: ")
    response = bram_client.post(
        _new(company),
        {"instrument": first.instrument.key, "what": form.initial["what"], "status": "gepland"},
    )
    assert response.status_code == 302
    action = ActionItem.objects.get()
    assert (action.instrument, action.what) == (first.instrument.key, form.initial["what"])


def test_an_action_gets_a_date_typed_the_dutch_way(bram_client, anna_company):
    data = {"what": "Scholingsplan", "who": "Anna", "due": "15-3-2027", "status": "bezig"}
    assert bram_client.post(_new(anna_company), data).status_code == 302
    assert ActionItem.objects.get().due == datetime.date(2027, 3, 15)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("due", "morgen"),
        ("due", "31-02-2027"),
        ("due", "15-03-9999"),
        ("what", ""),
        ("what", "x" * 201),
        ("status", "misschien"),
        ("who", "Anna\x00"),
    ],
)
def test_nonsense_in_an_action_is_refused_and_kept_in_the_form(
    bram_client, anna_company, field, value
):
    data = {"what": "Scholingsplan", "who": "Anna", "due": "", "status": "gepland"}
    response = bram_client.post(_new(anna_company), data | {field: value})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ActionItem.objects.exists()


def test_the_date_error_is_a_plain_dutch_sentence(bram_client, anna_company):
    response = bram_client.post(
        _new(anna_company), {"what": "x", "due": "morgen", "status": "gepland"}
    )
    assert (
        "Vul een datum in, bijvoorbeeld 15-03-2027." in response.content.decode()
    )  # coaching.json


def test_status_edit_and_remove(bram_client, anna_plan):
    action = anna_plan.actions.first()
    status_url = reverse("coaching:action_status", args=[anna_plan.pk, action.pk])
    assert bram_client.post(status_url, {"status": "klaar"}).status_code == 302
    assert bram_client.post(status_url, {"status": "later"}).status_code == 400
    action.refresh_from_db()
    assert action.status == "klaar"
    edit = reverse("coaching:action_edit", args=[anna_plan.pk, action.pk])
    bram_client.post(edit, {"what": "Feedback elke maand", "who": "", "due": "", "status": "bezig"})
    action.refresh_from_db()
    assert (action.what, action.status) == ("Feedback elke maand", "bezig")
    bram_client.post(reverse("coaching:action_remove", args=[anna_plan.pk, action.pk]))
    assert not ActionItem.objects.filter(pk=action.pk).exists()


def test_anna_sees_the_plan_with_its_status_in_words_but_never_the_notes(client, anna_plan):
    scan = anna_plan.measurements.get().scan
    anna_plan.actions.filter(what__startswith="Feedback").update(status="bezig")
    pages = [
        client.get(reverse(name, args=[scan.token])).content.decode()
        for name in ("reports:results", "coaching:intake", "coaching:share")
    ]
    assert "Feedbackgesprekken invoeren" in pages[0] and "Scholingsbudget vastleggen" in pages[0]
    assert ">bezig<" in pages[0] and ">gepland<" in pages[0]  # coaching.json: in progress, planned
    for page in pages:
        assert "twijfelt over het budget" not in page


def test_notes_are_added_with_author_and_deleted(bram_client, anna_plan):
    url = reverse("coaching:note_new", args=[anna_plan.pk])
    assert bram_client.post(url, {"text": "Bellen in maart"}).status_code == 302
    assert bram_client.post(url, {"text": "   "}).status_code == 400
    page = bram_client.get(reverse("coaching:client", args=[anna_plan.pk])).content.decode()
    assert "Bellen in maart" in page and "bram@leerwerk-advies.nl" in page
    note = CoachNote.objects.get(text="Bellen in maart")
    bram_client.post(reverse("coaching:note_remove", args=[anna_plan.pk, note.pk]))
    assert list(anna_plan.notes.values_list("text", flat=True)) == [
        "Anna twijfelt over het budget."
    ]
