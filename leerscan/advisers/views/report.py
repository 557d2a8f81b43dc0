"""The group report: its page (how far the background render is, queued on the first visit) and
its download (instant when kept, rendered at once when not). Nothing below GROUP_MIN_FINISHED
finished participants (leerscan/advisers/report.py)."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from weasyprint.urls import FatalURLFetchingError

from leerscan.advisers.access import download_limited, leertafel_for_adviser
from leerscan.advisers.exports import export_filename
from leerscan.advisers.models import Adviser, Leertafel
from leerscan.advisers.report import group_report_pdf
from leerscan.advisers.tasks import group_report_queue
from leerscan.advisers.views.exports import finished_count, too_few
from leerscan.constants import GROUP_MIN_FINISHED

logger = logging.getLogger(__name__)


@require_GET
@leertafel_for_adviser
def group_report_page(request: HttpRequest, adviser: Adviser, leertafel: Leertafel) -> HttpResponse:
    """How far the group report is; with htmx (polling while it is made) only that part."""
    finished = finished_count(leertafel)
    enough = finished >= GROUP_MIN_FINISHED
    report = group_report_queue(leertafel=leertafel) if enough else None
    context = {
        "leertafel": leertafel,
        "report": report,
        "enough": enough,
        "finished": finished,
        "minimum": GROUP_MIN_FINISHED,
    }
    template = (
        "advisers/report_status_partial.html" if request.htmx else "advisers/report_status.html"
    )
    return render(request, template, context)


@require_GET
@leertafel_for_adviser
@download_limited
def group_report_download(
    request: HttpRequest, adviser: Adviser, leertafel: Leertafel
) -> HttpResponse:
    """The group report as a PDF."""
    finished = finished_count(leertafel)
    if finished < GROUP_MIN_FINISHED:
        return too_few(request, leertafel, finished)
    try:
        pdf = group_report_pdf(leertafel=leertafel)
    except (Exception, FatalURLFetchingError):
        # FatalURLFetchingError is a BaseException. The session's data are untouched.
        logger.exception("Rendering the group report of leertafel %s failed", leertafel.pk)
        return render(
            request, "advisers/report_status_failed.html", {"leertafel": leertafel}, status=503
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = export_filename(leertafel=leertafel, extension="pdf", part="groepsrapport")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
