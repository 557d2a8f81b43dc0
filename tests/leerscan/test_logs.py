"""Secrets in URLs never reach a log: Django's request logging, the development server's request
lines, CSRF refusals, gunicorn's access and error logs and nginx's access log write /scan/<token>/
(and /team/<token>/, /doe-mee/<code>/, ...) instead, all from leerscan/logs.py's one list."""

from __future__ import annotations

import datetime
import logging
import re
from pathlib import Path
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


def test_it_redacts_every_kind_of_secret_url() -> None:
    # A team link, a coach's invitation, a password reset (and where Django sends it next), a
    # leertafel's join code: each in a path, a full URL, a query and percent-encoded.
    cases = {
        f"GET /team/{TOKEN}/ HTTP/1.1": "GET /team/<token>/ HTTP/1.1",
        f"https://leerscan.nl/team/{TOKEN}/bedankt/": "https://leerscan.nl/team/<token>/bedankt/",
        f"Not Found: /coaching/uitnodiging/{TOKEN}/": "Not Found: /coaching/uitnodiging/<token>/",
        "/adviseur/wachtwoord/Mg/cz1k2a-0123456789abcdef0123456789abcdef/": (
            "/adviseur/wachtwoord/<uid>/<token>/"
        ),
        "/adviseur/wachtwoord/Mg/set-password/": "/adviseur/wachtwoord/<uid>/<token>/",
        "POST /doe-mee/K7M4QX/ HTTP/1.1": "POST /doe-mee/<code>/ HTTP/1.1",
        f"/adviseur/inloggen/?next=/scan/{TOKEN}/": "/adviseur/inloggen/?next=/scan/<token>/",
        f"/i18n/?next=%2Fteam%2F{TOKEN}%2F": "/i18n/?next=%2Fteam%2F<token>%2F",
        f"/scan/{TOKEN}/?next=/scan/{TOKEN[::-1]}/": "/scan/<token>/?next=/scan/<token>/",
        f"/scan/{TOKEN}extra/": "/scan/<token>/",  # a token with more after it is still one
    }
    for text, expected in cases.items():
        assert redact(text) == expected, text


def test_it_leaves_other_paths_alone() -> None:
    for text in (
        "/scan/",
        "/privacy/",
        "Not Found: /",
        "/doe-mee/",
        "/adviseur/wachtwoord-vergeten/",
        "/adviseur/wachtwoord/gewijzigd/",
        "/scan/<token>/team/",
        "/coaching/klanten/12/ronde/2/team/",
        "/coaching/onderzoek/0123456789abcdef0123456789abcdef/",
        "GET /static/css/leerscan.css HTTP/1.1",
    ):
        assert redact(text) == text
    assert redact(redact(f"/team/{TOKEN}/")) == "/team/<token>/"


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


