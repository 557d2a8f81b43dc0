"""Services that change a scan: start, save a step, finish, delete.

Each runs in one transaction with the scan's row locked, so a double click or two tabs cannot
interleave; the answers' version only goes up when an answer really changed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from benchmarks.selectors import benchmark_set_current
from leerscan.scans.facts import FactValue
from leerscan.scans.models import FactAnswer, Item, ItemAnswer, ItemBank, Scan
from leerscan.scans.questions import (
    FACTS_BY_KEY,
    NOT_APPLICABLE,
    STEP_COUNT,
    YES,
    step_questions,
)
from leerscan.scans.selectors import scan_missing_answers, scan_newer_edition

PROFILE_FIELDS = (
    "organisation_name",
    "sbi_section",
    "sbi_code",
    "employees",
    "province",
    "respondent_role",
)


def scan_start(*, context: str = Scan.Context.SELF_SCAN, core_only: bool = False) -> Scan:
    """Create an empty scan with a fresh private token, on the current item bank and benchmarks
    (in a leertafel's context, and with the core statements only for a short session)."""
    bank = ItemBank.objects.order_by("-loaded_at", "-id").first()
    benchmark_set = benchmark_set_current()
    if bank is None or benchmark_set is None:
        raise RuntimeError("Load the item bank and benchmarks first (make run does this).")
    scan = Scan(item_bank=bank, benchmark_set=benchmark_set, context=context, core_only=core_only)
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


def scan_save_items(*, scan: Scan, step: int, values: dict[str, int | str | None]) -> Scan:
    """Save the statements of step 2 or 3: 1-6, or NOT_APPLICABLE where the item offers it;
    an empty value removes an earlier answer."""
    with transaction.atomic():
        locked = _locked(scan)
        items = {i.key: i for i in Item.objects.filter(bank_id=locked.item_bank_id, key__in=values)}
        refused = [
            key
            for key, value in values.items()
            if value == NOT_APPLICABLE and not items[key].allows_not_applicable
        ]
        if refused:
            raise ValidationError(
                {key: _("“Not applicable” is not an answer to this statement.") for key in refused}
            )
        stored = {
            a.item_id: a for a in ItemAnswer.objects.filter(scan=locked, item__in=items.values())
        }
        new, updated, removed = [], [], []
        for key, value in values.items():
            item = items[key]
            answer = stored.get(item.id)
            not_applicable = value == NOT_APPLICABLE
            number = None if not_applicable else value
            if value is None:
                if answer is not None:
                    removed.append(answer.pk)
            elif answer is None:
                new.append(
                    ItemAnswer(scan=locked, item=item, value=number, not_applicable=not_applicable)
                )
            elif (answer.value, answer.not_applicable) != (number, not_applicable):
                answer.value, answer.not_applicable = number, not_applicable
                updated.append(answer)
        # At most three writes for a whole step, whatever its number of statements.
        if removed:
            ItemAnswer.objects.filter(pk__in=removed).delete()
        if new:
            ItemAnswer.objects.bulk_create(new)
        if updated:
            ItemAnswer.objects.bulk_update(updated, ["value", "not_applicable"])
        _finish_save(locked, step, bool(new or updated or removed))
    return locked


def _check_facts(answers: dict[str, FactValue]) -> None:
    """Refuse what no form offers: "n.v.t." where a question does not offer it, and whether HR
    is in charge of learning without an HR department."""
    errors: dict[str, str] = {}
    for key, answer in answers.items():
        if answer.not_applicable and not FACTS_BY_KEY[key].not_applicable:
            errors[key] = _("“Not applicable” is not an answer to this question.")
    errors.update(_check_hr(answers))
    if errors:
        raise ValidationError(errors)


def _check_hr(answers: dict[str, FactValue]) -> dict[str, str]:
    """Whether HR is in charge of learning is asked only of firms with an HR department; without
    one its only answer is "n.v.t." (or none)."""
    hr_task = answers.get("hr_leren")
    if hr_task is None:
        return {}
    department = answers.get("hr_afdeling")
    has_department = department is not None and department.chosen() == YES
    if has_department and hr_task.not_applicable:
        return {
            "hr_leren": _(
                "You answered that there is an HR department, so this question applies. "
                "Choose “Yes”, “No” or “I don't know”."
            )
        }
    if has_department or hr_task.not_applicable:
        return {}
    if department is not None and department.chosen() is not None:
        return {
            "hr_leren": _(
                "You answered that there is no HR department, so this question does not apply. "
                "Choose “Not applicable”, or change your answer to the question above."
            )
        }
    return {
        "hr_leren": _(
            "This question is only for organisations with an HR department. Answer “Yes” to "
            "the question above, or choose “Not applicable” here."
        )
    }


def scan_save_facts(*, scan: Scan, step: int, answers: dict[str, FactValue]) -> Scan:
    """Save the fact questions of steps 4-6; questions left open remove an earlier answer.

    Raises ValidationError (by question key) for answers that do not fit together.
    """
    keys = [q.key for q in step_questions(step)]
    _check_facts(answers)
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


def scan_compare_again(*, scan: Scan) -> Scan:
    """Compare a finished scan with the newer edition (scan_newer_edition) from now on: its pages
    and report say which edition, and which it was first compared with. Idempotent: once the scan
    is on the newest edition, it changes nothing."""
    with transaction.atomic():
        locked = _locked(scan)
        newer = scan_newer_edition(scan=locked)
        if locked.finished_at is None or newer is None:
            return locked
        if locked.first_benchmark_set_id is None:
            locked.first_benchmark_set_id = locked.benchmark_set_id
        locked.benchmark_set = newer
        locked.compared_again_at = timezone.now()
        # A new version of the results: the report is made again, with the new comparison.
        locked.answers_version += 1
        locked.save(
            update_fields=[
                "benchmark_set",
                "first_benchmark_set",
                "compared_again_at",
                "answers_version",
                "updated_at",
            ]
        )
    return locked


# The owner's consents for uses beyond their own report: a moment, or None when not given.
CONSENT_FIELDS = ("research_consent_at", "living_consent_at")


def scan_consent_set(*, scan: Scan, field: str, allowed: bool) -> None:
    """Give a consent (keeping the first moment it was given) or withdraw it; idempotent."""
    if field not in CONSENT_FIELDS:
        raise ValueError(f"{field} is no consent of a scan")
    scans = Scan.objects.filter(pk=scan.pk)
    if allowed:
        scans.filter(**{f"{field}__isnull": True}).update(**{field: timezone.now()})
    else:
        scans.update(**{field: None})
    scan.refresh_from_db(fields=[field])


def scan_delete(*, scan: Scan) -> None:
    """Delete the scan, every answer and everything rendered from it; its link stops working."""
    with transaction.atomic():
        Scan.objects.filter(pk=scan.pk).delete()
    database_forget_deleted()


def database_forget_deleted() -> None:
    """Make deleted rows unreadable in the database files, not only in the tables.

    On SQLite, secure_delete (set on every connection in settings) overwrites deleted rows, but
    the write-ahead log still holds the pages as they were until a checkpoint: this one copies
    the log into the database and empties it. Inside a transaction that is still open (a test's)
    the checkpoint would have to wait, so it is left to the next call then. PostgreSQL needs
    nothing here: its deleted rows are not reachable through the application, and VACUUM (run
    automatically) reclaims them.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
