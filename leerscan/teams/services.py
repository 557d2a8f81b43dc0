"""Services that change a team scan: invite employees, close and reopen it, store one employee's
answers.

Each employee gets an invitation of their own (leerscan/teams/models.py) that takes one response:
whoever holds the employer's results can no longer answer a shared link again and again. A response
is stored whole or not at all, once per invitation, and names neither the invitation nor the
person or the moment. New figures are released per batch (leerscan/teams/selectors.py): the
employer's report gets a new version only when a batch is complete.

Invitations by e-mail: the employer may give addresses instead of handing out links; each makes an
invitation of its own that keeps the address only while it is unused (cleared in the update that
takes it), until the team scan closes, or TEAM_EMAIL_KEEP_DAYS. Reminders go to those addresses,
under rules that depend on the employer's actions only, never on who answered: the request claims
one (team_reminder_claim) and a task sends it (leerscan/teams/tasks.py; docs/team-scan.md,
"Invitations by e-mail").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from benchmarks.vocabulary import SCALE_MAX, SCALE_MIN
from leerscan.constants import (
    TEAM_EMAIL_KEEP_DAYS,
    TEAM_INVITATIONS_MAX,
    TEAM_INVITATIONS_PER_REQUEST,
    TEAM_MIN_RESPONSES,
    TEAM_REMINDER_INTERVAL_DAYS,
    TEAM_REMINDERS_MAX,
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
# An address is at most 254 characters (RFC 5321); the field takes one per line for the most
# invitations of one request, with a name before each ("Anna de Vries <anna@bakkerij.nl>").
EMAIL_MAX = 254
EMAILS_TEXT_MAX = TEAM_INVITATIONS_PER_REQUEST * 320
# Bad entries quoted back in the message; more are counted.
BAD_EMAILS_SHOWN = 5
# A reminder's claim is tried again this often when the team scan changes under it.
CLAIM_ATTEMPTS = 3
# The team scan's fields of its reminders (read again after a claim).
REMINDER_FIELDS = (
    "reminded_at",
    "reminders_sent",
    "reminder_queued",
    "reminded_before",
    "reminder_failed_at",
)


class SurveyClosed(Exception):
    """The team scan is closed: it takes no answers."""


class InvitationUsed(Exception):
    """The invitation was used by another form: one invitation, one response."""


def _invitation_bounds(survey: TeamSurvey | None) -> tuple[int, int, int]:
    """How many invitations the team scan has, and the fewest and most one request may add."""
    existing = survey.invitations.count() if survey is not None else 0
    smallest = 1 if existing else TEAM_MIN_RESPONSES
    largest = min(TEAM_INVITATIONS_PER_REQUEST, TEAM_INVITATIONS_MAX - existing)
    return existing, smallest, largest


def team_invitations_count_clean(raw: object, *, survey: TeamSurvey | None) -> int:
    """The number of invitations asked for, checked: a whole number, at least the minimum for a
    new team scan (fewer can never show figures), at most TEAM_INVITATIONS_PER_REQUEST at once and
    TEAM_INVITATIONS_MAX in all. Raises ValidationError for the form's `count` field."""
    existing, smallest, largest = _invitation_bounds(survey)
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


def _invitations_add(
    *, scan: Scan, fields: Callable[[TeamSurvey | None], list[dict]]
) -> list[TeamInvitation]:
    """Add invitations to the scan's team (the team scan itself the first time, or opened again
    when closed), numbered on from the last. `fields` checks the request's input against the team
    scan as it is (None for a new one) and gives the fields of each invitation to add, or raises
    ValidationError: then nothing is saved."""
    with transaction.atomic():
        survey, created = TeamSurvey.objects.get_or_create(scan=scan)
        # One employer clicking twice, or employer and coach at once: number on from a locked row.
        survey = TeamSurvey.objects.select_for_update().get(pk=survey.pk)
        each = fields(None if created else survey)
        last = survey.invitations.aggregate(last=Max("number"))["last"] or 0
        invitations = TeamInvitation.objects.bulk_create(
            TeamInvitation(survey=survey, number=last + n, **values)
            for n, values in enumerate(each, start=1)
        )
        if not survey.is_open:
            TeamSurvey.objects.filter(pk=survey.pk).update(is_open=True)
            survey.is_open = True
    return invitations


