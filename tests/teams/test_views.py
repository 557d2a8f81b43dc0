"""The team form at /team/<token>/ and the employer's team section (leerscan/teams/views.py).

Anna makes a team link on her results page; her employees answer on their phones. Baukje (the
bakery) has her own scan and must never see Anna's team.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from leerscan.scans import services as scan_services
from leerscan.teams.models import TEAM_ANSWER_KEYS, TeamResponse, TeamSurvey
from leerscan.teams.services import team_response_submit, team_survey_close, team_survey_open
from tests.personas_more import BAKERY_FACTS, BAKERY_ITEMS, BAKERY_PROFILE, finished_scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna_done(anna_scan):
    return scan_services.scan_finish(scan=anna_scan)


@pytest.fixture
def survey(anna_done):
    return team_survey_open(scan=anna_done)


def post_answers(client, survey, **changes):
    data = dict.fromkeys(TEAM_ANSWER_KEYS, "4")
    data["submission_key"] = "key-1"
    data.update(changes)
    return client.post(reverse("teams:form", args=[survey.token]), data)


def test_it_shows_fourteen_statements_as_fieldsets_without_name_or_email(client, survey):
    response = client.get(reverse("teams:form", args=[survey.token]))

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


def test_it_stores_an_answer_once_and_thanks(client, survey):
    first = post_answers(client, survey)
    again = post_answers(client, survey)

    assert first.status_code == again.status_code == 302
    assert first["Location"] == reverse("teams:thanks", args=[survey.token])
    assert TeamResponse.objects.count() == 1
    thanks = client.get(first["Location"])
    assert thanks.status_code == 200 and "Bedankt" in thanks.content.decode()


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
    client, survey, changes
):
    response = post_answers(client, survey, nadenken_vooraf="6", **changes)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Uw andere antwoorden zijn bewaard" in html
    assert re.search(r'name="nadenken_vooraf" value="6"[^>]*checked', html)
    assert not re.search(r'name="nadenken_vooraf" value="[1-5]"[^>]*checked', html)
    assert "<script>" not in html
    assert not TeamResponse.objects.exists()


def test_it_names_the_statement_left_open(client, survey):
    response = post_answers(client, survey, samenwerken="")

    html = response.content.decode()
    assert 'id="error_id_samenwerken"' in html and "Kies een antwoord van 1 tot 6." in html
    assert 'id="error_id_taken"' not in html


@pytest.mark.parametrize("token", ["x" * 32, "..%2f..%2fetc"])
def test_an_unknown_link_is_a_dutch_404(client, survey, token):
    response = client.get(f"/team/{token}/")
    assert response.status_code == 404
    response = client.post(f"/team/{token}/", {"taken": "4"})
    assert response.status_code == 404


def test_a_closed_link_is_a_410_that_stores_nothing(client, survey):
    team_survey_close(survey=survey)

    assert client.get(reverse("teams:form", args=[survey.token])).status_code == 410
    response = post_answers(client, survey)
    assert response.status_code == 410
    assert "gesloten" in response.content.decode()
    assert not TeamResponse.objects.exists()


def test_it_limits_answers_per_address_and_link(client, survey, settings):
    settings.LEERSCAN_RATE_LIMITS = {**settings.LEERSCAN_RATE_LIMITS, "team_submit": (2, 3600)}
    assert post_answers(client, survey, submission_key="a").status_code == 302
    assert post_answers(client, survey, submission_key="b").status_code == 302
    assert post_answers(client, survey, submission_key="c").status_code == 429


def test_the_owner_makes_a_link_and_sees_the_count_below_the_threshold(client, anna_done):
    results = reverse("reports:results", args=[anna_done.token])
    page = client.get(results).content.decode()
    assert "Maak een teamlink" in page

    response = client.post(reverse("teams:manage", args=[anna_done.token]), {"action": "open"})

    assert response.status_code == 302 and response["Location"].endswith("#kop-team")
    survey = TeamSurvey.objects.get(scan=anna_done)
    for n in range(3):
        team_response_submit(
            survey=survey, submission_key=f"e{n}", answers=dict.fromkeys(TEAM_ANSWER_KEYS, 2)
        )
    page = client.get(results).content.decode()
    assert f"/team/{survey.token}/" in page and "<svg" in page
    assert "3 van minimaal 5 antwoorden" in page
    assert "Teamgemiddelde" not in page


def test_the_owner_sees_the_team_view_from_five_answers_and_can_close_it(client, anna_done):
    survey = team_survey_open(scan=anna_done)
    for n in range(5):
        answers = {**dict.fromkeys(TEAM_ANSWER_KEYS, 4), "organisatie_inrichting": 1}
        team_response_submit(survey=survey, submission_key=f"secret-key-{n}", answers=answers)
    results = reverse("reports:results", args=[anna_done.token])

    page = client.get(results).content.decode()

    assert "Teamgemiddelde" in page and "Blinde vlek" in page
    assert "5 medewerkers hebben geantwoord" in page
    assert "secret-key" not in page
    client.post(reverse("teams:manage", args=[anna_done.token]), {"action": "close"})
    assert not TeamSurvey.objects.get(pk=survey.pk).is_open
    assert "Open de teamlink weer" in client.get(results).content.decode()


def test_another_scans_token_cannot_see_or_close_this_team(client, survey):
    bakery_scan = finished_scan(BAKERY_PROFILE, BAKERY_ITEMS, BAKERY_FACTS)
    for n in range(5):
        team_response_submit(
            survey=survey, submission_key=f"e{n}", answers=dict.fromkeys(TEAM_ANSWER_KEYS, 4)
        )

    page = client.get(reverse("reports:results", args=[bakery_scan.token])).content.decode()
    client.post(reverse("teams:manage", args=[bakery_scan.token]), {"action": "close"})

    assert survey.token not in page and "Teamgemiddelde" not in page
    assert TeamSurvey.objects.get(pk=survey.pk).is_open


@pytest.mark.parametrize("action", ["", "x" * 1000])
def test_the_owner_actions_refuse_nonsense(client, anna_done, action):
    url = reverse("teams:manage", args=[anna_done.token])
    assert client.post(url, {"action": action}).status_code == 400
    assert client.get(url)["Location"].endswith("/resultaten/#kop-team")
    assert client.post("/scan/" + "y" * 32 + "/team/", {"action": "open"}).status_code == 404
