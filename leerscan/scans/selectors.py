"""Selectors that read a scan and its answers."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from leerscan.scans.facts import FactValue
from leerscan.scans.models import FactAnswer, Item, ItemAnswer, Scan

PROFILE_REQUIRED = ("sbi_section", "employees", "province", "consent_at")


def scan_get(*, token: str) -> Scan:
    """The scan with this private token, or a 404."""
    scan = Scan.objects.select_related("item_bank", "benchmark_set").filter(token=token).first()
    if scan is None:
        raise Http404("unknown scan")
    return scan


def scan_items(*, scan: Scan, group: str | None = None) -> list[Item]:
    """The items of the scan's item bank, in order, optionally of one group."""
    items = Item.objects.filter(bank_id=scan.item_bank_id)
    if group:
        items = items.filter(group=group)
    return list(items.order_by("position"))


def scan_item_values(*, scan: Scan) -> dict[str, int]:
    """The saved statement answers as {item key: 1-6}."""
    return dict(ItemAnswer.objects.filter(scan=scan).values_list("item__key", "value"))


def scan_fact_answers(*, scan: Scan) -> dict[str, FactValue]:
    """The saved fact answers by question key."""
    return {a.key: FactValue.of(a) for a in FactAnswer.objects.filter(scan=scan)}


@dataclass(frozen=True)
class Missing:
    step: int
    what: str


def scan_missing_answers(*, scan: Scan) -> list[Missing]:
    """What must still be answered before the scan can be finished: profile, core statements."""
    missing: list[Missing] = []
    if any(getattr(scan, f) in ("", None) for f in PROFILE_REQUIRED):
        missing.append(Missing(1, _("the facts about your organisation")))
    answered = set(ItemAnswer.objects.filter(scan=scan).values_list("item_id", flat=True))
    for item in Item.objects.filter(bank_id=scan.item_bank_id, role=Item.Role.CORE).order_by(
        "position"
    ):
        if item.id not in answered:
            step = 2 if item.group == Item.Group.BUILDING_BLOCK else 3
            text = item.text(get_language() or "nl")
            missing.append(Missing(step, _("the statement “%(text)s”") % {"text": text}))
    return missing
