"""Forms of the scan's steps. Every error is a plain Dutch sentence next to its field, and listed
with a link to that field in the summary at the top of the step.

Steps 2-6 are rendered from small view-models built here (`ItemStepForm.sections()`,
`FactStepForm.questions_view()`) rather than through crispy's field templates: statements and
1-6 or 1-10 questions are a row of buttons (still radio inputs), numbers have their unit and
"weet ik niet" / "n.v.t." beside them, and per-option template rendering was most of a step's time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import floatformat
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from benchmarks.profiles import SBI_SECTION_EXAMPLES, SBI_SECTION_LABELS, sbi_section
from benchmarks.vocabulary import MAX_EMPLOYEES, indicator_label
from leerscan.scans.facts import FactValue
from leerscan.scans.models import Item, Scan
from leerscan.scans.questions import (
    AGREEMENT_SCALE,
    CHOICE,
    DONT_KNOW_LABEL,
    FACTS_BY_KEY,
    MULTI,
    NOT_APPLICABLE,
    NOT_APPLICABLE_LABEL,
    NUMBER,
    SCALE6,
    SCALE10,
    FactQuestion,
    choice_anchor,
    count_of,
    counts_participation,
    field_anchor,
    percentage_of,
    step_questions,
)

DONT_KNOW = "weet_niet"
NONE_OF_THESE = "geen"
SCALE_KINDS = (SCALE6, SCALE10)


def dont_know_field_name(key: str) -> str:
    return f"{key}__weet_niet"


def not_applicable_field_name(key: str) -> str:
    return f"{key}__nvt"


def count_field_name(key: str) -> str:
    return f"{key}__aantal"


# --- Numbers as people type them -------------------------------------------------------------

# Words and signs around a number that change nothing about it: "ongeveer 30", "ca. 30 %".
_NOISE = re.compile(
    r"\b(ongeveer|ong|circa|ca|zo'n|rond|ruim|bijna|about|around|approximately|approx|roughly|"
    r"almost|procent|percent|pct|uur|uren|hours|hour|hrs|h|u)\b\.?|[%~±≈]",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"[+-]?[0-9][0-9.,]*")
# Separators and signs of other scripts' keyboards, as their ASCII counterparts: the Arabic
# decimal and thousands separators and percent sign, and the full-width ones.
_SIGNS = str.maketrans(
    {"\u066b": ".", "\u066c": ",", "\u066a": "%", "\uff0e": ".", "\uff0c": ",", "\uff05": "%"}
)


def ascii_digits(text: str) -> str:
    """The text with digits of any script as 0-9: a phone set to Arabic types "١٢" for 12 on its
    number pad, a Japanese keyboard "１２". Anything else is left as it is."""
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c
        for c in text.translate(_SIGNS)
    )


def parse_number(text: str) -> Decimal | None:
    """A number typed in Dutch or English, or None when it is not one.

    "30%", "ongeveer 30", "about 30", "1,5" and "1.5" are all understood. A single "," or "."
    is a decimal separator, except before a group of exactly three digits ("1.500 uur" is
    1500); with both, the last one is ("1.234,5" and "1,234.5"). Digits of other scripts count
    as their 0-9 ("١٢" and "１２" are 12). Python's own number syntax is not a way people write
    numbers and is refused: "5_0", "1e3", "0x10", "Infinity", "NaN".
    """
    cleaned = _NOISE.sub(" ", ascii_digits(text).replace("\u2212", "-")).strip()
    cleaned = re.sub(r"(?<=\d)\s+(?=\d{3}\b)", "", cleaned)  # "1 500"
    cleaned = re.sub(r"^([+-])\s+", r"\1", cleaned)
    if not _NUMBER.fullmatch(cleaned):
        return None
    sign = "-" if cleaned.startswith("-") else ""
    digits = cleaned.lstrip("+-")
    separators = [c for c in digits if c in ",."]
    if len(set(separators)) == 2:
        last = max(digits.rfind(","), digits.rfind("."))
        whole, decimals = digits[:last], digits[last + 1 :]
        if not decimals or not re.fullmatch(r"\d{1,3}([.,]\d{3})*", whole):
            return None
        number = whole.replace(",", "").replace(".", "") + "." + decimals
    elif separators:
        groups = re.split(r"[.,]", digits)
        thousands = len(groups[0]) <= 3 and not groups[0].startswith("0")
        if all(len(g) == 3 for g in groups[1:]) and thousands:
            number = "".join(groups)
        elif len(groups) == 2 and groups[1]:
            number = f"{groups[0]}.{groups[1]}"
        else:
            return None
    else:
        number = digits
    try:
        return Decimal(sign + number)
    except InvalidOperation:  # pragma: no cover - the patterns above only let digits through
        return None


class LenientDecimalField(forms.DecimalField):
    """A decimal field that reads numbers the way people type them (see parse_number)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_number(str(value))
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class LenientIntegerField(forms.IntegerField):
    """A whole-number field that reads numbers the way people type them (see parse_number).

    Django's IntegerField hands the text to int(), which takes "5_0" as 50 and drops a trailing
    ".000", so that "1.000" (a thousand, in Dutch) would be 1.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_number(str(value))
        if number is None or number != number.to_integral_value():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)


# --- Error summary ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorLink:
    anchor: str  # the id of the field's input on the page
    label: str
    message: str


class ErrorSummaryMixin:
    """Every problem on a step, each with a link to its field (for the summary at the top)."""

    def error_anchor(self, name: str) -> str:
        widget = self.fields[name].widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return choice_anchor(name)
        return field_anchor(name)

    def error_label(self, name: str) -> str:
        return str(self.fields[name].label)

    def error_summary(self) -> list[ErrorLink]:
        return [
            ErrorLink(self.error_anchor(name), self.error_label(name), str(message))
            for name in self.fields
            for message in self.errors.get(name, [])
        ]


# --- Step 1 ----------------------------------------------------------------------------------


def sector_choice_label(letter: str) -> str:
    """ "Industrie — o.a. bakkerij, metaal, voedingsmiddelen": so that a baker finds the sector."""
    label, examples = SBI_SECTION_LABELS[letter], SBI_SECTION_EXAMPLES.get(letter)
    return f"{label} \u2014 {examples}" if examples else str(label)


class ProfileForm(ErrorSummaryMixin, forms.Form):
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
    employees = LenientIntegerField(
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
            (letter, sector_choice_label(letter)) for letter in SBI_SECTION_LABELS
        ]

    def error_label(self, name: str) -> str:
        if name == "consent":
            return str(_("Consent"))
        return super().error_label(name)

    def clean_sbi_code(self) -> str:
        code = ascii_digits(self.cleaned_data["sbi_code"]).strip().replace(".", "").replace(" ", "")
        if code:
            if not (code.isascii() and code.isdigit()) or not 2 <= len(code) <= 5:
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


# --- What the templates render: options and questions ----------------------------------------


@dataclass(frozen=True)
class Option:
    """One radio button or checkbox."""

    id: str
    name: str
    value: str
    label: str  # what a screen reader hears, e.g. "3 – Een beetje oneens"
    checked: bool
    # For a button in a row: the visible number ("3") and its word, shown under it on a wide
    # screen; the input's aria-label (`label`) says both, on any screen.
    short: str = ""
    rest: str = ""
    aria: str = ""  # for a checkbox whose visible label does not name its question


@dataclass(frozen=True)
class Question:
    """One question of a step, ready to render (see templates/scans/_question.html)."""

    name: str
    kind: str  # "scale" (a row of buttons), "choice", "multi" or "number"
    label: str
    help: str = ""
    errors: list[str] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    # Beside a row of buttons: "Weet ik niet", "n.v.t." (radios of the same question).
    extras: list[Option] = field(default_factory=list)
    # The words at the ends of a row of buttons, and whether the buttons carry every word.
    ends: tuple[str, str] | None = None
    worded: bool = False
    required: bool = False
    # Numbers: the typed value, the unit, the keyboard to show and the checkboxes below.
    value: str = ""
    unit: str = ""
    inputmode: str = "decimal"
    checks: list[Option] = field(default_factory=list)
    # Participation in a small firm: the number of employees, asked before the percentage.
    count: Question | None = None
    # Shown with JavaScript only when another answer has this value (the server checks too).
    depends_on: tuple[str, str] | None = None
    example: str = ""  # a statement's "Bijvoorbeeld: ..." line

    @property
    def inline(self) -> bool:
        """Short answers (Ja / Nee / Weet ik niet) side by side."""
        return self.kind == "choice" and all(len(o.label) <= 14 for o in self.options)

    @property
    def help_id(self) -> str:
        return f"id_{self.name}_helptext"

    @property
    def error_id(self) -> str:
        return f"id_{self.name}_error"

    @property
    def described_by(self) -> str:
        ids = [self.help_id] if self.help or self.example else []
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)


def _options(bound: forms.BoundField, values: list[tuple[str, object]], start: int = 0) -> list:
    """Radio options of a bound field; ids continue from `start` so that each is unique."""
    chosen = bound.value()
    chosen = {str(v) for v in chosen} if isinstance(chosen, list | tuple) else {str(chosen or "")}
    return [
        Option(
            id=f"id_{bound.html_name}_{start + i}",
            name=bound.html_name,
            value=str(value),
            label=str(label),
            checked=str(value) in chosen,
        )
        for i, (value, label) in enumerate(values)
    ]


def _scale_options(
    bound: forms.BoundField, values: list[tuple[str, object]], words: dict[str, object]
) -> list[Option]:
    """The buttons 1-6 or 1-10: each shows its number, and says its word where it has one."""
    options = []
    for option in _options(bound, values):
        word = str(words.get(option.value, ""))
        label = f"{option.value} \u2013 {word}" if word else option.value
        options.append(replace(option, label=label, short=option.value, rest=word))
    return options


AGREEMENT_CHOICES = [(str(v), f"{v} \u2013 {label}") for v, label in AGREEMENT_SCALE]
AGREEMENT_WORDS = {str(v): label for v, label in AGREEMENT_SCALE}
AGREEMENT_ENDS = (f"1 = {AGREEMENT_SCALE[0][1]}", f"6 = {AGREEMENT_SCALE[-1][1]}")


# --- Steps 2 and 3: statements -----------------------------------------------------------------


@dataclass(frozen=True)
class ItemSections:
    """Step 2 or 3 as shown: the required statements, then the optional ones folded away."""

    core: list[tuple[str, Question]]  # (building block, statement)
    deepening: list[tuple[str, list[Question]]]
    deepening_open: bool  # open when one of them needs attention
    deepening_answered: int

    @property
    def deepening_count(self) -> int:
        return sum(len(questions) for _block, questions in self.deepening)


class ItemStepForm(ErrorSummaryMixin, forms.Form):
    """The statements of one step on the six-point scale; answers may be left open for now.

    A statement that may not fit every firm (departments, teams) also offers "n.v.t."; any other
    refuses it like any answer off the scale.
    """

    def __init__(self, *args, items: list[Item], core_only: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "nl"
        # A short scan (Scan.core_only) asks the core statements only: the deepening ones get no
        # field, so whatever is posted for them is ignored and nothing of them is saved.
        self.items = [i for i in items if i.role == Item.Role.CORE] if core_only else items
        for item in self.items:
            choices = list(AGREEMENT_CHOICES)
            if item.allows_not_applicable:
                choices.append((NOT_APPLICABLE, NOT_APPLICABLE_LABEL))
            self.fields[item.key] = forms.ChoiceField(
                label=item.text(language),
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose one of the six answers.")},
            )

    def answers(self) -> dict[str, int | str | None]:
        """Each statement's answer: 1-6, NOT_APPLICABLE, or None when left open."""
        answers: dict[str, int | str | None] = {}
        for item in self.items:
            value = self.cleaned_data.get(item.key) or None
            answers[item.key] = value if value in (None, NOT_APPLICABLE) else int(value)
        return answers

    def _question(self, item: Item, language: str) -> Question:
        bound = self[item.key]
        extras = []
        if item.allows_not_applicable:
            extras = _options(bound, [(NOT_APPLICABLE, NOT_APPLICABLE_LABEL)], start=6)
        return Question(
            name=bound.html_name,
            kind="scale",
            label=str(bound.label),
            errors=[str(e) for e in bound.errors],
            options=_scale_options(bound, AGREEMENT_CHOICES, AGREEMENT_WORDS),
            extras=extras,
            ends=(str(AGREEMENT_ENDS[0]), str(AGREEMENT_ENDS[1])),
            worded=True,
            required=item.role == Item.Role.CORE,
            example=item.example(language),
        )

    def sections(self) -> ItemSections:
        """The statements as the step shows them: core first, deepening grouped by block."""
        language = get_language() or "nl"
        core, deepening = [], {}
        answered = 0
        for item in self.items:
            question = self._question(item, language)
            if question.required:
                core.append((indicator_label(item.block), question))
            else:
                deepening.setdefault(item.block, []).append(question)
                answered += any(o.checked for o in (*question.options, *question.extras))
        return ItemSections(
            core=core,
            deepening=[(indicator_label(block), qs) for block, qs in deepening.items()],
            deepening_open=any(q.errors for qs in deepening.values() for q in qs),
            deepening_answered=answered,
        )


