"""The questionnaire's structure: its steps and the fact questions (steps 4-6).

The statements of steps 2 and 3 live in the item bank (data, editable in the admin). The fact
questions here are code because each has its own type, bounds and benchmark; their bounds, and
which of them offer "n.v.t.", also become database constraints (see models.FactAnswer), so form
and database agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# NUMBER is typed (a percentage or hours); SCALE6 and SCALE10 are a row of buttons (1-6, 1-10).
NUMBER, CHOICE, MULTI, SCALE6, SCALE10 = "number", "choice", "multi", "scale6", "scale10"

YES, NO = "ja", "nee"
YES_NO = ((YES, _("Yes")), (NO, _("No")))

# The form value of "n.v.t." (not applicable), for statements and fact questions that offer it.
NOT_APPLICABLE = "nvt"
DONT_KNOW_LABEL = _("I don't know")
NOT_APPLICABLE_LABEL = _("Not applicable")


def field_anchor(name: str) -> str:
    """The id of a field's input on its step's page (a text field, select or checkbox)."""
    return f"id_{name}"


def choice_anchor(name: str) -> str:
    """The id of the first option of a radio or checkbox group on its step's page."""
    return f"id_{name}_0"


# Participation may be given as a number of employees instead of a percentage by firms up to this
# size (the monitor's smallest size class, 5-24): "3 of my 7" is easier to know than "43%".
PARTICIPATION_COUNT_MAX_EMPLOYEES = 24


# The training figures of step 4 that are compared with the monitor (Tabel 4.3, 4.4 and the text),
# in the order the results show them.
TRAINING_FACTS = (
    "belang_leren",
    "pct_deelname",
    "uren_per_deelnemer",
    "pct_onder_werktijd",
    "pct_kosten_werkgever",
    "pct_terugbetalingsregeling",
    "pct_omzet_leren",
)


@dataclass(frozen=True)
class FactQuestion:
    key: str
    step: int
    kind: str
    label: object
    help_text: object = ""
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    decimals: int = 0
    unit: object = ""
    choices: tuple[tuple[str, object], ...] = ()
    # The monitor's number this answer is compared with: (table, indicator), or a sentence.
    benchmark: tuple[str, str] | None = None
    # For a multiple choice: the benchmark indicator of each option, where the monitor has one.
    option_benchmarks: dict[str, str] = field(default_factory=dict)
    # Shown only when another answer has this value, e.g. ("hr_afdeling", "ja").
    depends_on: tuple[str, str] | None = None
    # The label of the "n.v.t." answer where the question may not fit; empty: not offered.
    not_applicable: object = ""
    # The words at both ends of a SCALE10 row of buttons, e.g. ("not important", "very important").
    ends: tuple[object, object] | None = None
    # A percentage of the employees that a small firm may give as a number of employees.
    countable: bool = False
    # A few words for the review page's summary; the label when empty.
    short_label: object = ""

    @property
    def allows_decimals(self) -> bool:
        return self.decimals > 0


@dataclass(frozen=True)
class Step:
    number: int
    slug: str
    title: object
    intro: object


STEPS: tuple[Step, ...] = (
    Step(
        1,
        "organisatie",
        _("Your organisation"),
        _("A few facts to compare you with similar employers."),
    ),
    Step(
        2,
        "leercultuur",
        _("Learning culture"),
        _(
            "How much do these statements apply to your organisation? "
            "There are no right or wrong answers."
        ),
    ),
    Step(
        3,
        "leren-als-organisatie",
        _("Learning as an organisation"),
        _(
            "Five statements the monitor put to all employers. The monitor prints them only as the "
            "headings of a table: two are full sentences and are quoted word for word; Leerscan "
            "completed the other three into a sentence."
        ),
    ),
    Step(
        4,
        "scholing",
        _("Training in figures"),
        _("Estimates are fine. Choose “I don't know” when you have no idea."),
    ),
    Step(
        5,
        "regelingen",
        _("Arrangements and HR"),
        _("Which arrangements and instruments do you have?"),
    ),
    Step(6, "personeel", _("Staff"), _("Your expectations for staff and recruitment.")),
)
STEP_COUNT = len(STEPS)
ITEM_STEPS = {2: "building_block", 3: "dloq"}

# Percentages and hours take one decimal ("1,5"), the precision the database stores.
PERCENT_LIMITS = {"minimum": Decimal(0), "maximum": Decimal(100), "unit": "%", "decimals": 1}
HOURS_LIMITS = {"minimum": Decimal(0), "maximum": Decimal(2000), "unit": _("hours"), "decimals": 1}
# For the figures about training that do not exist when nobody took any.
NOBODY_TRAINED = _("Not applicable: nobody took training")

