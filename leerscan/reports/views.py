"""The results page and the download of the PDF advice report of a finished scan.

Showing the results page queues the report's rendering in the background (leerscan/reports/
tasks.py says why there); the page shows how far it is, and asks again through report_status
(its partial alone) while it is not done. A download is instant once the report is stored, and
renders it at once before that.
"""

from __future__ import annotations

import logging

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from weasyprint.urls import FatalURLFetchingError

from benchmarks.vocabulary import DIFFERENCE_THRESHOLDS, SCALE_MAX, SCALE_MIN, SMALL_GROUP_N
from leerscan import ratelimit
from leerscan.constants import LIVING_BENCHMARK_MIN, LIVING_BENCHMARK_STEP
from leerscan.reports.living import living_benchmark_for, living_consent_set, scan_cell
from leerscan.reports.page_charts import page_charts
from leerscan.reports.results import scan_results_for
from leerscan.reports.selectors import library_current, scan_advice
from leerscan.reports.services import report_pdf
from leerscan.reports.services import report_status as report_state
from leerscan.reports.tasks import report_queue
from leerscan.scans.access import scan_from_token
from leerscan.scans.models import Scan
from leerscan.scans.selectors import scan_newer_edition
from leerscan.scans.services import scan_compare_again
from leerscan.scans.views import resume_url

logger = logging.getLogger(__name__)


@require_GET
@scan_from_token(finished=True)
def results_page(request: HttpRequest, scan: Scan) -> HttpResponse:
    results = scan_results_for(scan=scan)
    library = library_current()
    living = living_benchmark_for(scan=scan)
    return render(
        request,
        "reports/results.html",
        {
            "scan": scan,
            "results": results,
            "advice": scan_advice(results=results, library=library),
            "charts": page_charts(results=results),
            "resume_url": resume_url(request, scan),
            "small_group_n": SMALL_GROUP_N,
            "thresholds": DIFFERENCE_THRESHOLDS,
            "scale_ticks": range(SCALE_MIN, SCALE_MAX + 1),
            "living": living,
            "newer_edition": scan_newer_edition(scan=scan),
            "living_minimum": LIVING_BENCHMARK_MIN,
            "living_step": LIVING_BENCHMARK_STEP,
            # Each score beside the monitor's value and the living benchmark's mean (or None).
            "living_rows": [(row, living.means.get(row.key)) for row in results.scored_rows]
            if living
            else [],
            # The page's own refresh link (without JavaScript): the person is waiting for it.
            "report": report_queue(scan=scan, library=library, waiting="ververs" in request.GET),
        },
    )


@require_GET
@scan_from_token(finished=True)
def report_status(request: HttpRequest, scan: Scan) -> HttpResponse:
    """How far the report is: the results page's status partial alone, for its refresh. Asked
    while the page is open, so someone is waiting: the report is served first (report_hurry)."""
    response = render(
        request,
        "reports/_report_status.html",
        {"scan": scan, "report": report_queue(scan=scan, waiting=True)},
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@scan_from_token(finished=True)
def report_download(request: HttpRequest, scan: Scan) -> HttpResponse:
    refused = _render_refused(request, scan)
    if refused:
        return refused
    try:
        pdf = report_pdf(scan=scan)
    except (Exception, FatalURLFetchingError):
        # FatalURLFetchingError derives from BaseException, so "except Exception" alone let it
        # through as a bare server error. The answers are untouched; the person can try again
        # or keep using the results page.
        logger.exception("Rendering the report of scan %s failed", scan.pk)
        return render(request, "reports/failed.html", {"scan": scan}, status=503)
    filename = f"leerscan-adviesrapport-{timezone.localdate():%Y-%m-%d}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _render_refused(request: HttpRequest, scan: Scan) -> HttpResponse | None:
    """The abuse limits on rendering a report (docs/security.md): a download that may render
    counts, per scan and per client; a download of a stored report never does."""
    if report_state(scan=scan).ready:
        return None
    return ratelimit.check(
        request,
        ratelimit.limit("report_render_scan"),
        ratelimit.limit("report_render_client"),
        subjects={"report_render_scan": f"scan:{scan.pk}"},
        message=_(
            "Your report was made again many times in a short time. To keep Leerscan quick for "
            "everyone, there is a limit. Your answers and results are safe."
        ),
        back_url=reverse("reports:results", args=[scan.token]),
        back_label=_("Back to your results"),
    )


class LivingConsentForm(forms.Form):
    """One checkbox: whether the scan counts in the living benchmark of its cell."""

    benchmark = forms.TypedChoiceField(
        label=gettext_lazy("My scan may count in the Leerscan benchmark"),
        choices=[("ja", gettext_lazy("Yes"))],
        required=False,
    )


@require_http_methods(["GET", "POST"])
@scan_from_token(finished=True)
def compare_again(request: HttpRequest, scan: Scan) -> HttpResponse:
    """The owner compares their finished scan with the newer edition of the monitor (idempotent:
    a second click, or one when there is no newer edition, changes nothing). The button is on the
    results page; a GET (a link followed) changes nothing and goes there."""
    if request.method == "GET":
        return redirect("reports:results", scan.token)
    compared = scan_compare_again(scan=scan)
    if compared.benchmark_set_id != scan.benchmark_set_id:
        messages.success(
            request,
            _("Your scan is now compared with the %(edition)s.")
            % {"edition": compared.benchmark_set.name},
        )
    return redirect("reports:results", scan.token)


@require_http_methods(["GET", "POST"])
@scan_from_token(finished=True)
def living_consent(request: HttpRequest, scan: Scan) -> HttpResponse:
    """The owner allows or withdraws their scan's place in the living benchmark (idempotent)."""
    context = {
        "scan": scan,
        "has_cell": scan_cell(scan=scan) is not None,
        "minimum": LIVING_BENCHMARK_MIN,
    }
    if request.method == "POST":
        form = LivingConsentForm(request.POST)
        if not form.is_valid():
            return render(
                request, "reports/living_consent.html", {**context, "form": form}, status=400
            )
        allowed = form.cleaned_data["benchmark"] == "ja"
        living_consent_set(scan=scan, allowed=allowed)
        if allowed:
            messages.success(request, _("Thank you. Your scan counts from the next refresh."))
        else:
            messages.success(
                request, _("Your scan leaves the Leerscan benchmark at the next refresh.")
            )
        return redirect("reports:living_consent", scan.token)
    form = LivingConsentForm(initial={"benchmark": "ja" if scan.living_consent_at else ""})
    return render(request, "reports/living_consent.html", {**context, "form": form})