# --- Steps 4-6: facts ----------------------------------------------------------------------------


def _number_messages(question: FactQuestion) -> dict:
    bounds = {"min": question.minimum, "max": question.maximum}
    if str(question.unit) == "%":
        invalid = _("Fill in a percentage, such as 30, 30% or 12.5 (“about 30” is fine too).")
    else:
        invalid = _("Fill in a number of hours, such as 24 or 7.5 (“about 24” is fine too).")
    out_of_bounds = _("Fill in a number from %(min)s to %(max)s.") % bounds
    return {
        "invalid": invalid,
        "min_value": out_of_bounds,
        "max_value": out_of_bounds,
        "max_decimal_places": _("Use at most one decimal."),
        "max_digits": out_of_bounds,
    }


def _number_field(question: FactQuestion) -> forms.DecimalField:
    return LenientDecimalField(
        label=question.label,
        help_text=question.help_text,
        required=False,
        min_value=question.minimum,
        max_value=question.maximum,
        decimal_places=question.decimals,
        error_messages=_number_messages(question),
    )


def _count_field(employees: int) -> forms.DecimalField:
    whole = _("Fill in a whole number of employees, such as 3.")
    out_of_bounds = _("Fill in a number from %(min)s to %(max)s.") % {"min": 0, "max": employees}
    return LenientDecimalField(
        label=_(
            "How many of your %(employees)s employees took a course or training in the last "
            "12 months?"
        )
        % {"employees": employees},
        required=False,
        min_value=0,
        max_value=employees,
        decimal_places=0,
        error_messages={
            "invalid": whole,
            "max_decimal_places": whole,
            "min_value": out_of_bounds,
            "max_value": out_of_bounds,
        },
    )


