"""`manage.py create_adviser EMAIL "ORGANISATION"`: how the first adviser gets in."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from leerscan.advisers.models import Adviser, Organisation
from tests.advisers.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_creates_the_adviser_and_the_organisation_with_the_password_from_the_environment(
    monkeypatch,
):
    monkeypatch.setenv("LEERSCAN_ADVISER_PASSWORD", PASSWORD)
    call_command("create_adviser", "Bram@Leerwerk-Advies.nl", "Leerwerk Advies", verbosity=0)
    bram = Adviser.objects.get()
    assert bram.user.email == "bram@leerwerk-advies.nl"
    assert bram.organisation.name == "Leerwerk Advies"
    assert bram.is_organisation_admin  # the first of a new organisation
    assert bram.user.check_password(PASSWORD)


def test_a_second_adviser_joins_the_existing_organisation_without_admin_rights(monkeypatch):
    monkeypatch.setenv("LEERSCAN_ADVISER_PASSWORD", PASSWORD)
    call_command("create_adviser", "bram@leerwerk-advies.nl", "Leerwerk Advies", verbosity=0)
    call_command("create_adviser", "dewi@leerwerk-advies.nl", "Leerwerk Advies", verbosity=0)
    assert Organisation.objects.count() == 1
    dewi = Adviser.objects.get(user__email="dewi@leerwerk-advies.nl")
    assert not dewi.is_organisation_admin


def test_it_asks_for_the_password_when_the_environment_has_none(monkeypatch):
    monkeypatch.delenv("LEERSCAN_ADVISER_PASSWORD", raising=False)
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("create_adviser", "carla@kennispunt-noord.nl", "Kennispunt Noord", verbosity=0)
    assert Adviser.objects.get().user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("email", "organisation", "password", "message"),
    [
        ("geen-adres", "Leerwerk Advies", PASSWORD, "not an e-mail address"),
        ("bram@leerwerk-advies.nl", "   ", PASSWORD, "name the organisation"),
        ("bram@leerwerk-advies.nl", "Leerwerk Advies", "kort", "te kort|too short"),
        (
            "bram@leerwerk-advies.nl",
            "Leerwerk Advies",
            "48201937561",
            "alleen cijfers|entirely numeric",
        ),
    ],
)
def test_it_refuses_bad_input_and_creates_nothing(
    monkeypatch, email, organisation, password, message
):
    monkeypatch.setenv("LEERSCAN_ADVISER_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        call_command("create_adviser", email, organisation, verbosity=0)
    assert not Adviser.objects.exists()


def test_it_refuses_an_address_that_has_an_account_already(monkeypatch):
    monkeypatch.setenv("LEERSCAN_ADVISER_PASSWORD", PASSWORD)
    call_command("create_adviser", "bram@leerwerk-advies.nl", "Leerwerk Advies", verbosity=0)
    with pytest.raises(CommandError, match="already has an account"):
        call_command("create_adviser", "BRAM@leerwerk-advies.nl", "Kennispunt Noord", verbosity=0)
    assert Adviser.objects.count() == 1
