"""Time of a leertafel's group view and of its polling answer, with 20 and 200 participants.

    nice -n 5 .venv/bin/python perf/bench_group.py [--reps 30] [--sizes 20,200]

Sets up a throwaway SQLite database (as perf/bench_report.py does) and, per size, a leertafel
whose participants are generated straight into the database (finished scans with varied profiles
and an answer to every statement, half of them named). Logged in as the adviser, it measures
in-process with django.test.Client:

  page       GET /adviseur/leertafel/<pk>/groep/: every participant's answers -> scores ->
             group figures and the participants' closest groups -> the whole HTML page
  poll       GET /adviseur/leertafel/<pk>/groep/stand/?v=<version> as htmx asks it every five
             seconds while nothing changed (the answer is an empty 204)
  queries    the number of database queries of each (must not grow with the participants)
  CPU        beside each wall time, this process's CPU time: what a request costs when other
             work competes for the cores
  floor      GET /adviseur/ (the adviser's list of leertafels, one small query more than the
             polling answer): what any adviser page costs on this machine under its current load

and prints the medians and p90. Aims (issue 10): the group view under 150 ms median with 200
participants; the polling answer under 20 ms when nothing changed. Measured, never asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402 (after the path tweak that lets perf/ scripts find it)

PAGE_AIM_MS = 150
POLL_AIM_MS = 20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=30, help="requests per measurement (5-200)")
    parser.add_argument("--sizes", default="20,200", help="participant counts, comma separated")
    args = parser.parse_args()
    sandbox = common.make_sandbox()
    try:
        print(f"before: {common.load_note()}")
        common.prepare_database(sandbox)
        common.use_sandbox_here(sandbox)
        return run(max(5, min(args.reps, 200)), [int(s) for s in args.sizes.split(",")])
    finally:
        sandbox.remove()


def run(reps: int, sizes: list[int]) -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from leerscan.advisers.group import group_version
    from leerscan.advisers.services import adviser_create

    adviser = adviser_create(
        email="bram@leerwerk-advies.nl", organisation_name="Leerwerk Advies", password=None
    )
    client = Client()
    client.force_login(adviser.user)
    results: dict = {}

    def measure(request, times: int) -> tuple[dict, dict]:
        """Wall time and this process's CPU time (SQLite runs in-process) of `times` requests:
        on a machine shared with other work the CPU time is what a request costs."""
        wall, cpu = [], []
        for _ in range(times):
            began, began_cpu = time.perf_counter(), time.process_time()
            request()
            wall.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
        return common.summary_ms(wall), common.summary_ms(cpu)

    def get(url: str, status: int, **extra) -> None:
        assert client.get(url, **extra).status_code == status

    get("/adviseur/", 200)
    floor_ms, floor_cpu = measure(lambda: get("/adviseur/", 200), 100)
    results["floor"] = {"wall_ms": floor_ms, "cpu_ms": floor_cpu}
    print(f"machine: {common.machine()}")
    print(
        f"floor (GET /adviseur/): median {floor_ms['median_ms']:5.1f} ms "
        f"(p90 {floor_ms['p90_ms']:5.1f}, CPU {floor_cpu['median_ms']:5.1f})"
    )
    for size in sizes:
        leertafel = common.leertafel_generate(size, adviser, seed=size, approach="koploper")
        page_url = f"/adviseur/leertafel/{leertafel.pk}/groep/"
        poll_url = f"/adviseur/leertafel/{leertafel.pk}/groep/stand/?v="
        first = client.get(page_url)  # warm-up: templates, the benchmark set
        assert first.status_code == 200 and b"group-plot" in first.content
        poll_url += group_version(leertafel=leertafel)
        page_ms, page_cpu = measure(lambda url=page_url: get(url, 200), reps)
        poll_ms, poll_cpu = measure(
            lambda url=poll_url: get(url, 204, HTTP_HX_REQUEST="true"), max(reps, 100)
        )
        with CaptureQueriesContext(connection) as page_queries:
            get(page_url, 200)
        with CaptureQueriesContext(connection) as poll_queries:
            get(poll_url, 204, HTTP_HX_REQUEST="true")
        results[str(size)] = {
            "page": {"wall_ms": page_ms, "cpu_ms": page_cpu, "queries": len(page_queries)},
            "poll": {"wall_ms": poll_ms, "cpu_ms": poll_cpu, "queries": len(poll_queries)},
            "page_bytes": len(first.content),
        }
        print(
            f"{size:>4} participants: page median {page_ms['median_ms']:6.1f} ms "
            f"(p90 {page_ms['p90_ms']:6.1f}, CPU {page_cpu['median_ms']:6.1f}, "
            f"{len(page_queries)} queries, {len(first.content) // 1024} KB)   "
            f"poll median {poll_ms['median_ms']:5.1f} ms (p90 {poll_ms['p90_ms']:5.1f}, "
            f"CPU {poll_cpu['median_ms']:5.1f}, {len(poll_queries)} queries)"
        )
    largest = results[str(max(sizes))]
    print(
        common.aim_line(
            f"group view under {PAGE_AIM_MS} ms with {max(sizes)}",
            largest["page"]["wall_ms"]["median_ms"] < PAGE_AIM_MS,
            f"{largest['page']['wall_ms']['median_ms']:.0f} ms "
            f"(CPU {largest['page']['cpu_ms']['median_ms']:.0f} ms)",
        )
    )
    print(
        common.aim_line(
            f"polling answer under {POLL_AIM_MS} ms",
            largest["poll"]["wall_ms"]["median_ms"] < POLL_AIM_MS,
            f"{largest['poll']['wall_ms']['median_ms']:.1f} ms "
            f"(CPU {largest['poll']['cpu_ms']['median_ms']:.1f} ms)",
        )
    )
    print(f"after: {common.load_note(warn=False)}")
    common.save_results("bench_group", results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
