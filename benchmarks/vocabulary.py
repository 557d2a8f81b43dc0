"""The monitor's vocabulary: units and scale bounds, the thresholds that turn a difference into
words, the tables with their indicators and units, and the groups.

A new edition of the monitor with the same tables is a new data file, not new code. A table or
indicator the monitor did not publish before needs a line here, so that a typo in a data file is
caught instead of silently creating a new indicator.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

# Units in which the monitor reports a number, with the range a value in that unit can take.
SCALE_1_6 = "scale_1_6"
SCALE_1_10 = "scale_1_10"
PERCENT = "percent"
HOURS = "hours"
# The bounds of the monitor's agreement scale (1 = fully disagree, 6 = fully agree).
SCALE_MIN, SCALE_MAX = 1, 6
UNIT_RANGES: dict[str, tuple[Decimal, Decimal]] = {
    SCALE_1_6: (Decimal(SCALE_MIN), Decimal(SCALE_MAX)),
    SCALE_1_10: (Decimal(1), Decimal(10)),
    PERCENT: (Decimal(0), Decimal(100)),
    HOURS: (Decimal(0), Decimal(2000)),
}

# Thresholds for classifying a difference (own value minus group value), per unit, as
# (somewhat, clearly): |d| < somewhat is "comparable", somewhat <= |d| < clearly is "somewhat
# higher/lower", |d| >= clearly is "clearly higher/lower". They apply to the difference as shown
# (rounded to one decimal), so the words never contradict the number next to them.
#
# - 1-6 scales: 0.2 and 0.5 (DESIGN.md section 3). The monitor publishes no standard deviations;
#   its regression table B.4 implies a spread of about one scale point, so 0.5 is half an SD.
# - 1-10 scales: the same steps in standard deviations, stretched to the longer scale
#   (9 instead of 5 scale points: 0.2 * 9/5 = 0.36 and 0.5 * 9/5 = 0.9), rounded to 0.4 and 1.0.
# - Percentages (of employees, of costs, of training): percentage points. A share that varies
#   between firms from 0 to 100 has a spread of roughly 40-50 points, so 10 and 25 points are
#   again about 0.2 and 0.5 of a standard deviation.
# - Hours: relative to the group value (the spread of hours grows with the mean), 20% and 50%.
DIFFERENCE_THRESHOLDS: dict[str, tuple[Decimal, Decimal]] = {
    SCALE_1_6: (Decimal("0.2"), Decimal("0.5")),
    SCALE_1_10: (Decimal("0.4"), Decimal("1.0")),
    PERCENT: (Decimal("10"), Decimal("25")),
    HOURS: (Decimal("0.20"), Decimal("0.50")),
}
RELATIVE_THRESHOLD_UNITS = frozenset({HOURS})
# Indicators compared relative to the group value whatever their unit, with their own
# (somewhat, clearly) thresholds as fractions of the group value:
# - The share of turnover spent on learning is a percentage, but a small one (the groups lie
#   between 3% and 6%), so percentage points would call 1.5% against 2.9% "comparable" while it
#   is half. Like hours, its spread grows with its mean: 20% and 50% of the group value.
RELATIVE_THRESHOLD_INDICATORS: dict[str, tuple[Decimal, Decimal]] = {
    "pct_omzet_leren": (Decimal("0.20"), Decimal("0.50")),
}

# A benchmark group with fewer respondents than this carries a "small group" note.
SMALL_GROUP_N = 50

# The survey covered organisations with at least this many employees.
MIN_SURVEYED_EMPLOYEES = 5
MAX_EMPLOYEES = 1_000_000


TABLE_INDICATORS: dict[str, dict[str, str]] = {
    "4.1": {"groei": PERCENT, "gelijk": PERCENT, "krimp": PERCENT},
    "4.2": {
        "recruiters": PERCENT,
        "detachering": PERCENT,
        "zzp": PERCENT,
        "uitzendkrachten": PERCENT,
        "anders": PERCENT,
    },
    "4.3": {
        "pct_deelname_ongewogen": PERCENT,
        "pct_deelname_gewogen": PERCENT,
        "uren_per_werknemer": HOURS,
        "uren_per_deelnemer": HOURS,
    },
    "4.4": {
        "pct_onder_werktijd": PERCENT,
        "pct_kosten_werkgever": PERCENT,
        "pct_terugbetalingsregeling": PERCENT,
        "pct_omzet_leren": PERCENT,
    },
    "4.5": {
        "taken": SCALE_1_6,
        "ruimte_veiligheid": SCALE_1_6,
        "samenwerken": SCALE_1_6,
        "leiderschap": SCALE_1_6,
        "organisatie_inrichting": SCALE_1_6,
        "externe_omgeving": SCALE_1_6,
    },
    "4.6": {
        "leren_essentieel": SCALE_1_6,
        "feedback_reflectie": SCALE_1_6,
        "leren_in_doelen": SCALE_1_6,
        "opleidingsplekken": SCALE_1_6,
        "meten_resultaten": SCALE_1_6,
    },
    "4.7": {
        "promotieregeling": PERCENT,
        "functioneringsregeling": PERCENT,
        "scholingsregeling": PERCENT,
    },
    # Tabel 3.3 (lines 1225-1290): the learning behaviour of employees and the self-employed,
    # 1-6, asked of inhabitants, not employers; the team scan (leerscan/teams) asks it again.
    "3.3": {
        "eigen_ideeen": SCALE_1_6,
        "kijken_bij_anderen": SCALE_1_6,
        "vragen_hoe_goed": SCALE_1_6,
        "methoden_collegas": SCALE_1_6,
        "nadenken_vooraf": SCALE_1_6,
        "nadenken_achteraf": SCALE_1_6,
        "leren_carriere": SCALE_1_6,
        "leren_problemen": SCALE_1_6,
    },
    # Tabel 3.2 (line 846): the participation of inhabitants in long education (a course leading
    # to a recognised diploma) and short education (courses and trainings), in percent of all.
    "3.2": {
        "onderwijs_niet": PERCENT,
        "onderwijs_wel": PERCENT,
        "onderwijs_lang": PERCENT,
        "onderwijs_kort": PERCENT,
    },
    # The second table the monitor captions "Tabel 3.2" (line 1094): the reasons for taking part
    # in short education, per employment position, in percent. It prints no N and no total row.
    "3.2b": {
        "kort_nieuwe_dingen": PERCENT,
        "kort_verplicht": PERCENT,
        "kort_interesse": PERCENT,
        "kort_dagelijks_leven": PERCENT,
        "kort_diploma": PERCENT,
        "kort_veranderingen_werk": PERCENT,
        "kort_carriere": PERCENT,
        "kort_andere_rol": PERCENT,
        "kort_mensen_ontmoeten": PERCENT,
        "kort_werk_vinden": PERCENT,
        "kort_waardering": PERCENT,
        "kort_gezondheid": PERCENT,
        "kort_eigen_bedrijf": PERCENT,
        "kort_vrijwilligerswerk": PERCENT,
        "kort_omzet": PERCENT,
        "kort_klanten": PERCENT,
    },
    # Tabel 3.4 (line 1139): the wish for a next course, and its reason, in percent.
    "3.4": {
        "volgende_cursus": PERCENT,
        "volgende_huidig_werk": PERCENT,
        "volgende_kansen_werk": PERCENT,
        "volgende_ontwikkelen": PERCENT,
        "volgende_tijd": PERCENT,
    },
    # Numbers the monitor gives in a sentence rather than a table.
    "text": {
        "belang_leren": SCALE_1_10,
        "wervingsproblemen": SCALE_1_10,
        "uren_per_deelnemer": HOURS,
        # Section 3.3 (lines 990-996), employees in long education: who took the initiative and
        # who paid (the employment group, not Noord-Nederland as a whole).
        "lang_initiatief_zelf": PERCENT,
        "lang_initiatief_samen": PERCENT,
        "lang_kosten_werkgever": PERCENT,
    },
    # National references the monitor cites.
    "nation": {
        "cbs_2020_pct_cursus": PERCENT,
        "cbs_2020_uren_cursus": HOURS,
        "ser_tno_2021_pct_deelname": PERCENT,
    },
}

# The previous edition's figures, where an edition prints them as a number (the 2023 monitor: its
# December 2021 measurement): one row per indicator of the edition's own tables, Noord-Nederland
# only, in the indicator's unit. Which edition they come from, and what else to say about them,
# is part of the set's data ("previous" in sets.json; docs/benchmarks.md).
PREVIOUS = "previous"
TABLE_INDICATORS[PREVIOUS] = {
    indicator: unit
    for table, indicators in TABLE_INDICATORS.items()
    if table != "nation"
    for indicator, unit in indicators.items()
}

BUILDING_BLOCKS = tuple(TABLE_INDICATORS["4.5"])
DLOQ_STATEMENTS = tuple(TABLE_INDICATORS["4.6"])
ARRANGEMENTS = tuple(TABLE_INDICATORS["4.7"])
LEARNING_BEHAVIOURS = tuple(TABLE_INDICATORS["3.3"])
# The tables of the survey among employers (chapter 4); chapter 3 asked inhabitants.
EMPLOYER_TABLES = tuple(table for table in TABLE_INDICATORS if table.startswith("4."))
EDUCATION_PARTICIPATION = tuple(TABLE_INDICATORS["3.2"])
SHORT_EDUCATION_REASONS = tuple(TABLE_INDICATORS["3.2b"])
NEXT_COURSE = tuple(TABLE_INDICATORS["3.4"])
# The employees' figures of section 3.3 that the monitor gives in a sentence.
LONG_EDUCATION_INITIATIVE = (
    "lang_initiatief_zelf",
    "lang_initiatief_samen",
    "lang_kosten_werkgever",
)

# Box 5.2 (line 2401): the nine wishes employers at the leertafels voiced for knowledge
# institutions, in the box's order. The coaching intake asks them as a checklist and the cohort
# view adds them up (bundled demand). The text extracted from the PDF runs the fourth and fifth
# bullet together on one line ("... spiegelen en coachen Ondersteunen bij opleidingsvragen").
KNOWLEDGE_INSTITUTION_WISHES: dict[str, object] = {
    "modulair": _("Flexible, up-to-date, modular courses with certifiable parts"),
    "evc": _("Recognition of prior learning (EVC) and skills validation"),
    "bundelen": _("Bundling training questions with other firms, exchanging staff"),
    "leiderschap": _("Leadership development, mirroring and coaching"),
    "opleidingsvragen": _("Support with training questions"),
    "korter": _("Shorter courses"),
    "online": _("More online courses"),
    "praktisch_hbo": _("More practical hbo programmes"),
    "hybride_bbl": _("Hybrid learning and working, more BBL (learning on the job)"),
}

TOTAL, PROVINCE, SECTOR, SIZE, NATION = "total", "province", "sector", "size", "nation"
# Tabel 3.3 asked inhabitants, not employers: its rows are the employment position.
EMPLOYMENT = "employment"
LOONDIENST = "loondienst"
NOORD_NEDERLAND = "noord-nederland"

GROUPS: dict[str, dict[str, object]] = {
    TOTAL: {NOORD_NEDERLAND: _("Noord-Nederland")},
    PROVINCE: {"drenthe": "Drenthe", "fryslan": "Fryslân", "groningen": "Groningen"},
    SECTOR: {
        "lin": _("Agriculture, Industry & Manufacturing"),
        "hvh": _("Trade, Transport & Hospitality"),
        "zd": _("Business Services"),
        "ncd": _("Non-commercial Services"),
    },
    SIZE: {
        "5-24": _("5-24 employees"),
        "25-99": _("25-99 employees"),
        "100-199": _("100-199 employees"),
        "200+": _("200 or more employees"),
    },
    NATION: {"nederland": _("the Netherlands")},
    EMPLOYMENT: {LOONDIENST: _("Employed"), "zelfstandige": _("Self-employed")},
}

# The three northern provinces the monitor reports on, and the answer for any other province.
PROVINCES = tuple(GROUPS[PROVINCE])
ELSEWHERE = "elders"

INDICATOR_LABELS: dict[str, object] = {
    "groei": _("expects growth in staff"),
    "gelijk": _("expects staff to stay the same"),
    "krimp": _("expects a decline in staff"),
    "recruiters": _("uses recruiters"),
    "detachering": _("uses secondment"),
    "zzp": _("uses freelancers"),
    "uitzendkrachten": _("uses temporary agency workers"),
    "anders": _("uses other ways to find staff"),
    "pct_deelname_ongewogen": _("employees taking part in training (unweighted)"),
    "pct_deelname_gewogen": _("employees taking part in training"),
    "uren_per_werknemer": _("hours of training per employee"),
    "uren_per_deelnemer": _("hours of training per participant"),
    "pct_onder_werktijd": _("training during working hours"),
    "pct_kosten_werkgever": _("training costs paid by the employer"),
    "pct_terugbetalingsregeling": _("training under a repayment clause"),
    "pct_omzet_leren": _("turnover spent on learning and training"),
    "taken": _("Content of the work"),
    "ruimte_veiligheid": _("Room and safety to develop"),
    "samenwerken": _("Cooperation and team development"),
    "leiderschap": _("Leadership aimed at development"),
    "organisatie_inrichting": _("Organisation designed for development"),
    "externe_omgeving": _("Connection with the outside world"),
    "leren_essentieel": _("Learning is seen as essential for improving the organisation"),
    "feedback_reflectie": _("Feedback and self-reflection are part of all routines"),
    "leren_in_doelen": _("Learning is part of the goals of the organisation"),
    "opleidingsplekken": _("It is important to offer training places"),
    "meten_resultaten": _("We measure the results of time and money spent on training"),
    "promotieregeling": _("promotion arrangement"),
    "functioneringsregeling": _("performance review arrangement"),
    "scholingsregeling": _("training arrangement"),
    "eigen_ideeen": _("I use my own ideas to improve tasks at work"),
    "kijken_bij_anderen": _("I look at how others in the company work to improve my work"),
    "vragen_hoe_goed": _("I ask colleagues when I am not sure how well I did"),
    "methoden_collegas": _("I ask colleagues which methods and tricks they use"),
    "nadenken_vooraf": _("Before a new task I think about how best to do it"),
    "nadenken_achteraf": _("After a new task I think about what I can do better next time"),
    "leren_carriere": _("I want to learn something new so I can make a career in the company"),
    "leren_problemen": _("I want to learn something new to solve problems at work faster"),
    "onderwijs_niet": _("did not take part in education"),
    "onderwijs_wel": _("took part in education"),
    "onderwijs_lang": _("took part in long education (leading to a recognised diploma)"),
    "onderwijs_kort": _("took part in short education (courses and trainings)"),
    "kort_nieuwe_dingen": _("To learn new things"),
    "kort_verplicht": _("Because it was mandatory"),
    "kort_interesse": _("Out of interest / as a hobby"),
    "kort_dagelijks_leven": _("For knowledge or skills for daily life"),
    "kort_diploma": _("To obtain a diploma"),
    "kort_veranderingen_werk": _("Because of changes at work"),
    "kort_carriere": _("For better career opportunities"),
    "kort_andere_rol": _("I am going to take on another role or task at work"),
    "kort_mensen_ontmoeten": _("To meet new people"),
    "kort_werk_vinden": _("To be able to find (other) work"),
    "kort_waardering": _("To get more appreciation from my manager"),
    "kort_gezondheid": _("For your health"),
    "kort_eigen_bedrijf": _("To start your own business"),
    "kort_vrijwilligerswerk": _("To get better at your volunteer work"),
    "kort_omzet": _("To be able to make more turnover"),
    "kort_klanten": _("To get more or other customers"),
    "volgende_cursus": _("yes, wants a next course"),
    "volgende_huidig_werk": _("to do their current work better"),
    "volgende_kansen_werk": _("for chances of work"),
    "volgende_ontwikkelen": _("to develop themselves"),
    "volgende_tijd": _("to pass the time"),
    "lang_initiatief_zelf": _("took the initiative themselves"),
    "lang_initiatief_samen": _("came to the decision together with the employer"),
    "lang_kosten_werkgever": _("the employer pays the costs"),
    "belang_leren": _("importance of learning"),
    "wervingsproblemen": _("problems recruiting staff"),
    "cbs_2020_pct_cursus": _("employees who took a course (CBS 2020)"),
    "cbs_2020_uren_cursus": _("hours spent on the course (CBS 2020)"),
    "ser_tno_2021_pct_deelname": _("participation in training and courses (SER/TNO 2021)"),
}


def group_label(kind: str, group: str) -> str:
    """The display name of a group, e.g. ("sector", "zd") -> "Zakelijke Dienstverlening"."""
    return str(GROUPS[kind][group])


def indicator_label(indicator: str) -> str:
    """The display name of an indicator (falls back to its slug)."""
    return str(INDICATOR_LABELS.get(indicator, indicator))
