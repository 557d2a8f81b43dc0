"""Faults tried for real against the production set-up on PostgreSQL: the database stopped in the
middle of a scan, and the task worker killed in the middle of a render.

    .venv/bin/python perf/faults.py [database] [worker]      (both when none is named)

Both start a throwaway PostgreSQL cluster (.ci/run's functions) and prepare a sandbox on it with
`make setup`. A client goes through the scan over HTTP as a browser would (CSRF tokens from the
forms, cookies kept).

database  Served as the systemd unit does (gunicorn with deploy/gunicorn.conf.py). Steps 1 and 2
          are saved; the cluster is stopped (`pg_ctl -m immediate`, as a crash) while the person
          is on step 3; step 3 is posted: the answer must be the friendly Dutch 503 page, and so
          must a page that only reads. The cluster is started again and the very same POST is
          sent again: it must be saved (302 to step 4), with steps 1 and 2 as they were. The app
          servers' persistent connections died with the cluster; Django's health check replaces
          them on the next request.
worker    Served by `make run-prod` (gunicorn and one task worker, `manage.py report_worker`).
          A scan is finished and its results page shown, which queues the report. As soon as
          the render's row says "running", before the PDF is stored, a process is killed with
          SIGKILL: first the db_worker that renders it, then, with a second scan, report_worker
          itself (the process run-prod started). Meanwhile /gezond/ is asked every 0.25 s, and
          the report's status every 2 s as the results page does, until it says done; then the
          PDF is downloaded. Passes when every /gezond/ answered 200, the task was made by a
          worker ("made"), none is left running, the download is the stored PDF and make
          run-prod still runs.

Prints each observation and a verdict per check; exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import loadtest  # noqa: E402 (the cluster and server helpers)

ROOT = common.ROOT
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN = re.compile(r"/scan/([A-Za-z0-9_-]{32})/")


class Browser:
    """A requests session that posts forms with their CSRF token, redirects not followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.base + path, timeout=60, allow_redirects=False)

    def form_token(self, path: str) -> str:
        page = self.get(path)
        page.raise_for_status()
        return CSRF.search(page.text)[1]

    def post(self, path: str, data: dict, token: str | None = None) -> requests.Response:
        token = token or self.form_token(path)
        return self.session.post(
            self.base + path,
            data=data | {"csrfmiddlewaretoken": token},
            timeout=60,
            allow_redirects=False,
        )

    def start_scan(self) -> str:
        response = self.post("/scan/", {}, self.form_token("/scan/"))
        return TOKEN.search(response.headers["Location"])[1]


