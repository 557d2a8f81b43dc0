"""The client's action plan and the coach's private notes, on the client page: normal form posts
that come back to that page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leerscan.advisers.models import Adviser
from leerscan.coaching.access import client_for_coach
from leerscan.coaching.forms import ActionItemForm, ActionStatusForm, NoteForm
from leerscan.coaching.models import ActionItem, Client, CoachNote
from leerscan.coaching.services import (
    action_create,
    action_delete,
    action_update,
    note_add,
    note_delete,
)
from leerscan.coaching.views.clients import client_page
from leerscan.reports.models import Instrument
from leerscan.reports.selectors import library_current, library_instruments

WHAT_MAX = ActionItem._meta.get_field("what").max_length


def _plan_url(client: Client) -> str:
    return reverse("coaching:client", args=[client.pk]) + "#kop-actieplan"


def _action(client: Client, action_id: int) -> ActionItem:
    """One line of this client's plan (a 404 for another client's: the URL's client is checked)."""
    try:
        return client.actions.get(pk=action_id)
    except ActionItem.DoesNotExist:
        raise Http404 from None


def _instrument(key: str) -> Instrument | None:
    if not key:
        return None
    by_key = {i.key: i for i in library_instruments(library=library_current())}
    return by_key.get(key)


def _from_advice(instrument: Instrument) -> str:
    """ "Name: first step", as the plan's "what", within its length."""
    english = get_language() == "en"
    name = instrument.name_en if english else instrument.name_nl
    step = instrument.first_step_en if english else instrument.first_step_nl
    what = f"{name}: {step}"
    return what if len(what) <= WHAT_MAX else what[: WHAT_MAX - 1].rstrip() + "…"


@require_http_methods(["GET", "POST"])
@client_for_coach
def action_new(request: HttpRequest, adviser: Adviser, client: Client) -> HttpResponse:
    """Add a line to the plan; "Zet in het actieplan" next to a recommendation opens this form
    with what to do filled in from the advice (?instrument=...)."""
    key = (request.POST if request.method == "POST" else request.GET).get("instrument", "")
    instrument = _instrument(key)
    if key and instrument is None:
        # Not an instrument of the library: say so instead of losing the link silently.
        messages.info(
            request,
            _("That recommendation is no longer in the advice. Fill in the action yourself."),
        )
    if request.method == "POST":
        form = ActionItemForm(request.POST)
        if form.is_valid():
            action_create(
                client=client,
                data=form.cleaned_data,
                instrument=instrument.key if instrument else "",
            )
            messages.success(request, _("The action has been added to the plan."))
            return redirect(_plan_url(client))
    else:
        form = ActionItemForm(initial={"what": _from_advice(instrument)} if instrument else None)
    status = 400 if form.errors else 200
    return render(
        request,
        "coaching/action_form.html",
        {"client": client, "form": form, "instrument": instrument},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@client_for_coach
def action_edit(
    request: HttpRequest, adviser: Adviser, client: Client, action_id: int
) -> HttpResponse:
    action = _action(client, action_id)
    form = ActionItemForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        action_update(action=action, data=form.cleaned_data)
        messages.success(request, _("The action has been saved."))
        return redirect(_plan_url(client))
    status = 400 if form.errors else 200
    return render(
        request,
        "coaching/action_form.html",
        {"client": client, "form": form, "action": action},
        status=status,
    )


@require_POST
@client_for_coach
def action_status(
    request: HttpRequest, adviser: Adviser, client: Client, action_id: int
) -> HttpResponse:
    """Only the status of a line (the select next to it on the client page)."""
    action = _action(client, action_id)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status from the list."))
        return client_page(request, adviser, client, status=400)
    action_update(action=action, data={"status": form.cleaned_data["status"]})
    return redirect(_plan_url(client))


@require_POST
@client_for_coach
def action_remove(
    request: HttpRequest, adviser: Adviser, client: Client, action_id: int
) -> HttpResponse:
    action_delete(action=_action(client, action_id))
    messages.success(request, _("The action has been removed from the plan."))
    return redirect(_plan_url(client))


@require_POST
@client_for_coach
def note_new(request: HttpRequest, adviser: Adviser, client: Client) -> HttpResponse:
    form = NoteForm(request.POST)
    if not form.is_valid():
        return client_page(request, adviser, client, note_form=form, status=400)
    note_add(client=client, author=adviser, text=form.cleaned_data["text"])
    return redirect(reverse("coaching:client", args=[client.pk]) + "#kop-notities")


@require_POST
@client_for_coach
def note_remove(
    request: HttpRequest, adviser: Adviser, client: Client, note_id: int
) -> HttpResponse:
    try:
        note = client.notes.get(pk=note_id)
    except CoachNote.DoesNotExist:
        raise Http404 from None
    note_delete(note=note)
    messages.success(request, _("The note has been deleted."))
    return redirect(reverse("coaching:client", args=[client.pk]) + "#kop-notities")
