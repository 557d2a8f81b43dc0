"""Throughput of a scan step against the framework's floor, through gunicorn over HTTP.

    .venv/bin/python perf/bench_throughput.py [--threads 4] [--duration 10] [--workers 2]

Prepares a throwaway SQLite database and collected static files in a temporary directory, starts
gunicorn (sync workers) on 127.0.0.1 at a free port with production-like settings
(DJANGO_DEBUG=False; only HTTPS redirect, secure cookies and HSTS are off, since this is plain HTTP
on the loopback), and runs a closed-loop load from this process: --threads client threads, each
sending its next request as soon as the previous answer is in, over a fresh connection each time
(gunicorn's sync workers close the connection after every response), for --duration seconds or
--max-requests requests per phase, whichever comes first. Phases:

  floor        GET /gezond/: a trivial Django view, the most this set-up can serve
  step POST    POST step 3 (five statements, CSRF token included) of the thread's own scan; the
               answers alternate, so every POST writes; the 302 redirect is not followed
  step GET     GET step 3 (the form page, rendered with crispy forms)
  step cycle   GET step 3 then POST it: what one person answering produces; counted in cycles
  results      GET the results page of a finished scan, its charts drawn by the template

Prints requests/s, median and p90 latency, and the CPU time gunicorn's workers and this client
spent per request (both share the machine's cores). The aim, scan steps at least half the floor's
throughput, is shown as MET or MISSED; nothing is asserted. Gunicorn is stopped at the end, also
after an error or Ctrl-C, and the temporary directory is removed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402 (after the path tweak that lets perf/ scripts find it)

HOST = "127.0.0.1"
STEP_AIM_RATIO = 0.5
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- a minimal HTTP client with cookies and CSRF ------------------------------------------------


class Session:
    """One visitor: its cookies (csrftoken) and the CSRF form token; a new connection a request."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(
        self, method: str, path: str, data: dict | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        headers = {"Host": f"{HOST}:{self.port}", "Accept-Language": "nl"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode({**data, "csrfmiddlewaretoken": self.csrf}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, content

    def get_form(self, path: str) -> None:
        """GET a page with a form and keep its CSRF token."""
        status, _headers, content = self.request("GET", path)
        check(status, 200, f"GET {path}", content)
        match = CSRF_FIELD.search(content)
        if not match:
            raise SystemExit(f"GET {path}: no csrfmiddlewaretoken in the page")
        self.csrf = match.group(1).decode("ascii")

    def post(self, path: str, data: dict, *, expect: int = 302) -> str:
        status, headers, content = self.request("POST", path, data)
        check(status, expect, f"POST {path}", content)
        return headers.get("Location", "")


def check(status: int, expected: int, what: str, content: bytes = b"") -> None:
    if status != expected:
        text = content[:1500].decode("utf-8", "replace")
        raise SystemExit(f"{what}: HTTP {status}, expected {expected}\n{text}")


def new_scan(port: int, *, finish: bool) -> tuple[Session, str]:
    """A visitor who starts a scan and posts all six steps over HTTP; the session and token."""
    session = Session(port)
    session.get_form("/scan/")
    location = session.post("/scan/", {})
    token = location.split("/")[2]
    for step in common.STEPS:
        url = f"/scan/{token}/stap/{step}/"
        session.get_form(url)
        session.post(url, common.step_data(step))
    if finish:
        url = f"/scan/{token}/controle/"
        session.get_form(url)
        if not session.post(url, {}).endswith("/resultaten/"):
            raise SystemExit("finishing the scan over HTTP failed")
    return session, token


# --- gunicorn -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path
    worker_pids: list[int] = field(default_factory=list)


def start_gunicorn(sandbox: common.Sandbox, workers: int) -> Server:
    port = free_port()
    log = sandbox.path / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "leerscan.wsgi:application",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"{HOST}:{port}",
        "--chdir",
        str(common.ROOT),
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]
    with open(os.devnull, "wb") as devnull:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
            command, env=sandbox.env, cwd=common.ROOT, stdout=devnull, stderr=subprocess.STDOUT
        )
    server = Server(process=process, port=port, log=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}:\n{tail(log)}")
        try:
            status, _h, _c = Session(port).request("GET", "/gezond/")
        except OSError:
            time.sleep(0.1)
            continue
        check(status, 200, "GET /gezond/")
        server.worker_pids = children(process.pid)
        if len(server.worker_pids) >= workers:
            return server
        time.sleep(0.1)
    raise SystemExit(f"gunicorn did not answer within 60 s:\n{tail(log)}")


