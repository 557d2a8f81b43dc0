"""Advisers' personas: Bram (Leerwerk Advies) runs leertafels; Carla (Kennispunt Noord, another
organisation) must never see anything of Bram's."""

from __future__ import annotations

import datetime

import pytest

from leerscan.advisers.models import Adviser, Leertafel, Participant
from leerscan.advisers.services import adviser_create, leertafel_create, leertafel_join

PASSWORD = "een-lang-wachtwoord-7"  # noqa: S105 (a test password)


@pytest.fixture
def bram(db) -> Adviser:
    return adviser_create(
        email="bram@leerwerk-advies.nl", organisation_name="Leerwerk Advies", password=PASSWORD
    )


@pytest.fixture
def carla(db) -> Adviser:
    return adviser_create(
        email="carla@kennispunt-noord.nl", organisation_name="Kennispunt Noord", password=PASSWORD
    )


@pytest.fixture
def bram_client(client, bram):
    client.force_login(bram.user)
    return client


@pytest.fixture
def carla_client(client, carla):
    client.force_login(carla.user)
    return client


@pytest.fixture
def leertafel(bram, scan_data) -> Leertafel:
    """Bram's leertafel in Emmen, the instrumental approach (the matrix)."""
    return leertafel_create(
        adviser=bram,
        data={
            "name": "Leertafel techniek Emmen",
            "date": datetime.date(2026, 12, 3),
            "place": "Emmen",
            "approach": Leertafel.Approach.INSTRUMENTAL,
            "theme": "",
            "short_mode": False,
        },
        language="nl",
    )


@pytest.fixture
def participant(leertafel) -> Participant:
    """An employer at Bram's table, on a phone (joined, scan not started)."""
    return leertafel_join(leertafel=leertafel)


@pytest.fixture
def carla_leertafel(carla) -> Leertafel:
    """Carla's leertafel in Leeuwarden: nothing of it may mix with Bram's."""
    return leertafel_create(
        adviser=carla,
        data={
            "name": "Leertafel bakkers Leeuwarden",
            "date": datetime.date(2026, 12, 4),
            "approach": Leertafel.Approach.INSTRUMENTAL,
        },
        language="nl",
    )
