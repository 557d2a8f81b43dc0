"""Views of the scan: the landing page, the privacy page and the start of a scan."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from benchmarks.models import BenchmarkSet


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    benchmark_set = BenchmarkSet.objects.order_by("-year").first()
    return render(request, "scans/landing.html", {"benchmark_set": benchmark_set})


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "scans/privacy.html")


@require_GET
def scan_start(request: HttpRequest) -> HttpResponse:
    # The questionnaire arrives with the self-scan; until then this page says so plainly.
    return render(request, "scans/coming_soon.html")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
