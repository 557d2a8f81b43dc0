"""Shared pieces of the perf/ scripts: a throwaway sandbox, the answers of a realistic scan, stats.

Nothing here touches the project's own database or static files: every script works in a fresh
temporary directory (SQLite database, collected static files, a two-line settings module that only
moves STATIC_ROOT there) and removes it afterwards.
"""

from __future__ import annotations

import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "perf" / "results"  # ignored by git (/perf/results/ in .gitignore)
ITEM_BANK = ROOT / "leerscan" / "scans" / "data" / "itembank.json"

# A throwaway key for the sandbox only; production brings its own through the environment.
PERF_SECRET_KEY = "perf-sandbox-only-" + "x" * 40  # noqa: S105

SETTINGS_MODULE = "perf_settings"
SETTINGS_TEMPLATE = """\
# Written by perf/common.py into a temporary directory; removed with it.
from leerscan.settings import *  # noqa: F403

STATIC_ROOT = {static_root!r}
"""


@dataclass
class Sandbox:
    """A temporary directory with its own SQLite database, static files and settings module."""

    path: Path
    env: dict[str, str]

    @property
    def database(self) -> Path:
        return self.path / "perf.sqlite3"

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def make_sandbox(*, debug: bool = False, hosts: str = "127.0.0.1,localhost,testserver") -> Sandbox:
    """Create the sandbox and the environment that points Django at it (production-like)."""
    path = Path(tempfile.mkdtemp(prefix="leerscan-perf-"))
    static_root = path / "static"
    (path / f"{SETTINGS_MODULE}.py").write_text(
        SETTINGS_TEMPLATE.format(static_root=str(static_root)), encoding="utf-8"
    )
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "PYTHONPATH": os.pathsep.join([str(path), str(ROOT)]),
            "DATABASE_URL": f"sqlite:///{path / 'perf.sqlite3'}",
            "DJANGO_DEBUG": "True" if debug else "False",
            "DJANGO_SECRET_KEY": PERF_SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": hosts,
            # Plain HTTP on 127.0.0.1: no redirect to HTTPS, cookies without the Secure flag.
            "DJANGO_SECURE_SSL_REDIRECT": "False",
            "DJANGO_SESSION_COOKIE_SECURE": "False",
            "DJANGO_CSRF_COOKIE_SECURE": "False",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "False",
            "DJANGO_SECURE_HSTS_PRELOAD": "False",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "0"),
        }
    )
    return Sandbox(path=path, env=env)


def prepare_database(sandbox: Sandbox) -> None:
    """Run `make setup` against the sandbox: migrate, load the data, collect the static files.

    The Makefile's setup target is the one list of set-up steps; the sandbox's environment
    (settings module, DATABASE_URL) sends every step to the sandbox instead of the project.
    """
    print("setup: make setup (into the sandbox)")
    env = {k: v for k, v in sandbox.env.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    result = subprocess.run(  # noqa: S603 (a fixed command)
        ["make", "--no-print-directory", "setup"],  # noqa: S607 (make from PATH, as `make perf`)
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit("Preparing the sandbox database failed (output above).")


def use_sandbox_here(sandbox: Sandbox) -> None:
    """Point this process's Django at the sandbox (before django.setup())."""
    for key in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH") + tuple(
        k for k in sandbox.env if k.startswith(("DJANGO_", "DATABASE_"))
    ):
        os.environ[key] = sandbox.env[key]
    for entry in reversed(sandbox.env["PYTHONPATH"].split(os.pathsep)):
        if entry not in sys.path:
            sys.path.insert(0, entry)


# --- the answers of one realistic scan, as form data per step ---------------------------------


def item_keys() -> dict[str, list[str]]:
    """The statement keys of the item bank by group ('building_block', 'dloq'), in order."""
    bank = json.loads(ITEM_BANK.read_text(encoding="utf-8"))
    keys: dict[str, list[str]] = {}
    for item in sorted(bank["items"], key=lambda i: i.get("position", 0)):
        keys.setdefault(item["group"], []).append(item["key"])
    return keys


def step_data(step: int, *, variant: int = 0) -> dict[str, str | list[str]]:
    """Form data of one step of a plausible small IT firm in Groningen (Anna's persona).

    Steps 2 and 3 come in two variants that differ in every answer, so that posting them in turn
    really writes to the database each time.
    """
    keys = item_keys()
    if step == 1:
        return {
            "organisation_name": "Perf BV",
            "sbi_section": "",
            "sbi_code": "6202",
            "employees": "12",
            "province": "groningen",
            "respondent_role": "eigenaar",
            "consent": "on",
            "action": "next",
        }
    if step in (2, 3):
        group = "building_block" if step == 2 else "dloq"
        patterns = ((4, 5, 3, 4, 5, 2), (5, 4, 4, 3, 6, 3))
        pattern = patterns[variant % 2]
        data: dict[str, str | list[str]] = {
            key: str(pattern[index % len(pattern)]) for index, key in enumerate(keys[group])
        }
        data["action"] = "next"
        return data
    if step == 4:
        return {
            "belang_leren": "8",
            "pct_deelname": "40",
            "uren_per_deelnemer": "24",
            "pct_onder_werktijd": "80",
            "pct_kosten_werkgever": "90",
            "pct_terugbetalingsregeling__weet_niet": "on",
            "pct_omzet_leren": "2",
            "doelen": ["deskundigheid", "vakkennis", "loopbaan"],
            "action": "next",
        }
    if step == 5:
        return {
            "promotieregeling": "nee",
            "functioneringsregeling": "ja",
            "scholingsregeling": "ja",
            "hr_afdeling": "ja",
            "hr_leren": "ja",
            "instrumenten": ["gesprekken", "feedback", "pop"],
            "belemmering_missen": "5",
            "belemmering_prive": "4",
            "belemmering_kosten": "2",
            "belemmering_onwil": "2",
            "belemmering_weinig_vraag": "weet_niet",
            "action": "next",
        }
    if step == 6:
        return {
            "verwachting_personeel": "groei",
            "wervingskanalen": ["recruiters", "zzp"],
            "wervingsproblemen": "7",
            "action": "next",
        }
    raise ValueError(f"no step {step}")


STEPS = range(1, 7)
BENCH_STEP = 3  # the step whose POST is measured: five DLOQ statements


# --- statistics and reporting -----------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p90: fraction=0.9)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "median_ms": statistics.median(ms),
        "p90_ms": percentile(ms, 0.9),
        "min_ms": min(ms),
        "max_ms": max(ms),
    }


