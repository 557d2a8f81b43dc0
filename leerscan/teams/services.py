"""Services that change a team scan: invite employees, close and reopen it, store one employee's
answers.

Each employee gets an invitation of their own (leerscan/teams/models.py) that takes one response:
whoever holds the employer's results can no longer answer a shared link again and again. A response
is stored whole or not at all, once per invitation, and names neither the invitation nor the
person or the moment. New figures are released per batch (leerscan/teams/selectors.py): the
employer's report gets a new version only when a batch is complete.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from benchmarks.vocabulary import SCALE_MAX, SCALE_MIN
from leerscan.constants import (
    TEAM_INVITATIONS_MAX,
    TEAM_INVITATIONS_PER_REQUEST,
    TEAM_MIN_RESPONSES,
)
from leerscan.scans.models import Scan
from leerscan.teams.models import (
    TEAM_ANSWER_KEYS,
    TeamAnswer,
    TeamInvitation,
    TeamResponse,
    TeamSurvey,
)
from leerscan.teams.selectors import is_release_point

# The form sends a random key (secrets.token_urlsafe); anything longer or stranger is refused.
SUBMISSION_KEY_MAX = 43


class SurveyClosed(Exception):
    """The team scan is closed: it takes no answers."""


class InvitationUsed(Exception):
    """The invitation was used by another form: one invitation, one response."""


def team_invitations_count_clean(raw: object, *, survey: TeamSurvey | None) -> int:
    """The number of invitations asked for, checked: a whole number, at least the minimum for a
    new team scan (fewer can never show figures), at most TEAM_INVITATIONS_PER_REQUEST at once and
    TEAM_INVITATIONS_MAX in all. Raises ValidationError for the form's `count` field."""
    existing = survey.invitations.count() if survey is not None else 0
    smallest = 1 if existing else TEAM_MIN_RESPONSES
    largest = min(TEAM_INVITATIONS_PER_REQUEST, TEAM_INVITATIONS_MAX - existing)
    text = str(raw or "").strip()
    try:
        count = int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None
    except ValueError:
        count = None
    if largest < 1:
        message = _("This team scan has the most invitations possible (%(max)s).") % {
            "max": TEAM_INVITATIONS_MAX
        }
        raise ValidationError({"count": [message]})
    if count is None or not smallest <= count <= largest:
        message = _("Enter a whole number from %(min)s to %(max)s.") % {
            "min": smallest,
            "max": largest,
        }
        if not existing:
            message += " " + _(
                "The team's results appear from %(min)s answers, so invite at least %(min)s "
                "employees."
            ) % {"min": TEAM_MIN_RESPONSES}
        raise ValidationError({"count": [message]})
    return count


def team_invitations_add(*, scan: Scan, count: object) -> list[TeamInvitation]:
    """Make `count` more invitations for the scan's team (the team scan itself the first time,
    or opened again when closed); numbered on from the last. Raises ValidationError for a count
    team_invitations_count_clean refuses."""
    with transaction.atomic():
        survey, created = TeamSurvey.objects.get_or_create(scan=scan)
        # One employer clicking twice, or employer and coach at once: number on from a locked row.
        survey = TeamSurvey.objects.select_for_update().get(pk=survey.pk)
        clean = team_invitations_count_clean(count, survey=None if created else survey)
        last = survey.invitations.aggregate(last=Max("number"))["last"] or 0
        invitations = TeamInvitation.objects.bulk_create(
            TeamInvitation(survey=survey, number=last + n) for n in range(1, clean + 1)
        )
        if not survey.is_open:
            TeamSurvey.objects.filter(pk=survey.pk).update(is_open=True)
    return invitations


def team_survey_reopen(*, survey: TeamSurvey) -> TeamSurvey:
    """Open a closed team scan again: its unused invitations take answers again."""
    TeamSurvey.objects.filter(pk=survey.pk).update(is_open=True)
    survey.is_open = True
    return survey


