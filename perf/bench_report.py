"""Time to produce the PDF advice report: cold, cached, and against the layout engine's floor.

    .venv/bin/python perf/bench_report.py [--reps 15]

Sets up a throwaway SQLite database (as perf/bench_pages.py does), finishes one scan through the
app's views, then measures in-process with django.test.Client:

  cold      GET /scan/<token>/adviesrapport.pdf with the stored PDF and charts deleted
            before every request: answers -> scores -> comparisons -> advice -> HTML -> PDF
  cached    the same GET when the PDF for this answers version is stored
  floor     WeasyPrint alone rendering the same final HTML with the two chart images removed:
            what the layout engine needs for this document on this machine

and prints the medians, p90 and the ratio cold / floor. Aims (issue 4): cold under 1.0 s median,
cached under 50 ms, the whole pipeline at most 1.6x the floor. Measured, never asserted.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402 (after the path tweak that lets perf/ scripts find it)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=15, help="renders per measurement (5-100)")
    args = parser.parse_args()
    sandbox = common.make_sandbox()
    try:
        print(f"before: {common.load_note()}")
        common.prepare_database(sandbox)
        common.use_sandbox_here(sandbox)
        return run(args.reps)
    finally:
        sandbox.remove()


def run(reps: int) -> int:
    import django

    django.setup()
    from django.test import Client

    from leerscan.background.models import Output
    from leerscan.reports.pdf import report_html, report_render_pdf
    from leerscan.reports.services import report_context
    from leerscan.scans.models import Scan

    client = Client()
    start = client.post("/scan/")
    token = start["Location"].split("/")[2]
    for step in range(1, 7):
        data = {**common.step_data(step), "action": "next"}
        response = client.post(f"/scan/{token}/stap/{step}/", data)
        assert response.status_code == 302, (step, response.status_code)
    assert client.post(f"/scan/{token}/controle/").status_code == 302
    url = f"/scan/{token}/adviesrapport.pdf"
    scan = Scan.objects.get(token=token)

    def timed(action) -> float:
        began = time.perf_counter()
        action()
        return time.perf_counter() - began

    def cold() -> float:
        Output.objects.all().delete()  # the stored PDF
        began = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        return time.perf_counter() - began

    client.get(url)  # warm-up: imports, fonts, first layout
    cold_times = [cold() for _ in range(reps)]
    client.get(url)
    cached_times = [timed(lambda: client.get(url)) for _ in range(max(reps, 50))]
    html = report_html(context=report_context(scan=scan))
    without_charts = re.sub(r'<img src="data:image/svg\+xml;base64,[^"]*"[^>]*>', "", html)
    floor_times = [timed(lambda: report_render_pdf(html=without_charts)) for _ in range(reps)]

    cold_ms = common.summary_ms(cold_times)
    cached_ms = common.summary_ms(cached_times)
    floor_ms = common.summary_ms(floor_times)
    ratio = cold_ms["median_ms"] / floor_ms["median_ms"]
    print(f"machine: {common.machine()}")
    for label, stats in (("cold", cold_ms), ("cached", cached_ms), ("floor", floor_ms)):
        print(f"{label:>7}: median {stats['median_ms']:8.1f} ms   p90 {stats['p90_ms']:8.1f} ms")
    print(f"  ratio: cold / floor = {ratio:.2f}")
    print(
        common.aim_line(
            "cold under 1000 ms", cold_ms["median_ms"] < 1000, f"{cold_ms['median_ms']:.0f} ms"
        )
    )
    print(
        common.aim_line(
            "cached under 50 ms", cached_ms["median_ms"] < 50, f"{cached_ms['median_ms']:.1f} ms"
        )
    )
    print(common.aim_line("pipeline at most 1.6x the floor", ratio <= 1.6, f"{ratio:.2f}x"))
    print(f"after: {common.load_note(warn=False)}")
    common.save_results(
        "bench_report",
        {"cold_ms": cold_ms, "cached_ms": cached_ms, "floor_ms": floor_ms, "ratio": ratio},
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
