"""Selectors that read a scan and its answers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from django.template.defaultfilters import floatformat
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from benchmarks.profiles import SBI_SECTION_LABELS
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
