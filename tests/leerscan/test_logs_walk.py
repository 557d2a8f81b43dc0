"""A walk through the whole site behind real gunicorn (deploy/gunicorn.conf.py, its access log on),
then a grep of every log it wrote for every secret the walk made: none may appear.

Anna does her scan, makes team invitations and shares her scan with her coach; an employee
answers the team scan; Bram (a coach) has a client whose invitation starts a scan, and a leertafel
that a participant joins by its code; Bram asks for a new password and invites Carla, and both
links are opened. A browser's Referer goes with every request (a page under a private link is the
referrer of its own style sheet), and a few mistyped links get Django's "Not Found" line.

The database is a fresh SQLite file in a temporary folder; the project's own files stay untouched.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from perf import common

ROOT = Path(__file__).resolve().parents[2]
TOKEN = r"[A-Za-z0-9_-]{32}"
PASSWORD = "bram-walks-" + "w" * 12  # noqa: S105 (a throwaway account in a throwaway database)

SETTINGS = """\
from leerscan.settings import *  # noqa: F403

# Static files from the apps' folders: nothing needs collecting for this walk.
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
"""

SETUP = """\
import datetime, json, sys
import django
from django.core.management import call_command
django.setup()
for command in ("migrate", "createcachetable", "benchmark_set_load", "item_bank_load",
                "instrument_library_load"):
    call_command(command, verbosity=0)
from leerscan.advisers.services import adviser_create, leertafel_create
from leerscan.coaching.services import client_create, share_code_for
bram = adviser_create(email="bram@example.nl", organisation_name="Noorderadvies",
                      password=sys.argv[1], is_organisation_admin=True)
leertafel = leertafel_create(adviser=bram, language="nl", data={
    "name": "Leertafel Emmen", "date": datetime.date.today(), "place": "Emmen",
    "theme": "", "short_mode": True})
client = client_create(adviser=bram, data={
    "name": "Anna's IT", "contact_name": "Anna", "contact_email": "anna@example.nl",
    "sbi_code": "6202", "employees": 12, "province": "groningen"})
