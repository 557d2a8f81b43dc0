"""Bram asks for the group report of his table: the page queues it, the worker renders it in the
background while the page shows how far it is, and the download is instant once it is done (and
renders at once before that). Below three finished participants there is no report; Carla never
gets Bram's.

Most tests lay out a stand-in PDF (the layout itself is test_group_report_layout.py's subject).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from leerscan.advisers import report as group_report
from leerscan.advisers.group import Dot, GroupRow
from leerscan.advisers.models import Leertafel, Participant
from leerscan.background.models import Output
from tests.advisers.test_exports import ANNA_ITEMS, join_finished
from tests.personas import ANNA_PROFILE
from tests.personas_more import BAKERY_FACTS, BAKERY_ITEMS, BAKERY_PROFILE
from tests.worker import run_queued

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
REPORT_URLS = ("advisers:group_report", "advisers:group_report_pdf")


@pytest.fixture
def layouts(monkeypatch) -> list[str]:
    """Every layout of a group report, with a stand-in PDF that says which render it was."""
    done: list[str] = []

    def layout(*, html: str, progress=None) -> bytes:
        if progress:
            progress(80)
        done.append(html)
        return f"%PDF-group {len(done)}".encode()

    monkeypatch.setattr(group_report, "report_render_pdf", layout)
    return done


@pytest.fixture
def table_of_three(leertafel) -> list[Participant]:
    return [
        join_finished(leertafel, ANNA_PROFILE, ANNA_ITEMS, show_name=True),
        join_finished(leertafel, BAKERY_PROFILE, BAKERY_ITEMS, BAKERY_FACTS),
        join_finished(
            leertafel, BAKERY_PROFILE | {"organisation_name": "Bakkerij Sneek"}, BAKERY_ITEMS
        ),
    ]


def page(client, leertafel, **headers) -> str:
    response = client.get(reverse("advisers:group_report", args=[leertafel.pk]), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_it_queues_the_report_and_shows_that_it_is_being_made(
    bram_client, leertafel, table_of_three, layouts
):
    html = page(bram_client, leertafel)
    queued = DBTaskResult.objects.ready().get()
    assert queued.task_path == "leerscan.background.tasks.output_make"
    output = Output.objects.get(pk=queued.task_result.args[0])
    assert (output.kind, output.leertafel) == ("group_report", leertafel)
    assert 'data-report-state="queued"' in html
    assert "Uw rapport wordt gemaakt…" in html
    assert "<progress" in html
    # Without JavaScript: a refresh link; with it, htmx asks the page again.
    assert f"{reverse('advisers:group_report', args=[leertafel.pk])}?ververs=" in html
    assert 'hx-trigger="every 2s"' in html
    assert "vendor/htmx/htmx.min.js" in html
    # Looking again does not queue it twice.
    page(bram_client, leertafel)
    assert DBTaskResult.objects.ready().count() == 1
    assert layouts == []


def test_the_worker_renders_it_and_the_download_is_instant_afterwards(
    bram_client, leertafel, table_of_three, layouts, monkeypatch
):
    page(bram_client, leertafel)
    assert run_queued() == ["made"]
    html = page(bram_client, leertafel)
    assert 'data-report-state="done"' in html
    assert "hx-get" not in html  # nothing to wait for: no polling

    def must_not_render(**kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(group_report, "report_render_pdf", must_not_render)
    response = bram_client.get(reverse("advisers:group_report_pdf", args=[leertafel.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-group 1"
    assert response["Content-Disposition"] == (
        'attachment; filename="leertafel-leertafel-techniek-emmen-2026-12-03-groepsrapport.pdf"'
    )


def test_the_task_renders_a_version_once(bram_client, leertafel, table_of_three, layouts):
    page(bram_client, leertafel)
    task = DBTaskResult.objects.ready().get()
    args = task.task_result.args
    assert run_queued() == ["made"]
    assert task.task.call(*args) == "stored"
    assert len(layouts) == 1


def test_the_htmx_poll_gets_only_the_status(bram_client, leertafel, table_of_three, layouts):
    page(bram_client, leertafel)
    html = page(bram_client, leertafel, HTTP_HX_REQUEST="true")
    assert html.lstrip().startswith('<div id="groepsrapport"')
    assert "<html" not in html


def test_a_download_before_the_worker_renders_it_at_once(
    bram_client, leertafel, table_of_three, layouts
):
    page(bram_client, leertafel)  # queued, but no worker has run
    response = bram_client.get(reverse("advisers:group_report_pdf", args=[leertafel.pk]))
    assert response.status_code == 200
    assert response.content == b"%PDF-group 1"
    # The worker finds it done and leaves it.
    assert run_queued() == ["stored"]
    assert len(layouts) == 1


def test_with_the_immediate_backend_the_page_renders_it_there(
    bram_client, leertafel, table_of_three, layouts, settings
):
    settings.TASKS = IMMEDIATE
    html = page(bram_client, leertafel)
    assert 'data-report-state="done"' in html
    assert "Uw rapport is klaar." in html  # awaits the Dutch translations


def test_a_changed_consent_makes_a_new_report(bram_client, leertafel, table_of_three, layouts):
    page(bram_client, leertafel)
    run_queued()
    anna = table_of_three[0]
    anna.show_name = False
    anna.save()
    html = page(bram_client, leertafel)
    assert 'data-report-state="queued"' in html
    run_queued()
    response = bram_client.get(reverse("advisers:group_report_pdf", args=[leertafel.pk]))
    assert response.content == b"%PDF-group 2"
    assert "Annas Adviesbureau" in layouts[0]
    assert "Annas Adviesbureau" not in layouts[1]


def test_a_version_that_changed_while_queued_is_skipped_not_rendered(
    bram_client, leertafel, table_of_three, layouts
):
    """During a session the table changes faster than the worker renders: a queued version that
    is no longer the leertafel's is dropped by the worker, and only the current one is made."""
    page(bram_client, leertafel)  # queues the version of three participants
    join_finished(leertafel, ANNA_PROFILE | {"organisation_name": "Vierde BV"}, ANNA_ITEMS)
    page(bram_client, leertafel)  # queues the version of four
    assert Output.objects.filter(state=Output.State.QUEUED).count() == 2
    assert run_queued() == ["outdated", "made"]
    assert len(layouts) == 1 and "4 organisaties hebben de scan afgerond" in layouts[0]
    current = group_report.group_report_version(leertafel=Leertafel.objects.get(pk=leertafel.pk))
    assert list(Output.objects.values_list("key", flat=True)) == [current]


