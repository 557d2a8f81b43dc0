"""The leertafel's answers to download: CSV (with its codebook) and XLSX, for the adviser only,
and only from GROUP_MIN_FINISHED finished participants (leerscan/advisers/exports.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from leerscan.advisers.access import download_limited, leertafel_for_adviser
from leerscan.advisers.exports import (
    export_codebook_csv,
    export_csv,
    export_filename,
    export_xlsx,
    leertafel_export_table,
)
from leerscan.advisers.models import Adviser, Leertafel, Participant
from leerscan.constants import GROUP_MIN_FINISHED

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def finished_count(leertafel: Leertafel) -> int:
    return Participant.objects.filter(leertafel=leertafel, scan__finished_at__isnull=False).count()


def too_few(request: HttpRequest, leertafel: Leertafel, finished: int) -> HttpResponse:
    """The page that says why there is nothing to download yet (409: try again later)."""
    return render(
        request,
        "advisers/group_report_unavailable.html",
        {"leertafel": leertafel, "finished": finished, "minimum": GROUP_MIN_FINISHED},
        status=409,
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _export(request: HttpRequest, leertafel: Leertafel, kind: str) -> HttpResponse:
    finished = finished_count(leertafel)
    if finished < GROUP_MIN_FINISHED:
        return too_few(request, leertafel, finished)
    table = leertafel_export_table(leertafel=leertafel)
    if kind == "xlsx":
        content, content_type, part = export_xlsx(table=table), XLSX_TYPE, "antwoorden"
    elif kind == "codebook":
        content, content_type, part = export_codebook_csv(table=table), CSV_TYPE, "codeboek"
    else:
        content, content_type, part = export_csv(table=table), CSV_TYPE, "antwoorden"
    extension = "xlsx" if kind == "xlsx" else "csv"
    filename = export_filename(leertafel=leertafel, extension=extension, part=part)
    return _download(content, content_type, filename)


@require_GET
@leertafel_for_adviser
@download_limited
def export_answers_csv(
    request: HttpRequest, adviser: Adviser, leertafel: Leertafel
) -> HttpResponse:
    """The finished participants' answers as CSV for Dutch Excel."""
    return _export(request, leertafel, "csv")


@require_GET
@leertafel_for_adviser
@download_limited
def export_codebook(request: HttpRequest, adviser: Adviser, leertafel: Leertafel) -> HttpResponse:
    """The CSV's codebook: each column's key and its Dutch text."""
    return _export(request, leertafel, "codebook")


@require_GET
@leertafel_for_adviser
@download_limited
def export_answers_xlsx(
    request: HttpRequest, adviser: Adviser, leertafel: Leertafel
) -> HttpResponse:
    """The finished participants' answers and the codebook as an Excel workbook."""
    return _export(request, leertafel, "xlsx")
