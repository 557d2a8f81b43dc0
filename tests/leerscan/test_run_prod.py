"""`make run-prod`'s server, started the same way (deploy/run-prod) on a free port: production
settings, gunicorn, hashed static files, the task worker when the project has one.

The database is a fresh SQLite file. The static files are those `make setup` collected (as
`make run-prod` serves them; `make test` runs `make setup` first), unless they are missing or
older than a source file: then they are collected into a temporary folder, through a two-line
settings module that moves STATIC_ROOT, as perf/ does. The project's own files stay untouched.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def collected_for_production(static_root: Path) -> bool:
    """Whether `make setup` collected the static files with their manifest, after every change."""
    manifest = static_root / "staticfiles.json"
    if not manifest.exists():
        return False
    collected = manifest.stat().st_mtime
    return all(f.stat().st_mtime <= collected for f in (ROOT / "static").rglob("*") if f.is_file())


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """deploy/run-prod on a free port with a key file, a SQLite database and collected files."""
    tmp = tmp_path_factory.mktemp("run-prod")
    static_root = ROOT / "staticfiles"
    collect = not collected_for_production(static_root)
    if collect:
        static_root = tmp / "static"
    (tmp / "runprod_settings.py").write_text(
        f"from leerscan.settings import *  # noqa: F403\nSTATIC_ROOT = {str(static_root)!r}\n"
    )
    key_file = tmp / "secret_key"
    key_file.write_text("a-generated-key-" + "k" * 50 + "\n")
    key_file.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LEERSCAN_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "runprod_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT)]),
        "PYTHON": sys.executable,
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "DJANGO_SECRET_KEY_FILE": str(key_file),
        "PORT": str(free_port()),
    }
    # What `make setup` does with production settings, in one process.
    commands = ["('migrate', '--noinput')", "('createcachetable',)"]
    if collect:
        commands.append("('collectstatic', '--noinput')")
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.core.management import call_command; django.setup()\n"
            f"for command in [{', '.join(commands)}]: call_command(*command, verbosity=0)",
        ],
        cwd=ROOT,
        env=env | {"DJANGO_DEBUG": "False"},
        check=True,
        timeout=300,
    )
    log = tmp / "run-prod.log"
    process = subprocess.Popen(
        [str(ROOT / "deploy" / "run-prod")],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if fetch(base + "/gezond/")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "no answer within 60 s:\n" + log.read_text()
            time.sleep(0.25)
        yield base, process, log
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def test_it_serves_the_landing_page_in_production_settings(production_server):
    base, _process, _log = production_server

    status, headers, body = fetch(base + "/")

    assert status == 200
    assert headers["Server"].startswith("gunicorn")
    assert "Leerscan" in body.decode()
    # DEBUG off: an unknown page is the friendly 404, not Django's technical page.
    status, _headers, body = fetch(base + "/bestaat-niet/")
    assert status == 404
    assert "URLconf" not in body.decode()


def test_it_serves_the_hashed_static_files_for_a_year(production_server):
    base, _process, _log = production_server
    page = fetch(base + "/")[2].decode()
    stylesheet = re.search(r'href="(/static/css/leerscan\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page links the hashed file name from the manifest"

    status, headers, body = fetch(base + stylesheet[1])

    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "max-age=315360000" in headers["Cache-Control"]
    assert body


def test_it_starts_the_task_worker_when_the_project_has_one(production_server):
    _base, process, log = production_server
    output = log.read_text()
    if "report_worker" in get_commands():
        assert "task worker started" in output
    else:
        assert "no task worker" in output
    assert process.poll() is None  # both still running


def test_it_keeps_serving_and_starts_a_new_worker_when_the_worker_is_killed(production_server):
    base, process, log = production_server
    if "report_worker" not in get_commands():
        pytest.skip("this version has no task worker")
    started = re.compile(r"task worker started \(manage\.py report_worker, pid (\d+)\)")
    worker = int(started.findall(log.read_text())[-1])

    os.kill(worker, signal.SIGKILL)

    answers = []
    deadline = time.monotonic() + 30
    while len(started.findall(log.read_text())) < 2:
        assert time.monotonic() < deadline, "no new worker:\n" + log.read_text()
        answers.append(fetch(base + "/gezond/")[0])
        time.sleep(0.2)
    assert answers and set(answers) == {200}  # the site answered all the while
    assert process.poll() is None
    assert int(started.findall(log.read_text())[-1]) != worker


def test_it_stops_gunicorn_and_the_worker_on_sigterm(production_server):
    base, process, _log = production_server

    process.send_signal(signal.SIGTERM)  # to the script alone, as a supervisor would
    process.wait(timeout=30)

    with pytest.raises(OSError):
        fetch(base + "/gezond/")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)  # any process of the group (gunicorn, worker) left?
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        pytest.fail("a process of run-prod outlived it")