def stop(server: Server | None) -> None:
    """SIGTERM to the gunicorn master we started (it stops its workers); SIGKILL if it lingers."""
    if server is None:
        return
    process = server.process
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    for pid in server.worker_pids:  # only the workers this master started
        try:
            os.kill(pid, 0)
        except OSError:
            continue
        if b"gunicorn" in _cmdline(pid):  # still our worker, not a reused pid
            os.kill(pid, signal.SIGKILL)
    print(f"gunicorn (pid {process.pid}) stopped")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _parent(int(entry.name)) == pid:
            found.append(int(entry.name))
    return sorted(found)


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of these processes, from /proc (0 where unreadable)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- closed-loop load ---------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    label: str
    # One callable per client thread; each call is one measured unit (a request or a cycle).
    actions: list[Callable[[], None]]
    unit: str = "req"


def run_phase(phase: Phase, server: Server, duration: float, max_units: int, warmup: int) -> dict:
    for action in phase.actions:
        for _ in range(warmup):
            action()
    latencies: list[list[float]] = [[] for _ in phase.actions]
    errors: list[str] = []
    barrier = threading.Barrier(len(phase.actions) + 1)
    stop_at = [0.0]

    def client(index: int) -> None:
        action, mine = phase.actions[index], latencies[index]
        barrier.wait()
        try:
            while time.perf_counter() < stop_at[0] and len(mine) < max_units:
                begin = time.perf_counter()
                action()
                mine.append(time.perf_counter() - begin)
        except BaseException as exc:  # noqa: BLE001 (reported after the phase)
            errors.append(f"{type(exc).__name__}: {exc}")

    threads = [
        threading.Thread(target=client, args=(i,), daemon=True) for i in range(len(phase.actions))
    ]
    for thread in threads:
        thread.start()
    server_cpu = cpu_seconds(server.worker_pids)
    client_cpu = time.process_time()
    system_cpu = common.system_busy_seconds()
    start = time.perf_counter()
    stop_at[0] = start + duration
    barrier.wait()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    server_cpu = cpu_seconds(server.worker_pids) - server_cpu
    client_cpu = time.process_time() - client_cpu
    others = common.system_busy_seconds() - system_cpu - server_cpu - client_cpu
    if errors:
        raise SystemExit(f"{phase.label}: {len(errors)} client error(s), first: {errors[0]}")
    everything = [s for mine in latencies for s in mine]
    units = len(everything)
    stats = common.summary_ms(everything)
    return {
        "label": phase.label,
        "unit": phase.unit,
        "units": units,
        "seconds": wall,
        "per_second": units / wall,
        "median_ms": stats["median_ms"],
        "p90_ms": stats["p90_ms"],
        "server_cpu_ms_per_unit": server_cpu / units * 1000,
        "client_cpu_ms_per_unit": client_cpu / units * 1000,
        "cpu_busy": (server_cpu + client_cpu) / (wall * (os.cpu_count() or 1)),
        "cpu_others": max(0.0, others) / (wall * (os.cpu_count() or 1)),
    }