def team_invitations_add(*, scan: Scan, count: object) -> list[TeamInvitation]:
    """Make `count` more invitations for the scan's team (the team scan itself the first time,
    or opened again when closed); numbered on from the last. Raises ValidationError for a count
    team_invitations_count_clean refuses."""
    return _invitations_add(
        scan=scan,
        fields=lambda survey: [{}] * team_invitations_count_clean(count, survey=survey),
    )


def _email_entry(entry: str) -> str | None:
    """One typed entry as an address (the part in <...> of "Name <address>"), or None."""
    named = re.fullmatch(r"[^<>]*<([^<>]*)>", entry)
    address = (named.group(1) if named else entry).strip()
    if not address or len(address) > EMAIL_MAX:
        return None
    try:
        validate_email(address)
    except ValidationError:
        return None
    local, _at, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def team_emails_clean(raw: object, *, survey: TeamSurvey | None) -> list[str]:
    """The employees' addresses typed by the employer, one per line (commas and semicolons, as a
    mail program copies them, separate too; "Name <address>" is read as the address), checked:
    each an address, doubles once, as many as team_invitations_count_clean allows. Raises
    ValidationError for the form's `emails` field, quoting the bad entries (the employer's own
    input of this request, nothing stored)."""
    text = str(raw or "")
    existing, smallest, largest = _invitation_bounds(survey)
    if largest < 1:
        message = _("This team scan has the most invitations possible (%(max)s).") % {
            "max": TEAM_INVITATIONS_MAX
        }
        raise ValidationError({"emails": [message]})
    too_many = _("Give at most %(max)s addresses at once.") % {"max": largest}
    if len(text) > EMAILS_TEXT_MAX:
        raise ValidationError({"emails": [too_many]})
    entries = [entry.strip() for entry in re.split(r"[\r\n,;]+", text)]
    entries = [entry for entry in entries if entry]
    if not entries:
        raise ValidationError({"emails": [_("Fill in at least one e-mail address, one per line.")]})
    addresses: list[str] = []
    seen: set[str] = set()
    bad: list[str] = []
    for entry in entries:
        address = _email_entry(entry)
        if address is None:
            bad.append(entry)
        elif address.lower() not in seen:
            seen.add(address.lower())
            addresses.append(address)
    if bad:
        shown = ", ".join(f"“{entry[:60]}”" for entry in bad[:BAD_EMAILS_SHOWN])
        message = ngettext(
            "This is not an e-mail address: %(bad)s. Check it, for example: name@company.nl",
            "These are not e-mail addresses: %(bad)s. Check them, for example: name@company.nl",
            len(bad),
        ) % {"bad": shown}
        if len(bad) > BAD_EMAILS_SHOWN:
            message += " " + _("(%(n)s in all.)") % {"n": len(bad)}
        raise ValidationError({"emails": [message]})
    if len(addresses) > largest:
        raise ValidationError({"emails": [too_many]})
    if len(addresses) < smallest:
        raise ValidationError(
            {
                "emails": [
                    _(
                        "The team's results appear from %(min)s answers, so invite at least "
                        "%(min)s employees."
                    )
                    % {"min": TEAM_MIN_RESPONSES}
                ]
            }
        )
    return addresses


def team_invitations_add_emails(
    *, scan: Scan, emails: object, now: datetime | None = None
) -> list[TeamInvitation]:
    """Make one invitation per address (checked by team_emails_clean), each holding its address
    until it is used, for Leerscan to mail (leerscan/teams/mail.py); the team scan itself the first
    time, or opened again when closed. Raises ValidationError for the `emails` field."""
    now = now or timezone.now()
    return _invitations_add(
        scan=scan,
        fields=lambda survey: [
            {"by_email": True, "email": address, "email_given_at": now}
            for address in team_emails_clean(emails, survey=survey)
        ],
    )


def team_invitations_discard(*, invitations: list[TeamInvitation]) -> None:
    """Delete invitations whose e-mail could not be sent (nobody has their link), unless used."""
    TeamInvitation.objects.filter(
        pk__in=[invitation.pk for invitation in invitations], submission_key=""
    ).delete()


