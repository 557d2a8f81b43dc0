"""The owner's report: what a scan's results look like on paper, once per version.

The report is an output of the background layer (leerscan/background, kind "report"): one row per
version of the answers and of the instrument library, and language, deleted with its scan. It is
usually made by the task worker (leerscan/reports/tasks.py) and downloaded from its row at once;
the row tells how far it is, and is the claim that keeps the worker and a download from rendering
the same version at the same time (output_make_now waits a little for the worker's render).
The PDF's charts are drawn by matplotlib while the report is made (report_charts); the results
page draws its own from the template (leerscan/reports/page_charts.py).
"""

from __future__ import annotations

from django.utils import timezone

from benchmarks.profiles import SBI_SECTION_LABELS, SECTOR_OF_SECTION
from benchmarks.selectors import BenchmarkLookup, benchmark_group_sizes
from benchmarks.vocabulary import DIFFERENCE_THRESHOLDS, SECTOR, SMALL_GROUP_N, group_label
from leerscan.background.kinds import Kind, Made
from leerscan.background.models import Output
from leerscan.background.services import (
    OutputStatus,
    output_make_now,
    output_status,
)
from leerscan.reports.charts import results_chart_svgs, svg_data_uri
from leerscan.reports.pdf import report_html, report_render_pdf
from leerscan.reports.results import Results, scan_results_for
from leerscan.reports.selectors import library_current, scan_advice
from leerscan.scans.models import Item, Scan
from leerscan.scans.selectors import scan_items

# Items completed from a Tabel 4.6 column head (provenance "monitor_adapted", DESIGN.md 2.2).
ADAPTED = getattr(Item.Provenance, "MONITOR_ADAPTED", "monitor_adapted")


def report_charts(*, results: Results) -> dict[str, str]:
    """The PDF's radar and difference bars as data URIs, drawn with matplotlib. Only the report
    uses them, and it is rendered by the task worker and stored; the results page draws its
    charts from the template (leerscan/reports/page_charts.py)."""
    radar, bars = results_chart_svgs(results=results)
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
        "charts": report_charts(results=results),
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


REPORT_KIND = "report"


def report_key(*, scan: Scan, library_version: str | None = None) -> str:
    """The version of a scan's report: its answers' version and the instrument library's."""
    if library_version is None:
        library_version = library_current().version
    return f"{scan.answers_version}:{library_version}"


def _report_make(scan: Scan, _params: dict, progress) -> Made:
    context = report_context(scan=scan)
    progress(25)
    html = report_html(context=context)
    progress(40)
    return Made(files={"pdf": report_render_pdf(html=html, progress=progress)})


def _report_current(scan: Scan, key: str) -> bool:
    """A queued report is still worth making: the scan is finished and its answers unchanged."""
    return scan.finished_at is not None and key == report_key(scan=scan)


REPORT = Kind(REPORT_KIND, make=_report_make, files=("pdf",), is_current=_report_current)
# The report's status: the background layer's (QUEUED, RUNNING, DONE, FAILED or MISSING).
ReportStatus = OutputStatus


def reports_forget_rendered() -> None:
    """Drop every stored report, after an edit of the instrument library."""
    Output.objects.filter(kind=REPORT_KIND).delete()


def report_status(*, scan: Scan, library_version: str | None = None) -> ReportStatus:
    """How far the report of the scan's current answers in the active language is (with the
    current library, or the one whose version is given)."""
    key = report_key(scan=scan, library_version=library_version)
    return output_status(kind=REPORT_KIND, subject=scan, key=key)


def report_pdf(*, scan: Scan) -> bytes:
    """The scan's report as PDF bytes: stored, or rendered now and stored. When a worker is
    rendering the same version right now, wait for it a little instead of rendering it twice."""
    return output_make_now(kind=REPORT_KIND, subject=scan, key=report_key(scan=scan))
