"""The group view for the projector, its polling answer, and the discussion prompts' editor.

The group view refreshes itself by htmx polling (`stand/?v=<version>`): when nothing changed the
answer is an empty 204 after two small queries (group_version), so a room full of projectors and
laptops polling every few seconds costs next to nothing; when something changed it is the live
part of the page. Without JavaScript the "Refresh" link reloads the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Max
from django.forms import BaseModelFormSet, modelformset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from benchmarks.vocabulary import BUILDING_BLOCKS, SCALE_MAX, SCALE_MIN, indicator_label
from leerscan.advisers.access import leertafel_for_adviser
from leerscan.advisers.group import GroupRow, GroupView, group_version, group_view
from leerscan.advisers.models import Adviser, DiscussionPrompt, Leertafel
from leerscan.scans.templatetags.leerscan_format import scale_x

# How often the group view asks whether anything changed (htmx "every Ns").
POLL_SECONDS = 5

# The dot plot, in the units of its viewBox (100 wide, like templates/reports/_dot_plot.html):
# dots of equal value stack upward in up to DOT_COLUMNS columns side by side around their value.
DOT_R = 2.2
DOT_STEP = 4.8
DOT_COLUMNS = 3  # 3 x 4.8 < 18.4, the distance between two points of the 1-6 scale
DOT_ROWS_BEFORE_WIDENING = 4
_ONE_DECIMAL = Decimal("0.1")
AXIS_BELOW = 13  # under the axis: Noord-Nederland's square, the sector mix's diamond, 1-6


class PlotDot(NamedTuple):
    x: float
    y: float
    number: int | None  # the named participant's number in the legend, None when anonymous


def _n(value: float) -> str:
    """A coordinate for SVG: one decimal (a tenth of a percent of the width), a dot as decimal
    point whatever the page's language."""
    return f"{value:.1f}"


def one_decimal(value: Decimal, separator: str) -> str:
    """Like the one_decimal filter (4.65 -> "4,7" in Dutch), without a template filter per dot:
    a group of 200 has 2,200 of them."""
    return str(value.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)).replace(".", separator)


@dataclass(frozen=True)
class RowPlot:
    """A GroupRow with its dot plot laid out (server-side SVG, no script)."""

    row: GroupRow
    dots: list[PlotDot]
    height: float
    axis_y: float
    mean_x: int | None
    nn_x: int | None
    mix_x: int | None
    prompts: list[str]
    separator: str = ","

    def svg(self) -> str:
        """The dot plot as SVG markup: built here in one go, as a group of 200 has 2,200 dots.
        Only numbers and fixed class names go in; the names are in the text beside it."""
        y = self.axis_y
        parts = [
            f'<svg class="group-plot" viewBox="0 0 100 {_n(self.height)}" aria-hidden="true" '
            'focusable="false">',
            f'<line x1="4" y1="{_n(y)}" x2="96" y2="{_n(y)}" class="dot-plot-axis"/>',
        ]
        for value in range(SCALE_MIN, SCALE_MAX + 1):
            x = scale_x(value)
            parts.append(
                f'<line x1="{x}" y1="{_n(y - 1)}" x2="{x}" y2="{_n(y + 1)}" class="dot-plot-tick"/>'
                f'<text x="{x}" y="{_n(self.height - 0.6)}" class="group-tick">{value}</text>'
            )
        if self.nn_x is not None:
            parts.append(
                f'<rect x="{_n(self.nn_x - 1.6)}" y="{_n(y + 1.2)}" width="3.2" height="3.2" '
                'class="group-nn"/>'
            )
        if self.mix_x is not None:
            # Below Noord-Nederland's square, so the two stay apart when their values are close.
            x = self.mix_x
            corners = ((x, y + 4.6), (x + 2, y + 6.6), (x, y + 8.6), (x - 2, y + 6.6))
            points = " ".join(f"{_n(cx)},{_n(cy)}" for cx, cy in corners)
            parts.append(f'<polygon points="{points}" class="group-mix"/>')
        for dot in self.dots:
            if dot.number:
                parts.append(
                    f'<circle cx="{_n(dot.x)}" cy="{_n(dot.y)}" r="{DOT_R}" '
                    'class="group-dot group-dot-named"/>'
                    f'<text x="{_n(dot.x)}" y="{_n(dot.y + 1)}" class="group-dot-number">'
                    f"{int(dot.number)}</text>"
                )
            else:
                parts.append(
                    f'<circle cx="{_n(dot.x)}" cy="{_n(dot.y)}" r="{DOT_R}" class="group-dot"/>'
                )
        if self.mean_x is not None:
            parts.append(
                f'<line x1="{self.mean_x}" y1="0" x2="{self.mean_x}" y2="{_n(y)}" '
                'class="group-mean"/>'
            )
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 (numbers and fixed markup only)

    def spoken(self) -> str:
        """The dots in words for a screen reader: how many per score, then the named ones."""
        counts: dict[Decimal, int] = {}
        for dot in self.row.dots:
            counts[dot.value] = counts.get(dot.value, 0) + 1
        words = [
            ngettext("%(value)s: %(n)s participant", "%(value)s: %(n)s participants", n)
            % {"value": one_decimal(value, self.separator), "n": n}
            for value, n in sorted(counts.items())
        ]
        named = [
            f"{dot.name} {one_decimal(dot.value, self.separator)}"
            for dot in self.row.dots
            if dot.name
        ]
        text = "; ".join(words)
        if named:
            text += ". " + _("With their name: %(names)s") % {"names": ", ".join(named)}
        return text + "."


