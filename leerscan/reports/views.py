"""The results page and the download of the PDF advice report of a finished scan."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from benchmarks.vocabulary import DIFFERENCE_THRESHOLDS, SCALE_MAX, SCALE_MIN, SMALL_GROUP_N
from leerscan.reports.results import scan_results_for
from leerscan.reports.selectors import scan_advice
from leerscan.reports.services import report_pdf, results_charts
from leerscan.scans.access import scan_from_token
from leerscan.scans.models import Scan
from leerscan.scans.views import resume_url

logger = logging.getLogger(__name__)


@require_GET
@scan_from_token(finished=True)
def results_page(request: HttpRequest, scan: Scan) -> HttpResponse:
    results = scan_results_for(scan=scan)
    return render(
        request,
        "reports/results.html",
        {
            "scan": scan,
            "results": results,
            "advice": scan_advice(results=results),
            "charts": results_charts(scan=scan, results=results),
            "resume_url": resume_url(request, scan),
            "small_group_n": SMALL_GROUP_N,
            "thresholds": DIFFERENCE_THRESHOLDS,
            "scale_ticks": range(SCALE_MIN, SCALE_MAX + 1),
        },
    )


@require_GET
@scan_from_token(finished=True)
def report_download(request: HttpRequest, scan: Scan) -> HttpResponse:
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
