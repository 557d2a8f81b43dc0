"""Produce a scan's PDF report once per version of its answers, library and language."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language

from benchmarks.models import BenchmarkValue
from benchmarks.vocabulary import DIFFERENCE_THRESHOLDS, SMALL_GROUP_N, group_label
from leerscan.reports.models import RenderedReport
from leerscan.reports.pdf import report_html, report_render_pdf
from leerscan.reports.selectors import library_current, scan_advice
from leerscan.scans.charts import results_chart_uris
from leerscan.scans.models import Item
from leerscan.scans.results import scan_results_for
from leerscan.scans.selectors import scan_items


def _group_sizes(scan) -> list[tuple[str, int | None, int | None]]:
    """N per group for the accountability section: (group, N of Tabel 4.5, N of Tabel 4.6)."""
    rows = BenchmarkValue.objects.filter(
        benchmark_set=scan.benchmark_set,
        table__in=["4.5", "4.6"],
        indicator__in=["taken", "leren_essentieel"],
    ).values_list("table", "group_kind", "group", "n")
    sizes: dict[tuple[str, str], dict[str, int | None]] = {}
    for table, kind, group, n in rows:
        sizes.setdefault((kind, group), {})[table] = n
    order = ["total", "province", "sector", "size"]
    return [
        (group_label(kind, group), by_table.get("4.5"), by_table.get("4.6"))
        for (kind, group), by_table in sorted(sizes.items(), key=lambda kv: order.index(kv[0][0]))
    ]


def report_context(*, scan) -> dict:
    """Everything the report shows: the scan, its results, the advice and the accountability."""
    items = scan_items(scan=scan)
    results = scan_results_for(scan=scan)
    library = library_current()
    return {
        "scan": scan,
        "results": results,
        "advice": scan_advice(results=results, library=library),
        "library": library,
        "charts": results_chart_uris(scan=scan, results=results),
        "items": items,
        "verbatim": [i for i in items if i.provenance == Item.Provenance.MONITOR_VERBATIM],
        "reconstructed": [i for i in items if i.provenance == Item.Provenance.RECONSTRUCTED],
        "group_sizes": _group_sizes(scan),
        "thresholds": DIFFERENCE_THRESHOLDS,
        "small_group_n": SMALL_GROUP_N,
        "today": timezone.localdate(),
    }


def reports_forget_rendered() -> None:
    """Drop every stored PDF, after an edit of the instrument library."""
    RenderedReport.objects.all().delete()


def report_pdf(*, scan) -> bytes:
    """The scan's report as PDF bytes: from the cache, or rendered and stored."""
    library = library_current()
    language = get_language() or "nl"
    key = {
        "scan": scan,
        "answers_version": scan.answers_version,
        "library_version": library.version,
        "language": language,
    }
    cached = RenderedReport.objects.filter(**key).values_list("pdf", flat=True).first()
    if cached is not None:
        return bytes(cached)
    pdf = report_render_pdf(html=report_html(context=report_context(scan=scan)))
    try:
        with transaction.atomic():
            RenderedReport.objects.create(**key, pdf=pdf)
            # Older versions of this scan's report are never served again.
            RenderedReport.objects.filter(scan=scan, language=language).exclude(
                answers_version=scan.answers_version, library_version=library.version
            ).delete()
    except IntegrityError:
        pass  # a parallel request stored the same version first; both PDFs are equal
    return pdf