def team_has_email_invitations(*, survey: TeamSurvey | None) -> bool:
    """Whether any invitation of the team scan was made for an address. It never changes when
    someone answers, so a page may show it."""
    return survey is not None and survey.invitations.filter(by_email=True).exists()


def team_reminder_next(*, survey: TeamSurvey, now: datetime | None = None) -> datetime | None:
    """From when the next reminder may go, when that is still to come: TEAM_REMINDER_INTERVAL_DAYS
    after the last. None when the interval has passed or no reminder went yet (whether one may go
    is team_reminder_refused's to say: the scan may be closed, or have had all its reminders)."""
    if survey.reminded_at is None:
        return None
    following = survey.reminded_at + timedelta(days=TEAM_REMINDER_INTERVAL_DAYS)
    return following if following > (now or timezone.now()) else None


@dataclass(frozen=True)
class ReminderRefusal:
    """Why a reminder cannot go now, in words, with the HTTP status that says so: 409 when it
    cannot go at all (nothing was mailed, the team scan is closed, all reminders went), 429 when
    it is too soon, with `again`, the moment it may go."""

    message: str
    status: int
    again: datetime | None = None


def team_reminder_refused(
    *, survey: TeamSurvey | None, now: datetime | None = None, emailed: bool | None = None
) -> ReminderRefusal | None:
    """Why a reminder cannot be sent now, or None when it can. Depends only on what the employer
    did (invited by e-mail, closed the scan, reminded), never on who answered. `emailed`: whether
    the team scan has invitations sent by e-mail, when the caller knows (else it is looked up)."""
    now = now or timezone.now()
    if emailed is None:
        emailed = team_has_email_invitations(survey=survey)
    if survey is None or not emailed:
        return ReminderRefusal(
            _("No invitations were sent by e-mail, so there is no one to remind."), 409
        )
    if not survey.is_open:
        message = _(
            "The team scan is closed: the e-mail addresses have been deleted and no reminders "
            "are sent."
        )
        return ReminderRefusal(message, 409)
    if survey.reminders_sent >= TEAM_REMINDERS_MAX:
        message = ngettext(
            "The team scan has had its %(max)s reminder. Answering is voluntary: Leerscan sends "
            "no more.",
            "The team scan has had its %(max)s reminders. Answering is voluntary: Leerscan sends "
            "no more.",
            TEAM_REMINDERS_MAX,
        ) % {"max": TEAM_REMINDERS_MAX}
        return ReminderRefusal(message, 409)
    following = team_reminder_next(survey=survey, now=now)
    if following is not None:
        message = _(
            "The last reminder was sent less than %(days)s days ago. Try again from %(date)s."
        ) % {"days": TEAM_REMINDER_INTERVAL_DAYS, "date": _date_words(following)}
        return ReminderRefusal(message, 429, again=following)
    return None


def team_reminder_claim(
    *, survey: TeamSurvey | None, now: datetime | None = None
) -> ReminderRefusal | None:
    """Claim the team scan's next reminder for the task that sends it (leerscan/teams/tasks.py):
    counted now (`reminders_sent`, `reminded_at`) and queued (`reminder_queued`) by one
    conditional update that holds the whole rule (open, invited by e-mail, fewer than
    TEAM_REMINDERS_MAX, none in the last TEAM_REMINDER_INTERVAL_DAYS), so that of two requests at
    once (a double click, employer and coach) one claims it and the other is refused. None when
    claimed (`survey` then reads the new count), else the refusal (with the state it was refused
    on). Counted however many the reminder goes to: the rule must not depend on that."""
    now = now or timezone.now()
    if survey is None:
        return team_reminder_refused(survey=None, now=now, emailed=False)
    for _attempt in range(CLAIM_ATTEMPTS):
        claimed = TeamSurvey.objects.filter(
            Q(reminded_at__isnull=True)
            | Q(reminded_at__lte=now - timedelta(days=TEAM_REMINDER_INTERVAL_DAYS)),
            Exists(TeamInvitation.objects.filter(survey_id=OuterRef("pk"), by_email=True)),
            pk=survey.pk,
            is_open=True,
            reminders_sent__lt=TEAM_REMINDERS_MAX,
        ).update(
            reminded_before=F("reminded_at"),
            reminded_at=now,
            reminders_sent=F("reminders_sent") + 1,
            reminder_queued=True,
            reminder_failed_at=None,
        )
        survey.refresh_from_db(fields=[*REMINDER_FIELDS, "is_open"])
        if claimed:
            return None
        refusal = team_reminder_refused(survey=survey, now=now)
        if refusal is not None:
            return refusal
        # The team scan changed between the update and the read (opened again): once more.
    raise RuntimeError(f"the reminder rule of team scan {survey.pk} kept changing")


