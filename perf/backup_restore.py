"""The backup tried for real: dump a filled database with deploy/backup-leerscan, restore it with
deploy/restore-leerscan into a new database, and compare every table.

    .venv/bin/python perf/backup_restore.py [--scans 200] [--keep]

1. Starts a throwaway PostgreSQL cluster (.ci/run's functions, as perf/loadtest.py) and prepares
   a sandbox database on it with `make setup`.
2. Fills it through the app's services: --scans scans of random owners (profile, both statement
   steps, the facts of steps 4-6), four in five of them finished, and one stored report of a few
   hundred kilobytes of binary data (reports are database rows).
3. Backs it up with deploy/backup-leerscan (pg_dump, custom format), creates an empty database and
   restores the dump into it with deploy/restore-leerscan (which also runs `migrate --check`).
4. Compares the two databases table by table (row count and an md5 of all rows in order) and
   sequence by sequence, and adds a scan to the restored database through the app, which shows
   that its sequences and constraints work.

Prints the sizes, the times and the verdict; exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import loadtest  # noqa: E402 (the cluster helpers)

ROOT = common.ROOT


def fill(scans: int) -> dict[str, int]:
    """Scans of random owners through the services; a stored report of random bytes."""
    from decimal import Decimal

    from leerscan.background.models import Output
    from leerscan.reports.selectors import library_current
    from leerscan.scans import services
    from leerscan.scans.facts import FactValue
    from leerscan.scans.models import Item

    rng = random.Random(20261201)  # noqa: S311 (test data)
    items = None
    finished = 0
    for number in range(scans):
        scan = services.scan_start()
        items = items or list(Item.objects.filter(bank=scan.item_bank))
        services.scan_save_profile(
            scan=scan,
            data={
                "organisation_name": f"Hersteltest {number} BV",
                "sbi_section": "J",
                "sbi_code": "6202",
                "employees": rng.choice((7, 12, 40, 150)),
                "province": rng.choice(("groningen", "fryslan", "drenthe")),
                "respondent_role": "eigenaar",
            },
        )
        for step, group in ((2, "building_block"), (3, "dloq")):
            values = {i.key: rng.randint(1, 6) for i in items if i.group == group}
            services.scan_save_items(scan=scan, step=step, values=values)
        services.scan_save_facts(
            scan=scan,
            step=4,
            answers={
                "belang_leren": FactValue(number=Decimal(rng.randint(1, 10))),
                "pct_deelname": FactValue(number=Decimal(rng.randint(0, 100))),
            },
        )
        if number % 5:
            try:
                services.scan_finish(scan=scan)
                finished += 1
            except Exception:  # noqa: BLE001, S110 (an unfinishable random scan stays open)
                pass
    Output.objects.create(
        kind="report",
        subject=f"scan:{scan.pk}",
        scan=scan,
        key=f"{scan.answers_version}:{library_current().version}",
        language="nl",
        state=Output.State.DONE,
        content=os.urandom(300_000),
    )
    return {"scans": scans, "finished": finished}


def fingerprint(cluster: loadtest.Cluster, database: str) -> dict[str, str]:
    """Each table's row count and md5 of its rows in order; each sequence's last value."""
    tables = cluster.psql(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
        database=database,
    ).split()
    prints = {}
    for table in tables:
        prints[table] = cluster.psql(
            f"SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t",  # noqa: E501, S608 (names from pg_tables)
            database=database,
        ).strip()
    sequences = cluster.psql(
        "SELECT sequencename || '=' || coalesce(last_value, 0) FROM pg_sequences "
        "WHERE schemaname = 'public' ORDER BY sequencename",
        database=database,
    ).split()
    prints |= {f"sequence {s.split('=')[0]}": s.split("=")[1] for s in sequences}
    return prints


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    # A SIGTERM unwinds like Ctrl-C, so that the servers started here are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    cluster = loadtest.start_cluster()
    sandbox = common.make_sandbox()
    sandbox.env |= {"DATABASE_URL": cluster.url, "LEERSCAN_CACHE": "database"}
    restored_url = cluster.url.rsplit("/", 1)[0] + "/leerscan_restored"
    backups = sandbox.path / "backups"
    problems: list[str] = []
    try:
        common.prepare_database(sandbox)
        common.use_sandbox_here(sandbox)
        import django

        django.setup()
        started = time.monotonic()
        filled = fill(args.scans)
        print(f"filled: {filled} in {time.monotonic() - started:.1f} s")
        from django.db import connections

        connections.close_all()

        tools = {
            "PG_DUMP": f"{cluster.bin}/pg_dump",
            "PG_RESTORE": f"{cluster.bin}/pg_restore",
            "BACKUP_DIR": str(backups),
            "PYTHON": sys.executable,
        }
        started = time.monotonic()
        backup = subprocess.run(  # noqa: S603 (the project's own script)
            [str(ROOT / "deploy" / "backup-leerscan")],
            env=sandbox.env | tools,
            capture_output=True,
            text=True,
            check=True,
        )
        dump = Path(backup.stdout.strip())
        dumped = time.monotonic() - started
        mode = oct(dump.stat().st_mode & 0o777)
        print(
            f"backup: {dump.name}, {dump.stat().st_size / 1e6:.2f} MB, mode {mode}, {dumped:.1f} s"
        )

        cluster.psql("CREATE DATABASE leerscan_restored OWNER leerscan", database="postgres")
        started = time.monotonic()
        restore = subprocess.run(  # noqa: S603 (the project's own script)
            [str(ROOT / "deploy" / "restore-leerscan"), str(dump)],
            env=sandbox.env | tools | {"DATABASE_URL": restored_url},
            capture_output=True,
            text=True,
            check=False,
        )
        restored = time.monotonic() - started
        print(f"restore: {restored:.1f} s, exit {restore.returncode}")
        print("  " + (restore.stdout + restore.stderr).strip().replace("\n", "\n  "))
        if restore.returncode or "up to date" not in restore.stdout:
            problems.append("the restore script failed or the schema is not up to date")

        original = fingerprint(cluster, "leerscan_test")
        copy = fingerprint(cluster, "leerscan_restored")
        tables = [k for k in original if not k.startswith("sequence ")]
        rows = sum(int(original[t].split()[0]) for t in tables)
        print(
            f"compared: {len(tables)} tables, {rows} rows, {len(original) - len(tables)} sequences"
        )
        for name in sorted(set(original) | set(copy)):
            if original.get(name) != copy.get(name):
                problems.append(f"{name}: {original.get(name)} != {copy.get(name)}")

        # The restored database takes new work: a scan started through the app.
        added = subprocess.run(  # noqa: S603 (fixed arguments)
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from leerscan.scans import services; print(services.scan_start().pk)",
            ],
            cwd=ROOT,
            env=sandbox.env | {"DATABASE_URL": restored_url},
            capture_output=True,
            text=True,
            check=False,
        )
        if added.returncode:
            problems.append(f"a new scan in the restored database failed: {added.stderr[-500:]}")
        else:
            print(f"new scan in the restored database: id {added.stdout.split()[-1]}")
    finally:
        cluster.stop()
        if args.keep:
            print(f"kept: {sandbox.path}")
        else:
            sandbox.remove()

    for problem in problems:
        print(f"DIFFERS {problem}")
    print(f"verdict: {'restore identical' if not problems else f'{len(problems)} problems'}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
