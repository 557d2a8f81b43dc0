"""The background layer's one task: make a queued output (leerscan/background/services.py), run
by the task worker (`manage.py report_worker`); and the request that queues it."""

from __future__ import annotations

from django.db import models, transaction
from django.utils import timezone
from django_tasks import task

from leerscan.background.models import Output
from leerscan.background.services import (
    QUEUED,
    RUNNING,
    OutputStatus,
    output_peek,
    output_queued_id,
    output_run,
    output_status,
    output_take,
)
from leerscan.background.worker import on_worker_lost, task_priority_raise
from leerscan.constants import REPORT_PRIORITY_WAITING as OUTPUT_PRIORITY_WAITING


@task()
def output_make(output_id: int) -> str:
    """Make one queued output and store it (see output_run)."""
    return output_run(output_id=output_id)


@on_worker_lost(output_make)
def output_make_worker_lost(output_id: int, *, given_up: bool) -> None:
    """The worker making this output died: back to queued for the next attempt, or failed when
    the task is given up (its page then says so and offers to try again)."""
    state = Output.State.FAILED if given_up else Output.State.QUEUED
    Output.objects.filter(pk=output_id, state=RUNNING).update(
        state=state, progress=0, updated_at=timezone.now()
    )


def output_queue(
    *,
    kind: str,
    subject: models.Model,
    key: str,
    language: str | None = None,
    params: dict | None = None,
    priority: int = 0,
    waiting: bool = False,
) -> OutputStatus:
    """Ask for an output: queued for the worker unless it is done, queued or being made (a
    failed, abandoned or expired one is queued again: the retry rule); how far it is.

    `priority`: the queue's order (the worker takes the highest first, then the oldest).
    `waiting`: someone is waiting for it right now, so it goes before the others: queued at, or
    raised to, OUTPUT_PRIORITY_WAITING."""
    status, free = output_peek(kind=kind, subject=subject, key=key, language=language)
    if not free:
        if waiting and status.state == QUEUED:
            output_hurry(kind=kind, subject=subject, key=key, language=language)
        return status
    # The row and the task are stored together or not at all (the database backend writes the
    # task in the same database), so a queued row always has a task behind it.
    with transaction.atomic():
        row = output_take(
            kind=kind, subject=subject, key=key, language=language, params=params or {}, to=QUEUED
        )
        if row is not None:
            chosen = OUTPUT_PRIORITY_WAITING if waiting else priority
            output_make.using(priority=chosen).enqueue(row.pk)
    return output_status(kind=kind, subject=subject, key=key, language=language)


def output_hurry(*, kind: str, subject: models.Model, key: str, language: str | None = None) -> int:
    """Someone is waiting for this queued output: its task goes before the others; how many
    were raised (nothing is written when it is already raised or taken)."""
    queued = output_queued_id(kind=kind, subject=subject, key=key, language=language)
    if queued is None:
        return 0
    return task_priority_raise(task=output_make, args=[queued], priority=OUTPUT_PRIORITY_WAITING)
