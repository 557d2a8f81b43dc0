"""`manage.py report_worker`: a fresh db_worker every --max-tasks tasks (docs/performance.md), a
new one when it dies, and the task a killed worker left running made by the next one.

The supervision is tried with small scripts in the worker's place; the last test runs the real
command against a SQLite file, kills its worker with SIGKILL in the middle of Anna's report and
sees the report made by the worker that follows, as docs/reliability.md describes.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from leerscan.reports.management.commands.report_worker import supervise

ROOT = Path(__file__).resolve().parents[2]
# Anna's task, in django-tasks-db's table.
TASK_ROW = "SELECT status, worker_ids, return_value FROM django_tasks_database_dbtaskresult"


class Recorder:
    """A heartbeat that writes down what report_worker tells it."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def starting(self) -> list[str]:
        self.calls.append(("starting",))
        return ["extra-argument"]

    def started(self, pid: int) -> None:
        self.calls.append(("started",))

    def beat(self) -> None:
        self.calls.append(("beat",))

    def stopped(self, code: int) -> None:
        self.calls.append(("stopped", code))


def terminate_when(condition, *, timeout: float = 30) -> None:
    """SIGTERM to this process (the supervisor) once condition() holds, from a thread."""

    def watch():
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                os.kill(os.getpid(), signal.SIGTERM)
                return
            time.sleep(0.05)

    threading.Thread(target=watch, daemon=True).start()


def test_it_starts_a_fresh_worker_after_max_tasks_and_a_new_one_when_one_dies(tmp_path):
    """The first worker ends after its tasks (exit 0), the second is killed (SIGKILL), the third
    crashes (exit 7): each is followed by a new one, which is told its arguments, until SIGTERM."""
    runs = tmp_path / "runs"
    script = (
        "import os, pathlib, signal, sys, time; p = pathlib.Path(sys.argv[1]); "
        "n = len(p.read_text()) + 1 if p.exists() else 1; p.write_text('x' * n); "
        "assert sys.argv[2] == 'extra-argument'; "
        "signal.signal(signal.SIGTERM, lambda *a: sys.exit(0)); "
        "n == 1 and sys.exit(0); n == 2 and os.kill(os.getpid(), signal.SIGKILL); "
        "n == 3 and sys.exit(7); time.sleep(30)"
    )
    heartbeat = Recorder()
    terminate_when(lambda: runs.exists() and len(runs.read_text()) == 4)

    code = supervise(
        [sys.executable, "-c", script, str(runs)],
        heartbeats=lambda: heartbeat,
        pause=0.05,
        log=print,
    )

    assert code == 0
    assert runs.read_text() == "xxxx"  # stopped by the SIGTERM, not before
    stops = [call[1] for call in heartbeat.calls if call[0] == "stopped"]
    assert stops == [0, -signal.SIGKILL, 7, 0]
    assert heartbeat.calls.count(("starting",)) == 4


def test_it_passes_sigterm_on_and_then_stops(tmp_path):
    """SIGTERM to the supervisor reaches the worker (which finishes its task and exits) and no new
    worker is started after it."""
    started = tmp_path / "started"
    script = (
        "import pathlib, signal, sys, time; p = pathlib.Path(sys.argv[1]); "
        "p.write_text(p.read_text() + 'x' if p.exists() else 'x'); "
        "signal.signal(signal.SIGTERM, lambda *a: sys.exit(0)); time.sleep(30)"
    )
    terminate_when(started.exists)
    began = time.monotonic()
    assert supervise([sys.executable, "-c", script, str(started)]) == 0
    assert time.monotonic() - began < 20
    assert started.read_text() == "x"  # stopped, not restarted


def test_it_runs_several_workers_side_by_side_and_stops_them_all(tmp_path):
    """Three places: three workers at once, each with a heartbeat of its own; one that dies is
    replaced while the others run on; one SIGTERM stops every one of them."""
    running = tmp_path / "running"
    running.mkdir()
    # The first worker to start dies at once (only one can make the file "died").
    script = (
        "import os, pathlib, signal, sys, time\n"
        "d = pathlib.Path(sys.argv[1]); f = d / str(os.getpid())\n"
        "signal.signal(signal.SIGTERM, lambda *a: (f.unlink(missing_ok=True), sys.exit(0)))\n"
        "f.write_text('')\n"
        "try:\n"
        "    os.close(os.open(d / 'died', os.O_CREAT | os.O_EXCL)); f.unlink(); sys.exit(3)\n"
        "except FileExistsError:\n"
        "    time.sleep(30)\n"
    )
    heartbeats = []

    def heartbeat() -> Recorder:
        heartbeats.append(Recorder())
        return heartbeats[-1]

    def three_running() -> bool:
        return (running / "died").exists() and len(list(running.iterdir())) == 4

    terminate_when(three_running)

    code = supervise(
        [sys.executable, "-c", script, str(running)],
        workers=3,
        heartbeats=heartbeat,
        pause=0.05,
        log=print,
    )

    assert code == 0
    assert [entry.name for entry in running.iterdir()] == ["died"]  # each stopped by the SIGTERM
    assert len(heartbeats) == 3
    stops = sorted(
        call[1] for recorder in heartbeats for call in recorder.calls if "stopped" in call
    )
    assert stops == [0, 0, 0, 3]  # three stopped by the SIGTERM, one died and was replaced


