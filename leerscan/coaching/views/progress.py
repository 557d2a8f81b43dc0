"""The follow-up and the progress of a client: start the next round (a POST), the progress page
and the progress report (PDF). Coaches only, for clients of their own organisation
(leerscan/coaching/access.py)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from weasyprint.urls import FatalURLFetchingError

from leerscan.advisers.access import download_limited
from leerscan.advisers.models import Adviser
from leerscan.coaching.access import client_for_coach
from leerscan.coaching.models import Client
from leerscan.coaching.progress import followup_start, round_label
from leerscan.coaching.progress_report import progress_report_context, progress_report_pdf

logger = logging.getLogger(__name__)


def client_page_url(client: Client) -> str:
    """The coach's page of the client, or the progress page while that page does not exist."""
    try:
        return reverse("coaching:client", args=[client.pk])
    except NoReverseMatch:
        return reverse("coaching:progress", args=[client.pk])


@require_POST
@client_for_coach
def followup_start_view(request: HttpRequest, adviser: Adviser, client: Client) -> HttpResponse:
    """Start the client's next round; its invite link is shown on the client's page."""
    try:
        measurement = followup_start(client=client)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Follow-up %(round)s has started. Send the client the invite link; the scan "
                "starts with the answers that rarely change filled in."
            )
            % {"round": round_label(measurement.round)},
        )
    return redirect(client_page_url(client))


@require_GET
@client_for_coach
def progress_page(request: HttpRequest, adviser: Adviser, client: Client) -> HttpResponse:
    """The client's progress since the intake: chart, tables, action plan, 2021 references."""
    context = progress_report_context(client=client)
    context["client_url"] = client_page_url(client)
    return render(request, "coaching/progress.html", context)


@require_GET
@client_for_coach
@download_limited
def progress_report_download(
    request: HttpRequest, adviser: Adviser, client: Client
) -> HttpResponse:
    """The progress report as a PDF."""
    try:
        pdf = progress_report_pdf(client=client)
    except (Exception, FatalURLFetchingError):
        # FatalURLFetchingError is a BaseException. The client's data are untouched.
        logger.exception("Rendering the progress report of client %s failed", client.pk)
        return render(request, "coaching/progress_failed.html", {"client": client}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(client.name)[:50].strip("-") or "klant"
    response["Content-Disposition"] = f'attachment; filename="voortgang-{name}.pdf"'
    return response