print(json.dumps({
    "client": client.pk,
    "join_code": leertafel.code,
    "invite_token": client.measurements.get(round=0).invite_token,
    "share_code": share_code_for(adviser=bram).code,
}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Forms(HTMLParser):
    """The forms of a page (action, method, fields) and the style sheets and scripts it loads."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get")})
            self.forms[-1]["fields"] = []
        elif tag == "link" and a.get("rel") == "stylesheet" or tag == "script" and "src" in a:
            self.assets.append(a.get("href") or a["src"])
        elif tag in ("input", "button", "select", "textarea") and self.forms and a.get("name"):
            self.forms[-1]["fields"].append((tag, a))


class Browser:
    """One person's browser: cookies, redirects followed, the page's URL as the next Referer."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.page = ""
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def open(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        url = urllib.parse.urljoin(self.page or self.base, path)
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body)  # noqa: S310 (the loopback)
        if self.page:
            request.add_header("Referer", self.page)
        try:
            with self.opener.open(request, timeout=60) as response:
                status, final, content = response.status, response.url, response.read()
        except urllib.error.HTTPError as error:
            status, final, content = error.code, error.url, error.read()
        html = content.decode("utf-8", "replace")
        if "html" in html[:200].lower():
            self.page = final
            page = Forms()
            page.feed(html)
            for asset in page.assets:  # as a browser does, with this page as the Referer
                self.opener.open(
                    urllib.request.Request(  # noqa: S310 (the loopback)
                        urllib.parse.urljoin(final, asset), headers={"Referer": final}
                    ),
                    timeout=30,
                ).close()
        return status, final, html

    def submit(self, html: str, *, where: str = "", fill: dict | None = None, button: str = ""):
        """Submit the page's first POST form whose action contains `where` (its hidden fields, the
        first choice of each radio group, `fill`, and the button whose text is `button`)."""
        page = Forms()
        page.feed(html)
        posts = [f for f in page.forms if f["method"].lower() == "post"]
        for f in posts:
            f["action"] = urllib.parse.urljoin(self.page, f["action"])
        form = next((f for f in posts if where in f["action"]), None)
        assert form, f"no form posting to {where!r} on {self.page}: {[f['action'] for f in posts]}"
        data: dict[str, str] = {}
        for tag, a in form["fields"]:
            kind = a.get("type", "text")
            if tag == "input" and kind in ("hidden", "text", "email", "number", "radio"):
                data.setdefault(a["name"], a.get("value", ""))
            elif tag == "button" and button and button in a.get("value", "") + a["name"]:
                data[a["name"]] = a.get("value", "")
        return self.open(form["action"], data | (fill or {}))


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    """Start gunicorn, walk the site, stop gunicorn: (the secrets made, the logs' text)."""
    tmp = tmp_path_factory.mktemp("walk")
    (tmp / "walk_settings.py").write_text(SETTINGS)
    mail = tmp / "mail"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LEERSCAN_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "walk_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT)]),
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": "walk-only-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        "DJANGO_SESSION_COOKIE_SECURE": "False",
        "DJANGO_CSRF_COOKIE_SECURE": "False",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_EMAIL_BACKEND": "file",
        "DJANGO_EMAIL_FILE_PATH": str(mail),
        "DJANGO_LOG_LEVEL": "INFO",
        "GUNICORN_BIND": f"127.0.0.1:{free_port()}",
        "GUNICORN_ACCESS_LOG": str(tmp / "access.log"),
        "WEB_CONCURRENCY": "1",
    }
    made = json.loads(
        subprocess.run(
            [sys.executable, "-c", SETUP, PASSWORD],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        ).stdout.splitlines()[-1]
    )
    error_log = tmp / "error.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "leerscan.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=error_log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://{env['GUNICORN_BIND']}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, error_log.read_text()
            try:
                if Browser(base).open("/gezond/")[0] == 200:
                    break
            except OSError:
                assert time.monotonic() < deadline, error_log.read_text()
                time.sleep(0.25)
        found = _walk(base, made, mail)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    logs = {"access log": (tmp / "access.log").read_text(), "error log": error_log.read_text()}
    return found, logs


def _scan(anna: Browser, status_html: tuple[int, str, str]) -> tuple[str, str]:
    """Anna's six steps and the review, from the first step: (her token, the results page)."""
    status, url, html = status_html
    assert status == 200, url
    token = re.search(rf"/scan/({TOKEN})/stap/1/", url)[1]
    for step in common.STEPS:
        status, url, html = anna.submit(html, where="/stap/", fill=common.step_data(step))
        assert status == 200, (step, url)
    assert url.endswith("/controle/"), url
    status, url, html = anna.submit(html, where="controle")
    assert status == 200 and url.endswith("/resultaten/"), url
    return token, html


def _walk(base: str, made: dict, mail: Path) -> dict[str, str]:
    found: dict[str, str] = {
        "join code": made["join_code"],
        "coaching invitation": made["invite_token"],
        "share code": made["share_code"],
    }
    # Anna's own scan, its report, team invitations and sharing it with her coach.
    anna = Browser(base)
    _status, _url, html = anna.open("/scan/")
    token, results = _scan(anna, anna.submit(html, where="/scan/"))
    found["Anna's scan"] = token
    anna.open(f"/scan/{token}/adviesrapport/status/")
    anna.open(f"/scan/{token}/adviesrapport.pdf")
    _status, _url, html = anna.open(f"/scan/{token}/resultaten/")
    _status, _url, html = anna.submit(html, where="/team", fill={"count": "5"})
    team = sorted(set(re.findall(rf"/team/({TOKEN})/", html)))
    assert team, "no team link on the page after making one"
    found |= {f"team link {n}": t for n, t in enumerate(team)}
    _status, _url, html = anna.open(f"/scan/{token}/coach/")
    _status, _url, html = anna.submit(html, where="/coach/", fill={"code": made["share_code"]})
    if "/coach/" in anna.page and "code" not in html:
        anna.submit(html, where="/coach/")
    # An employee answers the team scan.
    employee = Browser(base)
    _status, _url, html = employee.open(f"/team/{team[0]}/")
    status, url, _html = employee.submit(html, where="/team/")
    assert url.endswith("/bedankt/"), (status, url)
    # The coach's client opens the invitation and starts the scan.
    client = Browser(base)
    _status, _url, html = client.open(f"/coaching/uitnodiging/{made['invite_token']}/")
    status, url, _html = client.submit(html, where="uitnodiging")
    found["the client's scan"] = re.search(rf"/scan/({TOKEN})/", url)[1]
    # A participant joins the leertafel by its code.
    participant = Browser(base)
    _status, _url, html = participant.open("/doe-mee/")
    _status, _url, html = participant.submit(
        html, where="doe-mee", fill={"code": made["join_code"]}
    )
    status, url, _html = participant.submit(html, where="doe-mee")
    found["the participant's scan"] = re.search(rf"/scan/({TOKEN})/", url)[1]
    # Bram logs in, looks at his client, invites Carla and (logged out) resets his password.
    bram = Browser(base)
    _status, _url, html = bram.open("/adviseur/inloggen/")
    bram.submit(html, where="inloggen", fill={"username": "bram@example.nl", "password": PASSWORD})
    bram.open(f"/coaching/klanten/{made['client']}/")
    _status, _url, html = bram.open("/adviseur/collegas/")
    bram.submit(html, where="collegas", fill={"email": "carla@example.nl"})
    stranger = Browser(base)
    _status, _url, html = stranger.open("/adviseur/wachtwoord-vergeten/")
    stranger.submit(html, where="vergeten", fill={"email": "bram@example.nl"})
    links = re.findall(r"/adviseur/wachtwoord/([^/\s]+)/([^/\s]+)/", _mails(mail))
    assert len(links) == 2, "a mail to Carla and one to Bram"
    for number, (uid, reset_token) in enumerate(links):
        # The uid is short (user 1 is "MQ"): looked for as a path segment.
        found |= {f"reset uid {number}": f"/{uid}/", f"reset token {number}": reset_token}
        person = Browser(base)
        _status, url, html = person.open(f"/adviseur/wachtwoord/{uid}/{reset_token}/")
        assert url.endswith("/set-password/"), url
        new = {"new_password1": PASSWORD + "2", "new_password2": PASSWORD + "2"}
        status, url, _html = person.submit(html, where="wachtwoord", fill=new)
        assert url.endswith("/gewijzigd/"), (status, url)
    # Mistyped links: Django logs "Not Found: <path>".
    for prefix in ("/scan/", "/team/", "/coaching/uitnodiging/", "/doe-mee/"):
        wrong = secrets.token_urlsafe(24) if prefix != "/doe-mee/" else "K7M4QX"
        found[f"a mistyped {prefix}"] = wrong
        Browser(base).open(f"{prefix}{wrong}/")
    return found


def _mails(folder: Path) -> str:
    text = "".join(f.read_text() for f in sorted(folder.glob("*")))
    return text.replace("=\n", "")  # quoted-printable soft line breaks


def test_the_walk_made_the_secrets_it_greps_for(walk) -> None:
    found, logs = walk
    assert len(found) >= 12
    assert "team link 4" in found  # five invitations (or a team link)
    # The logs saw the walk: requests of every kind of secret URL, each redacted.
    for line in (
        '"GET /scan/<token>/resultaten/ HTTP/1.1" 200',
        "GET /team/<token>/ HTTP/1.1",
        "POST /coaching/uitnodiging/<token>/ HTTP/1.1",
        "GET /doe-mee/<code>/ HTTP/1.1",
        "GET /adviseur/wachtwoord/<uid>/<token>/ HTTP/1.1",
        '"http://127.0.0.1',  # referrers
    ):
        assert line in logs["access log"], line
    assert "Not Found: /team/<token>/" in logs["error log"]


def test_no_log_holds_a_secret_the_walk_made(walk) -> None:
    found, logs = walk
    leaks = {
        f"{what} in the {log}: {text.count(secret)} times"
        for what, secret in found.items()
        for log, text in logs.items()
        if secret in text
    }
    assert not leaks, leaks
