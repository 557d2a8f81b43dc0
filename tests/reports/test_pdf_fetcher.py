"""The report's URL fetcher: the project's static files and data: URIs, never a file of the server.

An attacker cannot choose the report's HTML, but the fetcher is the last line: whatever URL ends
up in the report (a template mistake, an answer that slips through as markup), it must not read
/etc/passwd, the database or the project's code into a PDF.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from weasyprint.urls import FatalURLFetchingError

from leerscan.reports.pdf import BASE_URL, StaticFileFetcher, report_render_pdf

STATIC = BASE_URL + "static/"
PROJECT = Path(django_settings.BASE_DIR)


@pytest.fixture
def fetcher() -> StaticFileFetcher:
    return StaticFileFetcher()


@pytest.fixture
def collected(tmp_path, settings) -> Path:
    """A collected static root of its own, with the report's stylesheet in it."""
    root = tmp_path / "collected"
    (root / "reports").mkdir(parents=True)
    (root / "reports" / "report.css").write_text("html { color: black; }")
    settings.STATIC_ROOT = str(root)
    return root


def test_it_serves_the_reports_fonts_and_stylesheet(fetcher) -> None:
    font = fetcher.fetch(STATIC + "fonts/DejaVuSans.ttf")
    assert font.read() == (PROJECT / "static" / "fonts" / "DejaVuSans.ttf").read_bytes()
    assert b"@page" in fetcher.fetch(STATIC + "reports/report.css").read()


def test_it_serves_a_name_with_escaped_characters_and_a_query(fetcher, collected) -> None:
    (collected / "reports" / "a b.css").write_text("p {}")
    assert fetcher.fetch(STATIC + "reports/a%20b.css?v=1").read() == b"p {}"


@pytest.mark.parametrize(
    "path",
    [
        "/etc/passwd",
        str(PROJECT / "db.sqlite3"),
        "%2Fetc%2Fpasswd",
        "%2fetc/passwd",
        "\\etc\\passwd",
    ],
)
def test_it_refuses_an_absolute_path_after_static(fetcher, path) -> None:
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch(STATIC + path)


def test_it_refuses_static_double_slash_etc_passwd(fetcher) -> None:
    # The finding of issue 9: Path(STATIC_ROOT) / "/etc/passwd" is /etc/passwd.
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch(STATIC + "/etc/passwd")
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch(BASE_URL + "static//etc/passwd")


@pytest.mark.parametrize(
    "path",
    [
        "../../db.sqlite3",
        "../db.sqlite3",
        "../manage.py",
        "../leerscan/settings.py",
        "reports/../../manage.py",
        "%2e%2e/manage.py",
        "%2E%2E/%2E%2E/etc/passwd",
        "..%2fmanage.py",
        "reports/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "fonts/DejaVuSans.ttf%00.css",
    ],
)
def test_it_refuses_climbing_out_of_the_static_folders(fetcher, path) -> None:
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch(STATIC + path)


def test_it_refuses_the_project_root_even_with_it_as_static_root(fetcher, settings) -> None:
    # Collected files live in their own folder; a path climbing from there into the project,
    # where db.sqlite3 and the settings are, is refused whatever STATIC_ROOT is.
    settings.STATIC_ROOT = str(PROJECT / "staticfiles")
    for path in ("../db.sqlite3", "../leerscan/settings.py", "../.git/config"):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(STATIC + path)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_it_refuses_a_symbolic_link_that_leads_out(fetcher, collected, tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("database password")
    (collected / "reports" / "innocent.css").symlink_to(secret)
    (collected / "etc").symlink_to("/etc", target_is_directory=True)
    for path in ("reports/innocent.css", "etc/passwd", "etc/hostname"):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(STATIC + path)
    # A link that stays inside the static folders is fine (collectstatic --link makes those).
    (collected / "reports" / "alias.css").symlink_to(collected / "reports" / "report.css")
    assert fetcher.fetch(STATIC + "reports/alias.css").read() == b"html { color: black; }"


def test_it_refuses_every_other_address(fetcher) -> None:
    for url in (
        "file:///etc/passwd",
        "https://cdn.example.org/font.ttf",
        "http://127.0.0.1:8000/static/reports/report.css",
        BASE_URL + "beheer/",
        BASE_URL + "staticx/../etc/passwd",
        STATIC,
        STATIC + "reports/",
    ):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)


def test_it_lets_inline_data_through(fetcher) -> None:
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


def test_a_report_that_points_at_a_server_file_is_not_made() -> None:
    # Through WeasyPrint itself: the stylesheet link fails the whole rendering.
    html = '<html><head><link rel="stylesheet" href="/static//etc/passwd"></head><body>x</body>'
    with pytest.raises(FatalURLFetchingError):
        report_render_pdf(html=html)
    image = '<html><body><img src="/static/../../db.sqlite3" alt=""></body></html>'
    with pytest.raises(FatalURLFetchingError):
        report_render_pdf(html=image)
