"""manage.py delete_stale_scans: delete scans untouched for longer than the retention period."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from leerscan.constants import SCAN_RETENTION_DAYS
from leerscan.scans.models import Scan


class Command(BaseCommand):
    help = f"Delete scans not changed for {SCAN_RETENTION_DAYS} days (run daily)."

    def handle(self, *args, **options) -> None:
        cutoff = timezone.now() - timedelta(days=SCAN_RETENTION_DAYS)
        deleted, _ = Scan.objects.filter(updated_at__lt=cutoff).delete()
        if options["verbosity"]:
            self.stdout.write(f"Deleted {deleted} rows of stale scans.")
