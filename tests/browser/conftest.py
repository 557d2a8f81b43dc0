"""Browser fixtures: Debian's Chromium driven by Playwright against `live_server`, plus axe.

Chromium is the system one (/usr/bin/chromium); Playwright never downloads a browser here.
Without Chromium or the playwright package the browser tests are skipped on a developer's
machine, but CI sets LEERSCAN_REQUIRE_BROWSER=1 and then they fail loudly instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# Fail fast: a page of this app answers in well under a second on the live server.
ACTION_TIMEOUT_MS = 10_000


def _browser_unavailable(reason: str) -> NoReturn:
    if os.environ.get("LEERSCAN_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"LEERSCAN_REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}",
            pytrace=False,
        )
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session; each test gets fresh contexts."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_unavailable(
            "the playwright package is missing (pip install -r requirements-dev.txt)"
        )
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        _browser_unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")

    # Playwright's sync API runs an event loop in the main thread; Django's ORM, used by the
    # test process itself (fixtures, assertions), would then refuse to run synchronously.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_context(browser) -> Iterator[Callable[..., Any]]:
    """Open a browser context (another person or device): Dutch, desktop size unless told."""
    contexts = []

    def open_context(**options: Any) -> Any:
        settings = {"locale": "nl-NL", **DESKTOP, **options}
        context = browser.new_context(**settings)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context) -> Any:
    """A page in a Dutch desktop browser (1280 x 900)."""
    return new_context().new_page()


@pytest.fixture
def phone_page(new_context) -> Any:
    """A page in a Dutch phone-sized browser (390 x 844, touch)."""
    return new_context(**PHONE).new_page()


@pytest.fixture
def scan_data(transactional_db) -> None:
    """The monitor's benchmarks, the item bank and the instruments, as `make setup` loads them."""
    call_command("benchmark_set_load", verbosity=0)
    call_command("item_bank_load", verbosity=0)
    call_command("instrument_library_load", verbosity=0)


@pytest.fixture(scope="session")
def axe_check(browser) -> Callable[[Any, str], None]:
    """Run axe-core (bundled with axe-playwright-python) on a page; demand zero violations."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        _browser_unavailable("the axe-playwright-python package is missing")

    axe = Axe()

    from playwright.sync_api import Error as PlaywrightError

    def run(page: Any) -> list[dict[str, Any]]:
        # A test waits for the page it means (its URL or heading) before it calls this. Should a
        # redirect or a late navigation still replace the document while axe runs, axe finds no
        # document ("reading 'documentElement'") or loses its context: wait, and run it again.
        for attempt in range(3):
            page.wait_for_load_state("load")
            try:
                return axe.run(page).response["violations"]
            except PlaywrightError as error:
                navigated = "documentElement" in str(error) or "context was destroyed" in str(error)
                if not navigated or attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def check(page: Any, what: str) -> None:
        violations = run(page)
        lines = []
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                target = ", ".join(str(t) for t in node["target"])
                summary = " ".join(
                    line.strip() for line in node.get("failureSummary", "").splitlines()[1:]
                )
                lines.append(f"    {target}: {summary}")
        if violations:
            pytest.fail(
                f"axe found {len(violations)} violation(s) on {what} ({page.url}):\n"
                + "\n".join(lines),
                pytrace=False,
            )

    return check
