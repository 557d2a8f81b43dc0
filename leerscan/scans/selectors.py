"""Selectors that read a scan and its answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple, Protocol

from django.http import Http404
from django.template.defaultfilters import floatformat
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from benchmarks.models import BenchmarkSet
from benchmarks.profiles import SBI_SECTION_LABELS
from benchmarks.selectors import benchmark_set_current
from benchmarks.vocabulary import indicator_label
from leerscan.scans.facts import FactValue
from leerscan.scans.models import FactAnswer, Item, ItemAnswer, Scan
from leerscan.scans.questions import (
    AGREEMENT_SCALE,
    CHOICE,
    DONT_KNOW_LABEL,
    FACT_QUESTIONS,
    ITEM_STEPS,
    MULTI,
    NOT_APPLICABLE_LABEL,
    NUMBER,
    SCALE6,
    STEPS,
    FactQuestion,
    Step,
    choice_anchor,
    count_of,
    counts_participation,
    field_anchor,
)
from leerscan.scans.scores import Scores, scores_from_answers

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
    """The saved statement answers on the scale, as {item key: 1-6}; "n.v.t." is left out."""
    return dict(
        ItemAnswer.objects.filter(scan=scan, not_applicable=False).values_list("item__key", "value")
    )


def scan_item_answers(*, scan: Scan) -> tuple[dict[str, int], set[str]]:
    """Both at once, in one query: the answers on the scale and the keys answered "n.v.t."."""
    values: dict[str, int] = {}
    not_applicable: set[str] = set()
    rows = ItemAnswer.objects.filter(scan=scan).values_list("item__key", "value", "not_applicable")
    for key, value, is_not_applicable in rows:
        if is_not_applicable:
            not_applicable.add(key)
        else:
            values[key] = value
    return values, not_applicable


def scan_item_not_applicable(*, scan: Scan) -> set[str]:
    """The keys of the statements answered "n.v.t." (not applicable)."""
    return set(
        ItemAnswer.objects.filter(scan=scan, not_applicable=True).values_list(
            "item__key", flat=True
        )
    )


def scan_fact_answers(*, scan: Scan) -> dict[str, FactValue]:
    """The saved fact answers by question key."""
    return {a.key: FactValue.of(a) for a in FactAnswer.objects.filter(scan=scan)}


class ScanRef(Protocol):
    """What scan_scores_many reads of a scan: a Scan, or anything with these two."""

    @property
    def pk(self) -> int: ...

    @property
    def item_bank_id(self) -> int: ...


@dataclass(frozen=True)
class ScanAnswers:
    """A scan's answers as read for many scans at once, and their scores."""

    item_values: dict[str, int]  # {item key: 1-6}; "n.v.t." is left out
    not_applicable_items: set[str]  # the keys answered "n.v.t."
    facts: dict[str, FactValue]
    scores: Scores


class _ItemSpec(NamedTuple):
    """What scores_from_answers reads of an item (hashable, so that a part's scores are kept)."""

    key: str
    group: str
    block: str
    role: str


# A part's scores by answer pattern, kept across calls (the research export reads in batches): a
# bank has some 2,100 patterns at the most (a block's three deepening statements: 7 ** 3 each).
@lru_cache(maxsize=4_096)
def _part_scores(
    items: tuple[_ItemSpec, ...], values: tuple[int | None, ...], not_applicable: frozenset[str]
) -> Scores:
    return scores_from_answers(
        items=list(items),
        item_values={item.key: v for item, v in zip(items, values, strict=True) if v is not None},
        facts={},
        not_applicable_items=not_applicable,
    )


_Part = tuple[tuple[_ItemSpec, ...], tuple[str, ...]]  # the items and their keys


def _parts(items: list[Item]) -> list[_Part]:
    """The items cut into the parts each mean is taken over (a block's core items, its
    deepening, a DLOQ statement), in the order scores_from_answers meets them (so that the
    assembled scores list their keys in its order)."""
    parts: dict[tuple[str, str], list[_ItemSpec]] = {}
    for item in items:
        bucket = "dloq" if item.group == "dloq" else "core" if item.role == "core" else "deep"
        parts.setdefault((bucket, item.block), []).append(
            _ItemSpec(item.key, item.group, item.block, item.role)
        )
    return [(tuple(specs), tuple(s.key for s in specs)) for specs in parts.values()]


_NONE: frozenset[str] = frozenset()


