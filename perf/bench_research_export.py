"""Time of the research export of 10,000 generated scans, as the task worker makes it.

    nice -n 5 .venv/bin/python perf/bench_research_export.py [--scans 10000] [--reps 3]

The same throwaway database and generated cohort as perf/bench_cohort.py, except that by default
every scan allows research use (--consent 0.5 for the cohort bench's half), so that the export
holds all 10,000. It times the task's own work, output_run of a queued research export (read every
consented scan's answers batch by batch, the rows and the codebook, CSV, XLSX, SPSS and Stata,
and keep the files
in the background layer's row in the database), and, once, each of its phases:

  table      research_export_table: the answers -> anonymised rows and codebook
  csv        export_csv (pandas, Dutch Excel: ";" and a decimal comma)
  xlsx       research_xlsx (XML written directly), and for comparison pandas' to_excel
  sav, dta   research_sav and research_dta (pyreadstat, with variable and value labels)

and prints the medians. Aim (issue 11): the export of 10,000 scans under 10 s in the background.
Measured, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402 (after the path tweak that lets perf/ scripts find it)
from bench_cohort import cohort_generate  # noqa: E402

EXPORT_AIM_S = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scans", type=int, default=10_000, help="finished scans to generate")
    parser.add_argument("--reps", type=int, default=3, help="whole exports to time (1-10)")
    parser.add_argument(
        "--consent",
        type=float,
        default=1.0,
        help="share of the scans that allow research use (default 1: the export holds them all)",
    )
    parser.add_argument(
        "--compare-pandas", action="store_true", help="also time pandas' to_excel (slow)"
    )
    args = parser.parse_args()
    sandbox = common.make_sandbox()
    try:
        print(f"before: {common.load_note()}")
        common.prepare_database(sandbox)
        common.use_sandbox_here(sandbox)
        return run(args.scans, max(1, min(args.reps, 10)), args.compare_pandas, args.consent)
    finally:
        sandbox.remove()


def _timed(function):
    start, start_cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - start, time.process_time() - start_cpu


def run(scans: int, reps: int, compare_pandas: bool, consent: float) -> int:
    import django

    django.setup()
    from leerscan.advisers.exports import export_csv, export_xlsx
    from leerscan.advisers.services import adviser_create
    from leerscan.background.models import Output
    from leerscan.background.services import output_run, output_take
    from leerscan.coaching.research import (
        EXPORT_ROW_LANGUAGE,
        RESEARCH,
        research_dta,
        research_export_table,
        research_sav,
        research_scan_count,
        research_xlsx,
    )

    adviser = adviser_create(
        email="bram@leerwerk-advies.nl", organisation_name="Leerwerk Advies", password=None
    )
    organisation = adviser.organisation
    began = time.perf_counter()
    generated = cohort_generate(adviser, scans, consent_share=consent)
    consented = research_scan_count(organisation=organisation)
    print(f"generated {generated}, {consented} with research consent, ")
    print(f"  in {time.perf_counter() - began:.1f} s")
    print(f"machine: {common.machine()}")
    results: dict = {"generated": generated, "consented": consented}

    table, wall, cpu = _timed(lambda: research_export_table(organisation=organisation))
    results["table_s"] = {"wall": wall, "cpu": cpu}
    print(f"table: {wall:6.2f} s (CPU {cpu:6.2f}), {len(table.rows)} rows x {len(table.columns)}")
    content, wall, cpu = _timed(lambda: export_csv(table=table))
    results["csv_s"] = {"wall": wall, "cpu": cpu, "bytes": len(content)}
    print(f"csv:   {wall:6.2f} s (CPU {cpu:6.2f}), {len(content) // 1024} KB")
    content, wall, cpu = _timed(lambda: research_xlsx(table=table))
    results["xlsx_s"] = {"wall": wall, "cpu": cpu, "bytes": len(content)}
    print(f"xlsx:  {wall:6.2f} s (CPU {cpu:6.2f}), {len(content) // 1024} KB (XML)")
    content, wall, cpu = _timed(lambda: research_sav(table=table))
    results["sav_s"] = {"wall": wall, "cpu": cpu, "bytes": len(content)}
    print(f"sav:   {wall:6.2f} s (CPU {cpu:6.2f}), {len(content) // 1024} KB (SPSS)")
    content, wall, cpu = _timed(lambda: research_dta(table=table))
    results["dta_s"] = {"wall": wall, "cpu": cpu, "bytes": len(content)}
    print(f"dta:   {wall:6.2f} s (CPU {cpu:6.2f}), {len(content) // 1024} KB (Stata)")
    if compare_pandas:
        content, wall, cpu = _timed(lambda: export_xlsx(table=table))
        results["xlsx_pandas_s"] = {"wall": wall, "cpu": cpu}
        print(f"xlsx:  {wall:6.2f} s (CPU {cpu:6.2f}) through pandas' to_excel, for comparison")

    walls, cpus = [], []
    for rep in range(reps):
        # Queued as research_export_queue queues it, without the task: timed as the worker runs it.
        queued: Output = output_take(
            kind=RESEARCH.name,
            subject=organisation,
            key=f"bench-{rep}",
            language=EXPORT_ROW_LANGUAGE,
            params={},
            to=Output.State.QUEUED,
        )
        outcome, wall, cpu = _timed(lambda queued=queued: output_run(output_id=queued.pk))
        assert outcome == "made", outcome
        walls.append(wall)
        cpus.append(cpu)
    results["task_s"] = {"walls": walls, "cpus": cpus, "median": statistics.median(walls)}
    median = statistics.median(walls)
    print(
        f"whole task (output_run) x{reps}: median {median:6.2f} s "
        f"(CPU {statistics.median(cpus):6.2f} s); {median / max(consented, 1) * 1000:.2f} ms a scan"
    )
    print(
        common.aim_line(
            f"export of {consented} consented scans (of {generated['scans']}) under "
            f"{EXPORT_AIM_S} s",
            median < EXPORT_AIM_S,
            f"{median:.1f} s",
        )
    )
    print(f"after: {common.load_note(warn=False)}")
    common.save_results("bench_research_export", results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
