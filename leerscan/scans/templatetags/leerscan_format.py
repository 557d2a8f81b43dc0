"""Number formatting for results: one decimal, Dutch or English separators, explicit signs."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

from benchmarks.vocabulary import SCALE_MAX, SCALE_MIN

register = template.Library()


@register.filter
def one_decimal(value: Decimal | None) -> str:
    """4.6 -> "4,6" in Dutch; None -> an en dash."""
    return "\u2013" if value is None else floatformat(value, 1)


@register.filter
def signed(value: Decimal | None) -> str:
    """A difference with its sign: +0,4 or \u22121,2; 0,0 has no sign."""
    if value is None:
        return "\u2013"
    text = floatformat(abs(value), 1)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"\u2212{text}"
    return text


@register.filter
def percentage(value: Decimal | None) -> str:
    """A fraction as a whole percentage: 0.2 -> "20%"."""
    return "\u2013" if value is None else f"{floatformat(value * 100, 0)}%"


@register.filter
def scale_x(value: Decimal | int | None) -> int:
    """Where a value of the 1-6 scale sits on a dot plot 100 units wide (4 to 96)."""
    if value is None:
        return 0
    clamped = min(max(Decimal(value), Decimal(SCALE_MIN)), Decimal(SCALE_MAX))
    return int(4 + (clamped - SCALE_MIN) * 92 / (SCALE_MAX - SCALE_MIN))
