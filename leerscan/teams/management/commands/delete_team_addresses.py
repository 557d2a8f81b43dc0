"""manage.py delete_team_addresses: delete the employees' e-mail addresses kept on team invitations
for longer than TEAM_EMAIL_KEEP_DAYS (run daily, beside delete_stale_scans). Using an invitation,
closing the team scan and deleting the scan delete them at once; this is the limit for the rest."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from leerscan.constants import TEAM_EMAIL_KEEP_DAYS
from leerscan.teams.services import team_addresses_forget


class Command(BaseCommand):
    help = (
        f"Delete employees' e-mail addresses on team invitations after {TEAM_EMAIL_KEEP_DAYS} "
        "days (run daily)."
    )

    def handle(self, *args, **options) -> None:
        forgotten = team_addresses_forget()
        if options["verbosity"]:
            self.stdout.write(f"Deleted the e-mail addresses of {forgotten} team invitations.")
