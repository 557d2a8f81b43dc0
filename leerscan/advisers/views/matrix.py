"""The wow-how-now-no matrix: the participants' page to add ideas from a phone, and the adviser's
projector view that updates itself (htmx polling) and where ideas are added, moved, merged and
deleted. Every form works without JavaScript (a post, then a redirect); with htmx the adviser's
forms swap the matrix in place. The services are in leerscan/advisers/ideas.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from benchmarks.vocabulary import BUILDING_BLOCKS
from leerscan.advisers.access import leertafel_for_adviser
from leerscan.advisers.ideas import (
    IDEA_TEXT_MAX,
    block_choices,
    idea_add,
    idea_delete,
    idea_matrix,
    idea_matrix_version,
    idea_merge,
    idea_move,
    leertafel_idea,
    participant_may_add_ideas,
    quadrant_choices,
)
from leerscan.advisers.models import Adviser, Idea, Leertafel
from leerscan.advisers.views.participant import participant_of
from leerscan.scans.access import scan_from_token
from leerscan.scans.models import Scan

BLOCK_ERRORS = {
    "required": _("Choose a building block."),
    "invalid_choice": _("Choose one of the six building blocks."),
}
QUADRANT_ERRORS = {
    "required": _("Choose a place in the matrix."),
    "invalid_choice": _("Choose wow, how, now or no."),
}


class IdeaForm(forms.Form):
    """An idea: its building block, a short text and its place in the matrix."""

    block = forms.ChoiceField(
        label=_("Building block"),
        choices=block_choices,
        widget=forms.RadioSelect,
        error_messages=BLOCK_ERRORS,
    )
    text = forms.CharField(
        label=_("Your idea"),
        max_length=IDEA_TEXT_MAX,
        help_text=_("A few words, at most 200 characters."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write down your idea in a few words."),
            "max_length": _(
                "Make your idea shorter: at most %(limit_value)d characters (now %(show_value)d)."
            ),
        },
    )
    quadrant = forms.ChoiceField(
        label=_("Place in the matrix"),
        choices=quadrant_choices,
        widget=forms.RadioSelect,
        error_messages=QUADRANT_ERRORS,
    )

    def __init__(self, *args, compact: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if compact:
            # The adviser's page: selects take less room than six radio buttons.
            self.fields["block"].widget = forms.Select(choices=self.fields["block"].choices)
            self.fields["quadrant"].widget = forms.Select(
                choices=[("", "—"), *self.fields["quadrant"].choices]
            )
            self.fields["block"].label = _("Building block")
            self.fields["text"].label = _("Idea")


class MoveForm(forms.Form):
    block = forms.ChoiceField(choices=block_choices, error_messages=BLOCK_ERRORS)
    quadrant = forms.ChoiceField(choices=quadrant_choices, error_messages=QUADRANT_ERRORS)


class MergeForm(forms.Form):
    idea = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": _("Choose the idea to merge."),
            "invalid": _("Choose the idea to merge from the list."),
            "min_value": _("Choose the idea to merge from the list."),
        },
    )
    into = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": _("Choose the idea to merge with."),
            "invalid": _("Choose the idea to merge with from the list."),
            "min_value": _("Choose the idea to merge with from the list."),
        },
    )
    text = forms.CharField(
        required=False,
        max_length=IDEA_TEXT_MAX,
        error_messages={
            "max_length": _(
                "Make the text shorter: at most %(limit_value)d characters (now %(show_value)d)."
            ),
        },
    )


def _first_error(form: forms.Form) -> str:
    return next(iter(form.errors.values()))[0]


def _block_filter(raw: str | None) -> tuple[str | None, str | None]:
    """The building block the page is filtered on (None: all), and an error for nonsense."""
    if not raw:
        return None, None
    if raw in BUILDING_BLOCKS:
        return raw, None
    return None, str(_("There is no such building block; all building blocks are shown."))


# The adviser's projector view


@dataclass(frozen=True)
class MatrixView:
    """What the adviser looks at: one building block or all, and whether they are arranging the
    ideas (forms per idea, no polling: a swap would close the form being filled in) or showing
    the matrix as it grows (no forms, polling)."""

    block: str | None = None
    arranging: bool = False

    @classmethod
    def from_data(cls, data) -> tuple[MatrixView, str | None]:
        block, error = _block_filter(data.get("blok"))
        return cls(block=block, arranging=data.get("ordenen") == "1"), error

    def url(self, leertafel: Leertafel) -> str:
        query = {"blok": self.block, "ordenen": "1" if self.arranging else None}
        query = {key: value for key, value in query.items() if value}
        url = reverse("advisers:matrix", args=[leertafel.pk])
        return f"{url}?{urlencode(query)}" if query else url


def _render_matrix(
    request: HttpRequest,
    leertafel: Leertafel,
    *,
    view: MatrixView,
    form: IdeaForm | None = None,
    error: str | None = None,
    status: int = 200,
    add_open: bool = False,
) -> HttpResponse:
    """The whole page; for htmx only the matrix (polling) or the working area (the forms)."""
    context = {
        "leertafel": leertafel,
        "matrix": idea_matrix(leertafel_id=leertafel.pk, block=view.block),
        # Not "block": inside {% block %} Django puts the block node under that name.
        "shown_block": view.block,
        "arranging": view.arranging,
        "editable": view.arranging,
        "view_url": view.url(leertafel),
        "toggle_url": MatrixView(block=view.block, arranging=not view.arranging).url(leertafel),
        "blocks": block_choices(),
        "quadrants": quadrant_choices(),
        "error": error,
        "form": form or IdeaForm(compact=True, initial={"block": view.block}),
        "add_open": add_open,
    }
    if request.htmx and request.method == "GET":
        return render(request, "advisers/_matrix.html", context, status=status)
    if request.htmx:
        return render(request, "advisers/_matrix_area.html", context, status=status)
    return render(request, "advisers/matrix.html", context, status=status)


def _after_change(
    request: HttpRequest, leertafel: Leertafel, *, error: str | None = None
) -> HttpResponse:
    """After an adviser's change: the matrix again (htmx), or a redirect back to the page."""
    view, _ignored = MatrixView.from_data(request.POST)
    if error is not None:
        return _render_matrix(request, leertafel, view=view, error=error, status=400)
    if request.htmx:
        return _render_matrix(request, leertafel, view=view)
    return redirect(view.url(leertafel))