def system_busy_seconds() -> float:
    """CPU seconds all processes on this machine have used since boot (from /proc/stat)."""
    try:
        fields = Path("/proc/stat").read_text(encoding="ascii").splitlines()[0].split()[1:]
    except OSError:
        return 0.0
    ticks = [int(value) for value in fields[:8]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK")


def load_note(*, warn: bool = True) -> str:
    """The load average, with a warning when other work competes for the cores."""
    one, five, _fifteen = os.getloadavg()
    note = f"load average {one:.2f} (1 min), {five:.2f} (5 min)"
    if warn and one > 0.5:
        note += ": other work is running on this machine; figures will be noisy"
    return note


def machine() -> dict[str, str]:
    import sqlite3

    import django

    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "nproc": str(os.cpu_count()),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "load": load_note(warn=False) + " (includes this run)",
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def save_results(name: str, payload: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS_DIR / f"{name}-{stamp}.json"
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def aim_line(label: str, ok: bool, detail: str) -> str:
    return f"  {'MET   ' if ok else 'MISSED'}  {label}: {detail}"


# --- a leertafel with generated participants (perf/bench_group*.py) --------------------------

# (SBI section, employees, province): the mix of a northern leertafel, or of a knowledge
# institution's clients (perf/bench_cohort.py).
NORTHERN_PROFILES = [
    ("C", 7, "fryslan"),
    ("C", 150, "drenthe"),
    ("J", 12, "groningen"),
    ("Q", 60, "groningen"),
    ("G", 9, "drenthe"),
    ("F", 30, "fryslan"),
    ("M", 5, "elders"),
    ("H", 220, "groningen"),
]


def leertafel_generate(size: int, adviser, *, seed: int, approach: str, ideas_per_block: int = 0):
    """A leertafel with `size` finished participants (random answers, every second one named on
    average), written in bulk rather than through the views, and ideas on its matrix."""
    import datetime
    import random

    from django.utils import timezone

    from benchmarks.models import BenchmarkSet
    from benchmarks.vocabulary import BUILDING_BLOCKS
    from leerscan.advisers.models import Idea, Participant
    from leerscan.advisers.services import leertafel_create
    from leerscan.scans.models import Item, ItemAnswer, ItemBank, Scan

    rng = random.Random(seed)  # noqa: S311 (generated test data, not a secret)
    leertafel = leertafel_create(
        adviser=adviser,
        data={
            "name": f"Leertafel van {size}",
            "date": datetime.date.today(),
            "place": "Emmen",
            "approach": approach,
            "theme": "",
            "short_mode": False,
        },
        language="nl",
    )
    bank = ItemBank.objects.order_by("-loaded_at", "-id").first()
    benchmark_set = BenchmarkSet.objects.order_by("-pk").first()
    items = list(Item.objects.filter(bank=bank))
    now = timezone.now()
    scans = Scan.objects.bulk_create(
        Scan(
            context=Scan.Context.LEERTAFEL,
            item_bank=bank,
            benchmark_set=benchmark_set,
            organisation_name=f"Organisatie {size}-{n}",
            sbi_section=section,
            employees=employees,
            province=province,
            respondent_role="eigenaar",
            consent_at=now,
            furthest_step=7,
            answers_version=1,
            finished_at=now,
        )
        for n, (section, employees, province) in enumerate(
            rng.choice(NORTHERN_PROFILES) for _ in range(size)
        )
    )
    ItemAnswer.objects.bulk_create(
        (
            ItemAnswer(scan=scan, item=item, value=rng.randint(1, 6))
            for scan in scans
            for item in items
        ),
        batch_size=2000,
    )
    participants = Participant.objects.bulk_create(
        Participant(leertafel=leertafel, scan=scan, show_name=rng.random() < 0.5) for scan in scans
    )
    Idea.objects.bulk_create(
        Idea(
            leertafel=leertafel,
            block=block,
            quadrant=rng.choice(["wow", "how", "now", "no"]),
            text=f"Idee {i + 1} voor {block}: samen leren op de werkvloer",
            author=rng.choice(participants),
        )
        for block in BUILDING_BLOCKS
        for i in range(ideas_per_block)
    )
    return leertafel
