"""The kinds of background output: each a name and a pure `make` function from its subject (and
plain parameters) to files, registered by dotted path in settings.LEERSCAN_OUTPUT_KINDS.

The layer imports a kind only when it runs or reads one, and the apps import the layer, never the
other way round: no app needs an AppConfig.ready() hook to register its kinds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

# A running output that has not moved for this long was abandoned (the stale rule).
from leerscan.constants import REPORT_RENDER_STALE_SECONDS as STALE_SECONDS  # noqa: F401

# How long a queued output waits for a worker before the next request queues it again.
QUEUED_STALE_SECONDS = 30 * 60

# Reports the progress (0-100) of an output being made.
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Made:
    """What a make function returns: its files (each name of its kind) and counts."""

    files: dict[str, bytes]
    count: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class Kind:
    """One kind of background output."""

    name: str
    # make(subject, params, progress): the files. Pure: reads the subject, changes nothing.
    make: Callable[[object, dict, Progress], Made]
    files: tuple[str, ...] = ("file",)
    # A finished output is kept this long (None: until a newer key replaces it, or its subject
    # goes).
    keep_seconds: int | None = None
    # Whether a finished key replaces the subject's other keys (older versions, older exports).
    replaces: bool = True
    # is_current(subject, key): whether a queued key is still worth making when a worker gets to
    # it (a report of answers changed since is not); None: always.
    is_current: Callable[[object, str], bool] | None = None


@cache
def kinds() -> dict[str, Kind]:
    """Every registered kind by name."""
    found = {}
    for path in settings.LEERSCAN_OUTPUT_KINDS:
        kind = import_string(path)
        if not isinstance(kind, Kind) or kind.name in found:
            raise ValueError(f"{path} is not a Kind, or its name is taken")
        found[kind.name] = kind
    return found


def kind_named(name: str) -> Kind:
    return kinds()[name]
