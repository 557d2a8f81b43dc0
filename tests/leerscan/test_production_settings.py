"""Production settings as docs/deployment.md documents them: the secret key from a file, the
shared database cache, and `check --deploy` clean with the values of .env.example."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter with only the given Django/Leerscan variables set."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "LEERSCAN_", "GUNICORN_")) and k != "DATABASE_URL"
    }
    return subprocess.run(  # noqa: S603 (the test's own code)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "leerscan.settings"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings(expression: str, **env: str) -> subprocess.CompletedProcess:
    return _python(f"from leerscan import settings as s; print({expression})", **env)


def documented_production_values() -> dict[str, str]:
    """The uncommented KEY=VALUE lines of .env.example."""
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def test_it_reads_the_secret_key_from_the_file_named(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("a-key-from-a-file-" + "x" * 40 + "\n")

    result = _settings("s.SECRET_KEY", DJANGO_DEBUG="False", DJANGO_SECRET_KEY_FILE=str(key_file))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "a-key-from-a-file-" + "x" * 40


def test_a_key_in_the_environment_wins_over_the_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("from-the-file")

    result = _settings(
        "s.SECRET_KEY",
        DJANGO_DEBUG="False",
        DJANGO_SECRET_KEY="from-the-environment",
        DJANGO_SECRET_KEY_FILE=str(key_file),
    )

    assert result.stdout.strip() == "from-the-environment"


def test_a_missing_or_empty_key_file_stops_start_up(tmp_path):
    missing = _settings("1", DJANGO_DEBUG="False", DJANGO_SECRET_KEY_FILE=str(tmp_path / "nope"))
    (tmp_path / "empty").write_text("\n")
    empty = _settings("1", DJANGO_DEBUG="False", DJANGO_SECRET_KEY_FILE=str(tmp_path / "empty"))

    assert missing.returncode != 0
    assert "DJANGO_SECRET_KEY_FILE cannot be read" in missing.stderr
    assert empty.returncode != 0
    assert "DJANGO_SECRET_KEY_FILE is empty" in empty.stderr


def test_production_shares_the_cache_through_the_database():
    production = _settings(
        "s.CACHES['default']['BACKEND']", DJANGO_DEBUG="False", DJANGO_SECRET_KEY="k" * 50
    )
    development = _settings("s.CACHES['default']['BACKEND']")

    assert production.stdout.strip() == "django.core.cache.backends.db.DatabaseCache"
    assert development.stdout.strip() == "django.core.cache.backends.filebased.FileBasedCache"


def test_a_misspelt_cache_choice_is_refused():
    result = _settings("1", LEERSCAN_CACHE="memcache")

    assert result.returncode != 0
    assert "LEERSCAN_CACHE must be database or file" in result.stderr


def test_the_documented_production_values_pass_the_deployment_check(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("a-production-secret-that-is-long-enough-and-varied-0123456789-xyz\n")
    env = documented_production_values() | {"DJANGO_SECRET_KEY_FILE": str(key_file)}
    assert env["DJANGO_DEBUG"] == "False"
    assert env["DJANGO_BEHIND_TLS_PROXY"] == "True"

    result = _python(
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        **env,
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout
