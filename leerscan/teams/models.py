"""The employees' view (DESIGN §9): the team scan of an employer's scan, its invitations (one per
employee, each answered once) and the anonymous answers of its employees.

A response carries no name, no e-mail, no address, no time and no invitation: nothing that ties it
to a person, to the link it came through or to the moment it was given. An invitation knows only
whether it was used, and, when the employer had Leerscan mail it, the employee's e-mail address
until it is used (a database constraint: an address only on an unused invitation). Answers are only
ever shown in aggregate, in batches (leerscan/teams/selectors.py and the TEAM_* constants in
leerscan/constants.py).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from benchmarks.vocabulary import BUILDING_BLOCKS, LEARNING_BEHAVIOURS, SCALE_MAX, SCALE_MIN
from leerscan.scans.models import Scan, new_token

# What an employee answers: each building block's core statement from their own perspective,
# and the eight learning-behaviour statements of Tabel 3.3.
TEAM_ANSWER_KEYS = (*BUILDING_BLOCKS, *LEARNING_BEHAVIOURS)


class TeamSurvey(models.Model):
    """The team scan of one employer's scan: open or closed, with its invitations."""

    scan = models.OneToOneField(Scan, on_delete=models.CASCADE, related_name="team_survey")
    is_open = models.BooleanField(_("open for answers"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Reminders by e-mail (leerscan/teams/mail.py): when the last was claimed and how many were.
    # Both change only by the employer's action, never by an answer, so showing them tells nothing.
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    # A claimed reminder is sent by a task (leerscan/teams/tasks.py): `reminder_queued` until the
    # task takes it (so that a task run twice sends once); `reminded_before`, the reminder before
    # it, to give the claim back when the mail server cannot be reached; `reminder_failed_at`,
    # when that last happened (the page says so until the next reminder). None of them depends on
    # who answered (docs/team-scan.md, "Sent in the background").
    reminder_queued = models.BooleanField(default=False)
    reminded_before = models.DateTimeField(null=True, blank=True)
    reminder_failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("team scan")
        verbose_name_plural = _("team scans")

    def __str__(self) -> str:
        return f"team scan of {self.scan}"


class TeamInvitation(models.Model):
    """One employee's invitation (`/team/<token>/`): it takes one response. The employer hands it
    to one person; numbered so that a list can be ticked off while handing out, never named.

    `submission_key` is the key of the form that used it, so that the same form sent twice (a
    double tap, a resend after a lost connection) finds it used by itself and stores nothing more.
    The response it made is not recorded here, nor is the invitation in the response.

    An invitation mailed by Leerscan (`by_email`, for good) holds the employee's address (`email`,
    write-only: no page, export or admin shows it) and when it was given, only while it is unused:
    the update that takes the invitation clears both, and so do closing the team scan and
    `manage.py delete_team_addresses` after TEAM_EMAIL_KEEP_DAYS. `by_email` never changes after
    it is made, so what the pages show of it cannot change when someone answers."""

    survey = models.ForeignKey(TeamSurvey, on_delete=models.CASCADE, related_name="invitations")
    number = models.PositiveIntegerField()
    token = models.CharField(max_length=43, unique=True, default=new_token, editable=False)
    submission_key = models.CharField(max_length=43, blank=True, default="")
    by_email = models.BooleanField(default=False, editable=False)
    email = models.EmailField(null=True, blank=True, editable=False)
    email_given_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="team_invitation_number"),
            # An address only on an unused invitation that Leerscan mailed, with its time; never
            # an empty string (NULL is "no address").
            models.CheckConstraint(
                condition=Q(email__isnull=True, email_given_at__isnull=True)
                | (
                    Q(
                        email__isnull=False,
                        email_given_at__isnull=False,
                        submission_key="",
                        by_email=True,
                    )
                    & ~Q(email="")
                ),
                name="team_invitation_email_only_unused",
            ),
        ]

    def __str__(self) -> str:
        # Never the address: the admin, a log or a traceback may print an invitation.
        return f"invitation {self.number} of {self.survey}"

    @property
    def used(self) -> bool:
        return bool(self.submission_key)


class TeamResponse(models.Model):
    """One employee's answers, through one invitation (which it does not name). Responses are
    numbered by their primary key only: the figures use the first ones of each batch."""

    survey = models.ForeignKey(TeamSurvey, on_delete=models.CASCADE, related_name="responses")

    class Meta:
        verbose_name = _("team response")
        verbose_name_plural = _("team responses")

    def __str__(self) -> str:
        return f"response {self.pk}"


class TeamAnswer(models.Model):
    response = models.ForeignKey(TeamResponse, on_delete=models.CASCADE, related_name="answers")
    key = models.CharField(max_length=40, choices=[(k, k) for k in TEAM_ANSWER_KEYS])
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "key"], name="team_answer_once"),
            models.CheckConstraint(
                condition=Q(value__gte=SCALE_MIN, value__lte=SCALE_MAX),
                name="team_answer_on_scale",
            ),
            models.CheckConstraint(
                condition=Q(key__in=list(TEAM_ANSWER_KEYS)), name="team_answer_key_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