def _access_line(tmp_path, path: str, referer: str, headers: list) -> str:
    """The line gunicorn's access log writes for a POST to `path` from `referer`."""
    logger = _gunicorn_logger(tmp_path)
    environ = {
        "REMOTE_ADDR": "192.0.2.7",
        "REQUEST_METHOD": "POST",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "Firefox",
    }
    response = SimpleNamespace(status="302 Found", sent=0, headers=headers)
    request = SimpleNamespace(headers=[("REFERER", referer)])
    logger.access(response, request, environ, datetime.timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.flush()
    return (tmp_path / "access.log").read_text()


def test_gunicorns_access_log_writes_no_token(tmp_path) -> None:
    path = f"/scan/{TOKEN}/stap/3/"
    line = _access_line(
        tmp_path,
        path,
        f"https://leerscan.example.nl{path}",
        [("Location", f"/scan/{TOKEN}/stap/4/")],
    )
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


def test_gunicorns_access_log_writes_no_team_link_or_invitation(tmp_path) -> None:
    line = _access_line(
        tmp_path,
        f"/team/{TOKEN}/",
        f"https://leerscan.example.nl/coaching/uitnodiging/{TOKEN}/",
        [],
    )
    assert "POST /team/<token>/ HTTP/1.1" in line
    assert "https://leerscan.example.nl/coaching/uitnodiging/<token>/" in line
    assert TOKEN not in line


# --- every secret URL in the resolver is on the list --------------------------------------------


def _url_patterns(patterns=None, namespace: str = "", converters=None):
    """(name, converters by parameter) of every named URL in the resolver, the admin's aside."""
    from django.urls import URLResolver, get_resolver

    for entry in get_resolver().url_patterns if patterns is None else patterns:
        found = {**(converters or {}), **entry.pattern.converters}
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # staff only; its parameters are database ids
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_patterns(entry.url_patterns, inner, found)
        elif entry.name:
            yield f"{namespace}{entry.name}", found


def test_every_url_parameter_is_a_redacted_secret_or_declared_public() -> None:
    """A new URL that carries a secret cannot be forgotten: each parameter that is no number must
    be redacted by SECRET_URLS or be named, with a reason, in PUBLIC_URL_PARAMETERS."""
    from django.urls import reverse
    from django.urls.converters import IntConverter

    from leerscan.logs import PUBLIC_URL_PARAMETERS

    secret_urls = 0
    for name, converters in _url_patterns():
        samples, secrets = {}, []
        for number, (parameter, converter) in enumerate(converters.items()):
            if isinstance(converter, IntConverter):
                samples[parameter] = 7
            elif parameter in PUBLIC_URL_PARAMETERS:
                samples[parameter] = "public" + "p" * 26
            else:
                # Shaped like a token (32 URL-safe characters), which every converter accepts.
                samples[parameter] = f"Zq{number}secret".ljust(32, "s")
                secrets.append(samples[parameter])
        if not secrets:
            continue
        secret_urls += 1
        url = reverse(name, kwargs=samples)
        line = f'"GET {url}?next={url} HTTP/1.1" 200 5 "https://leerscan.example.nl{url}"'
        for secret in secrets:
            assert secret not in redact(line), (
                f"{name} ({url}) carries a secret that leerscan/logs.py's SECRET_URLS does not "
                "redact: add its prefix there (or, if it is no secret, its parameter to "
                "PUBLIC_URL_PARAMETERS)"
            )
    assert secret_urls >= 20  # the scan's pages, the team form, invitations, reset, join


# --- nginx ---------------------------------------------------------------------------------------


NGINX_FILE = Path(__file__).resolve().parents[2] / "deploy" / "nginx-leerscan.conf"


def test_the_nginx_file_holds_the_maps_of_the_one_list() -> None:
    from leerscan.logs import NGINX_BEGIN, NGINX_END, nginx_log_maps

    text = NGINX_FILE.read_text(encoding="utf-8")
    block = text[text.index(NGINX_BEGIN) : text.index(NGINX_END) + len(NGINX_END)] + "\n"
    assert block == nginx_log_maps(), (
        "deploy/nginx-leerscan.conf's maps differ from leerscan/logs.py: paste the output of "
        "`python -m leerscan.logs` between its BEGIN and END lines"
    )
    assert "$leerscan_uri $server_protocol" in text  # the format writes the redacted request
    assert '"$leerscan_referer"' in text


def _nginx_maps(text: str) -> list[tuple[str, str, re.Pattern[str], str]]:
    """(source, target, regex, value) of each `map` block, nginx's syntax turned into Python's."""
    maps = []
    blocks = re.findall(
        r'^map (\S+) (\S+) \{\n    "~(.*)" "(.*)";\n    default \1;\n\}$', text, re.M
    )
    for source, target, regex, value in blocks:
        python_regex = re.compile(regex.replace("(?<", "(?P<"))
        maps.append((source, target, python_regex, re.sub(r"\$\{(\w+)\}", r"\\g<\1>", value)))
    return maps


def _as_nginx_logs(maps, request_uri: str, referer: str) -> tuple[str, str]:
    """What nginx's log format writes for $leerscan_uri and $leerscan_referer."""
    values = {"$request_uri": request_uri, "$http_referer": referer}
    for source, target, regex, value in maps:
        match = regex.search(values[source])
        values[target] = match.expand(value) if match else values[source]
    return values["$leerscan_uri"], values["$leerscan_referer"]


def test_the_nginx_maps_redact_what_the_python_list_redacts() -> None:
    from leerscan.logs import SECRET_URLS, nginx_log_maps

    maps = _nginx_maps(nginx_log_maps())
    assert len(maps) == 2 * (len(SECRET_URLS) + 1)
    paths = ["/", "/scan/", "/privacy/?x=1", "/adviseur/wachtwoord/gewijzigd/", "/doe-mee/"]
    for url in SECRET_URLS:
        secret = "/".join(f"Zq{n}{TOKEN[:20]}" for n in range(url.segments))
        paths += [
            f"{url.prefix}{secret}/",
            f"{url.prefix}{secret}/stap/1/?nieuw=1",
            f"{url.prefix}{secret}",
            f"{url.prefix.replace('/', '%2F')}{secret}%2F",
        ]
    for path in paths:
        referer = f"https://leerscan.example.nl{path}"
        assert _as_nginx_logs(maps, path, referer) == (redact(path), redact(referer)), path
    # A second secret in the query: nginx drops the query, Python redacts each; neither leaks.
    for url in SECRET_URLS:
        secret = "/".join(f"Zq{n}{TOKEN[:20]}" for n in range(url.segments))
        path = f"/scan/{TOKEN}/?next={url.prefix}{secret}/&back=%2Fteam%2F{TOKEN}%2F"
        for logged in (*_as_nginx_logs(maps, path, "https://h" + path), redact(path)):
            assert logged.startswith(("/scan/<token>/?", "https://h/scan/<token>/?")), logged
            assert "Zq" not in logged and TOKEN not in logged, logged
    assert _as_nginx_logs(maps, f"/scan/{TOKEN}/?next=/scan/{TOKEN}/", "") == (
        "/scan/<token>/?<query>",
        "",
    )
