"""Guessing passwords: ten wrong ones lock the account (and the address) for a while, even for
the right password. Dirk maintains the site; Eve guesses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login") + "?next=" + reverse("admin:index")
PASSWORD = "x-long-pass-1"


@pytest.fixture
def dirk():
    return get_user_model().objects.create_superuser("dirk", "dirk@example.nl", PASSWORD)


def _login(client, username: str, password: str, address: str = "192.0.2.66"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_ten_wrong_passwords_lock_the_account_even_for_the_right_one(client, dirk) -> None:
    for _ in range(9):
        assert _login(client, "dirk", "guess").status_code == 200  # the form again, with an error
    response = _login(client, "dirk", "guess")
    assert response.status_code == 429
    response = _login(client, "dirk", PASSWORD)
    assert response.status_code == 429
    assert not _logged_in(response)
    html = response.content.decode()
    assert "Inloggen is tijdelijk geblokkeerd" in html
    assert "opnieuw proberen" in html
    assert int(response["Retry-After"]) == 30 * 60
    assert "no-store" in response["Cache-Control"]


def test_the_account_stays_locked_from_another_address(client, dirk) -> None:
    for _ in range(10):
        _login(client, "dirk", "guess", address="192.0.2.66")
    assert _login(client, "dirk", PASSWORD, address="198.51.100.9").status_code == 429


def test_one_address_guessing_many_names_is_locked_out(client, dirk) -> None:
    for number in range(10):
        _login(client, f"user{number}", "guess")
    assert _login(client, "dirk", PASSWORD).status_code == 429
    # Dirk, from his own address, still gets in.
    assert _logged_in(_login(client, "dirk", PASSWORD, address="198.51.100.9"))


def test_nine_wrong_passwords_then_the_right_one_logs_in_and_clears_them(client, dirk) -> None:
    for _ in range(9):
        _login(client, "dirk", "guess")
    assert _logged_in(_login(client, "dirk", PASSWORD))
    client.logout()
    # The failures are cleared: nine more wrong ones do not lock yet.
    for _ in range(9):
        assert _login(client, "dirk", "guess").status_code == 200


def test_after_the_cool_off_the_right_password_works_again(client, dirk) -> None:
    for _ in range(10):
        _login(client, "dirk", "guess")
    assert _login(client, "dirk", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert _logged_in(_login(client, "dirk", PASSWORD))


def test_the_lockout_limit_is_configurable(client, dirk, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _login(client, "dirk", "guess")
    assert _login(client, "dirk", PASSWORD).status_code == 429
