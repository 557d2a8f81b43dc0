"""The client's invitation, /coaching/uitnodiging/<invite_token>/: who invites them, and a button
that starts the round's scan (prefilled with what the coach knows, so the client only confirms
step 1 and gives consent).

The link is the coach's to send, and the coach keeps it: so once the client has given consent
(their answers are in the scan), the link leads into the scan only on the device that started it.
Anyone else holding the link, the coach included, is told it has been used; the client continues
with the scan's own private link.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from leerscan.coaching.models import Measurement
from leerscan.coaching.services import measurement_start_scan
from leerscan.scans.access import mark_private
from leerscan.scans.models import TOKEN_PATTERN, Scan
from leerscan.scans.resume import remember_scan, remembered_scan
from leerscan.scans.views import scan_start_refused

_TOKEN = re.compile(TOKEN_PATTERN)


def _measurement(invite_token: str) -> Measurement | None:
    # Only a well-formed token reaches the database (nonsense, a NUL byte: the same 404).
    if not _TOKEN.fullmatch(invite_token):
        return None
    return (
        Measurement.objects.select_related("client__organisation", "scan")
        .filter(invite_token=invite_token)
        .first()
    )


def _may_enter(request: HttpRequest, scan: Scan) -> bool:
    """Whether this visit may go into the round's scan: nothing of the client's is in it yet, or
    this device is the one that started it."""
    if scan.consent_at is None:
        return True
    remembered = remembered_scan(request)
    return remembered is not None and remembered.pk == scan.pk


def _enter(scan: Scan) -> HttpResponse:
    if scan.is_finished:
        target = reverse("reports:results", args=[scan.token])
    else:
        target = reverse("scans:step", args=[scan.token, 1]) + "?nieuw=1"
    response = redirect(target)
    remember_scan(response, scan)
    return response


@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, invite_token: str) -> HttpResponse:
    measurement = _measurement(invite_token)
    if measurement is None:
        return mark_private(render(request, "coaching/invite_unknown.html", status=404))
    scan = measurement.scan
    if request.method == "POST":
        if scan is None:
            refused = scan_start_refused(request)
            if refused:
                return refused
            scan = measurement_start_scan(measurement=measurement)
        if _may_enter(request, scan):
            return mark_private(_enter(scan))
    used = scan is not None and not _may_enter(request, scan)
    return mark_private(
        render(
            request,
            "coaching/invite.html",
            {"measurement": measurement, "client": measurement.client, "used": used},
            status=409 if used and request.method == "POST" else 200,
        )
    )
