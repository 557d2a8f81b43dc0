"""Tasks left running by a dead worker: found, queued again up to a cap, then marked failed.

What django-tasks-db offers, and what not. A task is a DBTaskResult row with a status (READY,
RUNNING, SUCCESSFUL, FAILED) and `worker_ids`, the id of every worker that claimed it, one per
attempt (TaskContext.attempt counts them). A worker that exits as told (SIGTERM, --max-tasks)
finishes its task first; one that dies in the middle (SIGKILL, the OOM killer, a crash in
native code, the machine gone) leaves its task RUNNING for ever: the backend keeps no lease and
no heartbeat, and `prune_db_task_results` deletes only finished rows. This module adds that.

Who is alive: a heartbeat. `manage.py report_worker` (which `make run`, `deploy/run-prod` and
the systemd unit start) gives each db_worker it runs an id of its own (WORKER_ID_PREFIX and the
machine's name), and keeps a TaskWorker row for it: written before the process starts, renewed
every WORKER_HEARTBEAT_SECONDS while it lives, deleted when it exits. A worker whose row is
gone, or not renewed for WORKER_LOST_SECONDS (its supervisor died too, or the machine), is dead.
Why not the task's age: tasks differ in length (a report takes seconds, a bundle of a hundred
progress reports minutes), a heartbeat does not; and why not a process id: workers run on
several machines.

The rule (tasks_recover). A RUNNING task whose last claim was made by a dead worker of ours is
left behind. While it has had fewer than TASK_ATTEMPTS_MAX attempts it is queued again (READY:
any worker takes it, and `worker_ids` keeps counting); after that it is marked FAILED, with
WorkerLost as its exception and the reason as its traceback, which the admin's task list shows.
A cap, because a task can itself be what kills its worker (a report that exhausts memory): run
for ever, it would take every worker down in turn. A task claimed by a worker not started by
report_worker (a plain `manage.py db_worker`) has no heartbeat and is left alone: nothing here
can tell whether that worker lives.

When. Every report_worker runs the rule with each heartbeat, and at once when its own worker
stops in any other way than after its --max-tasks (killed, crashed): a killed worker's task is
queued again within a second, a dead machine's within WORKER_LOST_SECONDS and a heartbeat.

The person waiting. Running a task again must be harmless, and every task here is idempotent.
A task's own record of how far it is (the background layer's Output row, say) still says "running"
for the dead attempt; a handler registered with `on_worker_lost` sets it right: back to queued
for the next attempt, or failed when the task is given up, so the page that polls says so.
"""

from __future__ import annotations

import logging
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from leerscan.background.models import TaskWorker
from leerscan.constants import TASK_ATTEMPTS_MAX, WORKER_LOST_SECONDS

logger = logging.getLogger(__name__)

# The ids report_worker gives its workers start with this; only their tasks are judged here.
WORKER_ID_PREFIX = "leerscan-"
# A dead worker's row stays this long for the admin to show, then goes.
WORKER_ROW_KEEP = timedelta(days=1)


class WorkerLost(Exception):
    """Named on a task given up because its worker died during every attempt."""


# task path -> handler(*task_args, given_up=bool, **task_kwargs)
_lost_handlers: dict[str, Callable[..., None]] = {}


def on_worker_lost(task: Task) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register the handler that sets a task's own state right when its worker died: called with
    the task's arguments and `given_up` (False: it is queued again; True: marked failed)."""

    def register(handler: Callable[..., None]) -> Callable[..., None]:
        _lost_handlers[task.module_path] = handler
        return handler

    return register


def worker_id_new() -> str:
    """A new worker id: the prefix, this machine's name and a random part (db_worker allows 64)."""
    host = socket.gethostname().split(".")[0][:32] or "host"
    return f"{WORKER_ID_PREFIX}{host}-{secrets.token_hex(6)}"


def worker_beat(*, worker_id: str, pid: int | None = None) -> None:
    """Write the worker's heartbeat now (a row for it, made if it is missing)."""
    now = timezone.now()
    defaults: dict = {"seen_at": now, "host": socket.gethostname()[:255]}
    if pid is not None:
        defaults["pid"] = pid
    TaskWorker.objects.update_or_create(worker_id=worker_id, defaults=defaults)


def worker_gone(*, worker_id: str) -> None:
    """Forget the worker's heartbeat: it has stopped (tasks it left running are now orphans)."""
    TaskWorker.objects.filter(worker_id=worker_id).delete()