def test_a_render_that_fails_says_so_and_the_button_renders_it_again(
    bram_client, leertafel, table_of_three, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(group_report, "report_render_pdf", broken)
    page(bram_client, leertafel)
    with pytest.raises(RuntimeError):
        run_queued()
    html = page(bram_client, leertafel)
    assert 'data-report-state="failed"' in html
    response = bram_client.get(reverse("advisers:group_report_pdf", args=[leertafel.pk]))
    assert response.status_code == 503


def test_it_makes_no_report_below_three_finished_participants(bram_client, leertafel, layouts):
    join_finished(leertafel, ANNA_PROFILE, ANNA_ITEMS, show_name=True)
    join_finished(leertafel, BAKERY_PROFILE, BAKERY_ITEMS, BAKERY_FACTS)
    html = page(bram_client, leertafel)
    assert "vanaf 3" in html  # awaits the Dutch translations
    assert "groepsrapport.pdf" not in html
    assert not DBTaskResult.objects.exists()
    response = bram_client.get(reverse("advisers:group_report_pdf", args=[leertafel.pk]))
    assert response.status_code == 409
    assert layouts == []


def test_the_leertafel_page_links_to_the_report(bram_client, leertafel):
    response = bram_client.get(reverse("advisers:leertafel", args=[leertafel.pk]))
    assert reverse("advisers:group_report", args=[leertafel.pk]) in response.content.decode()


@pytest.mark.parametrize("name", REPORT_URLS)
def test_carla_gets_a_404_for_brams_report(carla_client, leertafel, table_of_three, name):
    assert carla_client.get(reverse(name, args=[leertafel.pk])).status_code == 404


@pytest.mark.parametrize("name", REPORT_URLS)
def test_it_sends_anonymous_visitors_to_the_login_page(client, leertafel, name):
    response = client.get(reverse(name, args=[leertafel.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("advisers:login"))


def test_it_draws_a_large_table_as_columns_instead_of_a_dot_each():
    def row(count: int) -> GroupRow:
        dots = [Dot(Decimal(2 + i % 3), "Naam" if i % 4 == 0 else None) for i in range(count)]
        return GroupRow(
            "taken",
            "Inhoud van het werk",
            count,
            Decimal(3),
            Decimal(1),
            dots,
            Decimal("4.2"),
            Decimal("4.1"),
            [],
        )

    small = group_report._plot(row(group_report.PLOT_DOTS_MAX))
    assert len(small.dots) == group_report.PLOT_DOTS_MAX and small.columns == []
    large = group_report._plot(row(200))
    assert large.dots == []
    assert [round(c.x + group_report.DOT_RADIUS) for c in large.columns] == [22, 41, 59]
    # Every column rests on the axis; the named part is at its foot and no taller than it.
    for column in large.columns:
        assert round(column.top + column.height, 2) == round(large.axis_y - 0.4, 2)
        assert 0 < column.named_height <= column.height
