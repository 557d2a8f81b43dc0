"""Run the task workers (`db_worker`), start a fresh one every --max-tasks tasks, start a new one
when one dies, and keep their heartbeats.

How many (--workers, LEERSCAN_TASK_WORKERS): one per CPU core by default, at most 4. A worker
renders one report at a time, and a report is CPU work (1–2 s of WeasyPrint), so a leertafel of
twenty finishing at once waits for one core if there is one worker, and for all of them with one
per core. The web processes keep their priority: the workers run at a lower one (nice 10 in
deploy/run-prod, Nice= and CPUWeight= in the systemd unit), so they take only the CPU the app
servers leave. Not more than the cores: a second render on the same core only makes both slower.
At most 4 by default because each takes about 165 MB (docs/performance.md); set more on purpose.

Why a fresh worker every --max-tasks: a process that renders reports grows by about 57 KB a
render inside Pango's line layout (native code; docs/performance.md, "Memory over 1,000
renders"). A worker that exits after a bounded number of tasks and is started again keeps its
memory flat, as gunicorn's max_requests does for the app servers. `make run`, `deploy/run-prod`
and the systemd unit all start this.

A worker that dies (killed, crashed: any exit but 0) is started again after a pause, 1 s at
first and doubling, up to a minute, while each new one dies within a minute: a worker that
cannot start (no database) is retried without spinning. The heartbeat (WorkerHeartbeat in
leerscan/background/worker.py) tells every report_worker which workers live; a task a dead worker
left running is queued again, up to a cap, then marked failed.

Ctrl-C or SIGTERM reaches the running worker, which finishes the task it is running (as
db_worker does on its own), and then this command stops instead of starting another. The worker
is told to stop (SIGTERM) when this process dies, even by SIGKILL (Linux), so that no worker
runs on without a heartbeat.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from leerscan.background.worker import WorkerHeartbeat
from leerscan.constants import WORKER_HEARTBEAT_SECONDS

PR_SET_PDEATHSIG = 1  # linux/prctl.h
# A worker that lived this long before dying is restarted after the first pause again.
PAUSE_FIRST, PAUSE_MAX = 1.0, 60.0


def _stop_with_parent(parent: int) -> Callable[[], None]:
    """What the worker runs before it starts: SIGTERM to it when its parent dies (Linux). For
    Linux the parent is the thread that started it, which lives as long as the child does
    (supervise: a thread waits for each child); when the process dies, every thread does."""

    def arrange() -> None:
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            return  # not Linux: the worker may outlive a killed supervisor
        if os.getppid() != parent:  # the parent died before the line above
            os.kill(os.getpid(), signal.SIGTERM)

    return arrange


def describe(code: int) -> str:
    """A child's end as Popen reports it: "exit code 1", "signal SIGKILL"."""
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def supervise(
    argv: Sequence[str],
    *,
    workers: int = 1,
    cwd: str | None = None,
    log: Callable[[str], None] | None = None,
    heartbeats: Callable[[], WorkerHeartbeat] | None = None,
    pause: float = PAUSE_FIRST,
) -> int:
    """Keep `workers` copies of argv running: each started again at once after it exits with 0,
    after a pause after any other end; return 0 once a SIGINT/SIGTERM to this process has been
    passed on to them and they have stopped. With heartbeats (which makes one heartbeat per
    place), each child gets its worker id and is watched (module docstring)."""
    stop = threading.Event()
    children: list[subprocess.Popen | None] = [None] * workers
    log = log or (lambda message: None)

    def pass_on(signum, _frame):
        stop.set()
        for child in list(children):
            if child is not None and child.poll() is None:
                child.send_signal(signum)

    previous = {sig: signal.signal(sig, pass_on) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        # One thread per place waits for its child; this (the main) thread takes the signals.
        places = [
            threading.Thread(
                target=_keep,
                args=(argv, place, children, stop),
                kwargs={"cwd": cwd, "log": log, "heartbeats": heartbeats, "pause": pause},
                name=f"report_worker-{place + 1}",
                daemon=True,
            )
            for place in range(workers)
        ]
        for thread in places:
            thread.start()
        while any(thread.is_alive() for thread in places):
            for thread in places:
                thread.join(timeout=0.2)
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _keep(
    argv: Sequence[str],
    place: int,
    children: list[subprocess.Popen | None],
    stop: threading.Event,
    *,
    cwd: str | None,
    log: Callable[[str], None],
    heartbeats: Callable[[], WorkerHeartbeat] | None,
    pause: float,
) -> None:
    """One place of supervise(): its worker started again and again until `stop` is set."""
    heartbeat = heartbeats() if heartbeats else None
    name = "worker" if len(children) == 1 else f"worker {place + 1}:"
    runs = 0
    wait = pause
    try:
        while not stop.is_set():
            extra = heartbeat.starting() if heartbeat else []
            started = time.monotonic()
            child = subprocess.Popen(  # noqa: S603 (our own fixed argv)
                [*argv, *extra], cwd=cwd, preexec_fn=_stop_with_parent(os.getpid())
            )
            children[place] = child
            if stop.is_set():  # the signal came while it was starting: pass it on here
                child.send_signal(signal.SIGTERM)
            runs += 1
            log(f"report_worker: {name} {runs} started (pid {child.pid})")
            if heartbeat:
                heartbeat.started(child.pid)
            while True:
                try:
                    code = child.wait(timeout=WORKER_HEARTBEAT_SECONDS)
                    break
                except subprocess.TimeoutExpired:
                    if heartbeat:
                        heartbeat.beat()
            if heartbeat:
                heartbeat.stopped(code)
            if stop.is_set():
                return
            if code == 0:
                continue  # its --max-tasks done: the next one at once
            wait = pause if time.monotonic() - started >= PAUSE_MAX else wait
            log(f"report_worker: {name} {runs} stopped ({describe(code)}); a new one in {wait:g} s")
            stop.wait(wait)
            wait = min(wait * 2, PAUSE_MAX)
    finally:
        connections.close_all()  # this thread's database connection (the heartbeat's)


class Command(BaseCommand):
    help = (
        "Runs --workers task workers (manage.py db_worker), starts a fresh one after every "
        "--max-tasks tasks and a new one when one dies, and queues again what a dead worker "
        "left running; stops on Ctrl-C or SIGTERM."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-tasks",
            type=int,
            default=settings.LEERSCAN_WORKER_MAX_TASKS,
            help="tasks per worker process before a fresh one starts "
            "(default LEERSCAN_WORKER_MAX_TASKS, %(default)s)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.LEERSCAN_TASK_WORKERS,
            help="worker processes, each rendering one report at a time "
            "(default LEERSCAN_TASK_WORKERS: the CPU cores, at most 4; here %(default)s)",
        )

    def handle(self, *args, max_tasks: int, workers: int, **options):
        if max_tasks < 1:
            raise CommandError("--max-tasks must be at least 1")
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        # --no-reload: the process this one starts must be the one that runs the tasks, for its
        # heartbeat and its death to mean the tasks' (with DEBUG, db_worker would otherwise run
        # them in a child of its own, to reload on code changes: restart `make run` instead).
        argv = [
            *(sys.executable, "-m", "django", "db_worker", "--no-reload"),
            *("--max-tasks", str(max_tasks)),
        ]
        supervise(
            argv,
            workers=workers,
            cwd=str(settings.BASE_DIR),
            log=self.stdout.write,
            heartbeats=lambda: WorkerHeartbeat(log=self.stdout.write),
        )