def _layout(row: GroupRow, numbers: dict[str, int], prompts: list[str]) -> RowPlot:
    stacks: dict = {}
    for dot in row.dots:
        stacks.setdefault(dot.value, []).append(dot)
    tallest = max((len(s) for s in stacks.values()), default=0)
    columns = 1 if tallest <= DOT_ROWS_BEFORE_WIDENING else DOT_COLUMNS
    rows_needed = math.ceil(tallest / columns) if tallest else 0
    axis_y = DOT_R + 1 + max(rows_needed - 1, 0) * DOT_STEP + DOT_R + 1.5
    placed = []
    offsets = [0, -1, 1][:columns]
    for value, dots in stacks.items():
        x = scale_x(value)
        # Named dots first, at the bottom of the stack, where they are easiest to read.
        ordered = sorted(dots, key=lambda d: d.name is None)
        for index, dot in enumerate(ordered):
            column, level = index % columns, index // columns
            placed.append(
                PlotDot(
                    x + offsets[column] * DOT_STEP,
                    axis_y - 1.5 - DOT_R - level * DOT_STEP,
                    numbers.get(dot.name) if dot.name else None,
                )
            )
    return RowPlot(
        row=row,
        dots=placed,
        height=round(axis_y + AXIS_BELOW, 2),
        axis_y=round(axis_y, 2),
        mean_x=scale_x(row.mean) if row.mean is not None else None,
        nn_x=scale_x(row.noord_nederland) if row.noord_nederland is not None else None,
        mix_x=scale_x(row.sector_mix) if row.sector_mix is not None else None,
        prompts=prompts,
        separator=get_format("DECIMAL_SEPARATOR"),
    )


def _context(leertafel: Leertafel, view: GroupView) -> dict:
    prompts: dict[str, list[str]] = {block: [] for block in BUILDING_BLOCKS}
    for block, text in DiscussionPrompt.objects.filter(leertafel=leertafel).values_list(
        "block", "text"
    ):
        prompts.setdefault(block, []).append(text)
    # Each participant who allowed their name gets one number for the whole page.
    numbers: dict[str, int] = {}
    for row in [*view.blocks, *view.statements]:
        for dot in row.dots:
            if dot.name and dot.name not in numbers:
                numbers[dot.name] = len(numbers) + 1
    if view.enough:
        blocks = [_layout(row, numbers, prompts.get(row.key, [])) for row in view.blocks]
    else:
        blocks = []
    return {
        "leertafel": leertafel,
        "view": view,
        "blocks": blocks,
        "statements": [_layout(row, numbers, []) for row in view.statements],
        "block_prompts": [(indicator_label(b), prompts[b]) for b in BUILDING_BLOCKS],
        "legend": [(number, name) for name, number in numbers.items()],
        "front_runner": leertafel.approach == Leertafel.Approach.FRONT_RUNNER,
        "poll_seconds": POLL_SECONDS,
        "profile_parts": [
            (_("Size"), view.profile.sizes),
            (_("Sector"), view.profile.sectors),
            (_("Province"), view.profile.provinces),
        ]
        if view.profile
        else [],
    }


def _live(request: HttpRequest, leertafel: Leertafel) -> HttpResponse:
    context = _context(leertafel, group_view(leertafel=leertafel))
    return render(request, "advisers/_group_live.html", context)


