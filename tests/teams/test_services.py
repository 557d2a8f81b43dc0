"""Inviting a team, closing and reopening the team scan, and storing employees' answers
(teams.services): one invitation, one response, and nothing that ties the two together."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from leerscan.constants import TEAM_INVITATIONS_MAX, TEAM_INVITATIONS_PER_REQUEST
from leerscan.scans.models import Scan
from leerscan.teams.models import TEAM_ANSWER_KEYS, TeamAnswer, TeamInvitation, TeamResponse
from leerscan.teams.services import (
    InvitationUsed,
    SurveyClosed,
    team_invitations_add,
    team_response_submit,
    team_survey_close,
    team_survey_manage,
)

pytestmark = pytest.mark.django_db

ALL_FOURS = dict.fromkeys(TEAM_ANSWER_KEYS, 4)


def test_it_makes_numbered_invitations_with_tokens_of_their_own(anna_scan):
    first = team_invitations_add(scan=anna_scan, count=7)
    more = team_invitations_add(scan=anna_scan, count="2")

    assert [i.number for i in first + more] == list(range(1, 10))
    tokens = {i.token for i in TeamInvitation.objects.all()}
    assert len(tokens) == 9 and all(len(t) == 32 for t in tokens)
    assert anna_scan.token not in tokens
    assert TeamInvitation.objects.filter(survey__scan=anna_scan).count() == 9


@pytest.mark.parametrize("count", ["", "4", "0", "-3", "2.5", "zeven", "٥", "1e3", "9" * 30, None])
def test_the_first_invitations_are_at_least_the_minimum_and_a_whole_number(anna_scan, count):
    with pytest.raises(ValidationError) as error:
        team_invitations_add(scan=anna_scan, count=count)
    assert "count" in error.value.message_dict
    assert not TeamInvitation.objects.exists()


def test_it_caps_invitations_per_request_and_in_all(anna_scan):
    with pytest.raises(ValidationError):
        team_invitations_add(scan=anna_scan, count=TEAM_INVITATIONS_PER_REQUEST + 1)
    while TeamInvitation.objects.count() < TEAM_INVITATIONS_MAX:
        left = TEAM_INVITATIONS_MAX - TeamInvitation.objects.count()
        team_invitations_add(scan=anna_scan, count=min(left, TEAM_INVITATIONS_PER_REQUEST))

    with pytest.raises(ValidationError) as error:
        team_invitations_add(scan=anna_scan, count=1)
    assert "500" in str(error.value.message_dict["count"])


def test_making_invitations_opens_a_closed_team_scan_and_open_close_change_only_that(anna_scan):
    invitation = team_invitations_add(scan=anna_scan, count=5)[0]
    assert team_survey_manage(scan=anna_scan, action="close")
    invitation.survey.refresh_from_db()
    assert not invitation.survey.is_open

    team_invitations_add(scan=anna_scan, count=1)
    invitation.survey.refresh_from_db()
    assert invitation.survey.is_open
    assert not team_survey_manage(scan=anna_scan, action="delete")


def test_an_invitation_takes_one_response_and_the_same_form_sent_twice_once(anna_scan):
    invitation = team_invitations_add(scan=anna_scan, count=5)[0]

    team_response_submit(invitation=invitation, submission_key="abc", answers=ALL_FOURS)
    team_response_submit(
        invitation=invitation, submission_key="abc", answers=dict.fromkeys(TEAM_ANSWER_KEYS, 6)
    )
    with pytest.raises(InvitationUsed):
        team_response_submit(invitation=invitation, submission_key="another", answers=ALL_FOURS)

    assert TeamResponse.objects.count() == 1
    assert set(TeamAnswer.objects.values_list("value", flat=True)) == {4}
    assert TeamAnswer.objects.count() == len(TEAM_ANSWER_KEYS) == 14


def test_a_stale_copy_of_a_used_invitation_cannot_answer_again(anna_scan):
    """Two tabs opened on one invitation: the first sends, the second (an old object) cannot."""
    invitation = team_invitations_add(scan=anna_scan, count=5)[0]
    stale = TeamInvitation.objects.get(pk=invitation.pk)
    team_response_submit(invitation=invitation, submission_key="tab-1", answers=ALL_FOURS)

    with pytest.raises(InvitationUsed):
        team_response_submit(invitation=stale, submission_key="tab-2", answers=ALL_FOURS)
    assert TeamResponse.objects.count() == 1


def test_a_response_names_no_invitation(anna_scan):
    """Nothing in a response leads back to the invitation (and so to the person) it came from."""
    fields = {f.name for f in TeamResponse._meta.get_fields()}
    assert fields == {"id", "survey", "answers"}
    assert {f.name for f in TeamInvitation._meta.get_fields()} == {
        "id",
        "survey",
        "number",
        "token",
        "submission_key",
        # An invitation mailed by Leerscan: the address only while unused (a constraint, and
        # tests/teams/test_reminders.py), never the response.
        "by_email",
        "email",
        "email_given_at",
    }


def test_it_refuses_answers_to_a_closed_team_scan(anna_scan):
    invitation = team_invitations_add(scan=anna_scan, count=5)[0]
    team_survey_close(survey=invitation.survey)

    with pytest.raises(SurveyClosed):
        team_response_submit(invitation=invitation, submission_key="abc", answers=ALL_FOURS)
    assert not TeamResponse.objects.exists()
    invitation.refresh_from_db()
    assert not invitation.used


@pytest.mark.parametrize(
    "change",
    [{"taken": 0}, {"taken": 7}, {"taken": "4.5"}, {"unknown_statement": 3}],
)
def test_it_stores_nothing_when_an_answer_is_missing_or_off_the_scale(anna_scan, change):
    invitation = team_invitations_add(scan=anna_scan, count=5)[0]
    answers = {**ALL_FOURS, **change}

    with pytest.raises(ValidationError):
        team_response_submit(invitation=invitation, submission_key="abc", answers=answers)
    assert not TeamResponse.objects.exists() and not TeamAnswer.objects.exists()
    invitation.refresh_from_db()
    assert not invitation.used  # the employee can try again with the same invitation


def test_it_requires_all_fourteen_answers(anna_scan):
    invitation = team_invitations_add(scan=anna_scan, count=5)[0]
    answers = dict(ALL_FOURS)
    del answers["leren_problemen"]

    with pytest.raises(ValidationError) as error:
        team_response_submit(invitation=invitation, submission_key="abc", answers=answers)
    assert "leren_problemen" in error.value.message_dict


@pytest.mark.parametrize("key", ["", "x" * 44, "é", "a\nb"])
def test_it_refuses_a_missing_or_strange_submission_key(anna_scan, key):
    invitation = team_invitations_add(scan=anna_scan, count=5)[0]

    with pytest.raises(ValidationError):
        team_response_submit(invitation=invitation, submission_key=key, answers=ALL_FOURS)
    assert not TeamResponse.objects.exists()


def test_it_makes_a_new_report_version_only_when_a_batch_is_complete(anna_scan):
    invitations = team_invitations_add(scan=anna_scan, count=12)
    versions = []
    for n, invitation in enumerate(invitations, start=1):
        team_response_submit(invitation=invitation, submission_key=f"k{n}", answers=ALL_FOURS)
        versions.append(Scan.objects.get(pk=anna_scan.pk).answers_version)

    first = anna_scan.answers_version
    # New figures, and so a new report, at 5 and at 10 answers; none in between.
    assert versions == [first] * 4 + [first + 1] * 5 + [first + 2] * 3


def test_it_stores_a_response_whole_or_not_at_all(anna_scan, monkeypatch):
    invitation = team_invitations_add(scan=anna_scan, count=5)[0]

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away halfway")

    monkeypatch.setattr(TeamAnswer.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        team_response_submit(invitation=invitation, submission_key="abc", answers=ALL_FOURS)

    assert not TeamResponse.objects.exists()
    invitation.refresh_from_db()
    assert not invitation.used
