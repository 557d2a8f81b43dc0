"""Simulated owners for perf/loadtest.py (locust): each does whole scans, one after another.

One scan: the start page, a new scan, all six steps (each step's form fetched for its CSRF token,
then posted with this owner's own random answers), the review page, finishing, the results page
and the PDF report. Owners think between pages (LOADTEST_THINK, default "2-6" seconds). On the
results page an owner waits, as its script polls the report's status every two seconds, until the
task worker has made the report (at most LOADTEST_REPORT_WAIT seconds, default 90), then
downloads it at once; that wait is reported as "REPORT made in the background", and the time
from sending "finish" until the PDF download has returned as "REPORT in hand (finish to PDF)".

With LOADTEST_SCANS=1 (perf/loadtest.py --burst) every owner does one scan and stops; when all
of them have, locust stops. The response time of every request is appended to LOADTEST_TIMES
(one JSON line {"name", "ms", "ok"}), so that perf/loadtest.py can pool the six step POSTs.

Every step the server accepted (a 302 to the next page) is written to LOADTEST_RECORD as one JSON
line {"token", "step", "data"}, and every finished scan as {"token", "finished": true, "at"}, so
that perf/loadtest.py can check afterwards that the database holds exactly what was sent. A response
other than the one a browser would expect counts as a failure in locust's statistics.

Run it through perf/loadtest.py, which starts the servers and checks the database; by hand:
    LOADTEST_RECORD=/tmp/x.jsonl .venv/bin/locust -f perf/locustfile.py --headless \
        -u 50 -r 10 -t 90s --host http://127.0.0.1:PORT
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import time
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402 (perf/common.py: the item bank's keys, a plausible scan's answers)

RECORD = Path(os.environ.get("LOADTEST_RECORD", os.devnull))
TIMES = Path(os.environ.get("LOADTEST_TIMES", os.devnull))
# Scans per owner: 0 = one after another until the run time is up, 1 = a leertafel's burst.
SCANS = int(os.environ.get("LOADTEST_SCANS", "0"))
_owners_done = 0
_low, _, _high = os.environ.get("LOADTEST_THINK", "2-6").partition("-")
THINK = (float(_low), float(_high or _low))
# How long an owner keeps the results page open waiting for the report before downloading anyway.
REPORT_WAIT = float(os.environ.get("LOADTEST_REPORT_WAIT", "90"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN = re.compile(r"/scan/([A-Za-z0-9_-]{32})/stap/1/")
ITEM_KEYS = common.item_keys()
SBI_CODES = ("6202", "1071", "2511", "4120", "4711", "5610", "8610", "6920")
PROVINCES = ("groningen", "fryslan", "drenthe")


def _record(entry: dict) -> None:
    with RECORD.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")


@events.request.add_listener
def _time(request_type, name, response_time, exception, **_kwargs) -> None:
    with TIMES.open("a", encoding="utf-8") as handle:
        entry = {"name": name, "ms": response_time, "ok": exception is None}
        handle.write(json.dumps(entry) + "\n")


def answers(step: int, rng: random.Random) -> dict[str, str | list[str]]:
    """This owner's answers to one step: random, within what the forms accept."""
    if step == 1:
        return common.step_data(1) | {
            "organisation_name": f"Loadtest {rng.randrange(10**6):06d} BV",
            "sbi_code": rng.choice(SBI_CODES),
            "employees": str(rng.choice((3, 7, 12, 25, 60, 150))),
            "province": rng.choice(PROVINCES),
        }
    if step in (2, 3):
        group = "building_block" if step == 2 else "dloq"
        data: dict[str, str | list[str]] = {k: str(rng.randint(1, 6)) for k in ITEM_KEYS[group]}
        return data | {"action": "next"}
    data = common.step_data(step)
    if step == 4:
        data |= {
            "belang_leren": str(rng.randint(1, 10)),
            "pct_deelname": str(rng.randint(0, 100)),
            "uren_per_deelnemer": str(rng.randint(0, 80)),
        }
    elif step == 5:
        data |= {f"belemmering_{k}": str(rng.randint(1, 6)) for k in ("missen", "prive", "kosten")}
    elif step == 6:
        data |= {"wervingsproblemen": str(rng.randint(1, 10))}
    return data


