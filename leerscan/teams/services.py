"""Services that change a team scan: open its link, close it, store one employee's answers.

A response is stored whole or not at all, and once per submission key: a form sent twice (a
double tap, a resend after a lost connection) stores one response. Nothing about the person or
the moment is stored (leerscan/teams/models.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from benchmarks.vocabulary import SCALE_MAX, SCALE_MIN
from leerscan.constants import TEAM_MIN_RESPONSES
from leerscan.scans.models import Scan
from leerscan.teams.models import TEAM_ANSWER_KEYS, TeamAnswer, TeamResponse, TeamSurvey

# The form sends a random key (secrets.token_urlsafe); anything longer or stranger is refused.
SUBMISSION_KEY_MAX = 43


class SurveyClosed(Exception):
    """The team scan's link is closed: it takes no answers."""


def team_survey_open(*, scan: Scan) -> TeamSurvey:
    """The team-scan link of an employer's scan: created the first time, reopened if closed."""
    survey, created = TeamSurvey.objects.get_or_create(scan=scan)
    if not created and not survey.is_open:
        TeamSurvey.objects.filter(pk=survey.pk).update(is_open=True)
        survey.is_open = True
    return survey


def team_survey_close(*, survey: TeamSurvey) -> TeamSurvey:
    """Close the link: it takes no more answers; the answers given stay."""
    TeamSurvey.objects.filter(pk=survey.pk).update(is_open=False)
    survey.is_open = False
    return survey


def team_survey_manage(*, scan: Scan, action: str) -> bool:
    """The employer's (or their coach's) button on the team section: "open" makes or reopens
    the link, "close" closes it. False for any other action, which changes nothing."""
    if action == "open":
        team_survey_open(scan=scan)
    elif action == "close":
        survey = TeamSurvey.objects.filter(scan=scan).first()
        if survey is not None:
            team_survey_close(survey=survey)
    else:
        return False
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


def team_response_submit(
    *, survey: TeamSurvey, submission_key: str, answers: dict[str, int]
) -> TeamResponse:
    """Store one employee's answers to all 14 statements, atomically and once per
    submission_key (sending the same key again returns the stored response unchanged).
    Raises SurveyClosed for a closed link and ValidationError for a bad key or answer."""
    key = (submission_key or "").strip()
    if not key or len(key) > SUBMISSION_KEY_MAX or not key.isascii() or not key.isprintable():
        raise ValidationError({"submission_key": [_("The form is incomplete. Please reload it.")]})
    existing = TeamResponse.objects.filter(survey=survey, submission_key=key).first()
    if existing is not None:
        return existing
    if not TeamSurvey.objects.filter(pk=survey.pk, is_open=True).exists():
        raise SurveyClosed
    clean = team_answers_clean(answers)
    try:
        with transaction.atomic():
            response = TeamResponse.objects.create(survey=survey, submission_key=key)
            TeamAnswer.objects.bulk_create(
                TeamAnswer(response=response, key=k, value=v) for k, v in clean.items()
            )
            count = TeamResponse.objects.filter(survey=survey).count()
            if count >= TEAM_MIN_RESPONSES:
                # From the threshold on, the employer's report shows the team: a new version
                # of the report (leerscan/reports/services.py keys it by answers_version). An
                # update, not save(): the employer's own "last changed" stays as it was.
                Scan.objects.filter(pk=survey.scan_id).update(
                    answers_version=F("answers_version") + 1
                )
    except IntegrityError:
        # The same key stored a moment ago by a parallel request.
        existing = TeamResponse.objects.filter(survey=survey, submission_key=key).first()
        if existing is None:
            raise
        return existing
    return response
