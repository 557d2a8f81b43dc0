"""manage.py item_bank_load: load the statements of the scan (idempotent)."""

from __future__ import annotations

from benchmarks.versioned import LoadCommand
from leerscan.scans.itembank import ITEM_BANK_FILE, item_bank_load


class Command(LoadCommand):
    help = "Load the item bank from leerscan/scans/data/itembank.json (or --file)."
    data_file = ITEM_BANK_FILE
    load_file = staticmethod(item_bank_load)
