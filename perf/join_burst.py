"""Join burst: a leertafel's participants join by code and finish step 1 within a minute, against
the production set-up; then a count of what was lost.

    .venv/bin/python perf/join_burst.py [--participants 30] [--spread 20] [--shared-address]

1. Prepares a sandbox (perf/common.py: its own SQLite database, the default of a single-machine
   install, and `make setup`), creates an adviser and a leertafel there through the services (short
   mode, as a table with little time would), and serves it the way `make run-prod` does:
   deploy/run-prod, gunicorn with deploy/gunicorn.conf.py and production settings (DEBUG off, the
   database cache, the abuse limits ON). Only HTTPS is off (plain HTTP on the loopback).
2. Lets --participants phones join, each starting at a random moment within --spread seconds:
   open /doe-mee/, type the code as people do (lower case, with a space), see the session's
   page, press start, open step 1, take a few seconds to fill it in, send it, and open step 2.
   Every phone has its own client address (X-Real-IP through LEERSCAN_CLIENT_IP_HEADER, as
   phones on mobile data); with --shared-address they all come from one address (the venue's
   Wi-Fi behind one NAT address), which meets the limit on starting scans (20 a minute).
3. Checks the database: one participant per phone that was let in, in the right leertafel, each
   scan short (core statements only) and its step 1 stored exactly as sent; and that every
   request got the answer a person expects (no 4xx or 5xx, apart from the 429s that
   --shared-address reports as such). Prints the latencies per request type and the verdict.

Loopback only, bounded in time. Exits 1 when a request failed or an answer was lost, else 0.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402 (perf/common.py, beside this script)
from loadtest import free_port, server_errors, start_server, stop_server  # noqa: E402

ROOT = common.ROOT
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STEP_URL = re.compile(r"/scan/([A-Za-z0-9_-]+)/stap/(\d)/")

# Creates the adviser and the leertafel in the sandbox; prints the code.
SETUP = """
import datetime
from leerscan.advisers.services import adviser_create, leertafel_create
bram = adviser_create(email="bram@example.org", organisation_name="Perf Advies", password=None)
tafel = leertafel_create(adviser=bram, language="nl", data={
    "name": "Leertafel join burst", "date": datetime.date.today(), "place": "Emmen",
    "approach": "open", "theme": "", "short_mode": True})
print(tafel.code)
"""

# Reads back what the database holds, as JSON.
CHECK = """
import json
from leerscan.advisers.models import Leertafel, Participant
from leerscan.scans.models import ItemAnswer
tafel = Leertafel.objects.get()
rows = []
for p in Participant.objects.select_related("scan", "leertafel"):
    s = p.scan
    rows.append({"token": s.token, "leertafel": p.leertafel.code, "core_only": s.core_only,
        "context": s.context, "show_name": p.show_name, "organisation_name": s.organisation_name,
        "sbi_code": s.sbi_code, "employees": s.employees, "province": s.province,
        "respondent_role": s.respondent_role, "consent": s.consent_at is not None,
        "furthest_step": s.furthest_step})
print(json.dumps({"code": tafel.code, "participants": rows,
    "item_answers": ItemAnswer.objects.count()}))
