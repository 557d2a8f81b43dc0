"""The Content-Security-Policy in a real browser: no page of the scan breaks it, with the
page's own script running (copy button, folding, the report's progress), on a desktop and a
phone. Chromium reports every refused script, style or image as a securitypolicyviolation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leerscan.scans import services
from tests.browser.conftest import PHONE
from tests.browser.test_self_scan import nl, start_scan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def _violations(page) -> list[str]:
    return page.evaluate("window.cspViolations")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_no_page_of_the_scan_breaks_the_policy(new_context, live_server, anna_scan, device) -> None:
    context = new_context(**(PHONE if device == "phone" else {}))
    context.add_init_script(LISTEN)
    page = context.new_page()
    seen = {}

    start_scan(page, live_server)  # the landing page, "Begin", step 1 with the private link
    page.get_by_text(nl("Continue on another device, or get the link by e-mail")).click()
    seen["step 1 with the QR code"] = _violations(page)

    services.scan_finish(scan=anna_scan)
    for name, url in {
        "a step": reverse("scans:step", args=[anna_scan.token, 4]),
        "the review": reverse("scans:review", args=[anna_scan.token]),
        "the results": reverse("reports:results", args=[anna_scan.token]),
        "the privacy page": reverse("scans:privacy"),
    }.items():
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        seen[name] = _violations(page)
        assert page.evaluate("document.styleSheets.length") >= 2, name  # Bootstrap and ours

    assert seen == dict.fromkeys(seen, [])
