"""The one background layer (leerscan/background): one model, one status vocabulary, one stale
rule, one retry rule, for every kind. A test kind counts its makes; the real kinds are tested
where they live (group report, progress report, bundles, research export, cohort)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from leerscan.background import services
from leerscan.background.kinds import STALE_SECONDS, Kind, Made, kinds
from leerscan.background.models import Output
from leerscan.background.tasks import output_make_worker_lost, output_queue
from tests.worker import run_queued

pytestmark = pytest.mark.django_db

MADE: list[str] = []


def _make(organisation, params, progress):
    progress(50)
    if params.get("fail"):
        raise RuntimeError("broken")
    MADE.append(params.get("text", ""))
    text = f"{organisation.name}:{params.get('text', '')}".encode()
    return Made(files={"a": text, "b": text.upper()}, count=2)


TEST_KIND = Kind("test_kind", make=_make, files=("a", "b"), keep_seconds=60)


@pytest.fixture(autouse=True)
def test_kind(settings):
    MADE.clear()
    settings.LEERSCAN_OUTPUT_KINDS = [*settings.LEERSCAN_OUTPUT_KINDS, f"{__name__}.TEST_KIND"]
    kinds.cache_clear()
    yield
    kinds.cache_clear()


def ask(organisation, key="v1", **params):
    return output_queue(kind="test_kind", subject=organisation, key=key, params=params)


def status(organisation, key="v1"):
    return services.output_status(kind="test_kind", subject=organisation, key=key)


def test_every_registered_kind_has_a_make_function_and_files():
    names = set(kinds())
    assert {"group_report", "progress_report", "progress_bundle", "research", "cohort"} <= names
    assert all(callable(kind.make) and kind.files for kind in kinds().values())


def test_it_queues_once_makes_once_and_keeps_the_files(bram):
    first = ask(bram.organisation, text="x")
    again = ask(bram.organisation, text="x")

    assert first.state == again.state == "queued" and DBTaskResult.objects.count() == 1
    assert run_queued() == ["made"]
    done = status(bram.organisation)
    assert done.ready and done.count == 2 and done.key == "v1"
    name = bram.organisation.name
    assert (
        services.output_file(kind="test_kind", subject=bram.organisation, key="v1", name="b")
        == f"{name}:X".upper().encode()
    )
    assert ask(bram.organisation).ready and MADE == ["x"]  # asked again: nothing to do


def test_a_newer_key_replaces_the_older_once_made(bram):
    ask(bram.organisation, "v1")
    run_queued()
    ask(bram.organisation, "v2")
    assert status(bram.organisation, "v1").ready  # kept while the new one is made
    run_queued()
    assert status(bram.organisation, "v1").state == "missing"
    assert list(Output.objects.values_list("key", flat=True)) == ["v2"]


def test_a_failure_is_said_then_retried_by_the_next_request(bram, monkeypatch):
    ask(bram.organisation, fail=True)
    with pytest.raises(RuntimeError):
        run_queued()
    assert status(bram.organisation).failed
    assert ask(bram.organisation).failed  # said for a while, not retried in a loop
    later = timezone.now() + datetime.timedelta(seconds=STALE_SECONDS + 1)
    monkeypatch.setattr(services, "_now", lambda: later)
    assert ask(bram.organisation, text="again").state == "queued"


def test_a_running_output_that_stopped_moving_was_abandoned_and_is_taken_over(bram, monkeypatch):
    ask(bram.organisation, text="x")
    Output.objects.update(state=Output.State.RUNNING)  # a worker took it, then died
    assert status(bram.organisation).state == "running"
    later = timezone.now() + datetime.timedelta(seconds=STALE_SECONDS + 1)
    monkeypatch.setattr(services, "_now", lambda: later)
    assert status(bram.organisation).failed
    assert run_queued() == ["made"] and status(bram.organisation).ready


def test_a_dead_worker_s_output_goes_back_to_queued_or_failed_when_given_up(bram):
    ask(bram.organisation)
    output = Output.objects.get()
    Output.objects.update(state=Output.State.RUNNING)
    output_make_worker_lost(output.pk, given_up=False)
    assert status(bram.organisation).state == "queued"
    Output.objects.update(state=Output.State.RUNNING)
    output_make_worker_lost(output.pk, given_up=True)
    assert status(bram.organisation).failed


def test_a_download_makes_it_at_once_and_the_worker_then_finds_it_done(bram):
    ask(bram.organisation, text="x")
    content = services.output_make_now(
        kind="test_kind", subject=bram.organisation, key="v1", params={"text": "x"}
    )
    assert content == f"{bram.organisation.name}:x".encode()
    assert run_queued() == ["stored"] and MADE == ["x"]


def test_an_output_goes_with_what_it_belongs_to(bram, anna_company):
    ask(bram.organisation)
    output_queue(kind="test_kind", subject=anna_company, key="v1")
    run_queued()
    assert Output.objects.count() == 2
    anna_company.delete()
    assert list(Output.objects.values_list("subject", flat=True)) == [
        f"organisation:{bram.organisation.pk}"
    ]


def test_expired_outputs_read_as_missing_and_are_deleted_daily(bram, monkeypatch):
    ask(bram.organisation)
    run_queued()
    later = timezone.now() + datetime.timedelta(seconds=61)
    monkeypatch.setattr(services, "_now", lambda: later)
    assert status(bram.organisation).state == "missing"
    assert services.output_file(kind="test_kind", subject=bram.organisation, key="v1") is None
    call_command("delete_expired_outputs", verbosity=0)
    assert not Output.objects.exists()


def test_the_admin_lists_the_outputs_read_only(staff_client, bram):
    ask(bram.organisation)
    response = staff_client.get(reverse("admin:background_output_changelist"))
    assert response.status_code == 200 and "test_kind" in response.content.decode()
    output = Output.objects.get()
    page = staff_client.get(reverse("admin:background_output_change", args=[output.pk]))
    assert page.status_code == 200 and "%PDF" not in page.content.decode()


def test_a_download_that_cannot_wait_is_made_in_the_language_of_the_page(bram, monkeypatch):
    """A worker holds the output past the wait: the download makes it itself, in the active
    language (as the held row would), not with translation switched off."""
    made_in = []

    def make(organisation, params, progress):
        made_in.append(translation.gettext("Back to your results"))
        return Made(files={"a": b"x", "b": b"x"})

    held = Kind("test_kind", make=make, files=("a", "b"), keep_seconds=60)
    monkeypatch.setattr(services, "kind_named", lambda name: held)
    monkeypatch.setattr(services, "REPORT_RENDER_WAIT_SECONDS", 0)
    with translation.override("nl"):
        ask(bram.organisation)
        Output.objects.update(state=Output.State.RUNNING)  # a worker is making it right now
        services.output_make_now(kind="test_kind", subject=bram.organisation, key="v1")
        dutch = translation.gettext("Back to your results")
    assert dutch != "Back to your results"
    assert made_in == [dutch]
