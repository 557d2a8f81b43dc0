"""A scan: an organisation's profile and answers, reachable only through its private token.

Shaped for what comes later: a scan has a `context` (a self-scan now; a leertafel session or a
coaching track later) and a `respondent_kind` (the employer now; employees in a team variant),
and records the item bank and benchmark set it was answered and compared with.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from benchmarks.models import BenchmarkSet
from benchmarks.profiles import SBI_SECTION_DIVISIONS
from benchmarks.versioned import VersionedData
from benchmarks.vocabulary import (
    ELSEWHERE,
    GROUPS,
    MAX_EMPLOYEES,
    PROVINCE,
    PROVINCES,
    SCALE_MAX,
    SCALE_MIN,
)
from leerscan.scans.questions import (
    FACT_QUESTIONS,
    NOT_APPLICABLE_KEYS,
    NUMBER,
    SCALE6,
    SCALE10,
    STEP_COUNT,
)

TOKEN_BYTES = 24  # 192 bits of randomness, 32 URL-safe characters
TOKEN_PATTERN = r"[A-Za-z0-9_-]{32}"  # noqa: S105 (a URL pattern, not a secret)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class ItemBank(VersionedData):
    """One version of the statements; a scan keeps the version it was answered with."""

    class Meta(VersionedData.Meta):
        verbose_name = _("item bank")
        verbose_name_plural = _("item banks")


class Item(models.Model):
    class Group(models.TextChoices):
        BUILDING_BLOCK = "building_block", _("building block")
        DLOQ = "dloq", _("DLOQ statement")

    class Role(models.TextChoices):
        CORE = "core", _("core item")
        DEEPENING = "deepening", _("deepening item")

    class Provenance(models.TextChoices):
        MONITOR_VERBATIM = "monitor_verbatim", _("verbatim from the monitor")
        # A column head of the monitor's table completed into a sentence (DESIGN.md 2.2); the
        # head itself is stored beside it, in monitor_head.
        MONITOR_ADAPTED = "monitor_adapted", _("adapted from a column head of the monitor")
        RECONSTRUCTED = "reconstructed", _("reconstructed from the monitor")
        DEEPENING = "deepening", _("deepening (not compared)")

    bank = models.ForeignKey(ItemBank, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(_("key"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"))
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    block = models.CharField(_("building block or statement"), max_length=40)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    provenance = models.CharField(_("provenance"), max_length=20, choices=Provenance.choices)
    indicator = models.CharField(_("benchmark indicator"), max_length=60, blank=True)
    scale = models.CharField(_("scale"), max_length=12, default="scale_1_6")
    text_nl = models.TextField(_("Dutch text"))
    text_en = models.TextField(_("English text"))
    source = models.CharField(_("source"), max_length=300)
    # The exact column head in the monitor's table, for an adapted item only.
    monitor_head = models.CharField(_("column head in the monitor"), max_length=200, blank=True)
    # A short "Bijvoorbeeld: ..." line under the statement, in plain words.
    example_nl = models.CharField(_("Dutch example"), max_length=300, blank=True)
    example_en = models.CharField(_("English example"), max_length=300, blank=True)
    # Whether "n.v.t." is an answer, for statements that do not fit every firm (departments).
    allows_not_applicable = models.BooleanField(_("offers “not applicable”"), default=False)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["bank", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "key"], name="item_unique_key"),
            # Only core items are compared with the monitor; deepening items never are.
            models.CheckConstraint(
                condition=Q(role="core") | Q(indicator=""), name="item_deepening_not_compared"
            ),
            # Only an adapted item carries the monitor's column head, and it always does.
            models.CheckConstraint(
                condition=(Q(provenance="monitor_adapted") & ~Q(monitor_head=""))
                | (~Q(provenance="monitor_adapted") & Q(monitor_head="")),
                name="item_head_iff_adapted",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    def text(self, language: str) -> str:
        return self.text_en if language == "en" else self.text_nl

    def example(self, language: str) -> str:
        return self.example_en if language == "en" else self.example_nl


class Scan(models.Model):
    class Context(models.TextChoices):
        SELF_SCAN = "self", _("self-scan")
        # Started by joining a leertafel (leerscan/advisers); the same scan, the same private link.
        LEERTAFEL = "leertafel", _("leertafel")
        # Started from a coach's invitation (leerscan/coaching): an intake or a follow-up.
        COACHING = "coaching", _("coaching")

    class RespondentKind(models.TextChoices):
        EMPLOYER = "employer", _("employer")

    PROVINCE_CHOICES = [
        *GROUPS[PROVINCE].items(),
        (ELSEWHERE, _("Elsewhere in the Netherlands")),
    ]

    class Role(models.TextChoices):
        OWNER = "eigenaar", _("Owner or director")
        MANAGER = "leidinggevende", _("Manager")
        HR = "hr", _("HR or training officer")
        OTHER = "anders", _("Other role")

    token = models.CharField(max_length=43, unique=True, default=new_token, editable=False)
    context = models.CharField(max_length=12, choices=Context.choices, default=Context.SELF_SCAN)
    respondent_kind = models.CharField(
        max_length=12, choices=RespondentKind.choices, default=RespondentKind.EMPLOYER
    )
    item_bank = models.ForeignKey(ItemBank, on_delete=models.PROTECT, related_name="scans")
    benchmark_set = models.ForeignKey(BenchmarkSet, on_delete=models.PROTECT, related_name="+")
    # A finished scan compared again with a newer edition (scans.services.scan_compare_again):
    # the set it was first compared with, and when it changed; empty while it keeps its first.
    first_benchmark_set = models.ForeignKey(
        BenchmarkSet, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    compared_again_at = models.DateTimeField(null=True, blank=True)

    organisation_name = models.CharField(_("name of the organisation"), max_length=120, blank=True)
    sbi_section = models.CharField(_("sector"), max_length=1, blank=True)
    sbi_code = models.CharField(_("SBI code"), max_length=5, blank=True)
    employees = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)
    province = models.CharField(_("province"), max_length=12, choices=PROVINCE_CHOICES, blank=True)
    respondent_role = models.CharField(
        _("your role"), max_length=20, choices=Role.choices, blank=True
    )
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    # The owner allowed the anonymised answers to be used for research (the research export).
    research_consent_at = models.DateTimeField(
        _("consent to research use given at"), null=True, blank=True
    )
    # The owner allowed the scan to count in the living benchmark of its sector x size x province
    # cell (leerscan/reports/living.py); off by default, withdrawn by clearing it.
    living_consent_at = models.DateTimeField(
        _("consent to the Leerscan benchmark given at"), null=True, blank=True
    )
    # Short mode (a leertafel with little time): step 2 asks the core statements only.
    core_only = models.BooleanField(_("core statements only"), default=False)

    furthest_step = models.PositiveSmallIntegerField(default=1)
    # Goes up by one whenever an answer changes, so results and reports know when to refresh.
    answers_version = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_benchmark_set__isnull=True, compared_again_at__isnull=True)
                | Q(first_benchmark_set__isnull=False, compared_again_at__isnull=False),
                name="scan_compared_again_together",
            ),
            models.CheckConstraint(
                condition=Q(employees__isnull=True)
                | Q(employees__gte=1, employees__lte=MAX_EMPLOYEES),
                name="scan_employees_in_range",
            ),
            models.CheckConstraint(
                condition=Q(sbi_section="") | Q(sbi_section__in=list(SBI_SECTION_DIVISIONS)),
                name="scan_sbi_section_known",
            ),
            models.CheckConstraint(
                condition=Q(province="") | Q(province__in=[*PROVINCES, ELSEWHERE]),
                name="scan_province_known",
            ),
            models.CheckConstraint(
                condition=Q(furthest_step__gte=1, furthest_step__lte=STEP_COUNT + 1),
                name="scan_furthest_step_in_range",
            ),
            models.CheckConstraint(
                condition=Q(sbi_code="") | Q(sbi_code__regex=r"^[0-9]{2,5}$"),
                name="scan_sbi_code_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"scan {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class ItemAnswer(models.Model):
    """A statement answered 1-6, or "n.v.t." (`not_applicable`, no value) where it is offered."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="item_answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scan", "item"], name="item_answer_once"),
            models.CheckConstraint(
                # value__isnull=False too: a CHECK on NULL >= 1 is unknown, which passes.
                condition=Q(
                    not_applicable=False,
                    value__isnull=False,
                    value__gte=SCALE_MIN,
                    value__lte=SCALE_MAX,
                )
                | Q(not_applicable=True, value__isnull=True),
                name="item_answer_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}={'n.v.t.' if self.not_applicable else self.value}"


def _fact_number_in_bounds() -> Q:
    """Each number question's bounds from questions.py, as one database constraint."""
    q = Q(number__isnull=True)
    for question in FACT_QUESTIONS:
        if question.kind in (NUMBER, SCALE6, SCALE10):
            q |= Q(key=question.key, number__gte=question.minimum, number__lte=question.maximum)
    return q


class FactAnswer(models.Model):
    """The answer to a fact question; `dont_know` is the explicit "weet ik niet" and
    `not_applicable` the explicit "n.v.t.", offered only where a question may not fit."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="fact_answers")
    key = models.CharField(max_length=40, choices=[(q.key, q.key) for q in FACT_QUESTIONS])
    number = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    choice = models.CharField(max_length=20, blank=True)
    choices = models.JSONField(default=list, blank=True)
    dont_know = models.BooleanField(default=False)
    not_applicable = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scan", "key"], name="fact_answer_once"),
            models.CheckConstraint(
                condition=_fact_number_in_bounds(), name="fact_number_in_bounds"
            ),
            models.CheckConstraint(
                condition=Q(dont_know=False) | Q(number__isnull=True, choice=""),
                name="fact_dont_know_has_no_value",
            ),
            models.CheckConstraint(
                condition=Q(key__in=[q.key for q in FACT_QUESTIONS]), name="fact_key_known"
            ),
            models.CheckConstraint(
                condition=Q(not_applicable=False)
                | Q(key__in=NOT_APPLICABLE_KEYS, dont_know=False, number__isnull=True, choice=""),
                name="fact_not_applicable_offered",
            ),
        ]

    def __str__(self) -> str:
        return self.key
