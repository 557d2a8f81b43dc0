"""Reports rendered in the background: queued by the results page, rendered once by the worker,
downloaded at once when done, and never lost when the worker stops.

Anna finishes her scan and looks at her results; the worker (`manage.py db_worker`) renders her
report meanwhile. Most tests use the database backend the site uses (settings.TASKS) and run the
queued task themselves; one runs the real worker command.
"""

from __future__ import annotations

import signal
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from leerscan.background import services as background_services
from leerscan.background.models import Output
from leerscan.background.tasks import output_make
from leerscan.constants import REPORT_PRIORITY_BACKGROUND, REPORT_PRIORITY_WAITING
from leerscan.reports import services as report_services
from leerscan.reports import tasks
from leerscan.scans import services
from leerscan.scans.models import Scan
from tests.personas import anna_scan_make, answer_items
from tests.worker import run_queued

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def results(client, scan: Scan) -> str:
    response = client.get(reverse("reports:results", args=[scan.token]))
    assert response.status_code == 200
    return response.content.decode()


def stored_pdfs(scan: Scan) -> list[tuple[int, str]]:
    """The stored reports of the scan: (answers version, language)."""
    rows = Output.objects.filter(scan=scan, kind="report", state=Output.State.DONE)
    return [
        (int(key.split(":")[0]), language) for key, language in rows.values_list("key", "language")
    ]


def output_of(scan: Scan, language: str = "nl") -> int:
    """The id of the scan's report row (what the task is given)."""
    return Output.objects.get(scan=scan, kind="report", language=language).pk


def must_not_render(**kwargs):
    raise AssertionError("rendered again")


def test_it_queues_the_report_when_the_results_are_shown(client, finished) -> None:
    html = results(client, finished)
    queued = DBTaskResult.objects.ready().get()
    assert queued.task_path == "leerscan.background.tasks.output_make"
    assert queued.task_result.args == [output_of(finished)]
    output = Output.objects.get()
    assert (output.kind, output.scan, output.language) == ("report", finished, "nl")
    assert output.key.startswith(f"{finished.answers_version}:")
    assert "Uw rapport wordt gemaakt…" in html
    assert reverse("reports:report_status", args=[finished.token]) in html
    assert "<progress" in html  # an indeterminate bar: waiting for the worker
    # The download is there all the time: before the worker is done it renders at once.
    assert reverse("reports:report", args=[finished.token]) in html
    assert stored_pdfs(finished) == []


def test_it_queues_each_version_once(client, finished) -> None:
    results(client, finished)
    results(client, finished)
    client.get(reverse("reports:report_status", args=[finished.token]))
    assert DBTaskResult.objects.count() == 1


def claim() -> DBTaskResult | None:
    """The task a db_worker takes next: its own claim query (django-tasks-db's Worker.run)."""
    tasks = DBTaskResult.objects.ready().filter(backend_name="default")
    with exclusive_transaction(tasks.db):
        return tasks.get_locked()


def test_a_report_waits_behind_other_work_until_its_page_asks_for_it(client, finished) -> None:
    results(client, finished)
    assert DBTaskResult.objects.get().priority == REPORT_PRIORITY_BACKGROUND
    client.get(reverse("reports:report_status", args=[finished.token]))
    assert DBTaskResult.objects.get().priority == REPORT_PRIORITY_WAITING


def test_the_refresh_link_without_javascript_also_says_someone_is_waiting(client, finished):
    results(client, finished)
    client.get(reverse("reports:results", args=[finished.token]) + "?ververs=1")
    assert DBTaskResult.objects.get().priority == REPORT_PRIORITY_WAITING


def test_the_worker_takes_the_report_someone_is_waiting_for_first(client, finished) -> None:
    # Three owners finished; Anna's report was queued first, but only the third owner's page is
    # still open and asking.
    others = [services.scan_finish(scan=anna_scan_make()) for _ in range(2)]
    for scan in (finished, *others):
        results(client, scan)
    client.get(reverse("reports:report_status", args=[others[1].token]))
    first = claim()
    assert first.task_result.args[0] == output_of(others[1])
    first.claim("test-worker")
    assert claim().task_result.args[0] == output_of(finished)  # then the oldest of the rest


def test_a_report_someone_waits_for_goes_before_other_tasks(client, finished) -> None:
    results(client, finished)
    run_queued()
    other = services.scan_finish(scan=anna_scan_make())
    results(client, other)
    output_make.using(priority=0).enqueue(0)  # e.g. an export
    assert claim().priority == 0  # a report nobody waits for goes after it
    client.get(reverse("reports:report_status", args=[other.token]))
    assert claim().task_result.args[0] == output_of(other)