def _show_number(value: Decimal) -> str:
    """40 as "40" and 2.5 as "2,5" (in Dutch): no ",0" for whole numbers."""
    return floatformat(value, -1)


class FactStepForm(ErrorSummaryMixin, forms.Form):
    """The fact questions of one step; every question offers "I don't know", some "n.v.t."."""

    def __init__(self, *args, step: int, employees: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = step_questions(step)
        self.employees = employees
        choice_error = {"invalid_choice": _("Choose one of the answers.")}
        for q in self.questions:
            extra = [(NOT_APPLICABLE, q.not_applicable)] if q.not_applicable else []
            if q.kind == NUMBER:
                if q.countable and counts_participation(employees):
                    self.fields[count_field_name(q.key)] = _count_field(employees)
                self.fields[q.key] = _number_field(q)
                # Visible as "I don't know"; a screen reader hears which question it belongs to.
                self.fields[dont_know_field_name(q.key)] = self._check(DONT_KNOW_LABEL, q)
                if q.not_applicable:
                    self.fields[not_applicable_field_name(q.key)] = self._check(q.not_applicable, q)
            elif q.kind == CHOICE:
                self.fields[q.key] = forms.ChoiceField(
                    label=q.label,
                    help_text=q.help_text,
                    choices=[*q.choices, (DONT_KNOW, DONT_KNOW_LABEL), *extra],
                    required=False,
                    widget=forms.RadioSelect,
                    error_messages=choice_error,
                )
            elif q.kind in SCALE_KINDS:
                self.fields[q.key] = forms.ChoiceField(
                    label=q.label,
                    help_text=q.help_text,
                    choices=[
                        *self._scale_choices(q),
                        (DONT_KNOW, DONT_KNOW_LABEL),
                        *extra,
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

    @staticmethod
    def _check(label: object, q: FactQuestion) -> forms.BooleanField:
        return forms.BooleanField(label=label, required=False)

    @staticmethod
    def _scale_choices(q: FactQuestion) -> list[tuple[str, object]]:
        if q.kind == SCALE6:
            return AGREEMENT_CHOICES
        low, high = int(q.minimum), int(q.maximum)
        return [(str(v), str(v)) for v in range(low, high + 1)]

    def _refused_not_applicable(self) -> None:
        """A posted "n.v.t." box for a question that does not offer it is refused, not ignored."""
        for q in self.questions:
            offered = q.kind != NUMBER or q.not_applicable
            if not offered and self.data.get(not_applicable_field_name(q.key)):
                self.add_error(q.key, _("“Not applicable” is not an answer to this question."))

    def clean(self) -> dict:
        data = super().clean()
        self._refused_not_applicable()
        for q in self.questions:
            if q.key in self.errors:
                continue
            value = data.get(q.key)
            if q.kind == NUMBER:
                self._clean_number(q, data)
            if q.kind == MULTI and value and len(value) > 1:
                for exclusive in (DONT_KNOW, NONE_OF_THESE):
                    if exclusive in value:
                        self.add_error(
                            q.key,
                            _("“%(answer)s” cannot be combined with other answers.")
                            % {"answer": dict(self.fields[q.key].choices)[exclusive]},
                        )
        return data

    def _clean_number(self, q: FactQuestion, data: dict) -> None:
        value = data.get(q.key)
        dont_know = data.get(dont_know_field_name(q.key))
        not_applicable = data.get(not_applicable_field_name(q.key))
        count_name = count_field_name(q.key)
        count = data.get(count_name)
        if count is not None and count_name not in self.errors:
            if value is not None:
                self.add_error(
                    count_name,
                    _("Fill in the number of employees or the percentage, not both."),
                )
            elif dont_know or not_applicable:
                self.add_error(count_name, _("Fill in a number or tick “I don't know”, not both."))
        if value is not None and dont_know:
            self.add_error(q.key, _("Fill in a number or tick “I don't know”, not both."))
        elif value is not None and not_applicable:
            self.add_error(q.key, _("Fill in a number or tick “Not applicable”, not both."))
        elif dont_know and not_applicable:
            self.add_error(q.key, _("Tick “I don't know” or “Not applicable”, not both."))

    def answers(self) -> dict[str, FactValue]:
        """The answers by question key; questions left open are left out."""
        answers: dict[str, FactValue] = {}
        for q in self.questions:
            value = self.cleaned_data.get(q.key)
            if q.kind == NUMBER:
                count = self.cleaned_data.get(count_field_name(q.key))
                if self.cleaned_data.get(dont_know_field_name(q.key)):
                    answers[q.key] = FactValue(dont_know=True)
                elif self.cleaned_data.get(not_applicable_field_name(q.key)):
                    answers[q.key] = FactValue(not_applicable=True)
                elif value is not None:
                    answers[q.key] = FactValue(number=Decimal(value))
                elif count is not None:
                    answers[q.key] = FactValue(number=percentage_of(count, self.employees))
            elif q.kind in (CHOICE, *SCALE_KINDS):
                if value == DONT_KNOW:
                    answers[q.key] = FactValue(dont_know=True)
                elif value == NOT_APPLICABLE:
                    answers[q.key] = FactValue(not_applicable=True)
                elif value and q.kind in SCALE_KINDS:
                    answers[q.key] = FactValue(number=Decimal(value))
                elif value:
                    answers[q.key] = FactValue(choice=value)
            elif q.kind == MULTI:
                if value == [DONT_KNOW]:
                    answers[q.key] = FactValue(dont_know=True)
                elif value:
                    answers[q.key] = FactValue(choices=tuple(value))
        return answers

    # What the template renders.

    def error_label(self, name: str) -> str:
        key = name.split("__")[0]
        if name.endswith(("__weet_niet", "__nvt")) and key in FACTS_BY_KEY:
            return str(FACTS_BY_KEY[key].label)
        return super().error_label(name)

    def _number_question(self, q: FactQuestion, name: str | None = None) -> Question:
        bound = self[name or q.key]
        value = bound.value()
        if isinstance(value, Decimal):
            value = _show_number(value)
        checks = []
        for field_name in (dont_know_field_name(q.key), not_applicable_field_name(q.key)):
            if field_name in self.fields and name is None:
                check = self[field_name]
                checks.append(
                    Option(
                        id=check.id_for_label,
                        name=check.html_name,
                        value="on",
                        label=str(check.label),
                        checked=bool(check.value()),
                        aria=f"{check.label}: {q.label}",
                    )
                )
        errors = [str(e) for e in bound.errors]
        for field_name in (dont_know_field_name(q.key), not_applicable_field_name(q.key)):
            if field_name in self.errors and name is None:
                errors += [str(e) for e in self.errors[field_name]]
        return Question(
            name=bound.html_name,
            kind="number",
            label=str(bound.label),
            help=str(bound.help_text or ""),
            errors=errors,
            value=str(value or ""),
            unit=str(q.unit)
            if name is None
            else str(_("of %(employees)s") % {"employees": self.employees}),
            inputmode="decimal" if name is None else "numeric",
            checks=checks,
        )

    def _participation(self, q: FactQuestion) -> Question:
        """A small firm's participation: the number of employees, or else the percentage."""
        example = {
            "employees": self.employees,
            "pct": _show_number(percentage_of(Decimal(2), self.employees)),
        }
        return replace(
            self._number_question(q),
            label=str(_("Or as a percentage of your employees")),
            help=str(
                _("We turn the number into a percentage: 2 of %(employees)s is %(pct)s%%.")
                % example
            ),
            count=self._number_question(q, count_field_name(q.key)),
        )

    def _choice_question(self, q: FactQuestion) -> Question:
        bound = self[q.key]
        kind = "multi" if q.kind == MULTI else "choice"
        if q.kind in SCALE_KINDS:
            kind = "scale"
        common = {
            "name": bound.html_name,
            "label": str(bound.label),
            "help": str(bound.help_text or ""),
            "errors": [str(e) for e in bound.errors],
            "depends_on": q.depends_on,
        }
        if kind != "scale":
            return Question(kind=kind, options=_options(bound, bound.field.choices), **common)
        scale = self._scale_choices(q)
        if q.kind == SCALE6:
            words, ends, worded = AGREEMENT_WORDS, AGREEMENT_ENDS, True
        else:
            low, high = q.ends
            words = {str(int(q.minimum)): low, str(int(q.maximum)): high}
            ends = (f"{int(q.minimum)} = {low}", f"{int(q.maximum)} = {high}")
            worded = False
        extras = [c for c in bound.field.choices if c[0] in (DONT_KNOW, NOT_APPLICABLE)]
        common["help"] = ""  # the words at both ends say what the help text says
        return Question(
            kind="scale",
            options=_scale_options(bound, scale, words),
            extras=_options(bound, extras, start=len(scale)),
            ends=(str(ends[0]), str(ends[1])),
            worded=worded,
            **common,
        )

    def questions_view(self) -> list[Question]:
        """The step's questions, ready to render, in order."""
        view = []
        for q in self.questions:
            if q.kind == NUMBER and count_field_name(q.key) in self.fields:
                view.append(self._participation(q))
            elif q.kind == NUMBER:
                view.append(self._number_question(q))
            else:
                view.append(self._choice_question(q))
        return view


def fact_initial(answers: dict[str, FactValue], employees: int | None = None) -> dict:
    """Form initial data from stored fact answers, the inverse of FactStepForm.answers().

    A small firm's participation comes back as the number of employees when the stored
    percentage is exactly such a number (see count_of), else as the percentage.
    """
    initial: dict = {}
    for key, answer in answers.items():
        q = FACTS_BY_KEY[key]
        if answer.dont_know or answer.not_applicable:
            box = dont_know_field_name(key) if answer.dont_know else not_applicable_field_name(key)
            value = DONT_KNOW if answer.dont_know else NOT_APPLICABLE
            if q.kind == NUMBER:
                initial[box] = True
            elif q.kind == MULTI:
                initial[key] = [value]
            else:
                initial[key] = value
        elif q.kind == NUMBER:
            count = None
            if q.countable and counts_participation(employees):
                count = count_of(answer.number, employees)
            if count is not None:
                initial[count_field_name(key)] = count
            else:
                initial[key] = answer.number
        elif q.kind in SCALE_KINDS:
            initial[key] = str(int(answer.number))
        elif q.kind == CHOICE:
            initial[key] = answer.choice
        else:
            initial[key] = list(answer.choices)
    return initial