def _scores(
    parts: list[_Part], values: dict[str, int], skipped: set[str], facts: dict[str, FactValue]
) -> Scores:
    """scores_from_answers on all of a scan's items, assembled from its parts' scores: a part
    has a handful of answer patterns (one core item: seven), so that 10,000 scans cost a few
    hundred calls instead of 10,000 (the research export)."""
    blocks: dict[str, Decimal | None] = {}
    deepening: dict[str, Decimal | None] = {}
    dloq: dict[str, Decimal | None] = {}
    not_applicable = set(skipped)
    for specs, keys in parts:
        part_skipped = frozenset(k for k in keys if k in skipped) if skipped else _NONE
        part = _part_scores(specs, tuple(map(values.get, keys)), part_skipped)
        blocks.update(part.building_blocks)
        deepening.update(part.deepening)
        dloq.update(part.dloq)
        not_applicable |= part.not_applicable_items
    return Scores(blocks, deepening, dloq, facts, frozenset(not_applicable))


def scan_scores_many(
    *, scans: Iterable[ScanRef], compared_only: bool = False
) -> dict[int, ScanAnswers]:
    """Many scans' answers and scores by scan id, in three queries however many scans; with
    compared_only, only the core statements and no facts, in two."""
    wanted = list(scans)
    if not wanted:
        return {}
    scan_ids = [scan.pk for scan in wanted]
    items = Item.objects.filter(bank_id__in={scan.item_bank_id for scan in wanted})
    answers = ItemAnswer.objects.filter(scan_id__in=scan_ids)
    if compared_only:
        items = items.filter(role=Item.Role.CORE)
        answers = answers.filter(item__role=Item.Role.CORE)
    items_by_bank: dict[int, list[Item]] = {}
    for item in items.order_by("bank_id", "position"):
        items_by_bank.setdefault(item.bank_id, []).append(item)
    parts = {bank: _parts(bank_items) for bank, bank_items in items_by_bank.items()}
    values: dict[int, dict[str, int]] = {scan_id: {} for scan_id in scan_ids}
    skipped: dict[int, set[str]] = {scan_id: set() for scan_id in scan_ids}
    rows = answers.values_list("scan_id", "item__key", "value", "not_applicable")
    for scan_id, key, value, is_not_applicable in rows:
        if is_not_applicable:
            skipped[scan_id].add(key)
        else:
            values[scan_id][key] = value
    facts: dict[int, dict[str, FactValue]] = {scan_id: {} for scan_id in scan_ids}
    if not compared_only:
        fact_rows = FactAnswer.objects.filter(scan_id__in=scan_ids).values_list(
            "scan_id",
            "key",
            "number",
            "choice",
            "choices",
            "dont_know",
            "not_applicable",
            named=True,
        )
        for row in fact_rows:
            facts[row.scan_id][row.key] = FactValue.of(row)
    return {
        scan.pk: ScanAnswers(
            item_values=values[scan.pk],
            not_applicable_items=skipped[scan.pk],
            facts=facts[scan.pk],
            scores=_scores(
                parts.get(scan.item_bank_id, []), values[scan.pk], skipped[scan.pk], facts[scan.pk]
            ),
        )
        for scan in wanted
    }


@dataclass(frozen=True)
class Missing:
    step: int
    what: str
    # The id of the question's first input on its step's page, for a link straight to it.
    anchor: str


def _missing_profile(scan: Scan) -> list[Missing]:
    """Each required fact of step 1 that is still open, linked to its field."""
    wanted = (
        ("sbi_section", _("your sector"), field_anchor("sbi_section")),
        ("employees", _("the number of employees"), field_anchor("employees")),
        ("province", _("where your organisation is located"), choice_anchor("province")),
        ("consent_at", _("your consent to store your answers"), field_anchor("consent")),
    )
    return [
        Missing(1, what, anchor)
        for name, what, anchor in wanted
        if getattr(scan, name) in ("", None)
    ]


def scan_missing_answers(*, scan: Scan) -> list[Missing]:
    """What must still be answered before the scan can be finished: profile, core statements.

    A core statement answered "n.v.t." is answered: it is only left out of the comparison.
    """
    missing = _missing_profile(scan)
    answered = set(ItemAnswer.objects.filter(scan=scan).values_list("item_id", flat=True))
    for item in Item.objects.filter(bank_id=scan.item_bank_id, role=Item.Role.CORE).order_by(
        "position"
    ):
        if item.id not in answered:
            step = 2 if item.group == Item.Group.BUILDING_BLOCK else 3
            text = item.text(get_language() or "nl")
            missing.append(
                Missing(
                    step, _("the statement “%(text)s”") % {"text": text}, choice_anchor(item.key)
                )
            )
    return missing


@dataclass(frozen=True)
class SummaryRow:
    label: str
    answer: str  # empty: not answered
    anchor: str


@dataclass(frozen=True)
class StepSummary:
    step: Step
    rows: list[SummaryRow]
    # For the statement steps: how many optional deepening statements were answered, of how many.
    deepening: tuple[int, int] | None = None


