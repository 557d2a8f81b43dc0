"""manage.py living_benchmark_refresh: rebuild the living benchmark's cells from the consents of
now (run daily, beside delete_stale_scans); a withdrawn consent leaves at this refresh."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from leerscan.reports.living import living_benchmark_refresh


class Command(BaseCommand):
    help = "Rebuild the living benchmark (Leerscan's own sector x size x province cells; daily)."

    def handle(self, *args, **options) -> None:
        cells = living_benchmark_refresh()
        self.stdout.write(f"{cells} cells with enough organisations.")
