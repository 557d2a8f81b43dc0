"""Coaching by a knowledge institution (DESIGN §8): client companies, their scans over time (the
intake t0 and follow-ups t1, t2, ...), what they wish from the institution (Box 5.2), the coach's
private notes and the action plan the client sees too.

A client belongs to one organisation (leerscan/advisers) and only its advisers ("coaches") see it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from benchmarks.profiles import SBI_SECTION_DIVISIONS
from benchmarks.vocabulary import (
    ELSEWHERE,
    KNOWLEDGE_INSTITUTION_WISHES,
    MAX_EMPLOYEES,
    PROVINCES,
)
from leerscan.advisers.models import Adviser, Organisation
from leerscan.constants import JOIN_CODE_ALPHABET, SHARE_CODE_LENGTH
from leerscan.scans.models import Scan, new_token

SHARE_CODE_PATTERN = f"^[{JOIN_CODE_ALPHABET}]{{{SHARE_CODE_LENGTH}}}$"


class Client(models.Model):
    """A client company of a coaching organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="clients")
    created_by = models.ForeignKey(
        Adviser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name of the organisation"), max_length=120)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mail address of the contact"), blank=True)
    sbi_section = models.CharField(_("sector"), max_length=1, blank=True)
    sbi_code = models.CharField(_("SBI code"), max_length=5, blank=True)
    employees = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)
    province = models.CharField(
        _("province"), max_length=12, choices=Scan.PROVINCE_CHOICES, blank=True
    )
    # The intake: the client's own training questions, in a few words (Box 5.2 is ClientWish).
    training_questions = models.CharField(
        _("training questions in a few words"), max_length=300, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(employees__isnull=True)
                | Q(employees__gte=1, employees__lte=MAX_EMPLOYEES),
                name="client_employees_in_range",
            ),
            models.CheckConstraint(
                condition=Q(sbi_section="") | Q(sbi_section__in=list(SBI_SECTION_DIVISIONS)),
                name="client_sbi_section_known",
            ),
            models.CheckConstraint(
                condition=Q(sbi_code="") | Q(sbi_code__regex=r"^[0-9]{2,5}$"),
                name="client_sbi_code_digits",
            ),
            models.CheckConstraint(
                condition=Q(province="") | Q(province__in=[*PROVINCES, ELSEWHERE]),
                name="client_province_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ClientWish(models.Model):
    """One kind of offer from Box 5.2 that the client wishes from a knowledge institution."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="wishes")
    key = models.CharField(
        max_length=20, choices=[(k, label) for k, label in KNOWLEDGE_INSTITUTION_WISHES.items()]
    )

    class Meta:
        verbose_name = _("wish")
        verbose_name_plural = _("wishes")
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="client_wish_once"),
            models.CheckConstraint(
                condition=Q(key__in=list(KNOWLEDGE_INSTITUTION_WISHES)),
                name="client_wish_known",
            ),
        ]

    def __str__(self) -> str:
        return self.key


def scan_deleted(collector, field, sub_objs, using) -> None:
    """What a round does when its scan is deleted (the owner's "delete my scan", or the yearly
    clean-up): a round the coach invited goes back to "uitgenodigd" (its scan emptied, the same
    invitation link starts a new scan), like SET_NULL; a round the owner shared goes, as when
    the owner stops sharing, like CASCADE (it has no invitation to go back to)."""
    rounds = list(sub_objs)
    shared = [m for m in rounds if m.shared_by_owner]
    invited = [m for m in rounds if not m.shared_by_owner]
    if shared:
        models.CASCADE(collector, field, shared, using)
    if invited:
        models.SET_NULL(collector, field, invited, using)


class Measurement(models.Model):
    """One round of a client's scan: the intake (round 0, t0) or a follow-up (t1, t2, ...).

    The round exists before its scan: the client opens `invite_token`'s link, which starts the
    scan (prefilled from the client and the last round). An owner who scanned alone and shared
    the scan with a coach (`shared_by_owner`) may revoke it, which deletes the round. When the
    scan is deleted, an invited round is invited again and a shared one goes (`scan_deleted`).
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="measurements")
    round = models.PositiveSmallIntegerField(_("round"))
    scan = models.OneToOneField(
        Scan,
        on_delete=scan_deleted,
        null=True,
        blank=True,
        related_name="coaching_measurement",
    )
    invite_token = models.CharField(max_length=43, unique=True, default=new_token, editable=False)
    shared_by_owner = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # When Leerscan last mailed the invitation (or a reminder of it) to the client's contact
    # address, on the coach's request (leerscan/coaching/views/invite_mail.py).
    invite_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["client", "round"]
        constraints = [
            models.UniqueConstraint(fields=["client", "round"], name="measurement_round_once"),
        ]

    def __str__(self) -> str:
        return f"{self.client} t{self.round}"


class ShareCode(models.Model):
    """The code an owner enters to share a scan with this coach (not a secret: it only lets
    someone give the coach their own scan)."""

    adviser = models.OneToOneField(Adviser, on_delete=models.CASCADE, related_name="share_code")
    code = models.CharField(_("share code"), max_length=SHARE_CODE_LENGTH, unique=True)

    class Meta:
        verbose_name = _("share code")
        verbose_name_plural = _("share codes")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=SHARE_CODE_PATTERN), name="share_code_format"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class CoachNote(models.Model):
    """A coach's private note on a client: never shown to the client, never exported."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        Adviser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:40]


class ActionItem(models.Model):
    """A line of the client's action plan: what, who, when, status. The client sees it too."""

    class Status(models.TextChoices):
        PLANNED = "gepland", _("planned")
        IN_PROGRESS = "bezig", _("in progress")
        DONE = "klaar", _("done")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(_("what"), max_length=200)
    who = models.CharField(_("who"), max_length=120, blank=True)
    due = models.DateField(_("when"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PLANNED
    )
    # The instrument of the advice it came from (leerscan/reports/data/instruments.json), if any.
    instrument = models.CharField(max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["client", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["gepland", "bezig", "klaar"]),
                name="action_status_known",
            ),
        ]

    def __str__(self) -> str:
        return self.what
