"""Download of the PDF advice report."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from leerscan.reports.services import report_pdf
from leerscan.scans.selectors import scan_get

logger = logging.getLogger(__name__)


@require_GET
def report_download(request: HttpRequest, token: str) -> HttpResponse:
    scan = scan_get(token=token)
    if not scan.is_finished:
        return redirect("scans:review", token)
    try:
        pdf = report_pdf(scan=scan)
    except Exception:
        # The answers are untouched; the person can try again or keep using the results page.
        logger.exception("Rendering the report of scan %s failed", scan.pk)
        return render(request, "reports/failed.html", {"scan": scan}, status=503)
    filename = f"leerscan-adviesrapport-{timezone.localdate():%Y-%m-%d}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
