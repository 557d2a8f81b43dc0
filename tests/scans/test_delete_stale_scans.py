"""manage.py delete_stale_scans: old scans go, with everything rendered from them, and scans
that never got consent go after a day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from leerscan.background.models import Output
from leerscan.constants import SCAN_RETENTION_DAYS, UNCONSENTED_SCAN_HOURS
from leerscan.scans import services
from leerscan.scans.models import FactAnswer, ItemAnswer, Scan

pytestmark = pytest.mark.django_db


def test_it_deletes_a_stale_scan_with_its_answers_and_report(client, anna_scan) -> None:
    services.scan_finish(scan=anna_scan)
    client.get(reverse("reports:report", args=[anna_scan.token]))
    assert Output.objects.filter(scan=anna_scan, kind="report", state=Output.State.DONE).exists()
    Scan.objects.filter(pk=anna_scan.pk).update(
        updated_at=timezone.now() - timedelta(days=SCAN_RETENTION_DAYS + 1)
    )
    call_command("delete_stale_scans", verbosity=0)
    assert not Scan.objects.exists()
    assert not ItemAnswer.objects.exists()
    assert not FactAnswer.objects.exists()
    assert not Output.objects.exists()
    assert client.get(reverse("reports:results", args=[anna_scan.token])).status_code == 404


def test_it_keeps_a_scan_changed_within_the_retention_period(anna_scan) -> None:
    Scan.objects.filter(pk=anna_scan.pk).update(
        updated_at=timezone.now() - timedelta(days=SCAN_RETENTION_DAYS - 1)
    )
    call_command("delete_stale_scans", verbosity=0)
    assert Scan.objects.filter(pk=anna_scan.pk).exists()
    assert ItemAnswer.objects.filter(scan=anna_scan).exists()


def _started_hours_ago(hours: float) -> Scan:
    scan = services.scan_start()
    Scan.objects.filter(pk=scan.pk).update(created_at=timezone.now() - timedelta(hours=hours))
    return scan


def test_it_deletes_a_scan_without_consent_after_a_day(scan_data) -> None:
    # One client made 26,576 empty scans a minute: those that never got past step 1 go.
    old = _started_hours_ago(UNCONSENTED_SCAN_HOURS + 1)
    young = _started_hours_ago(UNCONSENTED_SCAN_HOURS - 1)
    call_command("delete_stale_scans", verbosity=0)
    assert not Scan.objects.filter(pk=old.pk).exists()
    assert Scan.objects.filter(pk=young.pk).exists()


def test_it_keeps_a_scan_with_consent_started_days_ago(anna_scan) -> None:
    Scan.objects.filter(pk=anna_scan.pk).update(created_at=timezone.now() - timedelta(days=30))
    call_command("delete_stale_scans", verbosity=0)
    assert Scan.objects.filter(pk=anna_scan.pk).exists()


def test_it_says_how_much_it_deleted(scan_data, capsys) -> None:
    _started_hours_ago(UNCONSENTED_SCAN_HOURS + 1)
    call_command("delete_stale_scans")
    assert "Deleted 1 rows of stale scans." in capsys.readouterr().out
