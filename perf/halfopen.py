"""Slow clients against the app server: do a few half-open connections take the site down?

    .venv/bin/python perf/halfopen.py [--open 2 --open 10] [--wait 25] [--no-nginx]

For each set-up it starts its own server on 127.0.0.1 at a free port, times GET /gezond/ on a quiet
server, then opens N connections that never finish their request and keep quiet, and times
GET /gezond/ again, waiting at most --wait seconds for the answer. Two kinds of slow client:

  silent    connects and sends nothing
  partial   sends a request line and one header, never the blank line that ends the headers

Set-ups (gunicorn from deploy/gunicorn.conf.py, 2 workers; the worker class as named):

  sync              gunicorn --worker-class sync: one connection per worker at a time
  gthread           gunicorn gthread, 4 threads a worker: what deploy/ runs
  nginx+sync        nginx buffering each request (deploy/nginx-leerscan.conf's proxy settings)
  nginx+gthread     in front of gunicorn; only when an nginx binary is found (apt install nginx)

Gunicorn runs with --timeout 20 here (production: 60), so a blocked sync worker is restarted by
the master within the wait. Prints one line per trial and a table; exits 0 either way (perf/
measures, it never asserts). Every server is stopped at the end, also after an error or Ctrl-C.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402 (perf/common.py, beside this script)

HOST = "127.0.0.1"
GUNICORN_TIMEOUT = 20
NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    # As deploy/nginx-leerscan.conf: the whole request is read before gunicorn sees it.
    client_header_timeout 30s;
    client_body_timeout 30s;
    proxy_request_buffering on;
    proxy_buffering on;
    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://{host}:{upstream};
            proxy_set_header Host $host;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for(port: int, *, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if get(port, timeout=2.0) is not None:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"nothing answered on port {port} within {seconds:.0f} s")


def get(port: int, *, timeout: float) -> float | None:
    """Seconds until GET /gezond/ answered 200; None when no answer came within `timeout`."""
    started = time.monotonic()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", "/gezond/")
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise OSError(f"status {response.status}")
        return time.monotonic() - started
    except TimeoutError:
        return None
    finally:
        connection.close()


def open_slow_clients(port: int, count: int, kind: str) -> list[socket.socket]:
    clients = []
    for _ in range(count):
        client = socket.create_connection((HOST, port), timeout=5)
        if kind == "partial":
            client.sendall(b"GET /gezond/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        clients.append(client)
    return clients


@dataclass
class Servers:
    processes: list[subprocess.Popen]
    port: int  # where clients connect

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def start(setup: str, env: dict[str, str], tmp: Path) -> Servers:
    """Start gunicorn (and nginx in front, for "nginx+...") the way `setup` names."""
    worker_class = setup.split("+")[-1]
    gunicorn_port = free_port()
    log = (tmp / f"gunicorn-{setup}.log").open("ab")
    gunicorn = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(common.ROOT / "deploy" / "gunicorn.conf.py"),
            "--worker-class",
            worker_class,
            # gunicorn turns "sync" with more than one thread into gthread: one thread each.
            "--threads",
            "1" if worker_class == "sync" else "4",
            "--timeout",
            str(GUNICORN_TIMEOUT),
            "--bind",
            f"{HOST}:{gunicorn_port}",
            "leerscan.wsgi:application",
        ],
        cwd=common.ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    servers = Servers([gunicorn], gunicorn_port)
    try:
        wait_for(gunicorn_port)
        if setup.startswith("nginx+"):
            nginx_port = free_port()
            conf = tmp / f"nginx-{setup}.conf"
            conf.write_text(
                NGINX_CONF.format(tmp=tmp, host=HOST, port=nginx_port, upstream=gunicorn_port)
            )
            nginx = subprocess.Popen(  # noqa: S603 (fixed arguments)
                [shutil.which("nginx") or "nginx", "-c", str(conf), "-p", str(tmp)],
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
            servers.processes.append(nginx)
            servers.port = nginx_port
            wait_for(nginx_port)
    except BaseException:
        servers.stop()
        raise
    return servers


def trial(setup: str, kind: str, count: int, wait: float, env: dict, tmp: Path) -> dict:
    servers = start(setup, env, tmp)
    clients: list[socket.socket] = []
    try:
        quiet = [get(servers.port, timeout=wait) for _ in range(5)]
        clients = open_slow_clients(servers.port, count, kind)
        time.sleep(0.5)  # let the server take them in
        blocked = get(servers.port, timeout=wait)
    finally:
        for client in clients:
            client.close()
        servers.stop()
    quiet_ms = statistics.median(q for q in quiet if q is not None) * 1000
    result = {
        "setup": setup,
        "kind": kind,
        "open": count,
        "quiet_ms": round(quiet_ms, 1),
        "with_slow_clients_s": None if blocked is None else round(blocked, 3),
    }
    answer = f"{blocked:.3f} s" if blocked is not None else f"NO ANSWER within {wait:.0f} s"
    print(f"  {setup:14} {count:3} {kind:8} quiet {quiet_ms:6.1f} ms -> {answer}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--open", type=int, action="append", help="slow clients (repeatable)")
    parser.add_argument("--wait", type=float, default=25.0, help="seconds to wait for an answer")
    parser.add_argument("--no-nginx", action="store_true", help="gunicorn alone")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    # A SIGTERM unwinds like Ctrl-C, so that the servers started here are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    counts = args.open or [2, 10]

    setups = ["sync", "gthread"]
    if not args.no_nginx:
        if shutil.which("nginx") or Path("/usr/sbin/nginx").exists():
            os.environ["PATH"] += os.pathsep + "/usr/sbin"
            setups += ["nginx+sync", "nginx+gthread"]
        else:
            print("nginx not found (apt-get install nginx): measuring gunicorn alone")

    tmp = Path(tempfile.mkdtemp(prefix="leerscan-halfopen-"))
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / sub).mkdir()
    tmp.chmod(0o755)
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_DEBUG": "False",
            "DJANGO_SECRET_KEY": common.PERF_SECRET_KEY,
            "DATABASE_URL": f"sqlite:///{tmp / 'unused.sqlite3'}",  # /gezond/ reads nothing
            "LEERSCAN_CACHE": "file",
            "LEERSCAN_CACHE_DIR": str(tmp / "cache"),
            "DJANGO_SECURE_SSL_REDIRECT": "False",
            "DJANGO_LOG_LEVEL": "WARNING",
            "GUNICORN_LOG_LEVEL": "warning",
        }
    )
    print(f"{common.load_note()}; gunicorn timeout {GUNICORN_TIMEOUT} s, 2 workers")
    print(f"  {'set-up':14} {'N':>3} {'kind':8} GET /gezond/")
    results = []
    try:
        for setup in setups:
            for count in counts:
                for kind in ("silent", "partial"):
                    results.append(trial(setup, kind, count, args.wait, env, tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print("\n| set-up | slow clients | kind | GET /gezond/ quiet | with the slow clients open |")
    print("|---|---:|---|---:|---|")
    for r in results:
        answer = (
            f"{r['with_slow_clients_s']:.3f} s"
            if r["with_slow_clients_s"] is not None
            else f"no answer within {args.wait:.0f} s"
        )
        print(f"| {r['setup']} | {r['open']} | {r['kind']} | {r['quiet_ms']} ms | {answer} |")
    if not args.no_save:
        path = common.save_results("halfopen", {"machine": common.machine(), "results": results})
        print(f"\nsaved: {path.relative_to(common.ROOT)}")


if __name__ == "__main__":
    main()