def test_only_the_waiting_version_and_language_are_raised(client, finished) -> None:
    results(client, finished)
    with translation.override("en"):
        tasks.report_queue(scan=finished)
    tasks.report_hurry(scan=finished)
    language = dict(Output.objects.values_list("pk", "language"))
    by_language = {
        language[row.task_result.args[0]]: row.priority for row in DBTaskResult.objects.ready()
    }
    assert by_language == {"nl": REPORT_PRIORITY_WAITING, "en": REPORT_PRIORITY_BACKGROUND}
    assert tasks.report_hurry(scan=finished) == 0  # already raised: nothing written


def test_the_worker_renders_it_and_the_page_offers_the_download(client, finished) -> None:
    results(client, finished)
    assert run_queued() == ["made"]
    assert stored_pdfs(finished) == [(finished.answers_version, "nl")]
    html = results(client, finished)
    assert "Uw rapport wordt gemaakt…" not in html
    download = reverse("reports:report", args=[finished.token])
    assert f'class="btn btn-primary" href="{download}"' in html
    assert "data-report-status=" not in html  # nothing left to ask
    assert DBTaskResult.objects.count() == 0  # and nothing queued again


def test_the_download_is_instant_once_the_report_is_stored(client, finished, monkeypatch) -> None:
    results(client, finished)
    run_queued()
    monkeypatch.setattr(report_services, "report_render_pdf", must_not_render)
    response = client.get(reverse("reports:report", args=[finished.token]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_a_download_before_the_worker_renders_at_once_and_the_task_then_does_nothing(
    client, finished, monkeypatch
) -> None:
    results(client, finished)
    response = client.get(reverse("reports:report", args=[finished.token]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    monkeypatch.setattr(report_services, "report_render_pdf", must_not_render)
    assert run_queued() == ["stored"]
    assert stored_pdfs(finished) == [(finished.answers_version, "nl")]


def test_a_task_run_twice_renders_once(client, finished, monkeypatch) -> None:
    results(client, finished)
    output = output_of(finished)
    assert output_make.call(output) == "made"
    monkeypatch.setattr(report_services, "report_render_pdf", must_not_render)
    assert output_make.call(output) == "stored"
    assert stored_pdfs(finished) == [(finished.answers_version, "nl")]


def test_changing_an_answer_queues_the_new_version_and_skips_the_old(client, finished) -> None:
    results(client, finished)
    old = finished.answers_version
    answer_items(finished, {"taken_kern": 6})
    # Saving the changed answer leads back to the results page through the review page.
    html = results(client, finished)
    new = Scan.objects.get(pk=finished.pk).answers_version
    assert new > old
    assert "Uw rapport wordt gemaakt…" in html
    assert run_queued() == ["outdated", "made"]
    assert stored_pdfs(finished) == [(new, "nl")]
    assert [key.split(":")[0] for key in Output.objects.values_list("key", flat=True)] == [str(new)]


def test_an_answer_changed_during_the_render_is_not_stored_as_current(
    client, finished, monkeypatch
) -> None:
    results(client, finished)
    render = report_services.report_render_pdf

    def render_while_anna_changes_an_answer(**kwargs):
        answer_items(finished, {"taken_kern": 6})
        return render(**kwargs)

    monkeypatch.setattr(report_services, "report_render_pdf", render_while_anna_changes_an_answer)
    run_queued()
    # What was made is kept under the version it was asked for; the current one is not ready,
    # so the page asks for it (and the download makes it) instead of serving the old render.
    scan = Scan.objects.get(pk=finished.pk)
    assert not report_services.report_status(scan=scan).ready
    assert 'data-report-state="queued"' in results(client, scan)


def test_a_deleted_scan_is_not_rendered(client, finished, monkeypatch) -> None:
    results(client, finished)
    services.scan_delete(scan=finished)
    monkeypatch.setattr(report_services, "report_render_pdf", must_not_render)
    assert run_queued() == ["gone"]
    assert not Output.objects.exists()


def test_each_language_gets_its_own_report(client, finished, settings) -> None:
    results(client, finished)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = results(client, finished)
    assert "Your report is being made…" in html
    assert run_queued() == ["made", "made"]
    assert sorted(stored_pdfs(finished)) == [
        (finished.answers_version, "en"),
        (finished.answers_version, "nl"),
    ]


def test_the_status_shows_the_progress_and_then_the_download(client, finished) -> None:
    results(client, finished)
    url = reverse("reports:report_status", args=[finished.token])
    Output.objects.update(state=Output.State.RUNNING, progress=40)
    response = client.get(url)
    assert response["Cache-Control"] == "private, no-store"
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<div id="rapport" class="report-status"')
    assert 'data-report-state="running"' in fragment
    assert 'value="40"' in fragment
    assert f'data-report-status="{url}"' in fragment
    Output.objects.update(state=Output.State.QUEUED, progress=0)
    run_queued()
    fragment = client.get(url).content.decode()
    assert 'data-report-state="done"' in fragment
    assert "data-report-status=" not in fragment
    assert reverse("reports:report", args=[finished.token]) in fragment


def test_the_status_of_an_unfinished_scan_is_not_shown(client, anna_scan) -> None:
    response = client.get(reverse("reports:report_status", args=[anna_scan.token]))
    assert response.status_code == 302
    assert not DBTaskResult.objects.exists()


def test_a_render_abandoned_by_a_killed_worker_is_queued_again(client, finished) -> None:
    results(client, finished)
    DBTaskResult.objects.all().delete()  # the worker took it and died: its task is gone
    Output.objects.update(
        state=Output.State.RUNNING,
        progress=40,
        updated_at=timezone.now() - timedelta(minutes=10),
    )
    html = results(client, finished)
    assert "Uw rapport wordt gemaakt…" in html
    assert DBTaskResult.objects.ready().count() == 1
    assert run_queued() == ["made"]
    assert stored_pdfs(finished) == [(finished.answers_version, "nl")]


def test_a_worker_told_to_stop_mid_render_leaves_it_to_be_queued_again(
    client, finished, monkeypatch
) -> None:
    results(client, finished)

    def stopped(**kwargs):
        raise SystemExit(1)  # the worker's second SIGTERM: "terminating current task"

    monkeypatch.setattr(report_services, "report_render_pdf", stopped)
    with pytest.raises(SystemExit):
        run_queued()  # the worker marks the task failed; it does not run it again
    monkeypatch.undo()
    results(client, finished)
    assert run_queued() == ["made"]


def test_a_failed_render_offers_the_download_that_makes_it_now(
    client, finished, monkeypatch
) -> None:
    results(client, finished)

    def broken(**kwargs):
        raise RuntimeError("layout engine fell over")

    monkeypatch.setattr(report_services, "report_render_pdf", broken)
    with pytest.raises(RuntimeError):
        run_queued()
    html = results(client, finished)
    assert 'data-report-state="failed"' in html
    assert "data-report-status=" not in html
    assert not DBTaskResult.objects.exists()  # not retried at once, in a loop
    monkeypatch.undo()
    response = client.get(reverse("reports:report", args=[finished.token]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert 'data-report-state="done"' in results(client, finished)


def test_a_download_waits_for_the_render_in_progress_instead_of_rendering_twice(
    client, finished, monkeypatch
) -> None:
    results(client, finished)
    Output.objects.update(state=Output.State.RUNNING, progress=80)

    def worker_finishes_meanwhile(seconds):
        Output.objects.update(state=Output.State.DONE, content=b"%PDF-the worker's")

    monkeypatch.setattr(background_services.time, "sleep", worker_finishes_meanwhile)
    monkeypatch.setattr(report_services, "report_render_pdf", must_not_render)
    response = client.get(reverse("reports:report", args=[finished.token]))
    assert response.content == b"%PDF-the worker's"


def test_with_the_immediate_backend_the_results_page_renders_it_there(
    client, finished, settings
) -> None:
    settings.TASKS = IMMEDIATE
    html = results(client, finished)
    assert 'data-report-state="done"' in html
    assert stored_pdfs(finished) == [(finished.answers_version, "nl")]


@pytest.mark.django_db(transaction=True)
def test_a_restarted_worker_finishes_what_was_queued(client, finished) -> None:
    # Queued while no worker runs (stopped, or not started yet).
    results(client, finished)
    assert DBTaskResult.objects.ready().count() == 1
    assert stored_pdfs(finished) == []
    # The worker starts again: the real command, processing everything queued, then exiting.
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
        )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert DBTaskResult.objects.get().return_value == "made"
    assert stored_pdfs(finished) == [(finished.answers_version, "nl")]
    assert 'data-report-state="done"' in results(client, finished)