def test_it_refuses_fewer_than_one_worker():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("report_worker", workers=0)


def test_it_refuses_a_max_tasks_below_one():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("report_worker", max_tasks=0)


# --- the real command, its worker killed in the middle of a render ----------------------------

SETUP = """
import django
django.setup()
from django.core.management import call_command
from django.utils import translation
from leerscan.reports.tasks import report_queue
from leerscan.scans import services
from tests.personas import ANNA_PROFILE, answer_items, fact
from leerscan.scans.questions import NO, YES

for command in ("migrate", "benchmark_set_load", "item_bank_load", "instrument_library_load"):
    call_command(command, verbosity=0)
scan = services.scan_start()
services.scan_save_profile(scan=scan, data=ANNA_PROFILE)
answer_items(scan, {"taken": 3, "ruimte_veiligheid": 3, "samenwerken": 3, "leiderschap": 5,
    "organisatie_inrichting": 3, "externe_omgeving": 3, "leren_essentieel": 4,
    "feedback_reflectie": 4, "leren_in_doelen": 4, "opleidingsplekken": 4, "meten_resultaten": 2})
services.scan_save_facts(scan=scan, step=4, answers={"belang_leren": fact(number=7),
    "pct_deelname": fact(number=40), "uren_per_deelnemer": fact(dont_know=True)})
services.scan_save_facts(scan=scan, step=5, answers={"promotieregeling": fact(choice=NO),
    "functioneringsregeling": fact(choice=NO), "scholingsregeling": fact(choice=YES),
    "hr_afdeling": fact(choice=NO), "instrumenten": fact(choices=["feedback"]),
    "belemmering_missen": fact(number=5)})
scan = services.scan_finish(scan=scan)
with translation.override("nl"):
    report_queue(scan=scan)  # what showing her results page does
print(scan.pk)
"""


def query(database: Path, sql: str, *args):
    with sqlite3.connect(database, timeout=20) as connection:
        return connection.execute(sql, args).fetchone()


@pytest.fixture
def worker_sandbox(tmp_path):
    """A SQLite file with Anna's finished scan and her report queued; the environment for it."""
    (tmp_path / "worker_settings.py").write_text("from leerscan.settings import *  # noqa: F403\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LEERSCAN_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "worker_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_DEBUG": "True",
        "DJANGO_LOG_LEVEL": "WARNING",
        "LEERSCAN_CACHE_DIR": str(tmp_path / "cache"),
    }
    made = subprocess.run(
        [sys.executable, "-c", SETUP],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return tmp_path / "db.sqlite3", env, int(made.stdout.split()[-1])


def test_a_worker_killed_mid_render_is_replaced_and_the_next_one_makes_the_report(
    worker_sandbox, tmp_path
):
    database, env, scan_id = worker_sandbox
    log = tmp_path / "report_worker.log"
    supervisor = subprocess.Popen(
        [sys.executable, "manage.py", "report_worker"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # Wait for the worker to start Anna's render, then kill the worker that renders it.
        deadline = time.monotonic() + 120
        while (
            query(database, "SELECT state FROM background_output WHERE kind = 'report'")[0]
            != "running"
        ):
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.01)
        _status, worker_ids, _returned = query(database, TASK_ROW)
        killed = json.loads(worker_ids)[-1]
        (pid,) = query(database, "SELECT pid FROM reports_taskworker WHERE worker_id = ?", killed)
        os.kill(pid, signal.SIGKILL)
        stored = (
            "SELECT count(*) FROM background_output"
            " WHERE scan_id = ? AND kind = 'report' AND state = 'done'"
        )
        assert query(database, stored, scan_id) == (0,), "rendered before the kill"

        deadline = time.monotonic() + 120
        while query(database, stored, scan_id) == (0,):
            assert time.monotonic() < deadline, "no report:\n" + log.read_text()
            assert supervisor.poll() is None, "report_worker stopped:\n" + log.read_text()
            time.sleep(0.2)

        # The report is stored a moment before the task records its end: wait for that too.
        while (status := query(database, TASK_ROW)[0]) == "RUNNING":
            assert time.monotonic() < deadline, "task not ended:\n" + log.read_text()
            time.sleep(0.05)
        status, worker_ids, returned = query(database, TASK_ROW)
        assert status == "SUCCESSFUL"
        assert json.loads(returned) == "made"  # by the worker, not left for a download
        assert len(json.loads(worker_ids)) == 2 and json.loads(worker_ids)[0] == killed
        assert supervisor.poll() is None
        assert "stopped (signal SIGKILL)" in log.read_text()

        # report_worker itself killed: its worker is told to stop (SIGTERM) and does.
        (pid,) = query(database, "SELECT pid FROM reports_taskworker")
        os.kill(supervisor.pid, signal.SIGKILL)
        supervisor.wait()
        deadline = time.monotonic() + 20
        while Path(f"/proc/{pid}").exists():
            assert time.monotonic() < deadline, "the worker outlived report_worker"
            time.sleep(0.1)
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGTERM)
            supervisor.wait(timeout=60)
