"""What a task worker does with the queue, for tests that use the database backend the site uses
(settings.TASKS) and run the queued tasks themselves."""

from __future__ import annotations

from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult


def run_queued(task: Task | None = None) -> list[str]:
    """Run every queued task (or only those of `task`), oldest first, as a worker would: the
    results of the runs."""
    outcomes = []
    queued = DBTaskResult.objects.ready().order_by("enqueued_at")
    if task is not None:
        queued = queued.filter(task_path=task.module_path)
    for row in queued:
        result = row.task_result
        row.delete()  # taken off the queue, as the worker claims it
        outcomes.append(row.task.call(*result.args, **result.kwargs))
    return outcomes
