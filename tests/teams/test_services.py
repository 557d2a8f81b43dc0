"""Opening and closing a team-scan link and storing employees' answers (teams.services)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from leerscan.scans.models import Scan
from leerscan.teams.models import TEAM_ANSWER_KEYS, TeamAnswer, TeamResponse
from leerscan.teams.services import (
    SurveyClosed,
    team_response_submit,
    team_survey_close,
    team_survey_open,
)

pytestmark = pytest.mark.django_db

ALL_FOURS = dict.fromkeys(TEAM_ANSWER_KEYS, 4)


def test_it_opens_one_link_per_scan_and_reopens_a_closed_one(anna_scan):
    survey = team_survey_open(scan=anna_scan)
    team_survey_close(survey=survey)

    again = team_survey_open(scan=anna_scan)

    assert again.pk == survey.pk and again.token == survey.token
    assert again.is_open
    assert type(survey).objects.filter(scan=anna_scan).count() == 1


def test_it_stores_a_form_sent_twice_once(anna_scan):
    survey = team_survey_open(scan=anna_scan)

    first = team_response_submit(survey=survey, submission_key="abc", answers=ALL_FOURS)
    second = team_response_submit(
        survey=survey, submission_key="abc", answers=dict.fromkeys(TEAM_ANSWER_KEYS, 6)
    )

    assert first.pk == second.pk
    assert TeamResponse.objects.count() == 1
    assert set(TeamAnswer.objects.values_list("value", flat=True)) == {4}
    assert TeamAnswer.objects.count() == len(TEAM_ANSWER_KEYS) == 14


def test_it_refuses_answers_to_a_closed_link(anna_scan):
    survey = team_survey_close(survey=team_survey_open(scan=anna_scan))

    with pytest.raises(SurveyClosed):
        team_response_submit(survey=survey, submission_key="abc", answers=ALL_FOURS)
    assert not TeamResponse.objects.exists()


@pytest.mark.parametrize(
    "change",
    [{"taken": 0}, {"taken": 7}, {"taken": "4.5"}, {"unknown_statement": 3}],
)
def test_it_stores_nothing_when_an_answer_is_missing_or_off_the_scale(anna_scan, change):
    survey = team_survey_open(scan=anna_scan)
    answers = {**ALL_FOURS, **change}

    with pytest.raises(ValidationError):
        team_response_submit(survey=survey, submission_key="abc", answers=answers)
    assert not TeamResponse.objects.exists() and not TeamAnswer.objects.exists()


def test_it_requires_all_fourteen_answers(anna_scan):
    survey = team_survey_open(scan=anna_scan)
    answers = dict(ALL_FOURS)
    del answers["leren_problemen"]

    with pytest.raises(ValidationError) as error:
        team_response_submit(survey=survey, submission_key="abc", answers=answers)
    assert "leren_problemen" in error.value.message_dict


@pytest.mark.parametrize("key", ["", "x" * 44])
def test_it_refuses_a_missing_or_strange_submission_key(anna_scan, key):
    survey = team_survey_open(scan=anna_scan)

    with pytest.raises(ValidationError):
        team_response_submit(survey=survey, submission_key=key, answers=ALL_FOURS)
    assert not TeamResponse.objects.exists()


def test_it_makes_a_new_report_version_from_the_threshold_on(anna_scan, settings):
    survey = team_survey_open(scan=anna_scan)
    before = anna_scan.answers_version

    for n in range(4):
        team_response_submit(survey=survey, submission_key=f"k{n}", answers=ALL_FOURS)
    assert Scan.objects.get(pk=anna_scan.pk).answers_version == before

    team_response_submit(survey=survey, submission_key="k4", answers=ALL_FOURS)
    assert Scan.objects.get(pk=anna_scan.pk).answers_version == before + 1


def test_it_stores_a_response_whole_or_not_at_all(anna_scan, monkeypatch):
    survey = team_survey_open(scan=anna_scan)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away halfway")

    monkeypatch.setattr(TeamAnswer.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        team_response_submit(survey=survey, submission_key="abc", answers=ALL_FOURS)

    assert not TeamResponse.objects.exists()
