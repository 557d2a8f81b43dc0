"""The owner's side, under the scan's private link: sharing the scan with a coach by the coach's
share code (and stopping it), and the intake checklist of a scan tied to a coach.

A share code is not a secret (it only lets someone give the coach their own scan), but guessing
codes would tell which exist and who holds them: each code tried counts against a limit per
address (settings.LEERSCAN_RATE_LIMITS "coach_share"), and only a well-formed code reaches the
database.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from leerscan import ratelimit
from leerscan.advisers.forms import code_shown
from leerscan.coaching.forms import IntakeForm, ShareCodeForm
from leerscan.coaching.selectors import measurement_of_scan
from leerscan.coaching.services import client_set_intake, scan_share, scan_share_revoke
from leerscan.scans.access import scan_from_token
from leerscan.scans.models import Scan


def _share_url(scan: Scan) -> str:
    return reverse("coaching:share", args=[scan.token])


def _code_refused(request: HttpRequest, scan: Scan) -> HttpResponse | None:
    return ratelimit.check(
        request,
        ratelimit.limit("coach_share"),
        message=_(
            "Many share codes were tried from your network in a short time. Check the code with "
            "your coach and try again later."
        ),
        back_url=_share_url(scan),
        back_label=_("Back"),
    )


@require_http_methods(["GET", "POST"])
@scan_from_token()
def share(request: HttpRequest, scan: Scan) -> HttpResponse:
    """With whom the scan is shared; otherwise the field "Share code of your coach", then the
    coach's organisation to confirm ("confirm" posts the code again)."""
    measurement = measurement_of_scan(scan=scan)
    context = {"scan": scan, "measurement": measurement}
    if measurement is not None:
        # Already tied to a coach (shared, or started from an invitation): nothing to share.
        status = 409 if request.method == "POST" else 200
        return render(request, "coaching/share.html", context, status=status)
    if request.method == "GET":
        return render(request, "coaching/share.html", context | {"form": ShareCodeForm()})
    refused = _code_refused(request, scan)
    if refused:
        return refused
    form = ShareCodeForm(request.POST)
    if not form.is_valid():
        raw = request.POST.get("code", "")
        form = ShareCodeForm({"code": code_shown(raw)})
        form.is_valid()
        status = 404 if form.has_error("code", "unknown") else 400
        return render(request, "coaching/share.html", context | {"form": form}, status=status)
    share_code = form.cleaned_data["code"]
    if request.POST.get("action") != "confirm":
        return render(
            request,
            "coaching/share.html",
            context | {"form": form, "confirm": share_code},
        )
    try:
        scan_share(scan=scan, share_code=share_code)
    except ValidationError as exc:
        form.add_error("code", exc)
        return render(request, "coaching/share.html", context | {"form": form}, status=409)
    # The page it leads to says with whom the scan is now shared.
    return redirect(_share_url(scan))


@require_http_methods(["GET", "POST"])
@scan_from_token()
def share_revoke(request: HttpRequest, scan: Scan) -> HttpResponse:
    """ "Stop sharing": what goes (the coach's client, notes and plan when only this scan made
    it), then a button that does it."""
    measurement = measurement_of_scan(scan=scan)
    if measurement is None or not measurement.shared_by_owner:
        return redirect(_share_url(scan))
    if request.method == "POST":
        scan_share_revoke(scan=scan)
        messages.success(request, _("Your scan is no longer shared with your coach."))
        return redirect(_share_url(scan))
    other_rounds = measurement.client.measurements.exclude(pk=measurement.pk).exists()
    return render(
        request,
        "coaching/share_revoke.html",
        {"scan": scan, "measurement": measurement, "other_rounds": other_rounds},
    )


@require_http_methods(["GET", "POST"])
@scan_from_token()
def intake(request: HttpRequest, scan: Scan) -> HttpResponse:
    """The intake checklist on the client's side: only for a scan tied to a coach's client."""
    measurement = measurement_of_scan(scan=scan)
    if measurement is None:
        raise Http404("not a coaching scan")
    client = measurement.client
    if request.method == "POST":
        form = IntakeForm(request.POST)
        if form.is_valid():
            client_set_intake(
                client=client,
                wishes=form.cleaned_data["wishes"],
                training_questions=form.cleaned_data["training_questions"],
            )
            messages.success(request, _("Thank you. Your coach sees your answers."))
            back = "reports:results" if scan.is_finished else "coaching:intake"
            return redirect(back, scan.token)
        status = 400
    else:
        form = IntakeForm(
            initial={
                "wishes": list(client.wishes.values_list("key", flat=True)),
                "training_questions": client.training_questions,
            }
        )
        status = 200
    return render(
        request,
        "coaching/intake.html",
        {"scan": scan, "measurement": measurement, "form": form},
        status=status,
    )
