"""The employees' view (DESIGN §9): a team-scan link of an employer's scan, and the anonymous
answers of its employees.

A response carries no name, no e-mail, no address and no time: nothing that ties it to a person
or to the moment it was given. Its answers are only ever shown in aggregate, from
TEAM_MIN_RESPONSES responses (leerscan/constants.py).
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
    """The team-scan link of one employer's scan (`/team/<token>/`)."""

    scan = models.OneToOneField(Scan, on_delete=models.CASCADE, related_name="team_survey")
    token = models.CharField(max_length=43, unique=True, default=new_token, editable=False)
    is_open = models.BooleanField(_("open for answers"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team scan")
        verbose_name_plural = _("team scans")

    def __str__(self) -> str:
        return f"team scan of {self.scan}"


class TeamResponse(models.Model):
    """One employee's answers. `submission_key` comes with the form, so that a form sent twice
    (a double tap, a resend after a lost connection) stores one response, not two."""

    survey = models.ForeignKey(TeamSurvey, on_delete=models.CASCADE, related_name="responses")
    submission_key = models.CharField(max_length=43)

    class Meta:
        verbose_name = _("team response")
        verbose_name_plural = _("team responses")
        constraints = [
            models.UniqueConstraint(fields=["survey", "submission_key"], name="team_response_once"),
        ]

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
