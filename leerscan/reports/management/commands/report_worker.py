"""Run the task worker (`db_worker`) and start a fresh one every --max-tasks tasks.

Why: a process that renders reports grows by about 57 KB a render inside Pango's line layout
(native code; docs/performance.md, "Memory over 1,000 renders"). A worker that exits after a
bounded number of tasks and is started again keeps its memory flat, as gunicorn's max_requests
does for the app servers. `make run`, `deploy/run-prod` and the systemd unit all start this.

Ctrl-C or SIGTERM reaches the running worker, which finishes the task it is running (as
db_worker does on its own), and then this command stops instead of starting another.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Sequence

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def supervise(argv: Sequence[str], *, cwd: str | None = None, log=None) -> int:
    """Run argv again and again while it exits with 0; return the first other exit code, or 0
    once a SIGINT/SIGTERM to this process has been passed on and the child has stopped."""
    stopping = False
    child: subprocess.Popen | None = None

    def pass_on(signum, _frame):
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    previous = {sig: signal.signal(sig, pass_on) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        runs = 0
        while True:
            child = subprocess.Popen(list(argv), cwd=cwd)  # noqa: S603 (our own fixed argv)
            runs += 1
            if log:
                log(f"report_worker: worker {runs} started (pid {child.pid})")
            code = child.wait()
            if stopping:
                return 0
            if code != 0:
                return code
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class Command(BaseCommand):
    help = (
        "Runs the task worker (manage.py db_worker) and starts a fresh one after every "
        "--max-tasks tasks, so a worker's memory stays flat; stops on Ctrl-C or SIGTERM."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-tasks",
            type=int,
            default=settings.LEERSCAN_WORKER_MAX_TASKS,
            help="tasks per worker process before a fresh one starts "
            "(default LEERSCAN_WORKER_MAX_TASKS, %(default)s)",
        )

    def handle(self, *args, max_tasks: int, **options):
        if max_tasks < 1:
            raise CommandError("--max-tasks must be at least 1")
        argv = [sys.executable, "-m", "django", "db_worker", "--max-tasks", str(max_tasks)]
        code = supervise(argv, cwd=str(settings.BASE_DIR), log=self.stdout.write)
        if code:
            raise CommandError(f"the task worker stopped with exit code {code}")
