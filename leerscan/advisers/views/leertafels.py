"""The adviser's dashboard and leertafels: create, show the join code, close and reopen, delete."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from benchmarks.selectors import RECOMMENDATION_KEYS, monitor_sentences
from leerscan.advisers.access import adviser_required, leertafel_for_adviser
from leerscan.advisers.forms import LeertafelForm
from leerscan.advisers.models import Adviser, Leertafel
from leerscan.advisers.services import leertafel_create, leertafel_delete, leertafel_set_open
from leerscan.scans.resume import resume_qr_svg


def _with_counts(queryset):
    return queryset.annotate(
        joined=Count("participants"),
        finished=Count("participants", filter=Q(participants__scan__finished_at__isnull=False)),
    )


@require_http_methods(["GET"])
@adviser_required
def dashboard(request: HttpRequest, adviser: Adviser) -> HttpResponse:
    """The organisation's leertafels, newest first, with how many joined and finished."""
    leertafels = _with_counts(Leertafel.objects.filter(organisation_id=adviser.organisation_id))
    recommendations = monitor_sentences(keys=RECOMMENDATION_KEYS, language=get_language() or "nl")
    return render(
        request,
        "advisers/dashboard.html",
        {"adviser": adviser, "leertafels": leertafels, "recommendations": recommendations},
    )


@require_http_methods(["GET", "POST"])
@adviser_required
def leertafel_new(request: HttpRequest, adviser: Adviser) -> HttpResponse:
    form = LeertafelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        leertafel = leertafel_create(
            adviser=adviser, data=form.cleaned_data, language=get_language() or "nl"
        )
        return redirect("advisers:leertafel", leertafel.pk)
    status = 400 if form.errors else 200
    return render(request, "advisers/leertafel_new.html", {"form": form}, status=status)


def join_url(request: HttpRequest, leertafel: Leertafel) -> str:
    """The address that opens the join page with the code filled in (in the QR code)."""
    return request.build_absolute_uri(reverse("advisers:join_code", args=[leertafel.code]))


@require_http_methods(["GET"])
@leertafel_for_adviser
def leertafel_detail(request: HttpRequest, adviser: Adviser, leertafel: Leertafel) -> HttpResponse:
    """The code to project, the join URL and its QR code, and the ways into the session."""
    counted = _with_counts(Leertafel.objects.filter(pk=leertafel.pk)).get()
    url = join_url(request, leertafel)
    return render(
        request,
        "advisers/leertafel_detail.html",
        {
            "leertafel": counted,
            "join_url": url,
            "join_page": request.build_absolute_uri(reverse("advisers:join")),
            "qr_svg": resume_qr_svg(url),
        },
    )


@require_POST
@leertafel_for_adviser
def leertafel_toggle_open(
    request: HttpRequest, adviser: Adviser, leertafel: Leertafel
) -> HttpResponse:
    """Close the leertafel to new participants, or reopen it."""
    leertafel_set_open(leertafel=leertafel, is_open=request.POST.get("open") == "1")
    return redirect("advisers:leertafel", leertafel.pk)


@require_http_methods(["GET", "POST"])
@leertafel_for_adviser
def leertafel_delete_view(
    request: HttpRequest, adviser: Adviser, leertafel: Leertafel
) -> HttpResponse:
    """What deleting the leertafel removes and what stays; the POST deletes it."""
    if request.method == "POST":
        name = leertafel.name
        leertafel_delete(leertafel=leertafel)
        messages.success(
            request,
            _("The leertafel %(name)s has been deleted. The participants keep their own scans.")
            % {"name": name},
        )
        return redirect("advisers:dashboard")
    counted = _with_counts(Leertafel.objects.filter(pk=leertafel.pk)).get()
    # As the matrix shows them: merged ideas are part of the one they were merged into.
    ideas = leertafel.ideas.filter(merged_into__isnull=True).count()
    return render(request, "advisers/leertafel_delete.html", {"leertafel": counted, "ideas": ideas})
