"""manage.py load_instruments: load the HR-instrument library (idempotent)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from leerscan.reports.library import LIBRARY_FILE, LibraryError, library_load


class Command(BaseCommand):
    help = "Load the HR-instrument library from leerscan/reports/data/instruments.json (or --file)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", type=Path, default=LIBRARY_FILE)

    def handle(self, *args, **options) -> None:
        try:
            library, changed = library_load(options["file"])
        except (LibraryError, KeyError, ValueError) as exc:
            raise CommandError(f"Refused: {exc}") from None
        if options["verbosity"]:
            state = "loaded" if changed else "already up to date"
            count = library.instruments.count()
            self.stdout.write(
                f"instrument library {library.version}: {count} instruments, {state}."
            )
