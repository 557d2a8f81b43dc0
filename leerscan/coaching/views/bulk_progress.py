"""All progress reports as one ZIP (leerscan/coaching/bulk_progress.py): the cohort page's button
starts it (a POST with the cohort's current filters), the status page shows how far it is (htmx
polling, and a refresh link without JavaScript) and offers the ZIP when it is ready. Coaches only,
for their own organisation: another organisation's id is a 404."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leerscan.advisers.access import adviser_required, download_limited
from leerscan.advisers.models import Adviser
from leerscan.background.services import MISSING, OutputStatus
from leerscan.coaching.bulk_progress import (
    bulk_progress_clients,
    bulk_progress_file,
    bulk_progress_queue,
    bulk_progress_status,
)
from leerscan.coaching.views.cohort import CohortFilterForm
from leerscan.coaching.views.research import EXPORT_ID_LENGTH

ZIP_TYPE = "application/zip"


@require_POST
@adviser_required
@download_limited
def bulk_progress_start(request: HttpRequest, adviser: Adviser) -> HttpResponse:
    """Start a ZIP of the progress reports of the clients in the cohort's filters."""
    form = CohortFilterForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    filters = form.filters()
    organisation = adviser.organisation
    if not bulk_progress_clients(organisation=organisation, filters=filters).exists():
        messages.info(request, _("No client in this selection has a finished intake yet."))
        chosen = {name: value for name, value in form.cleaned_data.items() if value}
        query = f"?{urlencode(chosen)}" if chosen else ""
        return redirect(reverse("coaching:cohort") + query)
    export_id = bulk_progress_queue(
        organisation=organisation, filters=filters, language=get_language()
    )
    return redirect("coaching:bulk_progress_status", export_id)


def _status_of(adviser: Adviser, export_id: str) -> OutputStatus:
    if len(export_id) != EXPORT_ID_LENGTH:
        raise Http404
    status = bulk_progress_status(organisation_id=adviser.organisation_id, export_id=export_id)
    if status.state == MISSING:
        raise Http404  # unknown, expired or another organisation's
    return status


@require_GET
@adviser_required
def bulk_progress_status_page(
    request: HttpRequest, adviser: Adviser, export_id: str
) -> HttpResponse:
    """How far the ZIP is; with htmx (polling while it is made) only that part."""
    status = _status_of(adviser, export_id)
    template = (
        "coaching/bulk_progress_status_partial.html"
        if request.htmx
        else "coaching/bulk_progress_status.html"
    )
    return render(request, template, {"export": status})


@require_GET
@adviser_required
@download_limited
def bulk_progress_download(request: HttpRequest, adviser: Adviser, export_id: str) -> HttpResponse:
    """The finished ZIP."""
    status = _status_of(adviser, export_id)
    content = bulk_progress_file(organisation_id=adviser.organisation_id, export_id=export_id)
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type=ZIP_TYPE)
    filename = f"voortgangsrapporten-{status.created}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
