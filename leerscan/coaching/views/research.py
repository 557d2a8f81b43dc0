"""The research export (leerscan/coaching/research.py): the coach's page that starts one and
shows how far it is (htmx polling, and a refresh link without JavaScript), the downloads, and the
owner's page where they allow or withdraw research use of their scan."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from leerscan.advisers.access import adviser_required, download_limited, download_refused
from leerscan.advisers.models import Adviser
from leerscan.advisers.views.exports import CSV_TYPE, XLSX_TYPE
from leerscan.coaching.research import (
    KINDS,
    research_consent_set,
    research_export_file,
    research_export_latest,
    research_export_queue,
    research_export_status,
    research_filename,
    research_scan_count,
)
from leerscan.scans.access import scan_from_token
from leerscan.scans.models import Scan

EXPORT_ID_LENGTH = 32
# The files' media types: the spreadsheets', and the statistics programs' for SPSS and Stata.
CONTENT_TYPES = {
    "xlsx": XLSX_TYPE,
    "sav": "application/x-spss-sav",
    "dta": "application/x-stata-dta",
}


@require_http_methods(["GET", "POST"])
@adviser_required
def research_page(request: HttpRequest, adviser: Adviser) -> HttpResponse:
    """What the research export holds and how many scans; a POST starts a new export."""
    organisation = adviser.organisation
    if request.method == "POST":
        refused = download_refused(request)
        if refused:
            return refused
        export_id = research_export_queue(organisation=organisation)
        return redirect("coaching:research_status", export_id)
    latest = research_export_latest(organisation=organisation)
    status = (
        research_export_status(organisation_id=organisation.pk, export_id=latest)
        if latest
        else None
    )
    return render(
        request,
        "coaching/research.html",
        {"scans": research_scan_count(organisation=organisation), "latest": status},
    )


def _status_of(adviser: Adviser, export_id: str):
    if len(export_id) != EXPORT_ID_LENGTH:
        raise Http404
    status = research_export_status(organisation_id=adviser.organisation_id, export_id=export_id)
    if status.state == "missing":
        raise Http404  # unknown, expired or another organisation's
    return status


@require_GET
@adviser_required
def research_status(request: HttpRequest, adviser: Adviser, export_id: str) -> HttpResponse:
    """How far an export is; with htmx (polling while it is made) only that part."""
    status = _status_of(adviser, export_id)
    template = (
        "coaching/research_status_partial.html" if request.htmx else "coaching/research_status.html"
    )
    return render(request, template, {"export": status})


@require_GET
@adviser_required
@download_limited
def research_download(
    request: HttpRequest, adviser: Adviser, export_id: str, kind: str
) -> HttpResponse:
    """A finished export's file: the answers as CSV, XLSX, SPSS or Stata, or the codebook."""
    status = _status_of(adviser, export_id)
    content = research_export_file(
        organisation_id=adviser.organisation_id, export_id=export_id, kind=kind
    )
    if kind not in KINDS or content is None:
        raise Http404
    response = HttpResponse(content, content_type=CONTENT_TYPES.get(kind, CSV_TYPE))
    filename = research_filename(created=status.created, kind=kind)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ResearchConsentForm(forms.Form):
    """One checkbox: whether the owner allows research use of the scan."""

    onderzoek = forms.TypedChoiceField(
        label=gettext_lazy("I allow the anonymised use of my answers for research"),
        choices=[("ja", gettext_lazy("Yes"))],
        required=False,
    )


@require_http_methods(["GET", "POST"])
@scan_from_token()
def research_consent(request: HttpRequest, scan: Scan) -> HttpResponse:
    """The owner allows or withdraws research use of their scan (idempotent)."""
    if request.method == "POST":
        form = ResearchConsentForm(request.POST)
        if not form.is_valid():
            context = {"scan": scan, "form": form}
            return render(request, "coaching/research_consent.html", context, status=400)
        allowed = form.cleaned_data["onderzoek"] == "ja"
        research_consent_set(scan=scan, allowed=allowed)
        if allowed:
            messages.success(
                request, _("Thank you. Your anonymised answers may be used for research.")
            )
        else:
            messages.success(request, _("Your answers will not be used for research."))
        return redirect("coaching:research_consent", scan.token)
    initial = {"onderzoek": "ja" if scan.research_consent_at else ""}
    form = ResearchConsentForm(initial=initial)
    return render(request, "coaching/research_consent.html", {"scan": scan, "form": form})
