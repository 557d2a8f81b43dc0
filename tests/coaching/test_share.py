"""Anna did the scan on her own and shares it with Bram by his share code; she can stop sharing.
A scan Bram invited her to cannot be shared again; codes are typed loosely, nonsense is refused
next to the field, and guessing codes is limited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leerscan.coaching.models import Client, CoachNote, Measurement
from leerscan.coaching.services import share_code_for
from leerscan.scans import services
from leerscan.scans.models import Scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(bram) -> str:
    return share_code_for(adviser=bram).code


@pytest.fixture
def share_url(anna_scan) -> str:
    services.scan_finish(scan=anna_scan)
    return reverse("coaching:share", args=[anna_scan.token])


def _loosely(code: str) -> str:
    """As typed on a phone: lower case, a space and a dash in it."""
    return f" {code[:4].lower()}-{code[4:]} "


def test_the_code_shows_the_coach_s_organisation_before_anything_is_shared(client, code, share_url):
    response = client.post(share_url, {"code": _loosely(code)})
    assert response.status_code == 200
    assert "Leerwerk Advies" in response.content.decode()
    assert not Client.objects.exists()


def test_confirming_makes_a_client_of_the_coach_with_the_scan_as_its_intake(
    client, bram, code, share_url, anna_scan
):
    response = client.post(share_url, {"code": code, "action": "confirm"})
    assert response.status_code == 302
    measurement = Measurement.objects.get(scan=anna_scan)
    company = measurement.client
    assert (measurement.round, measurement.shared_by_owner) == (0, True)
    assert company.organisation == bram.organisation
    assert (company.name, company.sbi_code, company.employees, company.province) == (
        "Annas Adviesbureau",
        "6202",
        12,
        "groningen",
    )
    assert Scan.objects.get(pk=anna_scan.pk).context == Scan.Context.SELF_SCAN


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("", 400),
        ("abc", 400),
        ("K7M4QXAC", 404),
        ("K7M4QXAD\x00", 404),
        ("🙂" * 8, 400),
        ("x" * 10_000, 400),
        ("O0I1L2Z5", 400),
    ],
)
def test_a_wrong_or_nonsense_code_is_refused_next_to_the_field(
    client, code, share_url, typed, status
):
    response = client.post(share_url, {"code": typed, "action": "confirm"})
    assert response.status_code == status
    assert response.context["form"].errors["code"]
    assert not Client.objects.exists()


def test_guessing_codes_is_limited_per_address(client, code, share_url, settings):
    settings.LEERSCAN_RATE_LIMITS = settings.LEERSCAN_RATE_LIMITS | {"coach_share": (2, 600)}
    for guess in ("K7M4QXAC", "K7M4QXAD"):
        assert client.post(share_url, {"code": guess}).status_code == 404
    assert client.post(share_url, {"code": code, "action": "confirm"}).status_code == 429
    assert not Client.objects.exists()


def test_a_scan_started_from_an_invitation_cannot_be_shared_again(
    client, anna_intake, carla, share_url
):
    carla_code = share_code_for(adviser=carla).code
    response = client.post(share_url, {"code": carla_code, "action": "confirm"})
    assert response.status_code == 409
    assert not Client.objects.filter(organisation=carla.organisation).exists()
    assert "Leerwerk Advies" in client.get(share_url).content.decode()


def test_stopping_deletes_the_round_and_the_client_it_made_with_notes_and_plan(
    client, bram, code, share_url, anna_scan
):
    client.post(share_url, {"code": code, "action": "confirm"})
    company = Client.objects.get()
    company.actions.create(what="Feedbackgesprekken invoeren")
    CoachNote.objects.create(client=company, author=bram, text="Privé")
    revoke = reverse("coaching:share_revoke", args=[anna_scan.token])
    assert client.get(revoke).status_code == 200
    response = client.post(revoke)
    assert response.status_code == 302
    assert not Client.objects.exists() and not CoachNote.objects.exists()
    assert Scan.objects.filter(pk=anna_scan.pk).exists()  # her scan itself stays


def test_stopping_keeps_a_client_that_has_other_rounds(client, code, share_url, anna_scan):
    client.post(share_url, {"code": code, "action": "confirm"})
    company = Client.objects.get()
    Measurement.objects.create(client=company, round=1)
    client.post(reverse("coaching:share_revoke", args=[anna_scan.token]))
    assert list(company.measurements.values_list("round", flat=True)) == [1]


def test_an_invited_scan_is_not_the_owner_s_to_unshare(client, anna_intake, share_url):
    client.post(reverse("coaching:share_revoke", args=[anna_intake.scan.token]))
    assert Measurement.objects.filter(pk=anna_intake.pk, scan=anna_intake.scan).exists()


def test_the_results_page_offers_sharing_to_a_self_scan(client, share_url, anna_scan):
    page = client.get(reverse("reports:results", args=[anna_scan.token])).content.decode()
    assert share_url in page
