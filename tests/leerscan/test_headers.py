"""Security headers a browser reads: a Content-Security-Policy without unsafe-inline, a
Permissions-Policy, noindex on the PDF; and pages that need nothing inline to look right."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from leerscan import ratelimit
from leerscan.scans import services

ROOT = Path(__file__).resolve().parents[2]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def finished(anna_scan):
    services.scan_finish(scan=anna_scan)
    return anna_scan


def _pages(scan) -> dict[str, str]:
    return {
        "landing": reverse("scans:landing"),
        "step": reverse("scans:step", args=[scan.token, 2]),
        "results": reverse("reports:results", args=[scan.token]),
        "pdf": reverse("reports:report", args=[scan.token]),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["landing", "step", "results", "pdf"])
def test_it_sends_a_content_security_policy_without_unsafe_inline(client, finished, page) -> None:
    response = client.get(_pages(finished)[page])
    assert response.status_code == 200
    policy = _policy(response)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["landing", "step", "results", "pdf"])
def test_it_switches_off_browser_features_no_page_uses(client, finished, page) -> None:
    response = client.get(_pages(finished)[page])
    features = dict(item.strip().split("=") for item in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


@pytest.mark.django_db
def test_the_pdf_is_not_indexed_and_not_stored(client, finished) -> None:
    response = client.get(_pages(finished)["pdf"])
    assert response["Content-Type"] == "application/pdf"
    assert "noindex" in response["X-Robots-Tag"]
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}


@pytest.mark.django_db
def test_the_public_pages_are_not_marked_noindex(client, scan_data) -> None:
    # The landing and privacy pages are meant to be found.
    for name in ("scans:landing", "scans:privacy"):
        assert "X-Robots-Tag" not in client.get(reverse(name))


# --- Nothing inline --------------------------------------------------------------------------

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
_STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
_STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
_JS_URL = re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)


def _inline_problems(html: str) -> list[str]:
    problems = []
    for name, pattern in (
        ("inline script", _INLINE_SCRIPT),
        ("style element", _STYLE_ELEMENT),
        ("style attribute", _STYLE_ATTRIBUTE),
        ("event handler", _HANDLER),
        ("javascript: URL", _JS_URL),
    ):
        problems += [f"{name}: {m.group(0)}" for m in pattern.finditer(html)]
    return problems


@pytest.mark.django_db
def test_no_page_needs_inline_script_or_style(client, finished, rf) -> None:
    token = finished.token
    urls = [
        reverse("scans:landing"),
        reverse("scans:privacy"),
        reverse("scans:start"),
        *(reverse("scans:step", args=[token, step]) for step in range(1, 7)),
        reverse("scans:review", args=[token]),
        reverse("reports:results", args=[token]),
        reverse("scans:delete", args=[token]),
        reverse("scans:send_link", args=[token]),
        reverse("scans:step", args=[token, 1]) + "?nieuw=1",  # with the QR code
        "/bestaat-niet/",
        reverse("admin:login"),
    ]
    client.get(reverse("scans:resume", args=[token]))  # the landing page offers the scan
    pages = {url: client.get(url) for url in urls}
    pages["429"] = ratelimit.too_many_requests(rf.get("/"), 60)
    pages["lockout"] = ratelimit.login_locked_out(rf.get("/"))
    for url, response in pages.items():
        assert response.status_code in (200, 404, 429), url
        assert _inline_problems(response.content.decode()) == [], url


# --- Cookies, HSTS and the database ----------------------------------------------------------


@pytest.mark.django_db
def test_the_language_cookie_is_same_site_and_http_only(client, scan_data) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"]
    # Sent over HTTPS only whenever the session cookie is (in production).
    assert bool(cookie["secure"]) == django_settings.SESSION_COOKIE_SECURE


def _production_setting(*names: str, **env: str) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    production = {
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": "a-production-secret-that-is-long-enough-and-varied-0123456789-xyz",
        "DJANGO_ALLOWED_HOSTS": "leerscan.example.nl",
        "DJANGO_SETTINGS_MODULE": "leerscan.settings",
    }
    code = "from django.conf import settings\n" + "".join(
        f"print(repr(settings.{name}))\n" for name in names
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env={**clean, **production, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split("\n")[: len(names)]


def test_production_sends_hsts_without_preload_unless_asked() -> None:
    seconds, preload, secure = _production_setting(
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_PRELOAD", "LANGUAGE_COOKIE_SECURE"
    )
    assert int(seconds) >= 31536000
    assert preload == "False"
    assert secure == "True"
    (preload,) = _production_setting("SECURE_HSTS_PRELOAD", DJANGO_SECURE_HSTS_PRELOAD="True")
    assert preload == "True"


@pytest.mark.django_db
def test_sqlite_overwrites_deleted_rows() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("secure_delete is a SQLite setting")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1
