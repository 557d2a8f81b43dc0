"""The HR-instrument library (data, editable in the admin) and the cache of rendered reports."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from benchmarks.versioned import VersionedData
from leerscan.scans.models import Scan


class InstrumentLibrary(VersionedData):
    """One version of the HR instruments; a rendered report names the version it used."""

    class Meta(VersionedData.Meta):
        verbose_name = _("instrument library")
        verbose_name_plural = _("instrument libraries")


class Instrument(models.Model):
    class Effort(models.TextChoices):
        QUICK_WIN = "quick_win", _("quick win")
        STRUCTURAL = "structureel", _("structural step")

    library = models.ForeignKey(
        InstrumentLibrary, on_delete=models.CASCADE, related_name="instruments"
    )
    key = models.SlugField(_("key"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"))
    name_nl = models.CharField(_("Dutch name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120)
    description_nl = models.TextField(_("what it is (Dutch)"))
    description_en = models.TextField(_("what it is (English)"))
    effort = models.CharField(_("effort"), max_length=12, choices=Effort.choices)
    first_step_nl = models.TextField(_("first step this month (Dutch)"))
    first_step_en = models.TextField(_("first step this month (English)"))
    support_nl = models.TextField(_("where to get support (Dutch)"))
    support_en = models.TextField(_("where to get support (English)"))
    building_blocks = models.JSONField(
        _("building blocks it strengthens"), default=list, blank=True
    )
    dloq = models.JSONField(_("DLOQ statements it strengthens"), default=list, blank=True)
    arrangements = models.JSONField(_("arrangement it is"), default=list, blank=True)
    instruments_in_use = models.JSONField(_("practice it is"), default=list, blank=True)
    obstacles = models.JSONField(_("obstacles it answers"), default=list, blank=True)
    indicators = models.JSONField(_("training figures it raises"), default=list, blank=True)
    external_support = models.BooleanField(_("brings outside support"), default=False)
    source = models.TextField(_("passage of the monitor"))

    class Meta:
        verbose_name = _("HR instrument")
        verbose_name_plural = _("HR instruments")
        ordering = ["library", "position"]
        constraints = [
            models.UniqueConstraint(fields=["library", "key"], name="instrument_unique_key"),
            models.CheckConstraint(
                condition=Q(effort__in=["quick_win", "structureel"]), name="instrument_effort_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name_nl


class RenderedReport(models.Model):
    """A PDF rendered for one version of the answers, in one language; deleted with the scan."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="reports")
    answers_version = models.PositiveIntegerField()
    library_version = models.CharField(max_length=20)
    language = models.CharField(max_length=8)
    pdf = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scan", "answers_version", "library_version", "language"],
                name="report_once_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"report {self.scan_id} v{self.answers_version} {self.language}"
