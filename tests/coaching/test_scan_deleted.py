"""Anna deletes the scan she started from Bram's invitation (or the daily clean-up deletes one she
never gave consent in): the round goes back to "uitgenodigd" and the same invitation link starts
a new scan, instead of the round disappearing. A scan she shared herself takes its round along,
as stopping sharing does. Every coach page copes with a round that lost its scan."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client as Browser
from django.urls import get_resolver, reverse
from django.utils import timezone

from leerscan.coaching.models import Measurement
from leerscan.coaching.progress import followup_start
from leerscan.coaching.selectors import INVITED, measurement_status
from leerscan.coaching.services import scan_share, share_code_for
from leerscan.scans import services
from leerscan.scans.models import Scan

pytestmark = pytest.mark.django_db


def _invite(measurement: Measurement) -> str:
    return reverse("coaching:invite", args=[measurement.invite_token])


def _start(browser: Browser, measurement: Measurement) -> Scan:
    """Anna opens the invitation, starts the scan and gives consent."""
    assert browser.post(_invite(measurement)).status_code == 302
    scan = Measurement.objects.get(pk=measurement.pk).scan
    scan.consent_at = timezone.now()
    scan.save(update_fields=["consent_at"])
    return scan


@pytest.fixture
def intake(anna_company, scan_data) -> Measurement:
    return anna_company.measurements.get(round=0)


def test_deleting_the_invited_scan_sends_the_round_back_to_invited(client, intake) -> None:
    scan = _start(client, intake)
    response = client.post(reverse("scans:delete", args=[scan.token]))
    assert response.status_code == 302
    assert not Scan.objects.filter(pk=scan.pk).exists()
    round_ = Measurement.objects.get(pk=intake.pk)  # the round stays
    assert round_.scan is None
    assert round_.invite_token == intake.invite_token
    assert measurement_status(measurement=round_).key == INVITED


def test_the_same_invitation_starts_a_new_scan_afterwards(client, intake) -> None:
    scan = _start(client, intake)
    client.post(reverse("scans:delete", args=[scan.token]))
    page = client.get(_invite(intake))
    assert page.status_code == 200
    assert "Met deze uitnodiging is de scan al gestart" not in page.content.decode()
    assert Browser().post(_invite(intake)).status_code == 302
    again = Measurement.objects.get(pk=intake.pk).scan
    assert again is not None and again.pk != scan.pk
    assert again.context == Scan.Context.COACHING
    assert again.organisation_name == "Anna IT"  # prefilled again


def test_bram_sees_the_round_invited_with_its_link_again(bram_client, client, intake) -> None:
    scan = _start(client, intake)
    client.post(reverse("scans:delete", args=[scan.token]))
    listing = bram_client.get(reverse("coaching:clients"))
    assert listing.status_code == 200
    assert "uitgenodigd" in listing.content.decode()
    page = bram_client.get(reverse("coaching:client", args=[intake.client_id]))
    assert page.status_code == 200
    assert _invite(intake) in page.content.decode()


def test_every_coach_page_copes_with_a_round_without_its_scan(bram_client, client, intake) -> None:
    """Walked from the resolver: every coach page of the client, and the organisation's."""
    scan = _start(client, intake)
    client.post(reverse("scans:delete", args=[scan.token]))
    _prefix, resolver = get_resolver().namespace_dict["coaching"]
    ids = {"client_id": intake.client_id, "number": 0}
    walked = 0
    for pattern in resolver.url_patterns:
        converters = set(pattern.pattern.converters)
        if not getattr(pattern.callback, "checks_adviser", False) or converters - set(ids):
            continue
        url = reverse(f"coaching:{pattern.name}", kwargs={k: ids[k] for k in converters})
        for response in (bram_client.get(url), bram_client.post(url)):
            assert response.status_code < 500, (pattern.name, response.status_code)
        walked += 1
    assert walked >= 10
    # The round's own pages say it is not finished; its PDF and team link are not there.
    assert bram_client.get(reverse("coaching:round", kwargs=ids)).status_code == 200
    assert bram_client.get(reverse("coaching:round_report", kwargs=ids)).status_code == 404
    assert bram_client.post(reverse("coaching:round_team", kwargs=ids)).status_code == 404
    assert Measurement.objects.get(pk=intake.pk).scan is None


def test_the_daily_clean_up_of_an_unconsented_scan_keeps_the_round(client, intake) -> None:
    """Anna clicked the invitation but never gave consent: after a day her empty scan goes."""
    assert client.post(_invite(intake)).status_code == 302
    scan = Measurement.objects.get(pk=intake.pk).scan
    Scan.objects.filter(pk=scan.pk).update(created_at=timezone.now() - timedelta(days=2))
    call_command("delete_stale_scans", verbosity=0)
    assert not Scan.objects.filter(pk=scan.pk).exists()
    assert measurement_status(measurement=Measurement.objects.get(pk=intake.pk)).key == INVITED


def test_a_deleted_follow_up_is_invited_again_and_prefilled_from_the_intake(
    client, anna_intake
) -> None:
    follow_up = followup_start(client=anna_intake.client)
    scan = _start(client, follow_up)
    services.scan_delete(scan=scan)
    assert Measurement.objects.get(pk=follow_up.pk).scan is None
    assert Measurement.objects.get(pk=anna_intake.pk).scan == anna_intake.scan  # t0 untouched
    Browser().post(_invite(follow_up))
    again = Measurement.objects.get(pk=follow_up.pk).scan
    assert again is not None and again.fact_answers.exists()


def test_deleting_a_scan_the_owner_shared_takes_its_round_along(bram, anna_scan) -> None:
    services.scan_finish(scan=anna_scan)
    shared = scan_share(scan=anna_scan, share_code=share_code_for(adviser=bram))
    services.scan_delete(scan=anna_scan)
    assert not Measurement.objects.filter(pk=shared.pk).exists()


def test_the_delete_page_tells_anna_the_invitation_stays(client, intake) -> None:
    scan = _start(client, intake)
    html = client.get(reverse("scans:delete", args=[scan.token])).content.decode()
    assert "uitnodiging" in html.lower() or "invitation" in html.lower()
