"""Soak test: simulated owners doing whole scans against the production set-up, then a count of
what was lost.

    .venv/bin/python perf/loadtest.py [--users 50] [--run-time 120] [--think 2-6] [--task-workers 2]
    .venv/bin/python perf/loadtest.py --database sqlite      # the same on a SQLite sandbox
    .venv/bin/python perf/loadtest.py --burst                # a leertafel: 20 owners, one scan each

--burst is issue 18's leertafel of twenty: all owners start at once (spawned in one second) and
do one scan each with the same think times, so that their last steps, finishes and results pages
land within a minute (the script prints the window from the first finish to the last); each then
waits on the results page for its report, downloads it, and stops; locust stops when all have.

1. With --database postgresql (the default), starts a throwaway PostgreSQL cluster on 127.0.0.1
   with .ci/run's own functions (pg_start, pg_stop: a temporary data directory, a free port; as
   root the cluster runs as the postgres user, or nobody), and installs the server from Debian's
   packages the way .ci/run does when its binaries are missing. With --database sqlite the
   sandbox keeps its own SQLite file (perf/common.py), served the same way.
2. Prepares a sandbox (perf/common.py) on that database with `make setup`, and serves it the way
   `make run-prod` does: deploy/run-prod, i.e. gunicorn with deploy/gunicorn.conf.py (gthread) and
   --task-workers task workers (2: several workers on one database, as in production), with
   production settings (DEBUG off, the database cache). Only the HTTPS
   settings are off (plain HTTP on the loopback), and so are the abuse limits: every simulated
   owner comes from 127.0.0.1 and would share one address's allowance.
3. Runs locust headless (perf/locustfile.py) for --run-time seconds with --users owners, each
   doing whole scans: all six steps with random answers, finishing, the results page (waiting
   there for the background report, as its script does) and the PDF. Owners still busy at the end
   finish their scan (up to --stop-timeout seconds); a request cut off after that would count
   as failed, so the default leaves room for a whole scan.
4. Checks the database: every step the server accepted is stored exactly as sent (the posted data
   parsed again with the app's own forms and compared with what the selectors read back), every
   finished scan is finished. Prints requests/s and p50/p95 per
   request type, the failures, the log lines of server errors, issue 18's aims (the six step
   POSTs pooled, the results page, the report in hand from finishing to the downloaded PDF) as
   MET or MISSED, and the verdict.

Loopback only, bounded in time. Exits 1 when a request failed or an answer was lost, else 0.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402 (perf/common.py, beside this script)

ROOT = common.ROOT
CI_RUN = ROOT / ".ci" / "run"


# --- the throwaway PostgreSQL cluster, through .ci/run's functions ------------------------------


@dataclass
class Cluster:
    port: int
    tmp: str
    bin: str
    user: str

    @property
    def url(self) -> str:
        return f"postgres://leerscan@127.0.0.1:{self.port}/leerscan_test"

    def _bash(self, script: str) -> subprocess.CompletedProcess:
        prelude = (
            f"source {shlex.quote(str(CI_RUN))}; PG_TMP={shlex.quote(self.tmp)}; "
            f"PG_BIN={shlex.quote(self.bin)}; PG_USER={shlex.quote(self.user)}; "
            f"PG_PORT={self.port}; "
        )
        return subprocess.run(  # noqa: S603 (a fixed script)
            ["bash", "-c", prelude + script],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )

    def stop(self) -> None:
        self._bash("pg_stop")

    def ctl(self, arguments: str) -> None:
        """pg_ctl on the cluster (stop or start it again on its port), as its owner."""
        done = self._bash(f"cluster_ctl {arguments}")
        if done.returncode:
            raise RuntimeError(done.stderr + done.stdout)

    def psql(self, sql: str, *, database: str = "leerscan_test") -> str:
        done = self._bash(f"pg_psql -U postgres -d {database} -At -c {shlex.quote(sql)}")
        if done.returncode:
            raise RuntimeError(done.stderr)
        return done.stdout


def start_cluster() -> Cluster:
    script = (
        f"source {shlex.quote(str(CI_RUN))}; "
        'PG_BIN="$(find_pg_bin)" || { install_pg_server >&2 && PG_BIN="$(find_pg_bin)"; }; '
        'pg_start >&2; printf "%s\\n" "$PG_PORT" "$PG_TMP" "$PG_BIN" "$PG_USER"'
    )
    done = subprocess.run(  # noqa: S603 (a fixed script)
        ["bash", "-c", script],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit("Starting the throwaway PostgreSQL cluster failed (output above).")
    port, tmp, pg_bin, user = done.stdout.split()
    print(done.stderr.strip().splitlines()[-1])
    return Cluster(int(port), tmp, pg_bin, user)


# --- the production server ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    sandbox: common.Sandbox, port: int, log: Path, *, task_workers: int = 1
) -> subprocess.Popen:
    env = sandbox.env | {"PORT": str(port), "TASK_WORKERS": str(task_workers)}
    process = subprocess.Popen(  # noqa: S603 (the project's own script)
        [str(ROOT / "deploy" / "run-prod")],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"deploy/run-prod stopped at once:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.3)
    stop_server(process)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # to deploy/run-prod, which stops what it started
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- locust ---------------------------------------------------------------------------------------


def run_locust(args, port: int, tmp: Path, record: Path) -> int:
    env = dict(os.environ) | {
        "LOADTEST_RECORD": str(record),
        "LOADTEST_TIMES": str(tmp / "times.jsonl"),
        "LOADTEST_THINK": args.think,
        "LOADTEST_SCANS": "1" if args.burst else "0",
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "perf" / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{args.run_time}s",
        "--stop-timeout",
        f"{args.stop_timeout}s",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(tmp / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    what = "one scan each, at most" if args.burst else "for"
    print(
        f"locust: {args.users} owners {what} {args.run_time} s (think {args.think} s)", flush=True
    )
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode  # noqa: S603


def read_stats(tmp: Path) -> list[dict[str, str]]:
    with (tmp / "locust_stats.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_failures(tmp: Path) -> list[dict[str, str]]:
    path = tmp / "locust_failures.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- the database check ---------------------------------------------------------------------------


def check_database(sandbox: common.Sandbox, record: Path) -> dict[str, int | list[str]]:
    """Compare every accepted step with what the database holds, through the app's own forms."""
    common.use_sandbox_here(sandbox)
    import django

    django.setup()
    from leerscan.scans.forms import FactStepForm, ItemStepForm, ProfileForm
    from leerscan.scans.models import Scan
    from leerscan.scans.questions import ITEM_STEPS, NOT_APPLICABLE, step_questions
    from leerscan.scans.selectors import scan_fact_answers, scan_item_answers, scan_items
    from leerscan.scans.services import PROFILE_FIELDS

    sent: dict[str, dict[int, dict]] = {}
    finished: set[str] = set()
    for line in record.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if entry.get("finished"):
            finished.add(entry["token"])
        else:
            sent.setdefault(entry["token"], {})[entry["step"]] = entry["data"]

    lost: list[str] = []
    answers_checked = 0
    scans = {s.token: s for s in Scan.objects.filter(token__in=sent)}
    for token, steps in sent.items():
        scan = scans.get(token)
        if scan is None:
            lost.append(f"scan {token[:6]}…: not in the database")
            continue
        stored_facts = scan_fact_answers(scan=scan)
        stored_values, stored_na = scan_item_answers(scan=scan)
        for step, data in sorted(steps.items()):
            if step == 1:
                form = ProfileForm(data)
                assert form.is_valid(), form.errors
                expected = {f: form.cleaned_data[f] for f in PROFILE_FIELDS}
                stored = {f: getattr(scan, f) for f in PROFILE_FIELDS}
                ok = expected == stored and scan.consent_at is not None
            elif step in ITEM_STEPS:
                form = ItemStepForm(data, items=scan_items(scan=scan, group=ITEM_STEPS[step]))
                assert form.is_valid(), form.errors
                expected = form.answers()
                stored = {
                    key: NOT_APPLICABLE if key in stored_na else stored_values.get(key)
                    for key in expected
                }
                ok = expected == stored
            else:
                form = FactStepForm(data, step=step, employees=scan.employees)
                assert form.is_valid(), form.errors
                expected = form.answers()
                keys = {q.key for q in step_questions(step)}
                stored = {k: v for k, v in stored_facts.items() if k in keys}
                ok = expected == stored
            answers_checked += len(expected)
            if not ok:
                lost.append(f"scan {token[:6]}… step {step}: sent {expected}, stored {stored}")
        if token in finished and not scan.is_finished:
            lost.append(f"scan {token[:6]}…: finished, but not in the database")
    return {
        "scans": len(sent),
        "finished": len(finished),
        "steps": sum(len(s) for s in sent.values()),
        "answers": answers_checked,
        "lost": lost,
    }


