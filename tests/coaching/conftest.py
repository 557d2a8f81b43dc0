"""Coaching personas: Bram's organisation (Leerwerk Advies) coaches client companies; Carla
(Kennispunt Noord, another organisation) must never see any of them. Anna's IT firm is Bram's
client, with her scan as the intake (t0)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from leerscan.coaching.models import Client, Measurement
from tests.advisers.conftest import (  # noqa: F401 (fixtures shared with the advisers' tests)
    PASSWORD,
    bram,
    bram_client,
    carla,
    carla_client,
)


@pytest.fixture
def anna_company(bram) -> Client:  # noqa: F811 (the imported fixture)
    """Anna's 12-person IT firm in Groningen as a client of Bram's organisation, invited but
    not yet scanned (its intake round exists, without a scan)."""
    company = Client.objects.create(
        organisation=bram.organisation,
        created_by=bram,
        name="Anna IT",
        contact_name="Anna",
        contact_email="anna@anna-it.nl",
        sbi_section="J",
        sbi_code="6201",
        employees=12,
        province="groningen",
    )
    Measurement.objects.create(client=company, round=0)
    return company


@pytest.fixture
def anna_intake(anna_company, anna_scan) -> Measurement:
    """Anna's intake (t0): her scan, finished, tied to the client."""
    anna_scan.context = anna_scan.Context.COACHING
    anna_scan.finished_at = timezone.now()
    anna_scan.save(update_fields=["context", "finished_at"])
    intake = anna_company.measurements.get(round=0)
    intake.scan = anna_scan
    intake.save(update_fields=["scan"])
    return intake


@pytest.fixture
def anna_plan(anna_intake):
    """Two lines of Anna's action plan and one private note of Bram's about her firm."""
    from leerscan.coaching.models import ActionItem, CoachNote

    client = anna_intake.client
    ActionItem.objects.create(client=client, what="Feedbackgesprekken invoeren", who="Anna")
    ActionItem.objects.create(client=client, what="Scholingsbudget vastleggen", position=1)
    CoachNote.objects.create(
        client=client, author=client.created_by, text="Anna twijfelt over het budget."
    )
    return client
