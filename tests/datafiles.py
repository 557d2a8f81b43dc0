"""Changed copies of the JSON data files for the loader tests, and where their objects start."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path


def json_variant(tmp_path: Path, original: Path, change: Callable[[dict], object]) -> Path:
    """A copy of `original` under the same name in tmp_path, changed by `change`, indented."""
    data = json.loads(original.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / original.name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def line_of(path: Path, text: str, occurrence: int = 1) -> int:
    """The line of `path` on which `text` stands for the `occurrence`-th time."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [n for n, line in enumerate(lines, 1) if text in line][occurrence - 1]


def object_start(key: str, occurrence: int = 1) -> Callable[[Path], int]:
    """Where the object with this `key` starts in an indented variant: the `{` above its key."""
    return lambda path: line_of(path, f'"key": "{key}"', occurrence) - 1
