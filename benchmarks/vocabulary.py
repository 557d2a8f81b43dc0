"""What a benchmark file may contain: the tables, their indicators and units, and the groups.

A new edition of the monitor with the same tables is a new data file, not new code. A table or
indicator the monitor did not publish before needs a line here, so that a typo in a data file is
caught instead of silently creating a new indicator.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from leerscan.constants import HOURS, PERCENT, SCALE_1_6, SCALE_1_10

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
    # Numbers the monitor gives in a sentence rather than a table.
    "text": {
        "belang_leren": SCALE_1_10,
        "belang_leren_2021": SCALE_1_10,
        "wervingsproblemen": SCALE_1_10,
        "uren_per_deelnemer": HOURS,
    },
    # National references the monitor cites.
    "nation": {
        "cbs_2020_pct_cursus": PERCENT,
        "cbs_2020_uren_cursus": HOURS,
        "ser_tno_2021_pct_deelname": PERCENT,
    },
}

BUILDING_BLOCKS = tuple(TABLE_INDICATORS["4.5"])
DLOQ_STATEMENTS = tuple(TABLE_INDICATORS["4.6"])
ARRANGEMENTS = tuple(TABLE_INDICATORS["4.7"])

TOTAL, PROVINCE, SECTOR, SIZE, NATION = "total", "province", "sector", "size", "nation"
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
}

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
    "belang_leren": _("importance of learning"),
    "belang_leren_2021": _("importance of learning in 2021"),
    "wervingsproblemen": _("problems recruiting staff"),
    "cbs_2020_pct_cursus": _("employees who took a course (CBS 2020)"),
    "cbs_2020_uren_cursus": _("hours per course participant (CBS 2020)"),
    "ser_tno_2021_pct_deelname": _("participation in training and courses (SER/TNO 2021)"),
}


def group_label(kind: str, group: str) -> str:
    """The display name of a group, e.g. ("sector", "zd") -> "Zakelijke Dienstverlening"."""
    return str(GROUPS[kind][group])


def indicator_label(indicator: str) -> str:
    """The display name of an indicator (falls back to its slug)."""
    return str(INDICATOR_LABELS.get(indicator, indicator))