OBSTACLES: tuple[tuple[str, object], ...] = (
    ("belemmering_missen", _("Employees cannot be missed at work.")),
    ("belemmering_prive", _("Employees cannot combine training with their private life.")),
    ("belemmering_kosten", _("Training costs too much.")),
    ("belemmering_onwil", _("Employees are not willing to take training.")),
    ("belemmering_weinig_vraag", _("Employees rarely ask for training.")),
)

INSTRUMENTS: tuple[tuple[str, object], ...] = (
    ("gesprekken", _("Performance and/or appraisal interviews")),
    ("feedback", _("Feedback from managers")),
    ("pop", _("Personal development plan (POP)")),
    ("taakroulatie", _("Task rotation")),
    ("functieroulatie", _("Job rotation")),
    ("detachering_intern", _("Secondment to other departments")),
    ("geen", pgettext_lazy("instruments", "None of these")),
)

FACT_QUESTIONS: tuple[FactQuestion, ...] = (
    FactQuestion(
        "belang_leren",
        4,
        SCALE10,
        _("How important is it that your employees can learn?"),
        _("1 = not important, 10 = very important."),
        minimum=Decimal(1),
        maximum=Decimal(10),
        benchmark=("text", "belang_leren"),
        ends=(_("not important"), _("very important")),
        short_label=_("Importance of learning"),
    ),
    FactQuestion(
        "pct_deelname",
        4,
        NUMBER,
        _("What percentage of your employees took a course or training in the last 12 months?"),
        benchmark=("4.3", "pct_deelname_ongewogen"),
        countable=True,
        short_label=_("Employees who took training"),
        **PERCENT_LIMITS,
    ),
    FactQuestion(
        "uren_per_deelnemer",
        4,
        NUMBER,
        _("How many hours of training did a participant take on average in the last 12 months?"),
        benchmark=("4.3", "uren_per_deelnemer"),
        not_applicable=NOBODY_TRAINED,
        short_label=_("Hours per participant"),
        **HOURS_LIMITS,
    ),
    FactQuestion(
        "pct_onder_werktijd",
        4,
        NUMBER,
        _("What percentage of the training takes place during working hours?"),
        benchmark=("4.4", "pct_onder_werktijd"),
        not_applicable=NOBODY_TRAINED,
        short_label=_("Training during working hours"),
        **PERCENT_LIMITS,
    ),
    FactQuestion(
        "pct_kosten_werkgever",
        4,
        NUMBER,
        _("What percentage of the training costs does your organisation pay?"),
        _("Costs such as fees, travel, books and study materials."),
        benchmark=("4.4", "pct_kosten_werkgever"),
        not_applicable=NOBODY_TRAINED,
        short_label=_("Training costs paid by you"),
        **PERCENT_LIMITS,
    ),
    FactQuestion(
        "pct_terugbetalingsregeling",
        4,
        NUMBER,
        _("For what percentage of the training does a repayment clause apply?"),
        _("The employee pays (part of) the costs back when leaving early."),
        benchmark=("4.4", "pct_terugbetalingsregeling"),
        not_applicable=NOBODY_TRAINED,
        short_label=_("Training under a repayment clause"),
        **PERCENT_LIMITS,
    ),
    FactQuestion(
        "pct_omzet_leren",
        4,
        NUMBER,
        _("What percentage of your turnover do you spend on learning, development and training?"),
        benchmark=("4.4", "pct_omzet_leren"),
        short_label=_("Turnover spent on learning"),
        **PERCENT_LIMITS,
    ),
    FactQuestion(
        "doelen",
        4,
        MULTI,
        _("What are the goals of training in your organisation?"),
        _("Choose all that apply."),
        short_label=_("Goals of training"),
        choices=(
            ("deskundigheid", _("Increase expertise")),
            ("vakkennis", _("Increase professional knowledge")),
            ("verplicht", _("Mandatory certificates and registrations")),
            ("loopbaan", _("Career and promotion")),
            ("commercieel", _("Learn to think commercially")),
            ("efficienter", _("Work faster or cheaper")),
            ("anders", _("Other goals")),
        ),
    ),
    FactQuestion(
        "promotieregeling",
        5,
        CHOICE,
        _("Does your organisation have a promotion arrangement?"),
        _("Agreements on how employees can move up to a higher position or pay scale."),
        choices=YES_NO,
        benchmark=("4.7", "promotieregeling"),
        short_label=_("Promotion arrangement"),
    ),
    FactQuestion(
        "functioneringsregeling",
        5,
        CHOICE,
        _("Does your organisation have a performance review arrangement?"),
        _(
            "Agreements that every employee regularly talks with a manager about their work "
            "and development, for example once a year."
        ),
        choices=YES_NO,
        benchmark=("4.7", "functioneringsregeling"),
        short_label=_("Performance review arrangement"),
    ),
    FactQuestion(
        "scholingsregeling",
        5,
        CHOICE,
        _("Does your organisation have a training arrangement?"),
        _(
            "Agreements on who may take training, in whose time and who pays, for example in "
            "the collective agreement or the staff handbook."
        ),
        choices=YES_NO,
        benchmark=("4.7", "scholingsregeling"),
        short_label=_("Training arrangement"),
    ),
    FactQuestion(
        "hr_afdeling",
        5,
        CHOICE,
        _("Does your organisation have an HR (P&O) department?"),
        choices=YES_NO,
        short_label=_("HR department"),
    ),
    FactQuestion(
        "hr_leren",
        5,
        CHOICE,
        _("Is the HR department in charge of learning and development?"),
        _("Only if you have an HR department."),
        choices=YES_NO,
        depends_on=("hr_afdeling", YES),
        # Without JavaScript the question is always shown, and a chosen radio cannot be cleared:
        # "n.v.t." is the way to leave it when there is no HR department.
        not_applicable=_("Not applicable: there is no HR department"),
        short_label=_("HR in charge of learning"),
    ),
    FactQuestion(
        "instrumenten",
        5,
        MULTI,
        _("Which of these instruments does your organisation use to develop employees?"),
        _("Choose all that apply."),
        choices=INSTRUMENTS,
        short_label=_("Instruments in use"),
    ),
    *(
        FactQuestion(
            key,
            5,
            SCALE6,
            label,
            _("1 = strongly disagree, 6 = strongly agree."),
            minimum=Decimal(1),
            maximum=Decimal(6),
        )
        for key, label in OBSTACLES
    ),
    FactQuestion(
        "verwachting_personeel",
        6,
        CHOICE,
        _("How will the number of staff in your organisation develop over the next two years?"),
        short_label=_("Staff in two years"),
        choices=(
            ("groei", _("It will grow")),
            ("gelijk", _("It stays the same")),
            ("krimp", _("It will shrink")),
        ),
        option_benchmarks={"groei": "groei", "gelijk": "gelijk", "krimp": "krimp"},
        benchmark=("4.1", ""),
    ),
    FactQuestion(
        "wervingskanalen",
        6,
        MULTI,
        _("Which of these does your organisation use to find staff?"),
        _("Choose all that apply."),
        short_label=_("Ways to find staff"),
        choices=(
            ("recruiters", _("Recruiters")),
            ("detachering", _("Secondment")),
            ("zzp", _("Freelancers (zzp)")),
            ("uitzendkrachten", _("Temporary agency workers")),
            ("anders", _("Other ways")),
        ),
        option_benchmarks={
            "recruiters": "recruiters",
            "detachering": "detachering",
            "zzp": "zzp",
            "uitzendkrachten": "uitzendkrachten",
            "anders": "anders",
        },
        benchmark=("4.2", ""),
    ),
    FactQuestion(
        "wervingsproblemen",
        6,
        SCALE10,
        _("How many problems do you expect in finding staff?"),
        _("1 = no problems, 10 = many problems."),
        minimum=Decimal(1),
        maximum=Decimal(10),
        benchmark=("text", "wervingsproblemen"),
        not_applicable=_("Not applicable: we are not looking for staff"),
        ends=(_("no problems"), _("many problems")),
        short_label=_("Problems finding staff"),
    ),
)
FACTS_BY_KEY = {q.key: q for q in FACT_QUESTIONS}
# The questions that offer "n.v.t."; the database refuses it for any other (models.FactAnswer).
NOT_APPLICABLE_KEYS = tuple(q.key for q in FACT_QUESTIONS if q.not_applicable)