def task_priority_raise(*, task: Task, args: list, priority: int) -> int:
    """Raise the priority of the queued (not yet claimed) runs of `task` with exactly these
    arguments to `priority`, for a worker to take them before lower ones; how many were raised.
    A run already claimed, or already that high, is left alone (nothing is written then)."""
    queued = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=task.module_path,
        priority__lt=priority,
        # The first argument narrows it down in the database (a key lookup both SQLite and
        # PostgreSQL index the same way); the whole list is compared here.
        args_kwargs__args__0=args[0],
    ).only("id", "args_kwargs")
    ids = [row.pk for row in queued if row.args_kwargs.get("args") == list(args)]
    if not ids:
        return 0
    return DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.READY).update(
        priority=priority
    )


@dataclass
class Recovered:
    """What tasks_recover did: the ids of the tasks queued again and of those given up."""

    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _alive_workers(now) -> set[str]:
    lost_before = now - timedelta(seconds=WORKER_LOST_SECONDS)
    return set(
        TaskWorker.objects.filter(seen_at__gte=lost_before).values_list("worker_id", flat=True)
    )


def _tell(row: DBTaskResult, *, given_up: bool) -> None:
    """Call the task's handler; its failure is logged, never stops the recovery of others."""
    try:
        row.task  # noqa: B018 (imports the task's module, which registers its handler)
        handler = _lost_handlers.get(row.task_path)
        if handler is not None:
            handler(*row.args_kwargs["args"], given_up=given_up, **row.args_kwargs["kwargs"])
    except Exception:
        logger.exception("The handler of task %s (%s) failed", row.pk, row.task_path)


def tasks_recover() -> Recovered:
    """Queue again each task that a dead worker of ours left running, or mark it failed once it
    has had TASK_ATTEMPTS_MAX attempts (the rule in this module's docstring)."""
    now = timezone.now()
    alive = _alive_workers(now)
    TaskWorker.objects.filter(seen_at__lt=now - WORKER_ROW_KEEP).delete()
    done = Recovered()
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only(
        "id", "worker_ids", "started_at", "task_path", "args_kwargs"
    )
    for row in running:
        last = row.worker_ids[-1] if row.worker_ids else ""
        if not last.startswith(WORKER_ID_PREFIX) or last in alive:
            continue
        attempts = len(row.worker_ids)
        # Only if nobody changed it meanwhile (another report_worker recovering it too).
        still = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        )
        if attempts < TASK_ATTEMPTS_MAX:
            if still.update(status=TaskResultStatus.READY, started_at=None):
                logger.warning(
                    "Task %s (%s) was left running by a dead worker (%s); queued again "
                    "(attempt %d of %d next)",
                    row.pk,
                    row.task_path,
                    last,
                    attempts + 1,
                    TASK_ATTEMPTS_MAX,
                )
                _tell(row, given_up=False)
                done.requeued.append(str(row.pk))
        else:
            reason = (
                f"{WorkerLost.__module__}.{WorkerLost.__qualname__}: the worker died during "
                f"each of the {attempts} attempts of this task (the last: {last}); given up.\n"
            )
            marked = still.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=reason,
            )
            if marked:
                logger.error(
                    "Task %s (%s): its worker died during all %d attempts; marked failed",
                    row.pk,
                    row.task_path,
                    attempts,
                )
                _tell(row, given_up=True)
                done.failed.append(str(row.pk))
    return done


class WorkerHeartbeat:
    """The heartbeat `manage.py report_worker` keeps for each db_worker it runs, and the rule
    it runs with each beat and whenever its worker stops (see the module's docstring).

    A database error (the database restarting) is logged and the next beat tries again: the
    supervisor must outlive what its worker would not."""

    def __init__(self, log: Callable[[str], None] | None = None) -> None:
        self.worker_id = ""
        self.log = log or logger.warning

    def starting(self) -> list[str]:
        """A new worker id, registered before its process starts: db_worker's arguments."""
        self.worker_id = worker_id_new()
        self._safely(lambda: worker_beat(worker_id=self.worker_id))
        return ["--worker-id", self.worker_id]

    def started(self, pid: int) -> None:
        self._safely(lambda: worker_beat(worker_id=self.worker_id, pid=pid))

    def beat(self) -> None:
        self._safely(lambda: worker_beat(worker_id=self.worker_id))
        self._recover()

    def stopped(self, code: int) -> None:
        self._safely(lambda: worker_gone(worker_id=self.worker_id))
        if code != 0:
            self._recover()

    def _recover(self) -> None:
        recovered = self._safely(tasks_recover)
        if recovered and recovered.requeued:
            self.log(f"report_worker: queued again, left by a dead worker: {recovered.requeued}")
        if recovered and recovered.failed:
            self.log(f"report_worker: given up after {TASK_ATTEMPTS_MAX}: {recovered.failed}")

    def _safely(self, action: Callable):
        close_old_connections()
        try:
            return action()
        except DatabaseError as exc:
            self.log(f"report_worker: the heartbeat could not reach the database ({exc})")
            connection.close()
            return None
