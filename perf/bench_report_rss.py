"""Memory of one process over many PDF renders: does a worker grow with every report?

    .venv/bin/python perf/bench_report_rss.py [--renders 1000] [--every 100] [--fresh-fonts]

Sets up a throwaway SQLite database (as perf/bench_report.py does), finishes one scan through the
app's views, then renders its report `--renders` times in this one process, each time as a cold
download (GET /scan/<token>/adviesrapport.pdf with the stored PDF deleted first; the charts stay
stored, as they do in production once the results page was shown). It prints the resident set
size (VmRSS) before the first render, after the first (imports, fonts, first layout), and after
every `--every` renders, then the growth from the first render to the last.

Aim (issue 9): flat within 5% from the first render to the last. `--fresh-fonts` measures the old
way, a new WeasyPrint FontConfiguration per render, for comparison. Measured, never asserted.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402 (after the path tweak that lets perf/ scripts find it)


def rss_mb() -> float:
    """This process's resident set size in MB (Linux: VmRSS in /proc/self/status)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS not found: this script needs Linux /proc")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=1000, help="renders in all (default 1000)")
    parser.add_argument("--every", type=int, default=100, help="print RSS every N renders")
    parser.add_argument(
        "--fresh-fonts",
        action="store_true",
        help="a new FontConfiguration per render (the behaviour before issue 9), for comparison",
    )
    args = parser.parse_args()
    sandbox = common.make_sandbox()
    try:
        print(f"before: {common.load_note()}")
        common.prepare_database(sandbox)
        common.use_sandbox_here(sandbox)
        return run(args.renders, args.every, fresh_fonts=args.fresh_fonts)
    finally:
        sandbox.remove()


def run(renders: int, every: int, *, fresh_fonts: bool) -> int:
    # One client downloading a thousand renders is exactly what the render limits refuse.
    os.environ["LEERSCAN_LIMIT_REPORT_RENDER_SCAN"] = "off"
    os.environ["LEERSCAN_LIMIT_REPORT_RENDER_CLIENT"] = "off"
    import django

    django.setup()
    from django.test import Client
    from weasyprint.text.fonts import FontConfiguration

    from leerscan.background.models import Output
    from leerscan.reports import pdf

    if fresh_fonts:
        pdf._shared_font_config = FontConfiguration  # one per render, as before

    client = Client()
    start = client.post("/scan/")
    token = start["Location"].split("/")[2]
    for step in range(1, 7):
        data = {**common.step_data(step), "action": "next"}
        response = client.post(f"/scan/{token}/stap/{step}/", data)
        assert response.status_code == 302, (step, response.status_code)
    assert client.post(f"/scan/{token}/controle/").status_code == 302
    assert client.get(f"/scan/{token}/resultaten/").status_code == 200  # stores the charts
    url = f"/scan/{token}/adviesrapport.pdf"

    def render() -> None:
        Output.objects.filter(kind="report").delete()
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")

    print(f"machine: {common.machine()}")
    print(f"font configuration: {'new per render' if fresh_fonts else 'one per process'}")
    gc.collect()
    before = rss_mb()
    print(f"renders {0:>5}: RSS {before:7.1f} MB  (before the first render)")
    began = time.perf_counter()
    render()
    gc.collect()
    first = rss_mb()
    print(f"renders {1:>5}: RSS {first:7.1f} MB")
    figures = {"0": before, "1": first}
    for done in range(2, renders + 1):
        render()
        if done % every == 0 or done == renders:
            gc.collect()
            figures[str(done)] = rss_mb()
            elapsed = time.perf_counter() - began
            print(
                f"renders {done:>5}: RSS {figures[str(done)]:7.1f} MB  "
                f"({elapsed / done * 1000:.0f} ms a render)",
                flush=True,
            )
    last = figures[str(renders)]
    growth = (last - first) / first * 100
    per_render = (last - first) / max(renders - 1, 1) * 1024
    print(f" growth: {first:.1f} -> {last:.1f} MB, {growth:+.1f}% ({per_render:+.1f} KB a render)")
    print(common.aim_line("flat within 5%", abs(growth) <= 5, f"{growth:+.1f}%"))
    print(f"after: {common.load_note(warn=False)}")
    common.save_results(
        "bench_report_rss",
        {"fresh_fonts": fresh_fonts, "rss_mb": figures, "growth_percent": growth},
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
