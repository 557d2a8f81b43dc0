"""The monitor's discussion prompts per building block (§5.3), as data (data/prompts.json).

A new leertafel gets a copy in the adviser's language; the adviser edits that copy.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from benchmarks.vocabulary import BUILDING_BLOCKS

PROMPTS_FILE = Path(__file__).resolve().parent / "data" / "prompts.json"


@cache
def _prompts() -> dict[str, list[dict[str, str]]]:
    data = json.loads(PROMPTS_FILE.read_text(encoding="utf-8"))["prompts"]
    unknown = set(data) - set(BUILDING_BLOCKS)
    if unknown:
        raise ValueError(f"{PROMPTS_FILE.name}: unknown building blocks {sorted(unknown)}")
    return data


def default_prompts(language: str) -> dict[str, list[str]]:
    """The prompts per building block in the monitor's order, in Dutch or (for "en") English."""
    lang = "en" if language == "en" else "nl"
    data = _prompts()
    return {block: [p[lang] for p in data.get(block, [])] for block in BUILDING_BLOCKS}
