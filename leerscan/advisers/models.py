"""Advisers, their organisations, and the leertafels they run (DESIGN §7, monitor ch. 5).

An adviser belongs to one organisation and sees only that organisation's leertafels
(leerscan/advisers/access.py). A participant is a scan that joined a leertafel: the same scan,
private link, results and PDF as a self-scan; the leertafel sees it in aggregate, and by name
only when the participant allowed it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from benchmarks.vocabulary import BUILDING_BLOCKS, INDICATOR_LABELS
from leerscan.constants import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from leerscan.scans.models import Scan

JOIN_CODE_PATTERN = f"^[{JOIN_CODE_ALPHABET}]{{{JOIN_CODE_LENGTH}}}$"
BLOCK_CHOICES = [(key, INDICATOR_LABELS[key]) for key in BUILDING_BLOCKS]


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ADVISORY = "advies", _("advisory firm")
        KNOWLEDGE = "kennis", _("knowledge institution")
        FUND = "fonds", _("O&O-fonds (sector training fund)")
        OTHER = "anders", _("other organisation")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ADVISORY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Adviser(models.Model):
    """An account that may run leertafels for its organisation (Django's user, e-mail as name)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adviser"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="advisers"
    )
    # May invite colleagues into the organisation.
    is_organisation_admin = models.BooleanField(_("organisation admin"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("adviser")
        verbose_name_plural = _("advisers")

    def __str__(self) -> str:
        return self.user.email


class Leertafel(models.Model):
    class Approach(models.TextChoices):
        # Tabel B.7: the three ways the monitor's experiment leaders ran a table.
        OPEN = "open", _("open: start from the guests' concerns")
        INSTRUMENTAL = "instrumenteel", _("instrumental: the wow-how-now-no matrix")
        FRONT_RUNNER = "koploper", _("front-runners: koplopers show what they do")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="leertafels"
    )
    created_by = models.ForeignKey(
        Adviser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    approach = models.CharField(
        _("approach"), max_length=14, choices=Approach.choices, default=Approach.OPEN
    )
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    short_mode = models.BooleanField(_("short scan (core statements only)"), default=False)
    code = models.CharField(_("join code"), max_length=JOIN_CODE_LENGTH, unique=True)
    is_open = models.BooleanField(_("open for new participants"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("leertafel")
        verbose_name_plural = _("leertafels")
        ordering = ["-date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=JOIN_CODE_PATTERN), name="leertafel_code_format"
            ),
            models.CheckConstraint(
                condition=Q(approach__in=["open", "instrumenteel", "koploper"]),
                name="leertafel_approach_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Participant(models.Model):
    """A scan that joined a leertafel. Deleting the scan removes the participation."""

    leertafel = models.ForeignKey(Leertafel, on_delete=models.CASCADE, related_name="participants")
    scan = models.OneToOneField(
        Scan, on_delete=models.CASCADE, related_name="leertafel_participant"
    )
    # Anonymous by default: the table sees the organisation's name only when this is on.
    show_name = models.BooleanField(_("the table may see my organisation's name"), default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["joined_at", "pk"]

    def __str__(self) -> str:
        return f"{self.leertafel.code}: {self.pk}"


class DiscussionPrompt(models.Model):
    """A question for the table per building block (monitor §5.3), editable by the adviser."""

    leertafel = models.ForeignKey(Leertafel, on_delete=models.CASCADE, related_name="prompts")
    block = models.CharField(_("building block"), max_length=40, choices=BLOCK_CHOICES)
    text = models.CharField(_("question"), max_length=400)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("discussion prompt")
        verbose_name_plural = _("discussion prompts")
        ordering = ["block", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(block__in=list(BUILDING_BLOCKS)), name="prompt_block_known"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Idea(models.Model):
    """An idea on the wow-how-now-no matrix (original x feasible) of one building block."""

    class Quadrant(models.TextChoices):
        WOW = "wow", _("wow: original and feasible")
        HOW = "how", _("how: original, not yet feasible")
        NOW = "now", _("now: feasible and familiar")
        NO = "no", _("no: dropped")

    leertafel = models.ForeignKey(Leertafel, on_delete=models.CASCADE, related_name="ideas")
    block = models.CharField(_("building block"), max_length=40, choices=BLOCK_CHOICES)
    text = models.CharField(_("idea"), max_length=200)
    quadrant = models.CharField(_("place in the matrix"), max_length=3, choices=Quadrant.choices)
    # Who added it: a participant (from a phone) or, when empty, the adviser.
    author = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas"
    )
    # Merged by the adviser into another idea: no longer shown on its own.
    merged_into = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="merged"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(block__in=list(BUILDING_BLOCKS)), name="idea_block_known"
            ),
            models.CheckConstraint(
                condition=Q(quadrant__in=["wow", "how", "now", "no"]), name="idea_quadrant_known"
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="idea_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.text
