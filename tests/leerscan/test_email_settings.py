"""E-mail settings from the environment: console while developing, SMTP in production."""

from __future__ import annotations

from tests.leerscan.test_settings import PRODUCTION, _manage

PRINT_BACKEND = "from django.conf import settings; print(settings.EMAIL_BACKEND)"


def test_it_prints_mail_to_the_console_while_developing() -> None:
    result = _manage("shell", "-c", PRINT_BACKEND)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("console.EmailBackend")


def test_production_sends_mail_over_smtp_unless_told_otherwise() -> None:
    # The console backend would write the recipient's address into the process log.
    result = _manage("shell", "-c", PRINT_BACKEND, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("smtp.EmailBackend")


def test_an_unknown_mail_backend_is_refused() -> None:
    result = _manage("check", DJANGO_EMAIL_BACKEND="sendmail")
    assert result.returncode != 0
    assert "DJANGO_EMAIL_BACKEND must be one of console, file, smtp" in result.stderr


def test_tls_and_ssl_together_are_refused() -> None:
    result = _manage("check", DJANGO_EMAIL_USE_TLS="True", DJANGO_EMAIL_USE_SSL="True")
    assert result.returncode != 0
    assert "not both" in result.stderr