def _number(value: Decimal) -> str:
    """40 as "40", 2.5 as "2,5" in Dutch (no ",0" for a whole number)."""
    return floatformat(value, -1)


def _scale_answer(value: int) -> str:
    return f"{value} \u2013 {dict(AGREEMENT_SCALE)[value]}"


def fact_answer_text(
    question: FactQuestion, answer: FactValue | None, employees: int | None = None
) -> str:
    """A fact answer in a few words, as the user gave it; empty when not answered.

    A small firm's participation that is a whole number of its employees reads "2 of 7 (28.6%)".
    """
    if answer is None:
        return ""
    if question.countable and counts_participation(employees) and answer.numeric() is not None:
        count = count_of(answer.number, employees)
        if count is not None:
            of = _("of %(employees)s") % {"employees": employees}
            return f"{count} {of} ({_number(answer.number)}%)"
    if answer.dont_know:
        return str(DONT_KNOW_LABEL)
    if answer.not_applicable:
        return str(NOT_APPLICABLE_LABEL)
    labels = {value: str(label) for value, label in question.choices}
    if question.kind == NUMBER and answer.number is not None:
        unit = str(question.unit)
        return f"{_number(answer.number)}%" if unit == "%" else f"{_number(answer.number)} {unit}"
    if question.kind == SCALE6 and answer.number is not None:
        return _scale_answer(int(answer.number))
    if question.kind == CHOICE:
        return labels.get(answer.choice, answer.choice)
    if question.kind == MULTI:
        return ", ".join(labels.get(c, c) for c in answer.choices)
    return _number(answer.number) if answer.number is not None else ""


def _applies(question: FactQuestion, facts: dict[str, FactValue]) -> bool:
    """Whether a question that depends on another answer (HR's task) applies, or was answered."""
    if question.depends_on is None or question.key in facts:
        return True
    key, value = question.depends_on
    return key in facts and facts[key].chosen() == value


def _profile_rows(scan: Scan) -> list[SummaryRow]:
    sector = str(SBI_SECTION_LABELS.get(scan.sbi_section, "")) if scan.sbi_section else ""
    if sector and scan.sbi_code:
        sector = f"{sector} (SBI {scan.sbi_code})"
    return [
        SummaryRow(_("Sector"), sector, field_anchor("sbi_section")),
        SummaryRow(
            _("Number of employees"),
            "" if scan.employees is None else str(scan.employees),
            field_anchor("employees"),
        ),
        SummaryRow(_("Location"), scan.get_province_display(), choice_anchor("province")),
        SummaryRow(
            _("Your role"), scan.get_respondent_role_display(), choice_anchor("respondent_role")
        ),
    ]


def scan_answer_summary(*, scan: Scan) -> list[StepSummary]:
    """Every step's answers in a few words, for the review page (three queries)."""
    items = scan_items(scan=scan)
    values = scan_item_values(scan=scan)
    not_applicable = scan_item_not_applicable(scan=scan)
    facts = scan_fact_answers(scan=scan)
    summaries = [StepSummary(STEPS[0], _profile_rows(scan))]
    for step in STEPS[1:]:
        if step.number in ITEM_STEPS:
            group = [i for i in items if i.group == ITEM_STEPS[step.number]]
            rows = []
            for item in group:
                if item.role != Item.Role.CORE:
                    continue
                answer = ""
                if item.key in not_applicable:
                    answer = str(NOT_APPLICABLE_LABEL)
                elif item.key in values:
                    answer = _scale_answer(values[item.key])
                rows.append(
                    SummaryRow(indicator_label(item.block), answer, choice_anchor(item.key))
                )
            # A short scan (core statements only) was never asked the deepening ones.
            deepening = [i for i in group if i.role == Item.Role.DEEPENING and not scan.core_only]
            answered = sum(1 for i in deepening if i.key in values or i.key in not_applicable)
            summaries.append(
                StepSummary(step, rows, (answered, len(deepening)) if deepening else None)
            )
            continue
        rows = [
            SummaryRow(
                str(q.short_label or q.label),
                fact_answer_text(q, facts.get(q.key), scan.employees),
                field_anchor(q.key) if q.kind == NUMBER else choice_anchor(q.key),
            )
            for q in FACT_QUESTIONS
            if q.step == step.number and _applies(q, facts)
        ]
        summaries.append(StepSummary(step, rows))
    return summaries


def scan_newer_edition(*, scan: Scan) -> BenchmarkSet | None:
    """The edition new scans are compared with, when it is newer than this scan's (a later year):
    the one the owner may compare their finished scan with again; else None."""
    current = benchmark_set_current()
    if current is None or current.year <= scan.benchmark_set.year:
        return None
    return current