@require_GET
@leertafel_for_adviser
def group(request: HttpRequest, adviser: Adviser, leertafel: Leertafel) -> HttpResponse:
    """The group view: joined and finished, and from GROUP_MIN_FINISHED on the group's figures."""
    if request.htmx:
        return _live(request, leertafel)
    context = _context(leertafel, group_view(leertafel=leertafel))
    return render(request, "advisers/group.html", context)


@require_GET
@leertafel_for_adviser
def group_poll(request: HttpRequest, adviser: Adviser, leertafel: Leertafel) -> HttpResponse:
    """The polling answer: 204 (nothing to swap) while the version is the one the page shows,
    else the live part of the group view. Without htmx, the group view itself."""
    if not request.htmx:
        return redirect("advisers:group", leertafel.pk)
    if request.GET.get("v") == group_version(leertafel=leertafel):
        return HttpResponse(status=204)
    return _live(request, leertafel)


class PromptForm(forms.ModelForm):
    class Meta:
        model = DiscussionPrompt
        fields = ["block", "text"]
        widgets = {"block": forms.HiddenInput, "text": forms.Textarea(attrs={"rows": 2})}
        labels = {"text": gettext_lazy("Question")}
        error_messages = {
            "text": {
                "required": gettext_lazy("Type a question, or tick the box to delete it."),
                "max_length": gettext_lazy("A question can be at most 400 characters long."),
            }
        }

    def clean_text(self) -> str:
        return " ".join(self.cleaned_data["text"].split())


class BasePromptFormSet(BaseModelFormSet):
    def clean(self) -> None:
        super().clean()
        # An id outside this leertafel's questions (another table's, or one deleted meanwhile)
        # finds no instance; Django would skip it silently, but the adviser must know.
        for form in self.initial_forms:
            if form.instance.pk is None and not self._should_delete_form(form):
                raise forms.ValidationError(
                    _("A question on this page no longer exists. Reload the page and try again.")
                )


PromptFormSet = modelformset_factory(
    DiscussionPrompt,
    form=PromptForm,
    formset=BasePromptFormSet,
    extra=len(BUILDING_BLOCKS),
    can_delete=True,
)


def _formset(leertafel: Leertafel, data=None):
    return PromptFormSet(
        data,
        queryset=DiscussionPrompt.objects.filter(leertafel=leertafel),
        # One empty question per building block, for adding; left empty, it adds nothing.
        initial=[{"block": block} for block in BUILDING_BLOCKS],
        prefix="vragen",
    )


def _sections(formset) -> list[tuple[str, list, object]]:
    """The forms per building block, in the monitor's order: (label, existing, the empty one)."""
    existing: dict[str, list] = {block: [] for block in BUILDING_BLOCKS}
    empty: dict[str, object] = {}
    for form in formset.forms:
        block = form.initial.get("block") or form.data.get(form.add_prefix("block"))
        if form.instance.pk:
            existing.setdefault(block, []).append(form)
        else:
            empty.setdefault(block, form)
    return [(indicator_label(b), existing[b], empty.get(b)) for b in BUILDING_BLOCKS]


@transaction.atomic
def _save(leertafel: Leertafel, formset) -> None:
    positions = dict(
        DiscussionPrompt.objects.filter(leertafel=leertafel)
        .values("block")
        .annotate(last=Max("position"))
        .values_list("block", "last")
    )
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance.delete()
    for prompt in formset.save(commit=False):
        if prompt.pk is None:
            prompt.leertafel = leertafel
            prompt.position = positions.get(prompt.block, -1) + 1
            positions[prompt.block] = prompt.position
        prompt.full_clean()
        prompt.save()


@require_http_methods(["GET", "POST"])
@leertafel_for_adviser
def prompts(request: HttpRequest, adviser: Adviser, leertafel: Leertafel) -> HttpResponse:
    """Edit, add and delete the leertafel's discussion prompts per building block."""
    formset = _formset(leertafel, request.POST if request.method == "POST" else None)
    if request.method == "POST" and formset.is_valid():
        _save(leertafel, formset)
        messages.success(request, _("The questions have been saved."))
        return redirect("advisers:prompts", leertafel.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "advisers/prompts.html",
        {"leertafel": leertafel, "formset": formset, "sections": _sections(formset)},
        status=status,
    )
