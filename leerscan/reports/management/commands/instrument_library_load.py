"""manage.py instrument_library_load: load the HR-instrument library (idempotent)."""

from __future__ import annotations

from benchmarks.versioned import LoadCommand
from leerscan.reports.library import LIBRARY_FILE, instrument_library_load


class Command(LoadCommand):
    help = "Load the HR-instrument library from leerscan/reports/data/instruments.json (or --file)."
    data_file = LIBRARY_FILE
    load_file = staticmethod(instrument_library_load)
