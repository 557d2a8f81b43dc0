"""Forms of the scan's steps. Every error is a plain Dutch sentence next to its field."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from benchmarks.profiles import SBI_SECTION_LABELS, sbi_section
from benchmarks.vocabulary import MAX_EMPLOYEES, indicator_label
from leerscan.scans.facts import FactValue
from leerscan.scans.models import Item, Scan
from leerscan.scans.questions import (
    AGREEMENT_SCALE,
    CHOICE,
    FACTS_BY_KEY,
    MULTI,
    NUMBER,
    SCALE6,
    FactQuestion,
    step_questions,
)

DONT_KNOW = "weet_niet"
DONT_KNOW_LABEL = _("I don't know")
NONE_OF_THESE = "geen"


def dont_know_field_name(key: str) -> str:
    return f"{key}__weet_niet"


class ProfileForm(forms.Form):
    organisation_name = forms.CharField(
        label=_("Name of your organisation (optional)"),
        help_text=_("Only shown on your own results and report."),
        max_length=120,
        required=False,
    )
    sbi_section = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        error_messages={"invalid_choice": _("Choose a sector from the list.")},
        help_text=_("Choose your sector, or fill in the SBI code from your KvK extract below."),
    )
    sbi_code = forms.CharField(
        label=_("SBI code (optional)"),
        help_text=_("For example 6201. You find it on your KvK extract."),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    employees = forms.IntegerField(
        label=_("Number of employees"),
        help_text=_("Everyone on the payroll, including yourself."),
        min_value=1,
        max_value=MAX_EMPLOYEES,
        error_messages={
            "required": _("Fill in the number of employees."),
            "invalid": _("Fill in a whole number, for example 12."),
            "min_value": _("The number of employees must be at least 1."),
            "max_value": _("The number of employees can be at most 1,000,000."),
        },
        # A text field, so that "nul" reaches the server and gets a Dutch message, not silence.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 8}),
    )
    province = forms.ChoiceField(
        label=_("Where is your organisation located?"),
        choices=Scan.PROVINCE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a province."),
            "invalid_choice": _("Choose a province from the list."),
        },
    )
    respondent_role = forms.ChoiceField(
        label=_("Your role"),
        choices=Scan.Role.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose your role."),
            "invalid_choice": _("Choose a role from the list."),
        },
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my answers are stored to show my results. I can delete them at any time."
        ),
        error_messages={"required": _("Without your consent we cannot store your answers.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sbi_section"].choices = [("", _("Choose a sector"))] + [
            (letter, f"{label}") for letter, label in SBI_SECTION_LABELS.items()
        ]

    def clean_sbi_code(self) -> str:
        code = self.cleaned_data["sbi_code"].strip().replace(".", "").replace(" ", "")
        if code:
            if not code.isdigit() or not 2 <= len(code) <= 5:
                raise ValidationError(_("An SBI code has 2 to 5 digits, such as 6201."))
            sbi_section(code)  # raises a Dutch ValidationError for codes that do not exist
        return code

    def clean(self) -> dict:
        data = super().clean()
        section, code = data.get("sbi_section"), data.get("sbi_code")
        if "sbi_code" in self.errors:
            return data
        if code:
            from_code = sbi_section(code)
            if section and section != from_code:
                self.add_error(
                    "sbi_code",
                    _(
                        "This SBI code belongs to another sector than the one you chose. "
                        "Check both."
                    ),
                )
            data["sbi_section"] = from_code
        elif not section:
            self.add_error("sbi_section", _("Choose a sector or fill in an SBI code."))
        return data


@dataclass(frozen=True)
class ScaleQuestion:
    name: str
    legend: str
    options: list[tuple[str, str, bool]]
    errors: list[str]
    deepening: bool
    first_deepening: bool


class ItemStepForm(forms.Form):
    """The statements of one step on the six-point scale; answers may be left open for now."""

    def __init__(self, *args, items: list[Item], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "nl"
        self.items = items
        for item in items:
            self.fields[item.key] = forms.TypedChoiceField(
                label=item.text(language),
                choices=[(str(v), f"{v} \u2013 {label}") for v, label in AGREEMENT_SCALE],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose one of the six answers.")},
            )

    def sections(self) -> list[tuple[str, list[ScaleQuestion]]]:
        """The statements grouped by building block, core item first, ready to render.

        Built here rather than through crispy's field templates: a step has up to 24 statements
        of six radio buttons, and per-option template rendering was most of a step's time.
        """
        sections: dict[str, list[ScaleQuestion]] = {}
        for item in self.items:
            field = self[item.key]
            chosen = str(field.value() or "")
            questions = sections.setdefault(item.block, [])
            deepening = item.role == Item.Role.DEEPENING
            first_deepening = deepening and not any(q.deepening for q in questions)
            questions.append(
                ScaleQuestion(
                    name=field.html_name,
                    legend=field.label,
                    options=[(v, label, v == chosen) for v, label in field.field.choices],
                    errors=list(field.errors),
                    deepening=deepening,
                    first_deepening=first_deepening,
                )
            )
        return [(indicator_label(block), qs) for block, qs in sections.items()]


def _number_field(question: FactQuestion) -> forms.DecimalField:
    bounds = {"min": question.minimum, "max": question.maximum}
    return forms.DecimalField(
        label=question.label,
        help_text=question.help_text,
        required=False,
        min_value=question.minimum,
        max_value=question.maximum,
        decimal_places=question.decimals,
        localize=True,
        error_messages={
            "invalid": _("Fill in a number, for example 40."),
            "min_value": _("Fill in a number from %(min)s to %(max)s.") % bounds,
            "max_value": _("Fill in a number from %(min)s to %(max)s.") % bounds,
            "max_decimal_places": _("Use at most one decimal.")
            if question.decimals
            else _("Fill in a whole number."),
            "max_digits": _("Fill in a number from %(min)s to %(max)s.") % bounds,
        },
        widget=forms.TextInput(
            attrs={"inputmode": "decimal" if question.decimals else "numeric", "size": 6}
        ),
    )


class FactStepForm(forms.Form):
    """The fact questions of one step; every question offers "I don't know"."""

    def __init__(self, *args, step: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = step_questions(step)
        choice_error = {"invalid_choice": _("Choose one of the answers.")}
        for q in self.questions:
            if q.kind == NUMBER:
                self.fields[q.key] = _number_field(q)
                # Visible as "I don't know"; a screen reader hears which question it belongs to.
                self.fields[dont_know_field_name(q.key)] = forms.BooleanField(
                    label=DONT_KNOW_LABEL,
                    required=False,
                    widget=forms.CheckboxInput(
                        attrs={"aria-label": format_lazy("{}: {}", DONT_KNOW_LABEL, q.label)}
                    ),
                )
            elif q.kind == CHOICE:
                self.fields[q.key] = forms.ChoiceField(
                    label=q.label,
                    help_text=q.help_text,
                    choices=[*q.choices, (DONT_KNOW, DONT_KNOW_LABEL)],
                    required=False,
                    widget=forms.RadioSelect,
                    error_messages=choice_error,
                )
            elif q.kind == SCALE6:
                self.fields[q.key] = forms.ChoiceField(
                    label=q.label,
                    help_text=q.help_text,
                    choices=[
                        *((str(v), f"{v} \u2013 {label}") for v, label in AGREEMENT_SCALE),
                        (DONT_KNOW, DONT_KNOW_LABEL),
                    ],
                    required=False,
                    widget=forms.RadioSelect,
                    error_messages=choice_error,
                )
            elif q.kind == MULTI:
                self.fields[q.key] = forms.MultipleChoiceField(
                    label=q.label,
                    help_text=q.help_text,
                    choices=[*q.choices, (DONT_KNOW, DONT_KNOW_LABEL)],
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages={"invalid_choice": _("Choose from the answers shown.")},
                )

    def clean(self) -> dict:
        data = super().clean()
        for q in self.questions:
            if q.key in self.errors:
                continue
            value = data.get(q.key)
            if q.kind == NUMBER and data.get(dont_know_field_name(q.key)) and value is not None:
                self.add_error(q.key, _("Fill in a number or tick “I don't know”, not both."))
            if q.kind == MULTI and value and len(value) > 1:
                for exclusive in (DONT_KNOW, NONE_OF_THESE):
                    if exclusive in value:
                        self.add_error(
                            q.key,
                            _("“%(answer)s” cannot be combined with other answers.")
                            % {"answer": dict(self.fields[q.key].choices)[exclusive]},
                        )
        return data

    def answers(self) -> dict[str, FactValue]:
        """The answers by question key; questions left open are left out."""
        answers: dict[str, FactValue] = {}
        for q in self.questions:
            value = self.cleaned_data.get(q.key)
            if q.kind == NUMBER:
                if self.cleaned_data.get(dont_know_field_name(q.key)):
                    answers[q.key] = FactValue(dont_know=True)
                elif value is not None:
                    answers[q.key] = FactValue(number=Decimal(value))
            elif q.kind in (CHOICE, SCALE6):
                if value == DONT_KNOW:
                    answers[q.key] = FactValue(dont_know=True)
                elif value and q.kind == SCALE6:
                    answers[q.key] = FactValue(number=Decimal(value))
                elif value:
                    answers[q.key] = FactValue(choice=value)
            elif q.kind == MULTI:
                if value == [DONT_KNOW]:
                    answers[q.key] = FactValue(dont_know=True)
                elif value:
                    answers[q.key] = FactValue(choices=tuple(value))
        return answers


def fact_initial(answers: dict[str, FactValue]) -> dict:
    """Form initial data from stored fact answers, the inverse of FactStepForm.answers()."""
    initial: dict = {}
    for key, answer in answers.items():
        q = FACTS_BY_KEY[key]
        if answer.dont_know:
            if q.kind == NUMBER:
                initial[dont_know_field_name(key)] = True
            elif q.kind == MULTI:
                initial[key] = [DONT_KNOW]
            else:
                initial[key] = DONT_KNOW
        elif q.kind == NUMBER:
            # Show 40, not 40,0, for questions that take whole numbers.
            initial[key] = answer.number.quantize(Decimal(1).scaleb(-q.decimals))
        elif q.kind == SCALE6:
            initial[key] = str(int(answer.number))
        elif q.kind == CHOICE:
            initial[key] = answer.choice
        else:
            initial[key] = list(answer.choices)
    return initial
