"""A benchmark set (one edition of the monitor) and the numbers it publishes, one row a number."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from benchmarks.versioned import VersionedData
from benchmarks.vocabulary import HOURS, PERCENT, SCALE_1_6, SCALE_1_10, UNIT_RANGES

# The monitor is written in Dutch: a sentence missing in another language is shown in Dutch.
MONITOR_LANGUAGE = "nl"


def _in_language(texts: dict, language: str) -> str:
    """A text of the sets file in `language` ("nl", "en", "en-gb"), else in Dutch, else ""."""
    return texts.get(language.split("-")[0].lower()) or texts.get(MONITOR_LANGUAGE, "")


class BenchmarkSet(VersionedData):
    """One edition of the monitor: its tables (the values) and the sentences it publishes."""

    # Scans and settings.LEERSCAN_DEFAULT_BENCHMARK_SET name a set by its slug.
    KEY_FIELD = "slug"
    version = None
    slug = models.SlugField(_("code"), max_length=60, unique=True)
    # The edition's human name, shown wherever the set is named (never the slug).
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.TextField(_("source"))
    # The monitor's sentences where it publishes no table: {key: {"nl", "en", "section"}}, with an
    # optional "about": [indicator, ...] for a sentence that qualifies a table's comparisons.
    sentences = models.JSONField(_("sentences of the monitor"), default=dict, blank=True)
    # What the edition says of the edition before it (its figures are the set's rows of table
    # "previous"): {"name": {"nl", "en"}, "caption": {"nl", "en"}, "inferred": {indicator:
    # {"nl", "en"}}, "sentences": [key, ...]}; {} for an edition that refers to none.
    previous = models.JSONField(_("the previous edition"), default=dict, blank=True)

    class Meta(VersionedData.Meta):
        verbose_name = _("benchmark set")
        verbose_name_plural = _("benchmark sets")
        ordering = ["-year", "slug"]

    def __str__(self) -> str:
        return f"{self.title} ({self.slug})"

    def sentence(self, key: str, language: str) -> str:
        """The monitor's sentence `key` in `language` ("nl", "en", "en-gb"), else in Dutch."""
        return _in_language(self.sentences[key], language)

    def notes_about(self, indicator: str, language: str) -> str:
        """The monitor's sentences that speak about one indicator (their "about" list), such as
        "no differences between the groups", joined; "" when there are none."""
        return " ".join(
            self.sentence(key, language)
            for key, texts in self.sentences.items()
            if indicator in texts.get("about", ())
        )

    def previous_text(self, key: str, language: str, indicator: str = "") -> str:
        """A text of the previous-edition block ("name", "caption", or with `indicator` the note
        of an "inferred" figure) in `language`, else in Dutch; "" when the edition has none."""
        texts = self.previous.get(key, {})
        if indicator:
            texts = texts.get(indicator, {})
        return _in_language(texts, language)

    def previous_sentences(self, language: str) -> list[str]:
        """The monitor's sentences about the previous edition, in their order."""
        return [
            self.sentence(key, language)
            for key in self.previous.get("sentences", ())
            if key in self.sentences
        ]

    def sentences_for(self, language: str) -> dict[str, str]:
        """Every sentence of the monitor in `language`, falling back to Dutch, by key."""
        return {key: self.sentence(key, language) for key in self.sentences}


class GroupKind(models.TextChoices):
    TOTAL = "total", _("all of Noord-Nederland")
    PROVINCE = "province", _("province")
    SECTOR = "sector", _("sector")
    SIZE = "size", _("size class")
    NATION = "nation", _("the Netherlands")
    EMPLOYMENT = "employment", _("employment position")


class Unit(models.TextChoices):
    SCALE_1_6 = SCALE_1_6, _("scale 1-6")
    SCALE_1_10 = SCALE_1_10, _("scale 1-10")
    PERCENT = PERCENT, _("percent")
    HOURS = HOURS, _("hours")


def _value_in_unit_range() -> Q:
    """The database's own guard that a value fits its unit (the loader checks the same)."""
    q = Q()
    for unit, (low, high) in UNIT_RANGES.items():
        q |= Q(unit=unit, value__gte=low, value__lte=high)
    return q


class BenchmarkValue(models.Model):
    benchmark_set = models.ForeignKey(
        BenchmarkSet, on_delete=models.CASCADE, related_name="values", verbose_name=_("set")
    )
    table = models.CharField(_("table"), max_length=10)
    indicator = models.CharField(_("indicator"), max_length=60)
    group_kind = models.CharField(_("group kind"), max_length=10, choices=GroupKind.choices)
    group = models.CharField(_("group"), max_length=30)
    n = models.PositiveIntegerField(_("N"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=7, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("benchmark value")
        verbose_name_plural = _("benchmark values")
        ordering = ["benchmark_set", "table", "indicator", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["benchmark_set", "table", "indicator", "group_kind", "group"],
                name="benchmark_value_unique_cell",
            ),
            models.CheckConstraint(
                condition=_value_in_unit_range(), name="benchmark_value_in_range"
            ),
            models.CheckConstraint(
                condition=Q(n__isnull=True) | Q(n__gt=0), name="benchmark_value_n_positive"
            ),
        ]
        indexes = [models.Index(fields=["benchmark_set", "indicator"])]

    def __str__(self) -> str:
        return f"{self.table} {self.indicator} {self.group_kind}/{self.group} = {self.value}"