@require_http_methods(["GET"])
@leertafel_for_adviser
def matrix(request: HttpRequest, adviser: Adviser, leertafel: Leertafel) -> HttpResponse:
    """The matrix per building block, large enough for a projector. Polling (htmx, every few
    seconds) sends the version it shows: nothing changed is a 204 without a body."""
    view, error = MatrixView.from_data(request.GET)
    shown = request.GET.get("versie")
    if request.htmx and shown and shown == idea_matrix_version(leertafel_id=leertafel.pk):
        return HttpResponse(status=204)
    return _render_matrix(request, leertafel, view=view, error=error, status=400 if error else 200)


@require_POST
@leertafel_for_adviser
def matrix_idea_add(request: HttpRequest, adviser: Adviser, leertafel: Leertafel) -> HttpResponse:
    """The adviser puts an idea on the matrix."""
    form = IdeaForm(request.POST, compact=True)
    if form.is_valid():
        try:
            idea_add(leertafel=leertafel, author=None, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
    view, _ignored = MatrixView.from_data(request.POST)
    if form.errors:
        return _render_matrix(request, leertafel, view=view, form=form, status=400)
    if request.htmx:
        # An empty form, still open for the next idea.
        fresh = IdeaForm(compact=True, initial={"block": form.cleaned_data["block"]})
        return _render_matrix(request, leertafel, view=view, form=fresh, add_open=True)
    return redirect(view.url(leertafel))


def _idea_or_404(leertafel: Leertafel, idea_pk: int) -> Idea:
    idea = leertafel_idea(leertafel=leertafel, pk=idea_pk)
    if idea is None:
        raise Http404
    return idea


@require_POST
@leertafel_for_adviser
def matrix_idea_move(
    request: HttpRequest, adviser: Adviser, leertafel: Leertafel, idea_pk: int
) -> HttpResponse:
    """Put an idea in another place of the matrix and/or under another building block."""
    idea = _idea_or_404(leertafel, idea_pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _after_change(request, leertafel, error=_first_error(form))
    try:
        idea_move(idea=idea, **form.cleaned_data)
    except ValidationError as exc:
        return _after_change(request, leertafel, error=exc.messages[0])
    return _after_change(request, leertafel)


@require_POST
@leertafel_for_adviser
def matrix_merge(request: HttpRequest, adviser: Adviser, leertafel: Leertafel) -> HttpResponse:
    """Merge one idea into another of the same leertafel, optionally with a new text. One form
    per building block (two lists of its ideas), so the page grows with the ideas, not with
    their square."""
    form = MergeForm(request.POST)
    if not form.is_valid():
        return _after_change(request, leertafel, error=_first_error(form))
    # Only ideas of this leertafel can be chosen: another table's idea is as unknown as none.
    idea = leertafel_idea(leertafel=leertafel, pk=form.cleaned_data["idea"])
    into = leertafel_idea(leertafel=leertafel, pk=form.cleaned_data["into"])
    if idea is None:
        return _after_change(
            request, leertafel, error=str(_("Choose the idea to merge from the list."))
        )
    if into is None:
        return _after_change(
            request, leertafel, error=str(_("Choose the idea to merge with from the list."))
        )
    try:
        idea_merge(idea=idea, into=into, text=form.cleaned_data["text"] or None)
    except ValidationError as exc:
        return _after_change(request, leertafel, error=exc.messages[0])
    return _after_change(request, leertafel)


@require_POST
@leertafel_for_adviser
def matrix_idea_delete(
    request: HttpRequest, adviser: Adviser, leertafel: Leertafel, idea_pk: int
) -> HttpResponse:
    """Take an idea off the matrix."""
    idea_delete(idea=_idea_or_404(leertafel, idea_pk))
    return _after_change(request, leertafel)


# The participants' page


@require_http_methods(["GET", "POST"])
@scan_from_token()
def participant_ideas(request: HttpRequest, scan: Scan) -> HttpResponse:
    """A participant adds ideas to the table's matrix and sees the table's ideas (anonymous;
    their own marked)."""
    participant = participant_of(scan)
    leertafel = participant.leertafel
    may_add = participant_may_add_ideas(participant=participant)
    status = 200
    if request.method == "POST":
        form = IdeaForm(request.POST)
        if not may_add:
            form.is_valid()  # keeps what was typed on the page
            form.add_error(None, _("This leertafel no longer takes new ideas."))
            status = 409
        elif form.is_valid():
            try:
                idea_add(leertafel=leertafel, author=participant, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your idea is on the matrix."))
                url = reverse("advisers:participant_ideas", args=[scan.token])
                return redirect(f"{url}?{urlencode({'blok': form.cleaned_data['block']})}")
        if status == 200:
            status = 400
    else:
        block, _ignored = _block_filter(request.GET.get("blok"))
        form = IdeaForm(initial={"block": block})
    return render(
        request,
        "advisers/ideas.html",
        {
            "scan": scan,
            "leertafel": leertafel,
            "form": form,
            "may_add": may_add,
            "matrix": idea_matrix(leertafel_id=leertafel.pk, reader=participant),
        },
        status=status,
    )
