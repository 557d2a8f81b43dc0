"""manage.py delete_stale_scans: delete scans untouched for longer than the retention period,
and scans that never got consent (never past step 1) after a day."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from leerscan.constants import SCAN_RETENTION_DAYS, UNCONSENTED_SCAN_HOURS
from leerscan.scans.models import Scan
from leerscan.scans.services import database_forget_deleted


class Command(BaseCommand):
    help = (
        f"Delete scans not changed for {SCAN_RETENTION_DAYS} days, and scans without consent "
        f"after {UNCONSENTED_SCAN_HOURS} hours (run daily)."
    )

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        stale = Q(updated_at__lt=now - timedelta(days=SCAN_RETENTION_DAYS))
        unconsented = Q(
            consent_at__isnull=True, created_at__lt=now - timedelta(hours=UNCONSENTED_SCAN_HOURS)
        )
        # The cascade takes answers and rendered artefacts (reports) with each scan.
        deleted, _ = Scan.objects.filter(stale | unconsented).delete()
        database_forget_deleted()
        if options["verbosity"]:
            self.stdout.write(f"Deleted {deleted} rows of stale scans.")
