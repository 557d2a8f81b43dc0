"""The pages of the abuse fixes, on a phone and on a laptop, with axe (zero violations): the join
page that refuses an address after too many wrong codes, and Bram deleting his leertafel through
its confirmation page."""

from __future__ import annotations

import pytest
from django.utils import translation

from leerscan.advisers.models import Leertafel
from leerscan.advisers.views.join import ADDRESS_REFUSED_MESSAGE
from tests.browser import test_adviser_pages
from tests.browser.conftest import PHONE
from tests.browser.test_self_scan import button, expect_no_horizontal_scrolling, nl

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails in CI, with the reason
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

leertafel = test_adviser_pages.leertafel  # Bram's leertafel in Leeuwarden (a fixture)


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_refused_join_page_passes_axe(
    new_context, live_server, leertafel, axe_check, settings, size
):
    settings.LEERSCAN_RATE_LIMITS = {**settings.LEERSCAN_RATE_LIMITS, "join_code_failed": (2, 600)}
    page = new_context(**(PHONE if size == "phone" else {})).new_page()
    for code in ("KKKKMM", "KKKKMN", leertafel.code):
        page.goto(live_server.url + "/doe-mee/")
        page.get_by_label(nl("Code")).fill(code)
        button(page, "Next").click()
    # Even the right code is refused now, with the reason next to the field.
    feedback = page.locator(".invalid-feedback")
    expect(feedback).to_contain_text(_refused_lead())
    axe_check(page, "the join page refusing an address")
    expect_no_horizontal_scrolling(page)


def _refused_lead() -> str:
    """The refusal up to its time, as the visitor sees it."""
    with translation.override("nl"):
        return str(ADDRESS_REFUSED_MESSAGE).split("%(time)s")[0].strip()


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_bram_deletes_his_leertafel_through_its_confirmation(
    new_context, live_server, leertafel, axe_check, size
):
    page = new_context(**(PHONE if size == "phone" else {})).new_page()
    test_adviser_pages.log_in(page, live_server)
    page.goto(f"{live_server.url}/adviseur/leertafel/{leertafel.pk}/")
    page.get_by_role("link", name=nl("Delete this leertafel")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Delete the leertafel?"))
    axe_check(page, "deleting a leertafel")
    expect_no_horizontal_scrolling(page)
    button(page, "Yes, delete the leertafel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Your leertafels"))
    expect(page.get_by_role("status")).to_contain_text(leertafel.name)
    axe_check(page, "the dashboard after deleting")
    assert not Leertafel.objects.filter(pk=leertafel.pk).exists()