# --- main -----------------------------------------------------------------------------------------


def markdown_table(stats: list[dict[str, str]], seconds: float) -> list[str]:
    lines = [
        "| request | count | failed | req/s | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in stats:
        name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
        count = int(row["Request Count"])
        lines.append(
            f"| {name} | {count} | {row['Failure Count']} | {count / seconds:.2f} | "
            f"{row['50%']} | {row['95%']} | {float(row['Max Response Time']):.0f} |"
        )
    return lines


# Issue 18's aims, in ms: (label, request names pooled, percentile, at most).
AIMS = [
    ("step POST p95", tuple(f"POST step {n}" for n in range(1, 7)), 0.95, 300),
    ("results page p95", ("GET results",), 0.95, 500),
    ("report in hand p95 (finish to PDF)", ("in hand (finish to PDF)",), 0.95, 30_000),
]


def aims(times: Path) -> tuple[list[str], dict]:
    """p50/p95 of the pooled requests of each aim (successful ones), MET or MISSED."""
    entries = [json.loads(line) for line in times.read_text(encoding="utf-8").splitlines()]
    lines, figures = [], {}
    for label, names, fraction, limit in AIMS:
        ms = [e["ms"] for e in entries if e["name"] in names and e["ok"]]
        if not ms:
            lines.append(common.aim_line(label, False, "no measurement"))
            continue
        p50, high = common.percentile(ms, 0.5), common.percentile(ms, fraction)
        figures[label] = {"n": len(ms), "p50_ms": p50, "p95_ms": high, "max_ms": max(ms)}
        lines.append(
            common.aim_line(
                label,
                high <= limit,
                f"{high:,.0f} ms (at most {limit:,}; p50 {p50:,.0f}, "
                f"max {max(ms):,.0f}, n {len(ms)})",
            )
        )
    # locust's CSV can miss the last requests, answered while locust stops; this log has them.
    figures["failed"] = sum(not e["ok"] for e in entries)
    return lines, figures


def finish_window(record: Path) -> tuple[int, float]:
    """How many scans were finished, and the seconds from the first finish to the last."""
    entries = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    at = [e["at"] for e in entries if e.get("finished")]
    return len(at), (max(at) - min(at)) if at else 0.0


def server_errors(log: Path) -> list[str]:
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line for line in lines if "Traceback" in line or " 500 " in line or "ERROR" in line]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--burst", action="store_true", help="a leertafel: one scan per owner")
    parser.add_argument("--users", type=int, help="owners (default 50, with --burst 20)")
    parser.add_argument("--spawn-rate", type=float, help="owners a second (5, with --burst all)")
    parser.add_argument(
        "--run-time", type=int, help="seconds of load (120; with --burst at most 300)"
    )
    parser.add_argument("--stop-timeout", type=int, default=240, help="seconds to finish a scan")
    parser.add_argument("--think", default="2-6", help="seconds between pages, low-high")
    parser.add_argument("--task-workers", type=int, default=2, help="db_worker processes")
    parser.add_argument("--keep", action="store_true", help="keep the sandbox and the logs")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    args.users = args.users or (20 if args.burst else 50)
    args.spawn_rate = args.spawn_rate or (float(args.users) if args.burst else 5.0)
    args.run_time = args.run_time or (300 if args.burst else 120)
    # A SIGTERM unwinds like Ctrl-C, so that the servers started here are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    print(common.load_note())
    cluster = start_cluster() if args.database == "postgresql" else None
    sandbox = common.make_sandbox()
    if cluster is not None:
        sandbox.env["DATABASE_URL"] = cluster.url
    sandbox.env |= {
        "DATABASE_CONN_MAX_AGE": "60",
        "LEERSCAN_CACHE": "database",
        # One client address for all simulated owners: the per-address limits would refuse them.
        "LEERSCAN_LIMIT_SCAN_START": "off",
        "LEERSCAN_LIMIT_SCAN_START_DAILY": "off",
        "LEERSCAN_LIMIT_REPORT_RENDER_SCAN": "off",
        "LEERSCAN_LIMIT_REPORT_RENDER_CLIENT": "off",
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    tmp = Path(tempfile.mkdtemp(prefix="leerscan-loadtest-"))
    record, log = tmp / "sent.jsonl", tmp / "server.log"
    record.touch()
    (tmp / "times.jsonl").touch()
    server = None
    try:
        common.prepare_database(sandbox)
        port = free_port()
        server = start_server(sandbox, port, log, task_workers=args.task_workers)
        started = time.monotonic()
        run_locust(args, port, tmp, record)
        seconds = time.monotonic() - started
        stop_server(server)
        server = None
        stats = read_stats(tmp)
        failures = read_failures(tmp)
        result = check_database(sandbox, record)
        errors = server_errors(log)
        aim_lines, figures = aims(tmp / "times.jsonl")
        finished, window = finish_window(record)
    finally:
        if server is not None:
            stop_server(server)
        if cluster is not None:
            cluster.stop()
        if args.keep:
            print(f"kept: {sandbox.path} and {tmp}")
        else:
            sandbox.remove()
            shutil.rmtree(tmp, ignore_errors=True)

    total = next(r for r in stats if r["Name"] == "Aggregated")
    failed = max(int(total["Failure Count"]), figures.get("failed", 0))
    print(f"\n{seconds:.0f} s of load and wind-down, {common.load_note(warn=False)}")
    print("\n".join(markdown_table(stats, seconds)))
    for failure in failures:
        print(
            f"FAILED {failure['Occurrences']}x {failure['Method']} {failure['Name']}: "
            f"{failure['Error']}"
        )
    for line in errors[:20]:
        print(f"server log: {line}")
    print(
        f"\nscans started and stepped through: {result['scans']}, finished: {result['finished']}, "
        f"steps accepted: {result['steps']}, answers checked: {result['answers']}"
    )
    for line in result["lost"][:20]:
        print(f"LOST {line}")
    in_hand = figures.get(AIMS[2][0], {}).get("n", 0)
    print(
        f"\n{finished} scans finished within {window:.1f} s (first finish to last), "
        f"{in_hand} of them with the PDF in hand before locust stopped; aims:"
    )
    print("\n".join(aim_lines))
    lost = len(result["lost"])
    print(f"verdict: {lost} lost, {failed} failed, {len(errors)} server errors logged")
    if not args.no_save:
        path = common.save_results(
            "loadtest",
            {
                "machine": common.machine(),
                "args": vars(args),
                "seconds": seconds,
                "stats": stats,
                "failures": failures,
                "database": result,
                "aims": figures,
                "finish_window_s": window,
                "server_errors": errors,
            },
        )
        print(f"saved: {path.relative_to(ROOT)}")
    sys.exit(1 if lost or failed or errors else 0)


if __name__ == "__main__":
    main()