def team_reminder_take(*, survey_id: int) -> TeamSurvey | None:
    """The task takes the team scan's queued reminder, once: the same task run again (its worker
    died and it was queued again) finds it taken and sends nothing. The team scan, or None when
    there is nothing to send (taken, closed meanwhile, or deleted)."""
    if not TeamSurvey.objects.filter(pk=survey_id, reminder_queued=True).update(
        reminder_queued=False
    ):
        return None
    survey = TeamSurvey.objects.select_related("scan").filter(pk=survey_id).first()
    return survey if survey is not None and survey.is_open else None


def team_reminder_give_back(*, survey: TeamSurvey, now: datetime | None = None) -> bool:
    """The taken reminder could not be sent at all (the mail server could not be reached): the
    claim goes back, so that the employer may send it again at once, and the team scan records
    when it failed, for its page to say so. Only the claim `survey` was taken with, never a later
    one; whether it was given back."""
    now = now or timezone.now()
    return bool(
        TeamSurvey.objects.filter(
            pk=survey.pk, reminded_at=survey.reminded_at, reminders_sent__gt=0
        ).update(
            reminded_at=F("reminded_before"),
            reminded_before=None,
            reminders_sent=F("reminders_sent") - 1,
            reminder_failed_at=now,
        )
    )


def _date_words(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def team_reminder_recipients(
    *, survey: TeamSurvey, now: datetime | None = None
) -> list[TeamInvitation]:
    """The invitations a reminder goes to: unused, still holding an address, and mailed at least
    TEAM_REMINDER_INTERVAL_DAYS ago (someone invited yesterday needs no reminder yet)."""
    now = now or timezone.now()
    return list(
        survey.invitations.filter(
            submission_key="",
            email__isnull=False,
            email_given_at__lte=now - timedelta(days=TEAM_REMINDER_INTERVAL_DAYS),
        ).order_by("number")
    )


def team_addresses_forget(*, now: datetime | None = None) -> int:
    """Delete the addresses given more than TEAM_EMAIL_KEEP_DAYS ago (`manage.py
    delete_team_addresses`, daily); how many invitations lost theirs."""
    now = now or timezone.now()
    return TeamInvitation.objects.filter(
        email_given_at__lt=now - timedelta(days=TEAM_EMAIL_KEEP_DAYS)
    ).update(email=None, email_given_at=None)


def team_survey_reopen(*, survey: TeamSurvey) -> TeamSurvey:
    """Open a closed team scan again: its unused invitations take answers again."""
    TeamSurvey.objects.filter(pk=survey.pk).update(is_open=True)
    survey.is_open = True
    return survey


def team_survey_close(*, survey: TeamSurvey) -> TeamSurvey:
    """Close the team scan: it takes no more answers; the answers given stay, the employees'
    e-mail addresses go (no reminder can follow a closed scan, and opening it again brings none
    back)."""
    with transaction.atomic():
        TeamSurvey.objects.filter(pk=survey.pk).update(is_open=False)
        TeamInvitation.objects.filter(survey_id=survey.pk, email__isnull=False).update(
            email=None, email_given_at=None
        )
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
        # The employee's address (if Leerscan mailed the invitation) goes in the same update:
        # an address is only ever kept on an unused invitation (a database constraint too).
        taken = TeamInvitation.objects.filter(pk=invitation.pk, submission_key="").update(
            submission_key=key, email=None, email_given_at=None
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
    invitation.email = invitation.email_given_at = None
