"""The HR-instrument library (data, editable in the admin) and what is rendered from a scan."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from benchmarks.versioned import VersionedData
from leerscan.constants import LIVING_BENCHMARK_MIN


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
    # Rotation between departments, secondment: no fit for a firm too small to have departments.
    needs_departments = models.BooleanField(_("needs departments"), default=False)
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


class RegionalSupport(models.Model):
    """Support an employer can turn to, per province or sector, with its source and the date the
    entry was last checked: organisations and schemes change, so the report says so."""

    class Kind(models.TextChoices):
        REGIONAL = "regional", _("in the region")
        SECTOR_FUND = "sector_fund", _("sector fund (O&O-fonds)")
        NATIONAL = "national", _("national scheme")

    library = models.ForeignKey(
        InstrumentLibrary, on_delete=models.CASCADE, related_name="regional_support"
    )
    key = models.SlugField(_("key"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # The provinces (or "elders") it serves; empty: every employer.
    provinces = models.JSONField(_("provinces"), default=list, blank=True)
    # A sector fund: the SBI codes (or their first digits) of the firms it serves.
    sbi_prefixes = models.JSONField(_("SBI codes it serves"), default=list, blank=True)
    name_nl = models.CharField(_("Dutch name"), max_length=160)
    name_en = models.CharField(_("English name"), max_length=160)
    description_nl = models.TextField(_("what it offers (Dutch)"))
    description_en = models.TextField(_("what it offers (English)"))
    url = models.URLField(_("website"), blank=True)
    source = models.TextField(_("source"))
    last_checked = models.DateField(_("last checked"))

    class Meta:
        verbose_name = _("regional support")
        verbose_name_plural = _("regional support")
        ordering = ["library", "position"]
        constraints = [
            models.UniqueConstraint(fields=["library", "key"], name="support_unique_key"),
            models.CheckConstraint(
                condition=Q(kind__in=["regional", "sector_fund", "national"]),
                name="support_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name_nl


class LivingBenchmarkCell(models.Model):
    """One sector x size x province cell of the living benchmark, as last refreshed.

    Rebuilt whole by `manage.py living_benchmark_refresh` (leerscan/reports/living.py); only
    cells with at least LIVING_BENCHMARK_MIN organisations are stored.
    """

    sector = models.CharField(_("sector group"), max_length=8)
    size_class = models.CharField(_("size class"), max_length=8)
    province = models.CharField(_("province"), max_length=12)
    organisations = models.PositiveIntegerField(_("organisations"))
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"))
    # {building block or statement key: the mean of the organisations' scores, as a string}
    means = models.JSONField(_("means"), default=dict)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("living benchmark cell")
        verbose_name_plural = _("living benchmark cells")
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "size_class", "province"], name="living_cell_unique"
            ),
            models.CheckConstraint(
                condition=Q(organisations__gte=LIVING_BENCHMARK_MIN), name="living_cell_minimum"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sector} {self.size_class} {self.province}"
