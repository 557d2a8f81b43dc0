"""manage.py load_benchmarks: load the monitor's tables (idempotent)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from benchmarks.loading import BenchmarkFileError, load_benchmark_set, load_default_sets


class Command(BaseCommand):
    help = (
        "Load benchmark sets. Without arguments, every set in benchmarks/data/sets.json; "
        "with --file, one CSV file as the set named by --slug."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", type=Path, help="a benchmark CSV file")
        parser.add_argument("--slug", help="code of the set, e.g. monitor-llo-nn-2025")
        parser.add_argument("--title", default="")
        parser.add_argument("--year", type=int)
        parser.add_argument("--source", default="")

    def handle(self, *args, **options) -> None:
        try:
            if options["file"]:
                if not options["slug"] or not options["year"] or not options["title"]:
                    raise CommandError("--file needs --slug, --title and --year as well.")
                results = [
                    load_benchmark_set(
                        path=options["file"],
                        slug=options["slug"],
                        title=options["title"],
                        year=options["year"],
                        source=options["source"] or options["title"],
                    )
                ]
            else:
                results = load_default_sets()
        except BenchmarkFileError as exc:
            raise CommandError(f"Refused: {exc}") from None
        except OSError as exc:
            raise CommandError(f"Cannot read the benchmark file: {exc}") from None
        if options["verbosity"] == 0:
            return
        for result in results:
            state = "loaded" if result.changed else "already up to date"
            self.stdout.write(f"{result.slug}: {result.rows} values, {state}.")