def start_gunicorn(sandbox: common.Sandbox, port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "leerscan.wsgi:application",
        ],
        cwd=ROOT,
        env=sandbox.env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/gezond/", timeout=10).ok:
                return process
        except requests.RequestException:
            time.sleep(0.3)
    stop(process)
    raise SystemExit(f"gunicorn did not answer:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def check(label: str, ok: bool, results: list[tuple[str, bool]]) -> None:
    results.append((label, ok))
    print(f"  {'ok    ' if ok else 'FAILED'} {label}", flush=True)


# --- the database stopped in the middle of a step ------------------------------------------------


def database_down(cluster: loadtest.Cluster, sandbox: common.Sandbox, base: str) -> list:
    results: list[tuple[str, bool]] = []
    browser = Browser(base)
    token = browser.start_scan()
    steps = f"/scan/{token}/stap"
    for step in (1, 2):
        saved = browser.post(f"{steps}/{step}/", common.step_data(step))
        check(f"step {step} saved (302)", saved.status_code == 302, results)
    form = browser.form_token(f"{steps}/3/")  # the person now fills in step 3

    print("  stopping PostgreSQL (immediate, as a crash)", flush=True)
    cluster.ctl("-m immediate -w stop")
    step3 = common.step_data(3)
    posted = browser.post(f"{steps}/3/", step3, form)
    check(
        f"step 3 posted while the database is down: {posted.status_code}",
        posted.status_code == 503,
        results,
    )
    dutch = "Leerscan is even niet beschikbaar" in posted.text
    english = "Leerscan is temporarily unavailable" in posted.text
    language = "English: the catalogue lacks its Dutch texts" if english else "Dutch"
    check(f"... the friendly page ({language})", dutch, results)
    check(
        f"... Retry-After {posted.headers.get('Retry-After')}",
        "Retry-After" in posted.headers,
        results,
    )
    page = browser.get(f"{steps}/2/")
    check(f"a page that only reads: {page.status_code}", page.status_code == 503, results)

    print("  starting PostgreSQL again", flush=True)
    cluster.ctl('-l "$PG_TMP/postgres.log" -o "-p $PG_PORT" -w -t 60 start')
    again = browser.post(f"{steps}/3/", step3, form)
    to = again.headers.get("Location", "")[-8:]
    check(
        f"the same POST sent again: {again.status_code} to …{to}",
        again.status_code == 302 and again.headers["Location"].endswith("/stap/4/"),
        results,
    )

    from leerscan.scans.models import Scan
    from leerscan.scans.selectors import scan_items

    scan = Scan.objects.get(token=token)
    values = dict(scan.item_answers.values_list("item__key", "value"))
    for step in (2, 3):
        group = "building_block" if step == 2 else "dloq"
        expected = {
            i.key: int(common.step_data(step)[i.key]) for i in scan_items(scan=scan, group=group)
        }
        stored = {key: values.get(key) for key in expected}
        check(f"step {step}'s answers stored as sent", stored == expected, results)
    check("step 1's profile stored", scan.sbi_code == "6202" and scan.employees == 12, results)
    return results


# --- the worker killed in the middle of a render, under `make run-prod` ---------------------------


def start_run_prod(sandbox: common.Sandbox, port: int, log: Path) -> subprocess.Popen:
    """`make run-prod` on the sandbox's database (make setup, then deploy/run-prod)."""
    env = {k: v for k, v in sandbox.env.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    process = subprocess.Popen(  # noqa: S603 (a fixed command)
        ["make", "--no-print-directory", "run-prod", f"PORT={port}"],  # noqa: S607
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"make run-prod stopped:\n{log.read_text()}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/gezond/", timeout=10).ok:
                return process
        except requests.RequestException:
            time.sleep(0.5)
    stop(process)
    raise SystemExit(f"make run-prod did not answer:\n{log.read_text()}")


class Poller(threading.Thread):
    """Asks for /gezond/ every 0.25 s and writes down each answer's status and time."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.answers: list[tuple[float, int | str, float]] = []  # (at, status, seconds)
        self.running = True

    def run(self) -> None:
        while self.running:
            began = time.monotonic()
            try:
                status: int | str = requests.get(self.base + "/gezond/", timeout=10).status_code
            except requests.RequestException as exc:
                status = type(exc).__name__
            self.answers.append((began, status, time.monotonic() - began))
            time.sleep(0.25)


def finished_scan(browser: Browser) -> str:
    token = browser.start_scan()
    for step in range(1, 7):
        browser.post(f"/scan/{token}/stap/{step}/", common.step_data(step))
    browser.post(f"/scan/{token}/controle/", {})
    return token


def worker_killed(base: str, log: Path, target: str, run_prod: subprocess.Popen) -> list:
    """target "db_worker": the process rendering the report; "report_worker": its supervisor,
    the process deploy/run-prod started."""
    from django_tasks_db.models import DBTaskResult

    from leerscan.background.models import Output, TaskWorker
    from leerscan.scans.models import Scan

    results: list[tuple[str, bool]] = []
    browser = Browser(base)
    token = finished_scan(browser)
    scan = Scan.objects.get(token=token)
    poller = Poller(base)
    poller.start()
    results_page = browser.get(f"/scan/{token}/resultaten/")  # queues the report
    check(
        f"scan finished, results page shown ({results_page.status_code})", results_page.ok, results
    )
    deadline = time.monotonic() + 120
    state = None
    while time.monotonic() < deadline:
        reports = Output.objects.filter(scan=scan, kind="report")
        state = reports.values_list("state", "progress").first()
        if state and state[0] == Output.State.RUNNING:
            break
        time.sleep(0.01)
    output_id = Output.objects.get(scan=scan, kind="report").pk
    task = DBTaskResult.objects.get(args_kwargs__args__0=output_id)
    rendering = TaskWorker.objects.get(worker_id=task.worker_ids[-1]).pid
    if target == "db_worker":
        victim = rendering
    else:
        victim = int(re.findall(r"report_worker, pid (\d+)\)", log.read_text())[-1])
    log_seen = len(log.read_text(errors="replace"))
    os.kill(victim, signal.SIGKILL)
    killed_at, killed_clock = time.monotonic(), time.time()
    stored = Output.objects.filter(scan=scan, kind="report", state=Output.State.DONE).exists()
    check(
        f"{target} (pid {victim}) killed with SIGKILL while the render was {state}; "
        "no PDF stored yet",
        not stored,
        results,
    )
    done = False
    try:
        while time.monotonic() - killed_at < 300:
            status = browser.get(f"/scan/{token}/adviesrapport/status/")  # as the page does
            if 'data-report-state="done"' in status.text:
                done = True
                break
            time.sleep(2)
        waited = time.monotonic() - killed_at
        check(f"the status page said done {waited:.1f} s after the kill", done, results)
    finally:
        poller.running = False
        poller.join()
    after = [a for a in poller.answers if a[0] >= killed_at - 1]
    good = [a for a in after if a[1] == 200]
    slowest = max((a[2] for a in after), default=0)
    check(
        f"the site kept answering: {len(good)} of {len(after)} requests to /gezond/ from the kill "
        f"on answered 200 (slowest {slowest * 1000:.0f} ms)",
        after and len(good) == len(after),
        results,
    )
    made = Output.objects.filter(scan=scan, kind="report", state=Output.State.DONE).first()
    if made is not None:
        after_kill = made.updated_at.timestamp() - killed_clock
        print(f"  the PDF was stored {after_kill:.1f} s after the kill")
    for line in log.read_text(errors="replace")[log_seen:].splitlines():
        if re.search(r"run-prod:|report_worker:|queued again|marked failed", line):
            print(f"  log: {line.strip()}")
    task.refresh_from_db()
    check(
        f"the task: {task.status}, returned {task.return_value!r}, "
        f"{len(task.worker_ids)} attempt(s)",
        task.status == "SUCCESSFUL" and task.return_value == "made",
        results,
    )
    started = time.monotonic()
    pdf = browser.get(f"/scan/{token}/adviesrapport.pdf")
    check(
        f"download: {pdf.status_code}, {len(pdf.content) // 1024} KB "
        f"in {time.monotonic() - started:.2f} s (stored, not rendered at download)",
        pdf.ok and pdf.content.startswith(b"%PDF") and time.monotonic() - started < 5,
        results,
    )
    running = DBTaskResult.objects.filter(status="RUNNING").count()
    check(f"tasks left running: {running}", running == 0, results)
    starts = len(re.findall(r"task worker started", log.read_text()))
    check(
        f"make run-prod still running ({starts} report_worker starts so far)",
        run_prod.poll() is None,
        results,
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checks", nargs="*", choices=["database", "worker"])
    args = parser.parse_args()
    # A SIGTERM unwinds like Ctrl-C, so that the servers started here are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    checks = args.checks or ["database", "worker"]

    cluster = loadtest.start_cluster()
    # .ci/run's throwaway cluster trades durability for speed (synchronous_commit = off): a crash
    # then loses the last commits, which a production server (synchronous_commit = on, the
    # default) never does. The crash below must meet production's setting.
    cluster.psql("ALTER SYSTEM SET synchronous_commit = on", database="postgres")
    cluster.psql("SELECT pg_reload_conf()", database="postgres")
    sandbox = common.make_sandbox()
    sandbox.env |= {
        "DATABASE_URL": cluster.url,
        "DATABASE_CONN_MAX_AGE": "60",
        "LEERSCAN_CACHE": "database",
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    log = sandbox.path / "servers.log"
    verdicts = {}
    gunicorn = run_prod = None
    try:
        common.prepare_database(sandbox)
        common.use_sandbox_here(sandbox)
        import django

        django.setup()
        if "database" in checks:
            port = loadtest.free_port()
            gunicorn = start_gunicorn(sandbox, port, log)
            print("database stopped in the middle of a step:")
            verdicts["database"] = database_down(cluster, sandbox, f"http://127.0.0.1:{port}")
            stop(gunicorn)
        if "worker" in checks:
            from django.db import connections

            connections.close_all()
            port = loadtest.free_port()
            print("make run-prod: setting up and starting", flush=True)
            run_prod = start_run_prod(sandbox, port, log)
            base = f"http://127.0.0.1:{port}"
            verdicts["worker"] = []
            for target in ("db_worker", "report_worker"):
                print(f"{target} killed in the middle of a render, under make run-prod:")
                verdicts["worker"] += worker_killed(base, log, target, run_prod)
    finally:
        for process in (gunicorn, run_prod):
            if process is not None:
                stop(process)
        errors = [
            line for line in log.read_text(errors="replace").splitlines() if "Traceback" in line
        ]
        cluster.stop()
        sandbox.remove()
    print(f"server log: {len(errors)} tracebacks")
    failed = False
    for name, results in verdicts.items():
        bad = [label for label, ok in results if not ok]
        failed = failed or bool(bad)
        print(
            f"verdict {name}: {f'{len(bad)} failed' if bad else 'passed'} ({len(results)} checks)"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