def _polls(page: str) -> bool:
    """Whether the report status on this page asks to be polled (its report is not made yet)."""
    return "data-report-status=" in page


class Owner(HttpUser):
    """An employer who does the scan from start to report, and then another one."""

    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.rng = random.Random()  # noqa: S311 (answers, not secrets)

    def _get(self, url: str, name: str) -> str | None:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code} {response.error or ''}")
                return None
            return response.text

    def _post(self, url: str, name: str, data: dict, *, expect: str) -> str | None:
        """POST a form; the redirect is not followed. Returns its target, None on a failure."""
        with self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            target = response.headers.get("Location", "")
            if response.status_code != 302 or not re.search(expect, target):
                response.failure(
                    f"status {response.status_code}, to {target!r} {response.error or ''}"
                )
                return None
            return target

    def _wait_for_report(self, page: str, base: str) -> None:
        """Read the results page while its script asks for the report's status every two
        seconds, as a browser does, until the report is made (at most REPORT_WAIT seconds). The
        time from the results page to a made report is reported as "REPORT made in background"."""
        started = time.monotonic()
        while _polls(page) and time.monotonic() - started < REPORT_WAIT:
            gevent.sleep(2)
            page = self._get(f"{base}/adviesrapport/status/", "GET report status") or ""
        if not _polls(page):
            self._report("made in the background", started)

    def _report(self, name: str, started: float) -> None:
        self.environment.events.request.fire(
            request_type="REPORT",
            name=name,
            response_time=(time.monotonic() - started) * 1000,
            response_length=0,
            exception=None,
            context={},
        )

    @task
    def scans(self) -> None:
        if not SCANS:
            self.whole_scan()
            return
        for _ in range(SCANS):
            self.whole_scan()
        global _owners_done  # noqa: PLW0603 (one counter for all owners of this process)
        _owners_done += 1
        if _owners_done >= self.environment.parsed_options.num_users:
            gevent.spawn_later(0.5, self.environment.runner.quit)
        raise StopUser

    def whole_scan(self) -> None:
        if self._get("/", "GET /") is None:
            return
        self.wait()
        page = self._get("/scan/", "GET /scan/")
        if page is None:
            return
        target = self._post(
            "/scan/",
            "POST /scan/ (start)",
            {"csrfmiddlewaretoken": CSRF.search(page)[1]},
            expect=r"/scan/[A-Za-z0-9_-]{32}/stap/1/",
        )
        if target is None:
            return
        token = TOKEN.search(target)[1]
        base = f"/scan/{token}"
        for step in range(1, 7):
            page = self._get(f"{base}/stap/{step}/", f"GET step {step}")
            if page is None:
                return
            self.wait()
            data = answers(step, self.rng)
            following = f"{base}/stap/{step + 1}/" if step < 6 else f"{base}/controle/"
            posted = data | {"csrfmiddlewaretoken": CSRF.search(page)[1]}
            if self._post(f"{base}/stap/{step}/", f"POST step {step}", posted, expect=following):
                _record({"token": token, "step": step, "data": data})
            else:
                return
        page = self._get(f"{base}/controle/", "GET review")
        if page is None:
            return
        self.wait()
        finish = {"csrfmiddlewaretoken": CSRF.search(page)[1]}
        finishing = time.monotonic()
        if not self._post(f"{base}/controle/", "POST review (finish)", finish, expect="resultaten"):
            return
        _record({"token": token, "finished": True, "at": time.time()})
        page = self._get(f"{base}/resultaten/", "GET results")
        if page is None:
            return
        self._wait_for_report(page, base)
        # The page shows the download link once the report is made: the owner, waiting for it,
        # clicks at once.
        with self.client.get(
            f"{base}/adviesrapport.pdf", name="GET report PDF", catch_response=True
        ) as response:
            if response.status_code != 200 or not response.content.startswith(b"%PDF"):
                response.failure(f"status {response.status_code}, not a PDF")
            else:
                self._report("in hand (finish to PDF)", finishing)
        self.wait()