def percentage_of(count: Decimal, employees: int) -> Decimal:
    """A number of employees as the percentage stored, to one decimal: 2 of 7 is 28.6."""
    return (Decimal(count) * 100 / employees).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def count_of(percentage: Decimal, employees: int) -> int | None:
    """The number of employees a stored percentage stands for, if it is exactly such a number.

    With at most 1000 employees a count's percentage, rounded to one decimal, leads back to the
    same count, so an answer given as "2 of 7" comes back as 2 when the step is opened again.
    """
    count = int((percentage * employees / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return count if percentage_of(Decimal(count), employees) == percentage else None


def counts_participation(employees: int | None) -> bool:
    """Whether a firm of this size may give participation as a number of employees."""
    return employees is not None and 2 <= employees <= PARTICIPATION_COUNT_MAX_EMPLOYEES


def step_questions(step: int) -> tuple[FactQuestion, ...]:
    """The fact questions of one step, in order."""
    return tuple(q for q in FACT_QUESTIONS if q.step == step)


# The six-point agreement scale; no middle option (DESIGN.md 2.3).
AGREEMENT_SCALE: tuple[tuple[int, object], ...] = (
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Slightly disagree")),
    (4, _("Slightly agree")),
    (5, _("Agree")),
    (6, _("Strongly agree")),
)
