"""Services that change a scan: start, save a step, finish, delete.

Each runs in one transaction with the scan's row locked, so a double click or two tabs cannot
interleave; the answers' version only goes up when an answer really changed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from benchmarks.models import BenchmarkSet
from leerscan.scans.facts import FactValue
from leerscan.scans.models import FactAnswer, Item, ItemAnswer, ItemBank, Scan
from leerscan.scans.questions import STEP_COUNT, step_questions
from leerscan.scans.selectors import scan_missing_answers

PROFILE_FIELDS = (
    "organisation_name",
    "sbi_section",
    "sbi_code",
    "employees",
    "province",
    "respondent_role",
)


def scan_start() -> Scan:
    """Create an empty scan with a fresh private token, on the current item bank and benchmarks."""
    bank = ItemBank.objects.order_by("-loaded_at", "-id").first()
    benchmark_set = BenchmarkSet.objects.filter(
        slug=settings.LEERSCAN_DEFAULT_BENCHMARK_SET
    ).first()
    if bank is None or benchmark_set is None:
        raise RuntimeError("Load the item bank and benchmarks first (make run does this).")
    scan = Scan(item_bank=bank, benchmark_set=benchmark_set)
    scan.full_clean()
    scan.save()
    return scan


def _locked(scan: Scan) -> Scan:
    return Scan.objects.select_for_update().get(pk=scan.pk)


def _reached(scan: Scan, step: int) -> None:
    scan.furthest_step = max(scan.furthest_step, min(step + 1, STEP_COUNT + 1))


def scan_save_profile(*, scan: Scan, data: dict) -> Scan:
    """Save step 1 (the organisation and consent)."""
    with transaction.atomic():
        locked = _locked(scan)
        changed = any(getattr(locked, f) != data[f] for f in PROFILE_FIELDS)
        for field in PROFILE_FIELDS:
            setattr(locked, field, data[field])
        if locked.consent_at is None:
            locked.consent_at = timezone.now()
        if changed:
            locked.answers_version += 1
        _reached(locked, 1)
        locked.full_clean()
        locked.save()
    return locked


def scan_save_items(*, scan: Scan, step: int, values: dict[str, int | None]) -> Scan:
    """Save the statements of step 2 or 3; an empty value removes an earlier answer."""
    with transaction.atomic():
        locked = _locked(scan)
        items = {i.key: i for i in Item.objects.filter(bank_id=locked.item_bank_id, key__in=values)}
        stored = {
            a.item_id: a for a in ItemAnswer.objects.filter(scan=locked, item__in=items.values())
        }
        new, updated, removed = [], [], []
        for key, value in values.items():
            item = items[key]
            answer = stored.get(item.id)
            if value is None:
                if answer is not None:
                    removed.append(answer.pk)
            elif answer is None:
                new.append(ItemAnswer(scan=locked, item=item, value=value))
            elif answer.value != value:
                answer.value = value
                updated.append(answer)
        # At most three writes for a whole step, whatever its number of statements.
        if removed:
            ItemAnswer.objects.filter(pk__in=removed).delete()
        if new:
            ItemAnswer.objects.bulk_create(new)
        if updated:
            ItemAnswer.objects.bulk_update(updated, ["value"])
        _finish_save(locked, step, bool(new or updated or removed))
    return locked


def scan_save_facts(*, scan: Scan, step: int, answers: dict[str, FactValue]) -> Scan:
    """Save the fact questions of steps 4-6; questions left open remove an earlier answer."""
    keys = [q.key for q in step_questions(step)]
    with transaction.atomic():
        locked = _locked(scan)
        stored = {a.key: a for a in FactAnswer.objects.filter(scan=locked, key__in=keys)}
        changed = False
        for key in keys:
            answer, new = stored.get(key), answers.get(key)
            if new is None:
                if answer is not None:
                    answer.delete()
                    changed = True
                continue
            if answer is None:
                answer = FactAnswer(scan=locked, key=key)
            elif FactValue.of(answer) == new:
                continue
            new.store_on(answer)
            answer.full_clean(exclude=["scan"])
            answer.save()
            changed = True
        _finish_save(locked, step, changed)
    return locked


def _finish_save(scan: Scan, step: int, changed: bool) -> None:
    if changed:
        scan.answers_version += 1
    _reached(scan, step)
    scan.save(update_fields=["answers_version", "furthest_step", "updated_at"])


def scan_finish(*, scan: Scan) -> Scan:
    """Mark the scan finished; finishing again changes nothing."""
    with transaction.atomic():
        locked = _locked(scan)
        if locked.finished_at is not None:
            return locked
        missing = scan_missing_answers(scan=locked)
        if missing:
            raise ValidationError(_("Some required answers are still missing."), code="incomplete")
        locked.finished_at = timezone.now()
        locked.save(update_fields=["finished_at", "updated_at"])
    return locked


def scan_delete(*, scan: Scan) -> None:
    """Delete the scan, every answer and everything rendered from it; its link stops working."""
    with transaction.atomic():
        Scan.objects.filter(pk=scan.pk).delete()
