"""Where WeasyPrint spends a render of Anna's report (the owner of tests/personas.py).

    .venv/bin/python perf/profile_report.py [--reps 15] [--top 25] [--pdf anna.pdf]

Sets up a throwaway SQLite database (as perf/bench_report.py does), makes Anna's finished scan
through the services, builds her report's HTML once (charts included) and then times
`report_render_pdf` alone, the worker's layout and PDF step, `--reps` times after one warm-up:
median, p90 and the process's CPU time. One more render runs under cProfile (stdlib: no extra
dependency) and the functions with the most time of their own and the most time inside them are
printed, with the split between layout (`HTML.render`) and writing the PDF (`write_pdf`).
`--pdf` keeps the PDF (`--html` the HTML), to compare the pages before and after a change
(`pdftoppm -r 60 -png`).
Measured, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402 (after the path tweak that lets perf/ scripts find it)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=15, help="timed renders (after one warm-up)")
    parser.add_argument("--top", type=int, default=25, help="functions listed from the profile")
    parser.add_argument("--pdf", type=Path, help="write Anna's PDF here")
    parser.add_argument("--html", type=Path, help="write her report's HTML here")
    args = parser.parse_args()
    sandbox = common.make_sandbox()
    try:
        print(f"before: {common.load_note()}")
        common.prepare_database(sandbox)
        common.use_sandbox_here(sandbox)
        return run(args)
    finally:
        sandbox.remove()


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    sys.path.insert(0, str(common.ROOT))
    from django.utils import translation

    from leerscan.reports.pdf import report_html, report_render_pdf
    from leerscan.reports.services import report_context
    from leerscan.scans import services
    from tests.personas import anna_scan_make

    with translation.override("nl"):
        scan = services.scan_finish(scan=anna_scan_make())
        html = report_html(context=report_context(scan=scan))
        pdf = report_render_pdf(html=html)  # warm-up: imports, fonts, first layout
        if args.pdf:
            args.pdf.write_bytes(pdf)
        if args.html:
            args.html.write_text(html, encoding="utf-8")
        walls, cpus = [], []
        for _ in range(args.reps):
            wall, cpu = time.perf_counter(), time.process_time()
            report_render_pdf(html=html)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        profiler = cProfile.Profile()
        profiler.enable()
        report_render_pdf(html=html)
        profiler.disable()

    wall_ms, cpu_ms = common.summary_ms(walls), common.summary_ms(cpus)
    print(f"machine: {common.machine()}")
    print(f"HTML {len(html) / 1024:.0f} KB, PDF {len(pdf) / 1024:.0f} KB")
    print(f"render: median {wall_ms['median_ms']:.1f} ms   p90 {wall_ms['p90_ms']:.1f} ms")
    print(f"   CPU: median {cpu_ms['median_ms']:.1f} ms   p90 {cpu_ms['p90_ms']:.1f} ms")
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    for label, name in (("layout (render)", "render"), ("PDF (write_pdf)", "write_pdf")):
        cumulative = max(
            (row[3] for func, row in stats.stats.items() if func[2] == name), default=0.0
        )
        print(f"{label}: {cumulative * 1000:.0f} ms of {total * 1000:.0f} ms profiled")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
        print(f"--- top {args.top} by {order}")
        print(out.getvalue().split("ncalls", 1)[-1])
    print(f"after: {common.load_note(warn=False)}")
    common.save_results("profile_report", {"render_ms": wall_ms, "cpu_ms": cpu_ms})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