def build_phases(port: int, threads: int) -> list[Phase]:
    print(f"creating {threads} scans over HTTP (one per client thread) and one finished scan")
    step = common.BENCH_STEP
    visitors = [new_scan(port, finish=False) for _ in range(threads)]
    results_session, results_token = new_scan(port, finish=True)
    posts = [common.step_data(step, variant=v) for v in (0, 1)]

    def health(session: Session) -> Callable[[], None]:
        def action() -> None:
            status, _h, content = session.request("GET", "/gezond/")
            check(status, 200, "GET /gezond/", content)

        return action

    def step_post(session: Session, token: str) -> Callable[[], None]:
        url, after = f"/scan/{token}/stap/{step}/", f"/scan/{token}/stap/{step + 1}/"
        session.get_form(url)  # the csrftoken cookie and form token, reused for every POST
        count = [0]

        def action() -> None:
            count[0] += 1
            if session.post(url, posts[count[0] % 2]) != after:
                raise SystemExit(f"POST {url} did not redirect to {after}")

        return action

    def step_get(session: Session, token: str) -> Callable[[], None]:
        url = f"/scan/{token}/stap/{step}/"

        def action() -> None:
            status, _h, content = session.request("GET", url)
            check(status, 200, f"GET {url}", content)

        return action

    def step_cycle(session: Session, token: str) -> Callable[[], None]:
        url = f"/scan/{token}/stap/{step}/"
        count = [0]

        def action() -> None:
            count[0] += 1
            session.get_form(url)
            session.post(url, posts[count[0] % 2])

        return action

    def results(session: Session) -> Callable[[], None]:
        url = f"/scan/{results_token}/resultaten/"

        def action() -> None:
            status, _h, content = session.request("GET", url)
            check(status, 200, f"GET {url}", content)

        return action

    return [
        Phase("floor", "GET /gezond/ (floor)", [health(Session(port)) for _ in range(threads)]),
        Phase(
            "step_post",
            f"POST step {step} (writes, 302)",
            [step_post(s, t) for s, t in visitors],
        ),
        Phase("step_get", f"GET step {step}", [step_get(s, t) for s, t in visitors]),
        Phase(
            "step_cycle",
            f"GET+POST step {step} (cycles)",
            [step_cycle(s, t) for s, t in visitors],
            unit="cycle",
        ),
        Phase(
            "results",
            "GET results",
            [results(results_session) for _ in range(threads)],
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=4, help="client threads (1-16)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per phase (1-60)")
    parser.add_argument("--max-requests", type=int, default=20000, help="per thread and phase")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (1-8)")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured units per thread")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="DATABASE_CONN_MAX_AGE for gunicorn (the project's default 60; 0: a connection a "
        "request)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--no-save", action="store_true", help="do not write perf/results/*.json")
    args = parser.parse_args()
    if not (1 <= args.threads <= 16 and 1 <= args.duration <= 60 and 1 <= args.workers <= 8):
        parser.error("--threads 1-16, --duration 1-60 s, --workers 1-8")

    # A SIGTERM (e.g. from a CI timeout) unwinds through the finally below like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))

    sandbox = common.make_sandbox(hosts=HOST)
    sandbox.env["DATABASE_CONN_MAX_AGE"] = str(args.conn_max_age)
    server = None
    try:
        print(f"before: {common.load_note()}")
        print(f"sandbox: {sandbox.path}")
        common.prepare_database(sandbox)
        server = start_gunicorn(sandbox, args.workers)
        print(
            f"gunicorn pid {server.process.pid} on http://{HOST}:{server.port}/ "
            f"with {args.workers} sync workers {server.worker_pids}"
        )
        phases = build_phases(server.port, args.threads)
        figures = {}
        for phase in phases:
            print(f"  {phase.label}: {args.duration:.0f} s with {args.threads} threads ...")
            figures[phase.name] = run_phase(
                phase, server, args.duration, args.max_requests, args.warmup
            )
        report(args, figures)
    finally:
        stop(server)
        if args.keep:
            print(f"kept {sandbox.path}")
        else:
            sandbox.remove()
    return 0


def report(args: argparse.Namespace, figures: dict[str, dict]) -> None:
    info = common.machine()
    floor = figures["floor"]["per_second"]
    print()
    print(
        f"{info['date']}  nproc={info['nproc']}  Python {info['python']}  "
        f"Django {info['django']}  SQLite {info['sqlite']}"
    )
    print(
        f"{info['cpu']}; gunicorn {args.workers} sync workers, DEBUG=False, "
        f"DATABASE_CONN_MAX_AGE={args.conn_max_age}; "
        f"{args.threads} client threads in this process, {args.duration:.0f} s a phase"
    )
    print()
    header = (
        f"{'phase':<30}{'units':>7}{'/s':>8}{'median ms':>10}{'p90 ms':>8}"
        f"{'x floor':>8}{'srv CPU ms':>11}{'cli CPU ms':>11}{'CPU ours':>9}{'others':>7}"
    )
    print(header)
    print("-" * len(header))
    for f in figures.values():
        print(
            f"{f['label']:<30}{f['units']:>7}{f['per_second']:>8.1f}{f['median_ms']:>10.2f}"
            f"{f['p90_ms']:>8.2f}{f['per_second'] / floor:>8.2f}"
            f"{f['server_cpu_ms_per_unit']:>11.2f}{f['client_cpu_ms_per_unit']:>11.2f}"
            f"{f['cpu_busy']:>9.0%}{f['cpu_others']:>7.0%}"
        )
    print(
        "(CPU ms: per request, or per cycle; CPU ours: gunicorn workers + this client, as a share"
        "\n of all cores; others: every other process on the machine meanwhile)"
    )
    print(f"after: {info['load']}")
    post = figures["step_post"]["per_second"] / floor
    cycle_requests = 2 * figures["step_cycle"]["per_second"] / floor
    print()
    print(f"aims (scan steps at least {STEP_AIM_RATIO:.0%} of the floor's throughput)")
    print(common.aim_line("step POST / floor", post >= STEP_AIM_RATIO, f"{post:.2f}"))
    print(
        common.aim_line(
            "step GET+POST requests / floor",
            cycle_requests >= STEP_AIM_RATIO,
            f"{cycle_requests:.2f} (2 requests a cycle)",
        )
    )
    if not args.no_save:
        path = common.save_results(
            "bench_throughput",
            {"machine": info, "args": vars(args), "figures": figures},
        )
        print(f"\nsaved {path.relative_to(common.ROOT)}")


if __name__ == "__main__":
    raise SystemExit(main())
