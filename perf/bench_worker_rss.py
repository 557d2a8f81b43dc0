"""Memory of the task worker over many report renders, as production runs it.

    .venv/bin/python perf/bench_worker_rss.py [--renders 1000] [--max-tasks 50] [--workers N]

Sets up a throwaway SQLite database, finishes `--renders` scans through the app's views and
queues the report of each (what their results pages do), then starts `manage.py report_worker
--max-tasks N` (what `make run`, `deploy/run-prod` and the systemd unit start) and samples the
resident set size (VmRSS) of the worker process it runs, twice a second, until every report is
stored. It prints, per block of 100 renders, the highest RSS a worker reached, and per worker
process its RSS after its first render and its highest, and how long the whole queue took
(`--workers`: how many workers report_worker runs side by side).

Aim (issue 9): flat within 5%: no block's highest RSS more than 5% above the first block's.
perf/bench_report_rss.py shows why a worker is recycled at all: one process that renders for
ever grows by about 57 KB a render. Measured, never asserted.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402 (after the path tweak that lets perf/ scripts find it)


def rss_mb(pid: int) -> float | None:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def children(pid: int) -> list[int]:
    """The processes pid started, from any of its threads (report_worker starts each worker from
    a thread of its own, and Linux lists a child under the thread that started it)."""
    found = []
    for thread in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (thread / "children").read_text().split()]
        except OSError:
            continue
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=1000, help="reports in all (default 1000)")
    parser.add_argument("--max-tasks", type=int, default=None, help="tasks per worker process")
    parser.add_argument(
        "--workers", type=int, default=None, help="report_worker --workers (default its own)"
    )
    args = parser.parse_args()
    sandbox = common.make_sandbox()
    try:
        print(f"before: {common.load_note()}")
        common.prepare_database(sandbox)
        common.use_sandbox_here(sandbox)
        return run(sandbox, args.renders, args.max_tasks, args.workers)
    finally:
        sandbox.remove()


def queue_reports(renders: int) -> None:
    """Finish `renders` scans through the views and queue each one's report in Dutch."""
    os.environ["LEERSCAN_LIMIT_SCAN_START"] = "off"  # one client starting a thousand scans
    os.environ["LEERSCAN_LIMIT_SCAN_START_DAILY"] = "off"
    import django

    django.setup()
    from django.test import Client
    from django.utils import translation

    from leerscan.reports.tasks import report_queue
    from leerscan.scans.models import Scan

    for number in range(renders):
        client = Client()
        start = client.post("/scan/")
        assert start.status_code == 302, start.status_code
        token = start["Location"].split("/")[2]
        for step in range(1, 7):
            data = {**common.step_data(step, variant=number % 3), "action": "next"}
            response = client.post(f"/scan/{token}/stap/{step}/", data)
            assert response.status_code == 302, (step, response.status_code)
        assert client.post(f"/scan/{token}/controle/").status_code == 302
        with translation.override("nl"):
            report_queue(scan=Scan.objects.get(token=token))
        if (number + 1) % 200 == 0:
            print(f"queued {number + 1} reports", flush=True)


def run(
    sandbox: common.Sandbox, renders: int, max_tasks: int | None, workers_wanted: int | None = None
) -> int:
    queue_reports(renders)
    from django.conf import settings
    from django.db import connections

    from leerscan.background.models import Output

    max_tasks = max_tasks or settings.LEERSCAN_WORKER_MAX_TASKS
    connections.close_all()
    print(f"machine: {common.machine()}")
    workers_argv = ["--workers", str(workers_wanted)] if workers_wanted else []
    print(
        f"worker: manage.py report_worker --max-tasks {max_tasks} {' '.join(workers_argv)}, "
        f"{renders} reports queued"
    )

    def stored() -> int:
        count = Output.objects.filter(kind="report", state=Output.State.DONE).count()
        connections.close_all()
        return count

    env = {**sandbox.env, "LEERSCAN_WORKER_MAX_TASKS": str(max_tasks)}
    log = sandbox.path / "worker.log"  # the workers' own lines, shown if they stop early
    supervisor = subprocess.Popen(  # noqa: S603 (a fixed command)
        [sys.executable, "manage.py", "report_worker", *workers_argv],
        cwd=common.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    began = time.monotonic()
    workers: dict[int, dict[str, float]] = {}  # pid -> first (after its first render), peak
    blocks: dict[int, float] = {}  # block of 100 renders -> highest worker RSS seen in it
    done = 0
    try:
        while done < renders:
            time.sleep(0.5)
            done_before = done
            done = stored()
            for pid in children(supervisor.pid):
                rss = rss_mb(pid)
                if rss is None:
                    continue
                seen = workers.setdefault(pid, {"start": done_before, "first": 0.0, "peak": 0.0})
                if not seen["first"] and done > seen["start"]:
                    seen["first"] = rss
                seen["peak"] = max(seen["peak"], rss)
                block = min(done, renders - 1) // 100
                blocks[block] = max(blocks.get(block, 0.0), rss)
            if done // 100 > done_before // 100:
                elapsed = time.monotonic() - began
                print(
                    f"renders {done:>5}: worker RSS {blocks.get(done_before // 100, 0):7.1f} MB "
                    f"at most in renders {done_before // 100 * 100 + 1}-{done // 100 * 100}  "
                    f"({elapsed / max(done, 1) * 1000:.0f} ms a render, {len(workers)} workers)",
                    flush=True,
                )
            if supervisor.poll() is not None:
                sys.stderr.write(log.read_text()[-3000:])
                raise SystemExit(f"report_worker stopped early (exit {supervisor.returncode})")
        drained = time.monotonic() - began
    finally:
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(timeout=120)
    print(f"all {renders} stored {drained:.1f} s after report_worker started")
    firsts = [w["first"] for w in workers.values() if w["first"]]
    peaks = [w["peak"] for w in workers.values()]
    print(
        f"workers: {len(workers)}; RSS after their first render "
        f"{min(firsts):.1f}-{max(firsts):.1f} MB, highest {min(peaks):.1f}-{max(peaks):.1f} MB"
    )
    first_block = blocks[0]
    worst = max(blocks.values())
    growth = (worst - first_block) / first_block * 100
    print(
        f" flatness: first 100 renders at most {first_block:.1f} MB, any later block at most "
        f"{worst:.1f} MB ({growth:+.1f}%)"
    )
    print(common.aim_line("flat within 5%", growth <= 5, f"{growth:+.1f}%"))
    print(f"after: {common.load_note(warn=False)}")
    common.save_results(
        "bench_worker_rss",
        {
            "max_tasks": max_tasks,
            "renders": renders,
            "block_peak_mb": blocks,
            "workers": list(workers.values()),
            "growth_percent": growth,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
