"""A round's results and advice report, as the coach sees them: the owner's results page, read
only (without the scan's private link or anything that changes the scan), and the same PDF."""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from weasyprint.urls import FatalURLFetchingError

from benchmarks.vocabulary import DIFFERENCE_THRESHOLDS, SCALE_MAX, SCALE_MIN, SMALL_GROUP_N
from leerscan import ratelimit
from leerscan.advisers.access import download_limited
from leerscan.advisers.models import Adviser
from leerscan.coaching.access import client_for_coach
from leerscan.coaching.models import Client, Measurement
from leerscan.reports.page_charts import page_charts
from leerscan.reports.results import scan_results_for
from leerscan.reports.selectors import library_current, scan_advice
from leerscan.reports.services import report_pdf, report_status
from leerscan.reports.tasks import report_queue
from leerscan.teams.services import team_survey_manage
from leerscan.teams.views import invitations_page

logger = logging.getLogger(__name__)


def round_of(client: Client, number: int) -> Measurement:
    """The client's round of that number, or a 404."""
    try:
        return client.measurements.select_related("scan").get(round=number)
    except Measurement.DoesNotExist:
        raise Http404 from None


def _back(client: Client) -> str:
    return reverse("coaching:client", args=[client.pk])


@require_GET
@client_for_coach
def round_results(
    request: HttpRequest, adviser: Adviser, client: Client, number: int
) -> HttpResponse:
    measurement = round_of(client, number)
    scan = measurement.scan
    if scan is None or not scan.is_finished:
        return render(
            request,
            "coaching/round_unfinished.html",
            {"client": client, "measurement": measurement},
        )
    results = scan_results_for(scan=scan)
    library = library_current()
    return render(
        request,
        "reports/results.html",
        {
            # The owner's page with its owner-only parts left out (templates/reports/results.html).
            "coach_view": True,
            "client": client,
            "measurement": measurement,
            "scan": scan,
            "results": results,
            "advice": scan_advice(results=results, library=library),
            "charts": page_charts(results=results),
            "small_group_n": SMALL_GROUP_N,
            "thresholds": DIFFERENCE_THRESHOLDS,
            "scale_ticks": range(SCALE_MIN, SCALE_MAX + 1),
            "report": report_queue(scan=scan, library=library),
            "team_manage_url": reverse("coaching:round_team", args=[client.pk, number]),
            "team_invitations_url": reverse(
                "coaching:round_team_invitations", args=[client.pk, number]
            ),
        },
    )


@require_POST
@client_for_coach
def round_team(request: HttpRequest, adviser: Adviser, client: Client, number: int) -> HttpResponse:
    """The coach closes the team scan of a finished round's scan or opens it again, as
    the employer can on their results page; back to the round's team section."""
    measurement = round_of(client, number)
    scan = measurement.scan
    if scan is None or not scan.is_finished:
        raise Http404
    if not team_survey_manage(scan=scan, action=request.POST.get("action", "")):
        return render(request, "teams/unavailable.html", {"status": 400}, status=400)
    return redirect(reverse("coaching:round", args=[client.pk, number]) + "#kop-team")


@require_http_methods(["GET", "POST"])
@client_for_coach
def round_team_invitations(
    request: HttpRequest, adviser: Adviser, client: Client, number: int
) -> HttpResponse:
    """The invitations of a finished round's team scan, as the employer has them: to hand out at
    a session, or to make for the client (leerscan/teams/views.py invitations_page)."""
    measurement = round_of(client, number)
    scan = measurement.scan
    if scan is None or not scan.is_finished:
        raise Http404
    return invitations_page(
        request,
        scan,
        page_url=reverse("coaching:round_team_invitations", args=[client.pk, number]),
        back_url=reverse("coaching:round", args=[client.pk, number]) + "#kop-team",
    )


@require_GET
@client_for_coach
@download_limited
def round_report(
    request: HttpRequest, adviser: Adviser, client: Client, number: int
) -> HttpResponse:
    """The round's advice report (PDF): the one the owner downloads, stored or made now."""
    measurement = round_of(client, number)
    scan = measurement.scan
    if scan is None or not scan.is_finished:
        return render(
            request,
            "coaching/round_unfinished.html",
            {"client": client, "measurement": measurement},
            status=404,
        )
    if not report_status(scan=scan).ready:
        # Making it counts against the same limits as the owner's download (docs/security.md).
        refused = ratelimit.check(
            request,
            ratelimit.limit("report_render_scan"),
            ratelimit.limit("report_render_client"),
            subjects={"report_render_scan": f"scan:{scan.pk}"},
            message=_(
                "This report was made again many times in a short time. To keep Leerscan quick "
                "for everyone, there is a limit."
            ),
            back_url=_back(client),
            back_label=_("Back to the client"),
        )
        if refused:
            return refused
    try:
        pdf = report_pdf(scan=scan)
    except (Exception, FatalURLFetchingError):
        logger.exception("Rendering the report of scan %s failed", scan.pk)
        return render(
            request,
            "coaching/report_failed.html",
            {"client": client, "measurement": measurement},
            status=503,
        )
    filename = f"leerscan-{client.pk}-t{measurement.round}-{timezone.localdate():%Y-%m-%d}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
