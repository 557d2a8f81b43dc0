"""manage.py benchmark_set_load: load the monitor's tables and sentences (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from benchmarks.loading import SETS_FILE, benchmark_set_load, benchmark_set_load_all
from benchmarks.versioned import LoadCommand, LoadResult


class Command(LoadCommand):
    help = (
        "Load benchmark sets. Without arguments, every set in benchmarks/data/sets.json (or "
        "--sets); with --file, one CSV file as the set named by --slug, without sentences."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--sets", type=Path, default=SETS_FILE, help="a sets file")
        parser.add_argument("--file", type=Path, help="a benchmark CSV file")
        parser.add_argument("--slug", help="code of the set, e.g. monitor-llo-nn-2025")
        parser.add_argument("--title", default="")
        parser.add_argument("--name", default="", help="human name (default: the title)")
        parser.add_argument("--year", type=int)
        parser.add_argument("--source", default="")

    def load(self, **options: Any) -> list[LoadResult]:
        if not options["file"]:
            return benchmark_set_load_all(options["sets"])
        if not options["slug"] or not options["year"] or not options["title"]:
            raise CommandError("--file needs --slug, --title and --year as well.")
        return [
            benchmark_set_load(
                path=options["file"],
                slug=options["slug"],
                title=options["title"],
                name=options["name"],
                year=options["year"],
                source=options["source"] or options["title"],
            )
        ]
