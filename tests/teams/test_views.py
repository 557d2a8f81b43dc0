"""The team form at /team/<invitation token>/, the employer's invitations page and team section
(leerscan/teams/views.py).

Anna makes invitations on her results page; her employees answer on their phones, each with their
own. Baukje (the bakery) has her own scan and must never see Anna's team.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from leerscan.scans import services as scan_services
from leerscan.teams.models import TEAM_ANSWER_KEYS, TeamInvitation, TeamResponse, TeamSurvey
from leerscan.teams.services import team_survey_close
from tests.personas_more import BAKERY_FACTS, BAKERY_ITEMS, BAKERY_PROFILE, finished_scan
from tests.teams import answering

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna_done(anna_scan):
    return scan_services.scan_finish(scan=anna_scan)


@pytest.fixture
def invitations(anna_done):
    return answering.invite(anna_done, 7)


@pytest.fixture
def invitation(invitations):
    return invitations[0]


def post_answers(client, invitation, **changes):
    data = dict.fromkeys(TEAM_ANSWER_KEYS, "4")
    data["submission_key"] = "key-1"
    data.update(changes)
    return client.post(reverse("teams:form", args=[invitation.token]), data)


def test_it_shows_fourteen_statements_as_fieldsets_without_name_or_email(client, invitation):
    response = client.get(reverse("teams:form", args=[invitation.token]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<fieldset") == 14 and html.count("<legend") == 14
    for key in TEAM_ANSWER_KEYS:
        assert len(re.findall(rf'type="radio"[^>]*name="{key}" value="[1-6]"', html)) == 6
    assert 'name="submission_key"' in html and ">Verstuur<" in html
    assert "Ik gebruik mijn eigen ideeën om taken op het werk te verbeteren." in html
    assert 'type="email"' not in html and 'name="name"' not in html
    assert "no-store" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]
    # No Referer to other sites; same-origin keeps the form's Origin for the CSRF check.
    assert response["Referrer-Policy"] == "same-origin"


def test_it_stores_an_answer_once_and_thanks(client, invitation):
    first = post_answers(client, invitation)
    again = post_answers(client, invitation)

    assert first.status_code == again.status_code == 302
    assert first["Location"] == reverse("teams:thanks", args=[invitation.token])
    assert TeamResponse.objects.count() == 1
    thanks = client.get(first["Location"])
    assert thanks.status_code == 200 and "Bedankt" in thanks.content.decode()


def test_a_used_invitation_takes_no_second_set_of_answers(client, invitation):
    post_answers(client, invitation)

    opened = client.get(reverse("teams:form", args=[invitation.token]))
    other_form = post_answers(client, invitation, submission_key="key-2", taken="1")

    assert opened.status_code == other_form.status_code == 410
    assert "Deze uitnodiging is al gebruikt" in other_form.content.decode()
    assert TeamResponse.objects.count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"taken": ""},
        {"taken": "<script>"},
        {"submission_key": "x" * 500},
        {"eigen_ideeen": "4" * 5000},
    ],
)
def test_it_answers_nonsense_with_a_dutch_message_and_keeps_the_other_answers(
    client, invitation, changes
):
    response = post_answers(client, invitation, nadenken_vooraf="6", **changes)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Uw andere antwoorden zijn bewaard" in html
    assert re.search(r'name="nadenken_vooraf" value="6"[^>]*checked', html)
    assert not re.search(r'name="nadenken_vooraf" value="[1-5]"[^>]*checked', html)
    assert "<script>" not in html
    assert not TeamResponse.objects.exists()
    assert not TeamInvitation.objects.get(pk=invitation.pk).used


def test_it_names_the_statement_left_open(client, invitation):
    response = post_answers(client, invitation, samenwerken="")

    html = response.content.decode()
    assert 'id="error_id_samenwerken"' in html and "Kies een antwoord van 1 tot 6." in html
    assert 'id="error_id_taken"' not in html


@pytest.mark.parametrize("token", ["x" * 32, "..%2f..%2fetc"])
def test_an_unknown_link_is_a_dutch_404(client, invitation, token):
    response = client.get(f"/team/{token}/")
    assert response.status_code == 404
    response = client.post(f"/team/{token}/", {"taken": "4"})
    assert response.status_code == 404


def test_a_closed_team_scan_is_a_410_that_stores_nothing(client, invitation):
    team_survey_close(survey=invitation.survey)

    assert client.get(reverse("teams:form", args=[invitation.token])).status_code == 410
    response = post_answers(client, invitation)
    assert response.status_code == 410
    assert "gesloten" in response.content.decode()
    assert not TeamResponse.objects.exists()


def test_it_limits_answers_per_address_and_team(client, invitations, settings):
    settings.LEERSCAN_RATE_LIMITS = {**settings.LEERSCAN_RATE_LIMITS, "team_submit": (2, 3600)}
    assert post_answers(client, invitations[0], submission_key="a").status_code == 302
    assert post_answers(client, invitations[1], submission_key="b").status_code == 302
    assert post_answers(client, invitations[2], submission_key="c").status_code == 429


def test_the_owner_invites_the_team_and_sees_the_count_below_the_threshold(anna_done):
    owner = Client()
    results = reverse("reports:results", args=[anna_done.token])
    page = owner.get(results).content.decode()
    assert "Hoeveel medewerkers nodigt u uit?" in page

    response = owner.post(reverse("teams:invitations", args=[anna_done.token]), {"count": "12"})

    assert response.status_code == 302
    page = owner.get(response["Location"]).content.decode()
    invitations = list(TeamInvitation.objects.filter(survey__scan=anna_done))
    assert len(invitations) == 12
    for invitation in invitations:  # every link, to copy, and as a card with its QR code
        assert page.count(f"/team/{invitation.token}/") == 2
    assert page.count("<svg") >= 12 and "Uitnodiging 12" in page
    answering.answer(anna_done, [dict.fromkeys(TEAM_ANSWER_KEYS, 2)] * 3)
    page = owner.get(results).content.decode()
    assert "12 uitnodigingen gemaakt" in page and "3 van minimaal 5 antwoorden" in page
    assert "Teamgemiddelde" not in page
    assert invitations[0].token not in page  # the links are on their own page


@pytest.mark.parametrize("count", ["", "3", "abc", "-1", "10000", "<b>7</b>"])
def test_a_bad_number_of_invitations_gets_a_dutch_message_next_to_the_field(
    client, anna_done, count
):
    response = client.post(reverse("teams:invitations", args=[anna_done.token]), {"count": count})

    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="error_id_count"' in html and "Vul een heel getal in van 5 tot 200" in html
    assert "<b>7</b>" not in html
    assert not TeamSurvey.objects.exists()


def test_the_owner_sees_the_team_view_from_five_answers_and_can_close_it(client, anna_done):
    answers = {**dict.fromkeys(TEAM_ANSWER_KEYS, 4), "organisatie_inrichting": 1}
    answering.answer(anna_done, [answers] * 6)
    results = reverse("reports:results", args=[anna_done.token])

    page = client.get(results).content.decode()

    assert "Teamgemiddelde" in page and "Blinde vlek" in page
    assert "6 medewerkers hebben geantwoord" in page
    assert "de eerste 5 antwoorden" in page and "bij 10 antwoorden" in page
    assert "Spreiding" not in page  # below ten answers in the figures
    assert "form-1" not in page
    client.post(reverse("teams:manage", args=[anna_done.token]), {"action": "close"})
    assert not TeamSurvey.objects.get(scan=anna_done).is_open
    assert "Open de teamscan weer" in client.get(results).content.decode()


def test_another_scans_token_cannot_see_or_close_this_team(client, invitations):
    bakery_scan = finished_scan(BAKERY_PROFILE, BAKERY_ITEMS, BAKERY_FACTS)
    survey = invitations[0].survey
    answering.answer(survey.scan, [dict.fromkeys(TEAM_ANSWER_KEYS, 4)] * 5)

    page = client.get(reverse("reports:results", args=[bakery_scan.token])).content.decode()
    client.post(reverse("teams:manage", args=[bakery_scan.token]), {"action": "close"})
    own = client.get(reverse("teams:invitations", args=[bakery_scan.token])).content.decode()

    assert "Teamgemiddelde" not in page
    assert not any(invitation.token in page + own for invitation in invitations)
    assert TeamSurvey.objects.get(pk=survey.pk).is_open


@pytest.mark.parametrize("action", ["", "x" * 1000])
def test_the_owner_actions_refuse_nonsense(client, anna_done, action):
    url = reverse("teams:manage", args=[anna_done.token])
    assert client.post(url, {"action": action}).status_code == 400
    assert client.get(url)["Location"].endswith("/resultaten/#kop-team")
    assert client.post("/scan/" + "y" * 32 + "/team/", {"action": "open"}).status_code == 404
    unknown = "/scan/" + "y" * 32 + "/team/uitnodigingen/"
    assert client.post(unknown, {"count": "5"}).status_code == 404
