"""A deleted scan is gone from the database files too, not only from the tables.

SQLite keeps deleted rows in free pages and in the write-ahead log until a checkpoint. With
secure_delete on every connection and a checkpoint after each deletion, an organisation's name
cannot be read back from db.sqlite3 or db.sqlite3-wal once its scan is deleted (by its owner or
by delete_stale_scans). The test suite's database lives in memory, so this runs the project in
a second process on a SQLite file and reads that file's bytes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, shutil, sys
from datetime import timedelta
from pathlib import Path

import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from benchmarks.models import BenchmarkSet
from leerscan.scans import services
from leerscan.scans.models import ItemBank, Scan
import leerscan.scans.management.commands.delete_stale_scans as command

protected = Path(sys.argv[1])
control = protected.with_name("control.sqlite3")
call_command("migrate", verbosity=0)
connection.close()
shutil.copy(protected, control)


def delete_two_scans(database: Path) -> dict[str, bool]:
    connection.settings_dict["NAME"] = str(database)
    bank = ItemBank.objects.create(version="t1", title="t", content_hash="x")
    benchmarks = BenchmarkSet.objects.create(
        title="t", content_hash="x", slug="t", name="t", year=2023, source="t"
    )
    owner = Scan.objects.create(
        item_bank=bank, benchmark_set=benchmarks, organisation_name="Bakkerij Zoetelief Workum"
    )
    stale = Scan.objects.create(
        item_bank=bank, benchmark_set=benchmarks, organisation_name="Metaalbedrijf Hoogeveen Oost"
    )
    Scan.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=2))
    # Both names are in the files now (a checkpoint puts them in the database file itself).
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    services.scan_delete(scan=owner)
    call_command("delete_stale_scans", verbosity=0)
    connection.close()
    files = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
    return {
        "owner": b"Bakkerij Zoetelief Workum" in files,
        "stale": b"Metaalbedrijf Hoogeveen Oost" in files,
    }


result = {"protected": delete_two_scans(protected)}
# The control: what SQLite keeps without secure_delete (on by default in some builds only)
# and the checkpoint.
services.database_forget_deleted = command.database_forget_deleted = lambda: None
options = connection.settings_dict["OPTIONS"]
options["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA secure_delete=OFF;"
result["control"] = delete_two_scans(control)
print(json.dumps(result))
"""


def _run(tmp_path: Path) -> dict[str, dict[str, bool]]:
    database = tmp_path / "leerscan.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {"DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "leerscan.settings"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(database)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="secure_delete and WAL checkpoints are SQLite's",
)
def test_a_deleted_scans_name_is_not_in_the_database_files(tmp_path) -> None:
    result = _run(tmp_path)
    assert result["protected"] == {"owner": False, "stale": False}
    # Without secure_delete and the checkpoint both names could still be read: the test sees
    # what it claims to.
    assert result["control"] == {"owner": True, "stale": True}
