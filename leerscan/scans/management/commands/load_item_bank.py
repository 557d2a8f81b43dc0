"""manage.py load_item_bank: load the statements of the scan (idempotent)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from leerscan.scans.itembank import ITEM_BANK_FILE, ItemBankError, item_bank_load


class Command(BaseCommand):
    help = "Load the item bank from leerscan/scans/data/itembank.json (or --file)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", type=Path, default=ITEM_BANK_FILE)

    def handle(self, *args, **options) -> None:
        try:
            result = item_bank_load(options["file"])
        except (ItemBankError, KeyError, ValueError) as exc:
            raise CommandError(f"Refused: {exc}") from None
        if options["verbosity"]:
            state = "loaded" if result.changed else "already up to date"
            self.stdout.write(f"item bank {result.version}: {result.items} items, {state}.")
