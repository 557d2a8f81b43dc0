"""Anna's report while the worker makes it: the results page says so, and shows the download as
soon as it is done, without a reload when JavaScript runs and with a refresh link when it does not.
"""

from __future__ import annotations

import pytest
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from leerscan.scans import services

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails in CI, with the reason
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def nl(msgid: str) -> str:
    """The Dutch a person sees for an English msgid (the msgid itself while untranslated)."""
    with translation.override("nl"):
        return translation.gettext(msgid)


def run_the_worker() -> None:
    """What `manage.py db_worker` does with the queued render."""
    for row in DBTaskResult.objects.ready():
        result = row.task_result
        row.delete()
        row.task.call(*result.args, **result.kwargs)


def test_the_download_appears_when_the_worker_is_done(
    new_context, live_server, axe_check, anna_scan
) -> None:
    scan = services.scan_finish(scan=anna_scan)
    page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    page.goto(f"{live_server.url}/scan/{scan.token}/resultaten/")
    status = page.locator("#rapport")
    expect(status).to_contain_text(nl("Your report is being made…"))
    expect(status.get_by_role("progressbar")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    axe_check(page, "the results page while the report is made")

    run_the_worker()
    # leerscan.js asks every two seconds; the box then offers the download, and says no more
    # that the report is being made.
    download = status.get_by_role("link", name=nl("Download the advice report (PDF)"))
    expect(download).to_have_class("btn btn-primary", timeout=8000)
    expect(status).not_to_contain_text(nl("Your report is being made…"))
    with page.expect_download() as download_info:
        download.click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    axe_check(page, "the results page with the report ready")


def test_without_javascript_a_refresh_shows_the_download(
    new_context, live_server, anna_scan
) -> None:
    scan = services.scan_finish(scan=anna_scan)
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/scan/{scan.token}/resultaten/")
    status = page.locator("#rapport")
    expect(status).to_contain_text(nl("Your report is being made…"))
    run_the_worker()
    status.get_by_role("link", name=nl("Refresh this page")).click()
    expect(status).not_to_contain_text(nl("Your report is being made…"))
    expect(status.get_by_role("link", name=nl("Download the advice report (PDF)"))).to_have_class(
        "btn btn-primary"
    )
