"""Scan tokens never reach a log: Django's request logging, the development server's request
lines, CSRF refusals and gunicorn's access and error logs write /scan/<token>/ instead."""

from __future__ import annotations

import datetime
import logging
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from leerscan.logs import RedactTokens, redact

TOKEN = "Ab3_-" + "x" * 27  # 32 URL-safe characters, as a real token


def test_it_redacts_a_token_in_a_path() -> None:
    assert redact(f"Not Found: /scan/{TOKEN}/stap/1/") == "Not Found: /scan/<token>/stap/1/"
    assert redact(f"GET /scan/{TOKEN}/adviesrapport.pdf?x=1") == (
        "GET /scan/<token>/adviesrapport.pdf?x=1"
    )
    assert redact(f"https://leerscan.nl/scan/{TOKEN}") == "https://leerscan.nl/scan/<token>"


def test_it_leaves_other_paths_alone() -> None:
    for text in ("/scan/", "/scan/stap/1/", f"/scan/{TOKEN}extra/", "/privacy/", "Not Found: /"):
        assert redact(text) == text


def test_the_filter_redacts_message_arguments_and_traceback() -> None:
    try:
        raise ValueError(f"while showing /scan/{TOKEN}/controle/")
    except ValueError:
        import sys

        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "%s: %s",
        ("Bad Request", f"/scan/{TOKEN}/"),
        exc_info,
    )
    assert RedactTokens().filter(record)
    line = logging.Formatter().format(record)
    assert TOKEN not in line
    assert "/scan/<token>/" in line


@pytest.mark.django_db
def test_a_404_on_a_token_url_logs_no_token(client, scan_data, caplog) -> None:
    url = f"/scan/{TOKEN}/resultaten/"
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(url).status_code == 404
    assert "Not Found: /scan/<token>/resultaten/" in caplog.text
    assert TOKEN not in caplog.text


@pytest.mark.django_db
def test_a_400_on_a_step_logs_no_token(client, anna_scan, caplog) -> None:
    url = reverse("scans:step", args=[anna_scan.token, 1])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.post(url, {"employees": "veel"}).status_code == 400
    assert "Bad Request: /scan/<token>/stap/1/" in caplog.text
    assert anna_scan.token not in caplog.text


@pytest.mark.django_db
def test_a_csrf_refusal_logs_no_token(anna_scan, caplog) -> None:
    url = reverse("scans:step", args=[anna_scan.token, 1])
    with caplog.at_level(logging.WARNING):
        assert Client(enforce_csrf_checks=True).post(url, {}).status_code == 403
    assert "/scan/<token>/stap/1/" in caplog.text
    assert anna_scan.token not in caplog.text


def test_the_development_servers_request_lines_log_no_token() -> None:
    # django.server does not propagate (caplog cannot see it): listen on it directly.
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    server = logging.getLogger("django.server")
    handler = Keep()
    server.addHandler(handler)
    try:
        server.info('"%s" %s %s', f"GET /scan/{TOKEN}/stap/2/ HTTP/1.1", "200", "5120")
    finally:
        server.removeHandler(handler)
    assert seen == ['"GET /scan/<token>/stap/2/ HTTP/1.1" 200 5120']


# --- gunicorn --------------------------------------------------------------------------------


gunicorn_config = pytest.importorskip("gunicorn.config")


def _gunicorn_logger(tmp_path):
    from leerscan.gunicorn_logger import RedactingLogger

    cfg = gunicorn_config.Config()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("errorlog", str(tmp_path / "error.log"))
    cfg.set("logger_class", "leerscan.gunicorn_logger.RedactingLogger")
    return RedactingLogger(cfg)


def test_gunicorns_access_log_writes_no_token(tmp_path) -> None:
    logger = _gunicorn_logger(tmp_path)
    path = f"/scan/{TOKEN}/stap/3/"
    environ = {
        "REMOTE_ADDR": "192.0.2.7",
        "REQUEST_METHOD": "POST",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://leerscan.example.nl{path}",
        "HTTP_USER_AGENT": "Firefox",
    }
    response = SimpleNamespace(
        status="302 Found", sent=0, headers=[("Location", f"/scan/{TOKEN}/stap/4/")]
    )
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    logger.access(response, request, environ, datetime.timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.flush()
    line = (tmp_path / "access.log").read_text()
    assert "POST /scan/<token>/stap/3/ HTTP/1.1" in line
    assert "https://leerscan.example.nl/scan/<token>/stap/3/" in line  # the referrer
    assert TOKEN not in line


def test_gunicorns_error_log_writes_no_token(tmp_path) -> None:
    logger = _gunicorn_logger(tmp_path)
    logger.error("Error handling request %s", f"/scan/{TOKEN}/resultaten/")
    for handler in logger.error_log.handlers:
        handler.flush()
    text = (tmp_path / "error.log").read_text()
    assert "Error handling request /scan/<token>/resultaten/" in text
    assert TOKEN not in text


def test_setting_gunicorn_up_again_adds_no_second_filter(tmp_path) -> None:
    logger = _gunicorn_logger(tmp_path)
    logger.setup(logger.cfg)
    assert sum(isinstance(f, RedactTokens) for f in logger.access_log.filters) == 1
