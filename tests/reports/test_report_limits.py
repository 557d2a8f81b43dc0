"""Rendering a report is limited per scan and per client; downloading a stored one never is.
Four clients once forced 157 renders a minute by changing an answer and downloading again."""

from __future__ import annotations

import pytest
from django.db.models import F
from django.urls import reverse

from leerscan.scans.models import Scan
from tests.personas_more import bakery_scan  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _limits(settings, **limits) -> None:
    settings.LEERSCAN_RATE_LIMITS = {**settings.LEERSCAN_RATE_LIMITS, **limits}


def _download(client, scan: Scan):
    return client.get(reverse("reports:report", args=[scan.token]))


def _change_an_answer(scan: Scan) -> None:
    # What saving a changed answer does to the stored report: it no longer fits.
    Scan.objects.filter(pk=scan.pk).update(answers_version=F("answers_version") + 1)


def test_downloading_a_stored_report_again_is_never_limited(client, finished, settings) -> None:
    _limits(settings, report_render_scan=(1, 3600), report_render_client=(1, 3600))
    statuses = [_download(client, finished).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 200]


def test_renders_of_one_scan_are_limited(client, finished, settings) -> None:
    _limits(settings, report_render_scan=(1, 3600))
    assert _download(client, finished).status_code == 200
    _change_an_answer(finished)
    response = _download(client, finished)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert reverse("reports:results", args=[finished.token]) in html
    assert "Uw rapport is in korte tijd heel vaak opnieuw gemaakt" in html
    assert "Terug naar uw resultaten" in html


def test_renders_from_one_client_are_limited_across_scans(
    client,
    finished,
    bakery_scan,  # noqa: F811
    settings,
) -> None:
    _limits(settings, report_render_client=(1, 3600))
    assert _download(client, finished).status_code == 200
    assert _download(client, bakery_scan).status_code == 429
    # Another client may still have its report made.
    other = _download(client.__class__(REMOTE_ADDR="192.0.2.9"), bakery_scan)
    assert other.status_code == 200