"""


@dataclass
class Phone:
    number: int
    address: str
    results: list[tuple[str, int, float]] = field(default_factory=list)  # (what, status, s)
    token: str = ""
    sent: dict[str, str] = field(default_factory=dict)
    refused: bool = False  # a 429 on starting (--shared-address)
    error: str = ""


def manage(sandbox: common.Sandbox, script: str) -> str:
    result = subprocess.run(  # noqa: S603 (the project's own manage.py)
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=sandbox.env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py shell failed:\n{result.stdout}{result.stderr}")
    return result.stdout.strip().splitlines()[-1]


def _request(phone: Phone, session: requests.Session, what: str, method: str, url: str, **kw):
    started = time.perf_counter()
    response = session.request(method, url, allow_redirects=False, timeout=30, **kw)
    phone.results.append((what, response.status_code, time.perf_counter() - started))
    return response


def _expect(response, status: int, what: str) -> None:
    if response.status_code != status:
        raise RuntimeError(f"{what}: {response.status_code}, expected {status}")


def join(phone: Phone, base: str, code: str, start_at: float, think: tuple[float, float]) -> None:
    """One participant: join by code, start, fill in step 1, open step 2."""
    session = requests.Session()
    session.headers["X-Real-IP"] = phone.address
    session.headers["User-Agent"] = "Mozilla/5.0 (Linux; Android 14) join-burst"
    rng = random.Random(phone.number)  # noqa: S311 (think times, not secrets)
    time.sleep(max(0.0, start_at - time.monotonic()))
    try:
        page = _request(phone, session, "GET /doe-mee/", "GET", f"{base}/doe-mee/")
        _expect(page, 200, "the join page")
        typed = f"{code[:3].lower()} {code[3:]}"  # as typed from the projector
        token = CSRF.search(page.text).group(1)
        sent = _request(
            phone,
            session,
            "POST /doe-mee/ (code)",
            "POST",
            f"{base}/doe-mee/",
            data={"csrfmiddlewaretoken": token, "code": typed},
        )
        _expect(sent, 302, "the typed code")
        session_url = base + sent.headers["Location"]
        page = _request(phone, session, "GET /doe-mee/<code>/", "GET", session_url)
        _expect(page, 200, "the session's page")
        time.sleep(rng.uniform(1, 3))  # reads who runs it
        token = CSRF.search(page.text).group(1)
        started = _request(
            phone,
            session,
            "POST /doe-mee/<code>/ (start)",
            "POST",
            session_url,
            data={"csrfmiddlewaretoken": token},
        )
        if started.status_code == 429:
            phone.refused = True
            return
        _expect(started, 302, "starting the scan")
        match = STEP_URL.search(started.headers["Location"])
        phone.token = match.group(1)
        step_1 = f"{base}/scan/{phone.token}/stap/1/"
        page = _request(phone, session, "GET step 1", "GET", step_1 + "?nieuw=1")
        _expect(page, 200, "step 1")
        time.sleep(rng.uniform(*think))  # fills in the organisation
        data = common.step_data(1) | {
            "organisation_name": f"Deelnemer {phone.number:02d}",
            "employees": str(5 + phone.number),
            "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
        }
        phone.sent = data
        saved = _request(phone, session, "POST step 1", "POST", step_1, data=data)
        _expect(saved, 302, "saving step 1")
        if not saved.headers["Location"].endswith(f"/scan/{phone.token}/stap/2/"):
            raise RuntimeError(f"step 1 went to {saved.headers['Location']}")
        page = _request(phone, session, "GET step 2", "GET", base + saved.headers["Location"])
        _expect(page, 200, "step 2")
        if "Verdieping (niet verplicht)" in page.text:
            raise RuntimeError("step 2 of a short leertafel shows the deepening section")
    except Exception as exc:  # noqa: BLE001 (every failure is reported, none stops the others)
        phone.error = f"{type(exc).__name__}: {exc}"


def warm_up(base: str) -> None:
    """Wait until gunicorn's workers answer (they load Django at their first request; on a busy
    machine that takes a while), so that the burst measures joining, not starting up."""
    deadline = time.monotonic() + 180
    answered = 0
    while answered < 6:
        try:
            requests.get(f"{base}/doe-mee/", timeout=30).raise_for_status()
            answered += 1
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer /doe-mee/ within 180 s") from None
            time.sleep(1)


def check_database(sandbox: common.Sandbox, phones: list[Phone], code: str) -> list[str]:
    """What was lost or stored wrongly, one line each (an empty list: nothing)."""
    stored = json.loads(manage(sandbox, CHECK))
    by_token = {row["token"]: row for row in stored["participants"]}
    lost = []
    joined = [p for p in phones if p.token]
    if len(by_token) != len(joined):
        lost.append(f"{len(by_token)} participants stored, {len(joined)} phones were let in")
    for phone in joined:
        row = by_token.get(phone.token)
        if row is None:
            lost.append(f"phone {phone.number}: its scan is not a participant")
            continue
        if row["leertafel"] != code or not row["core_only"] or row["context"] != "leertafel":
            lost.append(f"phone {phone.number}: wrong leertafel, context or mode: {row}")
        if row["show_name"]:
            lost.append(f"phone {phone.number}: named without consent")
        if not phone.sent:
            continue
        expected = {
            "organisation_name": phone.sent["organisation_name"],
            "sbi_code": phone.sent["sbi_code"],
            "employees": int(phone.sent["employees"]),
            "province": phone.sent["province"],
            "respondent_role": phone.sent["respondent_role"],
            "consent": True,
        }
        for key, value in expected.items():
            if row[key] != value:
                lost.append(f"phone {phone.number}: {key} stored {row[key]!r}, sent {value!r}")
        if row["furthest_step"] < 2:
            lost.append(f"phone {phone.number}: step 1 not recorded as done")
    return lost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--spread", type=float, default=20.0, help="seconds over which they join")
    parser.add_argument("--think", default="5-15", help="seconds to fill in step 1, low-high")
    parser.add_argument("--shared-address", action="store_true", help="all from one address")
    parser.add_argument("--keep", action="store_true", help="keep the sandbox and the log")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    low, high = (float(x) for x in args.think.split("-"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    print(common.load_note())
    sandbox = common.make_sandbox()
    sandbox.env |= {
        "LEERSCAN_CLIENT_IP_HEADER": "X-Real-IP",
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    tmp = Path(tempfile.mkdtemp(prefix="leerscan-join-burst-"))
    log = tmp / "server.log"
    server = None
    try:
        common.prepare_database(sandbox)
        code = manage(sandbox, SETUP)
        port = free_port()
        server = start_server(sandbox, port, log)
        base = f"http://127.0.0.1:{port}"
        warm_up(base)
        phones = [
            Phone(n, "192.0.2.10" if args.shared_address else f"10.20.{n // 250}.{n % 250 + 1}")
            for n in range(1, args.participants + 1)
        ]
        rng = random.Random(7)  # noqa: S311 (start times, not secrets)
        begin = time.monotonic() + 1
        threads = [
            threading.Thread(
                target=join, args=(p, base, code, begin + rng.uniform(0, args.spread), (low, high))
            )
            for p in phones
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.monotonic() - begin
        stop_server(server)
        server = None
        lost = check_database(sandbox, phones, code)
        errors = server_errors(log)
    finally:
        if server is not None:
            stop_server(server)
        if args.keep:
            print(f"kept: {sandbox.path} and {tmp}")
        else:
            sandbox.remove()
            shutil.rmtree(tmp, ignore_errors=True)

    by_kind: dict[str, list[float]] = {}
    statuses: dict[str, list[int]] = {}
    for phone in phones:
        for what, status, elapsed in phone.results:
            by_kind.setdefault(what, []).append(elapsed)
            statuses.setdefault(what, []).append(status)
    print(
        f"\n{args.participants} participants, joining over {args.spread:.0f} s, step 1 filled in "
        f"in {args.think} s; {'one shared address' if args.shared_address else 'one address each'}"
    )
    print(f"from the first request to the last step 2: {seconds:.1f} s")
    print("| request | n | p50 ms | p95 ms | max ms | statuses |")
    print("|---|---:|---:|---:|---:|---|")
    table = {}
    for what, times in by_kind.items():
        ms = [t * 1000 for t in times]
        summary = {
            "p50": common.percentile(ms, 0.5),
            "p95": common.percentile(ms, 0.95),
            "max": max(ms),
        }
        counts = {s: statuses[what].count(s) for s in sorted(set(statuses[what]))}
        table[what] = {"n": len(ms), "ms": summary, "statuses": counts}
        print(
            f"| {what} | {len(ms)} | {summary['p50']:.0f} | {summary['p95']:.0f} | "
            f"{summary['max']:.0f} | {', '.join(f'{s}: {n}' for s, n in counts.items())} |"
        )
    refused = [p.number for p in phones if p.refused]
    failed = [f"phone {p.number}: {p.error}" for p in phones if p.error]
    joined = sum(1 for p in phones if p.token)
    finished_step_1 = sum(1 for p in phones if p.sent and not p.error)
    for line in failed[:20]:
        print(f"FAILED {line}")
    for line in errors[:20]:
        print(f"server log: {line}")
    for line in lost[:20]:
        print(f"LOST {line}")
    print(
        f"joined: {joined}, step 1 stored and step 2 shown: {finished_step_1}, "
        f"refused by the limit on starting scans (429): {len(refused)}"
    )
    print(f"verdict: {len(lost)} lost, {len(failed)} failed, {len(errors)} server errors logged")
    if not args.no_save:
        path = common.save_results(
            "join_burst",
            {
                "machine": common.machine(),
                "args": vars(args),
                "seconds": seconds,
                "requests": table,
                "joined": joined,
                "finished_step_1": finished_step_1,
                "refused_429": refused,
                "failed": failed,
                "lost": lost,
                "server_errors": errors,
                "load": common.load_note(warn=False),
            },
        )
        print(f"saved: {path.relative_to(ROOT)}")
    sys.exit(1 if lost or failed or errors else 0)


if __name__ == "__main__":
    main()
