"""Render what a scan's results look like on paper and in pictures, once per version.

Charts and PDF reports are both rendered artefacts: a row of RenderedArtefact per version of the
answers (and of the instrument library, for the report) and language, deleted with its scan.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language

from benchmarks.profiles import SBI_SECTION_LABELS, SECTOR_OF_SECTION
from benchmarks.selectors import BenchmarkLookup, benchmark_group_sizes
from benchmarks.vocabulary import DIFFERENCE_THRESHOLDS, SECTOR, SMALL_GROUP_N, group_label
from leerscan.reports.charts import results_chart_svgs, svg_data_uri
from leerscan.reports.models import RenderedArtefact
from leerscan.reports.pdf import report_html, report_render_pdf
from leerscan.reports.results import Results, scan_results_for
from leerscan.reports.selectors import library_current, scan_advice
from leerscan.scans.models import Item, Scan
from leerscan.scans.selectors import scan_items

CHART_SEPARATOR = b"\n<!-- leerscan chart -->\n"
# Items completed from a Tabel 4.6 column head (provenance "monitor_adapted", DESIGN.md 2.2).
ADAPTED = getattr(Item.Provenance, "MONITOR_ADAPTED", "monitor_adapted")


def artefact_get_or_render(
    *, scan: Scan, kind: str, render: Callable[[], bytes], library_version: str = ""
) -> bytes:
    """A scan's artefact for its current answers and the active language: stored, or rendered
    and stored (older versions of the same kind and language are deleted then)."""
    key = {
        "scan": scan,
        "kind": kind,
        "answers_version": scan.answers_version,
        "library_version": library_version,
        "language": get_language() or "nl",
    }
    stored = RenderedArtefact.objects.filter(**key).values_list("content", flat=True).first()
    if stored is not None:
        return bytes(stored)
    content = render()
    try:
        with transaction.atomic():
            RenderedArtefact.objects.create(**key, content=content)
            RenderedArtefact.objects.filter(scan=scan, kind=kind, language=key["language"]).exclude(
                answers_version=scan.answers_version, library_version=library_version
            ).delete()
    except IntegrityError:
        pass  # a parallel request stored the same version first; both renders are equal
    return content


def results_charts(*, scan: Scan, results: Results) -> dict[str, str]:
    """The radar and the difference bars of a scan's results as data URIs (page and report)."""

    def render() -> bytes:
        radar, bars = results_chart_svgs(results=results)
        return CHART_SEPARATOR.join(svg.encode("utf-8") for svg in (radar, bars))

    content = artefact_get_or_render(scan=scan, kind=RenderedArtefact.Kind.CHARTS, render=render)
    radar, bars = (part.decode("utf-8") for part in content.split(CHART_SEPARATOR))
    return {"radar": svg_data_uri(radar), "bars": svg_data_uri(bars)}


def _sector_sections() -> list[tuple[str, str, str]]:
    """Leerscan's grouping of the SBI sections into the monitor's sectors, for the accountability:
    (sector, its section letters such as "A\u2013F", the sections' names)."""
    sections: dict[str, list[str]] = {}
    for section, sector in SECTOR_OF_SECTION.items():
        sections.setdefault(sector, []).append(section)
    return [
        (
            group_label(SECTOR, sector),
            f"{letters[0]}\u2013{letters[-1]}"
            if len(letters) > 1 and ord(letters[-1]) - ord(letters[0]) == len(letters) - 1
            else ", ".join(letters),
            "; ".join(str(SBI_SECTION_LABELS[letter]) for letter in letters),
        )
        for sector, letters in sections.items()
    ]


def report_context(*, scan: Scan) -> dict:
    """Everything the report shows: the scan, its results, the advice and the accountability."""
    items = scan_items(scan=scan)
    results = scan_results_for(scan=scan)
    library = library_current()
    return {
        "scan": scan,
        "results": results,
        "advice": scan_advice(results=results, library=library),
        "library": library,
        "charts": results_charts(scan=scan, results=results),
        "items": items,
        "verbatim": [i for i in items if i.provenance == Item.Provenance.MONITOR_VERBATIM],
        "adapted": [i for i in items if i.provenance == ADAPTED],
        "reconstructed": [i for i in items if i.provenance == Item.Provenance.RECONSTRUCTED],
        "sector_sections": _sector_sections(),
        "group_sizes": benchmark_group_sizes(
            lookup=BenchmarkLookup(scan.benchmark_set.slug),
            columns=(("4.5", "taken"), ("4.6", "leren_essentieel")),
        ),
        "thresholds": DIFFERENCE_THRESHOLDS,
        "small_group_n": SMALL_GROUP_N,
        "today": timezone.localdate(),
    }


def reports_forget_rendered() -> None:
    """Drop every stored PDF, after an edit of the instrument library."""
    RenderedArtefact.objects.filter(kind=RenderedArtefact.Kind.PDF).delete()


def report_pdf(*, scan: Scan) -> bytes:
    """The scan's report as PDF bytes: stored, or rendered and stored."""
    library = library_current()
    return artefact_get_or_render(
        scan=scan,
        kind=RenderedArtefact.Kind.PDF,
        library_version=library.version,
        render=lambda: report_render_pdf(html=report_html(context=report_context(scan=scan))),
    )
