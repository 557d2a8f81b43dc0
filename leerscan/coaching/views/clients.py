"""The coach's clients: the list with each client's latest round, adding and editing a client,
and the client page (rounds and invite links, intake, action plan, notes)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leerscan.advisers.access import adviser_required
from leerscan.advisers.models import Adviser
from leerscan.coaching.access import client_for_coach
from leerscan.coaching.forms import ActionItemForm, ClientForm, IntakeForm, NoteForm
from leerscan.coaching.mail import invitation_text
from leerscan.coaching.models import ActionItem, Client, Measurement
from leerscan.coaching.selectors import (
    DONE,
    client_rounds,
    clients_of,
    invite_mail_next,
    latest_finished_scan,
    measurement_status,
)
from leerscan.coaching.services import (
    client_create,
    client_set_intake,
    client_update,
    share_code_for,
)
from leerscan.reports.results import scan_results_for
from leerscan.reports.selectors import library_current, scan_advice


def invite_url(request: HttpRequest, measurement: Measurement) -> str:
    """The invitation's address, absolute, to copy into an e-mail."""
    return request.build_absolute_uri(reverse("coaching:invite", args=[measurement.invite_token]))


def _mailto(client: Client, url: str, organisation: str) -> str:
    subject, body = invitation_text(client, url, organisation)
    address = quote(client.contact_email, safe="@")
    return f"mailto:{address}?subject={quote(subject)}&body={quote(body)}"


@require_http_methods(["GET"])
@adviser_required
def clients(request: HttpRequest, adviser: Adviser) -> HttpResponse:
    """The organisation's clients, each with its latest round and how far its scan is."""
    rows = []
    for client in clients_of(adviser=adviser):
        rounds = list(client.measurements.all())
        latest = rounds[-1] if rounds else None
        rows.append(
            {
                "client": client,
                "latest": latest,
                "status": measurement_status(measurement=latest) if latest else None,
            }
        )
    return render(
        request,
        "coaching/clients.html",
        {"adviser": adviser, "rows": rows, "share_code": share_code_for(adviser=adviser)},
    )


@require_http_methods(["GET", "POST"])
@adviser_required
def client_new(request: HttpRequest, adviser: Adviser) -> HttpResponse:
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = client_create(adviser=adviser, data=form.cleaned_data)
        messages.success(request, _("The client has been added. Send the invitation below."))
        return redirect("coaching:client", client.pk)
    status = 400 if form.errors else 200
    return render(request, "coaching/client_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@client_for_coach
def client_edit(request: HttpRequest, adviser: Adviser, client: Client) -> HttpResponse:
    initial = {f: getattr(client, f) for f in ClientForm.field_order}
    form = ClientForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        client_update(client=client, data=form.cleaned_data)
        messages.success(request, _("The client's details have been saved."))
        return redirect("coaching:client", client.pk)
    status = 400 if form.errors else 200
    return render(
        request, "coaching/client_form.html", {"form": form, "client": client}, status=status
    )


def _recommendations(rounds: list[Measurement]) -> tuple[Measurement | None, list]:
    """The advice of the latest finished round (to turn into the plan), or nothing yet."""
    latest = latest_finished_scan(rounds=rounds)
    if latest is None:
        return None, []
    measurement, scan = latest
    advice = scan_advice(results=scan_results_for(scan=scan), library=library_current())
    return measurement, advice.recommendations


def client_page(
    request: HttpRequest,
    adviser: Adviser,
    client: Client,
    *,
    intake_form: IntakeForm | None = None,
    note_form: NoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The client page; the plan's and notes' views render it again with a form's errors."""
    rounds = client_rounds(client=client)
    for measurement in rounds:
        measurement.status = measurement_status(measurement=measurement)
        # The invitation only while it can start the scan or lead back into it; a scan the
        # owner shared has none.
        if not measurement.shared_by_owner and measurement.status.key != DONE:
            measurement.invite_url = invite_url(request, measurement)
            if client.contact_email:
                measurement.mailto = _mailto(
                    client, measurement.invite_url, client.organisation.name
                )
                measurement.mail_again_from = invite_mail_next(measurement=measurement)
    advised_round, recommendations = _recommendations(rounds)
    if intake_form is None:
        intake_form = IntakeForm(
            initial={
                "wishes": list(client.wishes.values_list("key", flat=True)),
                "training_questions": client.training_questions,
            }
        )
    # The same checklist as the client's, in the coach's words.
    intake_form.fields["wishes"].label = _(
        "What would help the client from a school, college or university?"
    )
    intake_form.fields["training_questions"].label = _(
        "The client's own training questions, in a few words"
    )
    return render(
        request,
        "coaching/client.html",
        {
            "adviser": adviser,
            "client": client,
            "rounds": rounds,
            "advised_round": advised_round,
            "recommendations": recommendations,
            "english": get_language() == "en",
            "intake_form": intake_form,
            "note_form": note_form or NoteForm(),
            "action_form": ActionItemForm(),
            "notes": client.notes.select_related("author__user"),
            "actions": client.actions.all(),
            "statuses": ActionItem.Status.choices,
        },
        status=status,
    )


@require_http_methods(["GET"])
@client_for_coach
def client_detail(request: HttpRequest, adviser: Adviser, client: Client) -> HttpResponse:
    return client_page(request, adviser, client)


@require_POST
@client_for_coach
def client_intake(request: HttpRequest, adviser: Adviser, client: Client) -> HttpResponse:
    """The coach fills in or corrects the intake checklist (the client can too, on their side)."""
    form = IntakeForm(request.POST)
    if not form.is_valid():
        return client_page(request, adviser, client, intake_form=form, status=400)
    client_set_intake(
        client=client,
        wishes=form.cleaned_data["wishes"],
        training_questions=form.cleaned_data["training_questions"],
    )
    messages.success(request, _("The intake has been saved."))
    return redirect(reverse("coaching:client", args=[client.pk]) + "#kop-intake")
