"""Soak test: simulated owners doing whole scans against the production set-up, then a count of
what was lost.

    .venv/bin/python perf/loadtest.py [--users 50] [--run-time 120] [--think 2-6] [--task-workers 2]

1. Starts a throwaway PostgreSQL cluster on 127.0.0.1 with .ci/run's own functions (pg_start,
   pg_stop: a temporary data directory, a free port; as root the cluster runs as the postgres
   user, or nobody), and installs the server from Debian's packages the way .ci/run does when its
   binaries are missing.
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
   request type, the failures, the log lines of server errors, and the verdict.

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
    env = dict(os.environ) | {"LOADTEST_RECORD": str(record), "LOADTEST_THINK": args.think}
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
    print(f"locust: {args.users} owners for {args.run_time} s (think {args.think} s)", flush=True)
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


def server_errors(log: Path) -> list[str]:
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line for line in lines if "Traceback" in line or " 500 " in line or "ERROR" in line]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5.0)
    parser.add_argument("--run-time", type=int, default=120, help="seconds of load")
    parser.add_argument("--stop-timeout", type=int, default=240, help="seconds to finish a scan")
    parser.add_argument("--think", default="2-6", help="seconds between pages, low-high")
    parser.add_argument("--task-workers", type=int, default=2, help="db_worker processes")
    parser.add_argument("--keep", action="store_true", help="keep the sandbox and the logs")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    # A SIGTERM unwinds like Ctrl-C, so that the servers started here are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    print(common.load_note())
    cluster = start_cluster()
    sandbox = common.make_sandbox()
    sandbox.env |= {
        "DATABASE_URL": cluster.url,
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
    finally:
        if server is not None:
            stop_server(server)
        cluster.stop()
        if args.keep:
            print(f"kept: {sandbox.path} and {tmp}")
        else:
            sandbox.remove()
            shutil.rmtree(tmp, ignore_errors=True)

    total = next(r for r in stats if r["Name"] == "Aggregated")
    failed = int(total["Failure Count"])
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
                "server_errors": errors,
            },
        )
        print(f"saved: {path.relative_to(ROOT)}")
    sys.exit(1 if lost or failed or errors else 0)


if __name__ == "__main__":
    main()
