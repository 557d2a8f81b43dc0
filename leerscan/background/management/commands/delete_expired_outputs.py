"""Delete the background outputs kept past their time (exports after a day, group reports after
two days): the daily chore beside delete_stale_scans (deploy/leerscan-stale.service)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from leerscan.background.services import outputs_prune


class Command(BaseCommand):
    help = "Delete background outputs (exports, group reports, ...) kept past their time."

    def handle(self, *args, **options) -> None:
        deleted = outputs_prune()
        if options["verbosity"]:
            self.stdout.write(f"Deleted {deleted} expired outputs.")
