"""Settings from the environment: bad values refused, production settings pass check --deploy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from leerscan.settings import envbool, envint, envlist

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "False",
    "DJANGO_SECRET_KEY": "a-production-secret-that-is-long-enough-and-varied-0123456789-xyz",
    "DJANGO_ALLOWED_HOSTS": "leerscan.example.nl",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_check() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": ""}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_a_misspelt_debug_flag_is_refused() -> None:
    result = _manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_a_bad_database_url_is_refused() -> None:
    result = _manage("check", DATABASE_URL="nosuchdb://x")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_envbool_reads_yes_and_no(monkeypatch) -> None:
    monkeypatch.setenv("X_FLAG", "Yes")
    assert envbool("X_FLAG", "False") is True
    monkeypatch.setenv("X_FLAG", "off")
    assert envbool("X_FLAG", "True") is False
    monkeypatch.delenv("X_FLAG")
    assert envbool("X_FLAG", "True") is True


def test_envint_refuses_text(monkeypatch) -> None:
    monkeypatch.setenv("X_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_NUMBER must be a whole number"):
        envint("X_NUMBER", "0")


def test_envlist_ignores_blanks(monkeypatch) -> None:
    monkeypatch.setenv("X_HOSTS", " a.nl, ,b.nl,")
    assert envlist("X_HOSTS", "") == ["a.nl", "b.nl"]


def test_sqlite_runs_in_wal_mode(db) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the SQLite journal mode only applies to SQLite")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The in-memory test database reports "memory"; a file database reports "wal".
    assert mode in {"wal", "memory"}