def team_survey_close(*, survey: TeamSurvey) -> TeamSurvey:
    """Close the team scan: it takes no more answers; the answers given stay."""
    TeamSurvey.objects.filter(pk=survey.pk).update(is_open=False)
    survey.is_open = False
    return survey


def team_survey_manage(*, scan: Scan, action: str) -> bool:
    """The employer's (or their coach's) button on the team section: "close" closes the team
    scan, "open" opens it again. False for any other action, or without a team scan: nothing
    changes (invitations are made by team_invitations_add)."""
    survey = TeamSurvey.objects.filter(scan=scan).first()
    if survey is None or action not in ("open", "close"):
        return False
    if action == "open":
        team_survey_reopen(survey=survey)
    else:
        team_survey_close(survey=survey)
    return True


def team_answers_clean(answers: dict[str, object]) -> dict[str, int]:
    """Check one employee's answers: every key of TEAM_ANSWER_KEYS once, each a whole number
    from 1 to 6. Raises ValidationError with a message per key (for the form's fields)."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(answers) - set(TEAM_ANSWER_KEYS))
    if unknown:
        errors["__all__"] = [_("The form holds a statement that does not exist. Please reload it.")]
    clean: dict[str, int] = {}
    for key in TEAM_ANSWER_KEYS:
        raw = answers.get(key)
        if raw is None or raw == "":
            errors[key] = [_("Choose an answer from 1 to 6.")]
            continue
        try:
            value = int(str(raw).strip())
        except ValueError:
            value = None
        if isinstance(raw, bool) or value is None or not SCALE_MIN <= value <= SCALE_MAX:
            errors[key] = [_("Choose an answer from 1 to 6.")]
            continue
        clean[key] = value
    if errors:
        raise ValidationError(errors)
    return clean


def _submission_key_clean(submission_key: str) -> str:
    key = (submission_key or "").strip()
    if not key or len(key) > SUBMISSION_KEY_MAX or not key.isascii() or not key.isprintable():
        raise ValidationError({"submission_key": [_("The form is incomplete. Please reload it.")]})
    return key


def team_response_submit(
    *, invitation: TeamInvitation, submission_key: str, answers: dict[str, object]
) -> None:
    """Store one employee's answers to all 14 statements through their invitation, atomically
    and once: the same form sent again (the same submission_key) stores nothing more. Raises
    SurveyClosed for a closed team scan, InvitationUsed for an invitation another form used,
    ValidationError for a bad key or answer."""
    key = _submission_key_clean(submission_key)
    invitation.refresh_from_db(fields=["submission_key"])
    if invitation.submission_key == key:
        return
    if invitation.used:
        raise InvitationUsed
    survey_id = invitation.survey_id
    if not TeamSurvey.objects.filter(pk=survey_id, is_open=True).exists():
        raise SurveyClosed
    clean = team_answers_clean(answers)
    with transaction.atomic():
        # Taking the invitation is one conditional update: of two forms sent at once, one wins.
        taken = TeamInvitation.objects.filter(pk=invitation.pk, submission_key="").update(
            submission_key=key
        )
        if not taken:
            invitation.refresh_from_db(fields=["submission_key"])
            if invitation.submission_key == key:
                return
            raise InvitationUsed
        response = TeamResponse.objects.create(survey_id=survey_id)
        TeamAnswer.objects.bulk_create(
            TeamAnswer(response=response, key=k, value=v) for k, v in clean.items()
        )
        count = TeamResponse.objects.filter(survey_id=survey_id).count()
        if is_release_point(count):
            # A new batch of figures: a new version of the employer's report (leerscan/reports/
            # services.py keys it by answers_version). An update, not save(): the employer's own
            # "last changed" stays as it was.
            Scan.objects.filter(team_survey__pk=survey_id).update(
                answers_version=F("answers_version") + 1
            )
    invitation.submission_key = key
