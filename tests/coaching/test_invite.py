"""Anna opens Bram's invitation: who invites her, and a button that starts her scan once,
prefilled with what Bram filled in, so that she only confirms step 1 and gives consent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leerscan.coaching.services import measurement_start_scan
from leerscan.scans.models import Scan
from leerscan.scans.resume import REMEMBER_COOKIE

pytestmark = pytest.mark.django_db


@pytest.fixture
def invite_url(anna_company, scan_data) -> str:
    return reverse("coaching:invite", args=[anna_company.measurements.get().invite_token])


def test_the_invitation_says_who_invites_and_starts_nothing_yet(client, invite_url):
    response = client.get(invite_url)
    assert response.status_code == 200
    assert "Leerwerk Advies" in response.content.decode()
    assert not Scan.objects.exists()


def test_starting_makes_a_coaching_scan_tied_to_the_round_and_prefilled(
    client, anna_company, invite_url
):
    response = client.post(invite_url)
    scan = Scan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scans:step", args=[scan.token, 1]) + "?nieuw=1"
    assert anna_company.measurements.get().scan == scan
    assert scan.context == Scan.Context.COACHING
    assert (scan.organisation_name, scan.sbi_code, scan.employees, scan.province) == (
        "Anna IT",
        "6201",
        12,
        "groningen",
    )
    assert scan.consent_at is None  # Anna gives it herself
    step = client.get(response["Location"]).content.decode()
    assert 'value="Anna IT"' in step and 'value="6201"' in step


def test_a_second_post_or_visit_goes_to_the_same_scan(client, anna_company, invite_url):
    first = client.post(invite_url)
    second = client.post(invite_url)
    assert Scan.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert measurement_start_scan(measurement=anna_company.measurements.get()) == Scan.objects.get()


def test_once_anna_consented_only_her_device_gets_back_in(client, anna_company, invite_url):
    client.post(invite_url)
    scan = Scan.objects.get()
    scan.consent_at = scan.created_at
    scan.save()
    assert client.post(invite_url).status_code == 302  # her device remembers the scan
    client.cookies.pop(REMEMBER_COOKIE)  # Bram, or anyone else who has the link
    response = client.post(invite_url)
    assert response.status_code == 409
    assert scan.token not in response.content.decode()
    assert Scan.objects.count() == 1


@pytest.mark.parametrize("token", ["A" * 32, "kort", "x" * 500, "%00" * 32, "🙂" * 32])
def test_an_unknown_or_nonsense_invitation_is_a_dutch_404(client, scan_data, token):
    response = client.post(f"/coaching/uitnodiging/{token}/")
    assert response.status_code == 404
    assert "Deze uitnodiging bestaat niet" in response.content.decode()  # awaits coaching.json
    assert not Scan.objects.exists()


def test_starting_counts_against_the_scan_start_limit(client, invite_url, settings):
    settings.LEERSCAN_RATE_LIMITS = settings.LEERSCAN_RATE_LIMITS | {"scan_start": (1, 60)}
    client.post(reverse("scans:start"))
    response = client.post(invite_url)
    assert response.status_code == 429
    assert Scan.objects.count() == 1  # only the self-scan
