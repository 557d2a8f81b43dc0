"""Tasks left running by a dead worker (leerscan/background/worker.py): queued again while they have
had fewer than TASK_ATTEMPTS_MAX attempts, then marked failed, visibly to Anna and in the admin.

Anna finishes her scan and looks at her results, which queues her report; a worker started by
report_worker claims it and dies in the middle (killed, crashed). These tests claim the task as
such a worker would and run the rule; test_report_worker.py kills a real worker.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leerscan.background import worker
from leerscan.background.models import Output, TaskWorker
from leerscan.constants import TASK_ATTEMPTS_MAX, WORKER_LOST_SECONDS
from tests.reports.test_tasks import results

pytestmark = pytest.mark.django_db


def claim(worker_id: str, *, alive: bool) -> DBTaskResult:
    """A worker takes the queued task and starts the render (progress 40%), as db_worker does;
    its heartbeat is fresh when it is alive, and gone when it died."""
    row = DBTaskResult.objects.ready().get()
    row.claim(worker_id)
    Output.objects.update(state=Output.State.RUNNING, progress=40, updated_at=timezone.now())
    if alive:
        worker.worker_beat(worker_id=worker_id, pid=4242)
    return row


def dead_worker(n: int = 1) -> str:
    return f"{worker.WORKER_ID_PREFIX}box-dead{n}"


def run_claimed(row: DBTaskResult) -> str:
    row.refresh_from_db()
    result = row.task_result
    return row.task.call(*result.args, **result.kwargs)


def test_it_queues_again_a_task_whose_worker_died_and_the_next_worker_renders_it(
    client, finished
) -> None:
    results(client, finished)
    row = claim(dead_worker(), alive=False)

    recovered = worker.tasks_recover()

    assert recovered.requeued == [str(row.pk)]
    row.refresh_from_db()
    assert row.status == "READY"
    assert row.worker_ids == [dead_worker()]  # the attempt is counted
    # The render's row no longer says "running" for the dead attempt: the next one takes it.
    assert Output.objects.get().state == Output.State.QUEUED
    assert 'data-report-state="queued"' in results(client, finished)
    assert DBTaskResult.objects.count() == 1  # the same task, not a second one
    DBTaskResult.objects.get().claim(f"{worker.WORKER_ID_PREFIX}box-new")
    assert run_claimed(row) == "made"
    assert Output.objects.filter(scan=finished, kind="report", state=Output.State.DONE).exists()


def test_it_leaves_alone_a_task_whose_worker_is_alive(client, finished) -> None:
    results(client, finished)
    row = claim(f"{worker.WORKER_ID_PREFIX}box-alive", alive=True)

    assert worker.tasks_recover() == worker.Recovered()

    row.refresh_from_db()
    assert row.status == "RUNNING"
    assert Output.objects.get().state == Output.State.RUNNING


def test_a_worker_not_heard_of_for_a_minute_counts_as_dead(client, finished) -> None:
    """Its supervisor died as well, or its machine: nobody deleted its heartbeat."""
    results(client, finished)
    row = claim(f"{worker.WORKER_ID_PREFIX}box-silent", alive=True)
    TaskWorker.objects.update(seen_at=timezone.now() - timedelta(seconds=WORKER_LOST_SECONDS - 5))
    assert worker.tasks_recover().requeued == []
    TaskWorker.objects.update(seen_at=timezone.now() - timedelta(seconds=WORKER_LOST_SECONDS + 1))

    assert worker.tasks_recover().requeued == [str(row.pk)]


def test_it_leaves_alone_the_tasks_of_a_worker_it_did_not_start(client, finished) -> None:
    """A plain `manage.py db_worker` keeps no heartbeat: nothing tells whether it lives."""
    results(client, finished)
    row = claim("a-plain-db-worker", alive=False)

    worker.tasks_recover()

    row.refresh_from_db()
    assert row.status == "RUNNING"


def test_after_three_attempts_it_is_marked_failed_and_anna_can_make_it_at_the_download(
    client, finished
) -> None:
    results(client, finished)
    for attempt in range(1, TASK_ATTEMPTS_MAX):
        claim(dead_worker(attempt), alive=False)
        assert len(worker.tasks_recover().requeued) == 1
    row = claim(dead_worker(TASK_ATTEMPTS_MAX), alive=False)

    recovered = worker.tasks_recover()

    assert recovered == worker.Recovered(failed=[str(row.pk)])
    row.refresh_from_db()
    assert row.status == "FAILED"
    assert row.finished_at is not None
    assert row.exception_class_path == "leerscan.background.worker.WorkerLost"
    assert f"each of the {TASK_ATTEMPTS_MAX} attempts" in row.traceback
    assert Output.objects.get().state == Output.State.FAILED
    # Anna's page no longer waits: it says so in plain Dutch and offers the download.
    html = results(client, finished)
    assert 'data-report-state="failed"' in html
    assert "data-report-status=" not in html
    assert "Uw rapport kon niet van tevoren worden gemaakt." in html
    assert reverse("reports:report", args=[finished.token]) in html
    assert DBTaskResult.objects.count() == 1  # not queued again in a loop
    assert worker.tasks_recover() == worker.Recovered()  # and left failed


def test_the_admin_shows_the_task_given_up_and_the_workers_alive(
    client, staff_client, finished
) -> None:
    results(client, finished)
    for attempt in range(1, TASK_ATTEMPTS_MAX + 1):
        claim(dead_worker(attempt), alive=False)
        worker.tasks_recover()
    worker.worker_beat(worker_id=f"{worker.WORKER_ID_PREFIX}box-alive", pid=4242)

    tasks = staff_client.get(
        reverse("admin:django_tasks_database_dbtaskresult_changelist") + "?status__exact=FAILED"
    )
    row = DBTaskResult.objects.get()
    detail = staff_client.get(
        reverse("admin:django_tasks_database_dbtaskresult_change", args=[row.pk])
    ).content.decode()
    workers = staff_client.get(reverse("admin:background_taskworker_changelist")).content.decode()

    assert tasks.status_code == 200
    assert str(row.pk) in tasks.content.decode()
    assert "leerscan.background.worker.WorkerLost" in detail
    assert "the worker died during each of the 3 attempts" in detail
    assert f"{worker.WORKER_ID_PREFIX}box-alive" in workers
    assert "4242" in workers


def test_a_worker_that_stops_forgets_its_heartbeat(transactional_db) -> None:
    # Outside a test transaction, as report_worker runs it: its close_old_connections() closes a
    # connection that is inside an atomic block (PostgreSQL; SQLite's in-memory one stays).
    beat = worker.WorkerHeartbeat(log=lambda message: None)
    arguments = beat.starting()
    assert arguments == ["--worker-id", beat.worker_id]
    assert beat.worker_id.startswith(worker.WORKER_ID_PREFIX) and len(beat.worker_id) <= 64
    beat.started(1234)
    assert TaskWorker.objects.get().pid == 1234

    beat.stopped(0)

    assert not TaskWorker.objects.exists()


def test_a_failing_handler_does_not_stop_the_recovery(client, finished, monkeypatch) -> None:
    results(client, finished)
    row = claim(dead_worker(), alive=False)

    def broken(*args, given_up):
        raise RuntimeError("handler fell over")

    monkeypatch.setitem(worker._lost_handlers, row.task_path, broken)

    assert worker.tasks_recover().requeued == [str(row.pk)]
    row.refresh_from_db()
    assert row.status == "READY"
