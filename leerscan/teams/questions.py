"""What an employee answers: the core statement of each building block, as the employer answered
it (the scan's own item bank), and the eight learning-behaviour statements of Tabel 3.3, verbatim
(leerscan/teams/data/statements.json, with an English translation)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

from benchmarks.vocabulary import BUILDING_BLOCKS, LEARNING_BEHAVIOURS
from leerscan.scans.models import Item, Scan

STATEMENTS_FILE = Path(__file__).resolve().parent / "data" / "statements.json"


@dataclass(frozen=True)
class TeamQuestion:
    key: str  # a key of TEAM_ANSWER_KEYS: a building block or a Tabel 3.3 statement
    text: str


def _english() -> bool:
    return (get_language() or "nl").split("-")[0] == "en"


@cache
def learning_behaviour_statements() -> dict[str, dict[str, str]]:
    """Tabel 3.3's statements by key: {"nl": the monitor's words, "en": a translation}."""
    data = json.loads(STATEMENTS_FILE.read_text(encoding="utf-8"))
    statements = {s["key"]: {"nl": s["nl"], "en": s["en"]} for s in data["statements"]}
    if tuple(statements) != LEARNING_BEHAVIOURS:
        raise ValueError(f"{STATEMENTS_FILE.name} must hold exactly {LEARNING_BEHAVIOURS}")
    return statements


def learning_behaviour_text(key: str) -> str:
    """A Tabel 3.3 statement in the active language (Dutch unless English is chosen)."""
    texts = learning_behaviour_statements()[key]
    return texts["en"] if _english() else texts["nl"]


def building_block_texts(*, scan: Scan) -> dict[str, str]:
    """The core statement of each building block in the scan's item bank, by block (one query)."""
    items = Item.objects.filter(
        bank_id=scan.item_bank_id,
        group=Item.Group.BUILDING_BLOCK,
        role=Item.Role.CORE,
        block__in=BUILDING_BLOCKS,
    ).order_by("position")
    texts: dict[str, str] = {}
    for item in items:
        # One core item per block in the 2023 bank; should a bank hold more, the first one.
        texts.setdefault(item.block, item.text_en if _english() else item.text_nl)
    return texts


def team_questions(*, scan: Scan) -> list[TeamQuestion]:
    """The 14 statements of the team form, in order: six building blocks, then Tabel 3.3."""
    blocks = building_block_texts(scan=scan)
    return [
        *(TeamQuestion(key, blocks.get(key, "")) for key in BUILDING_BLOCKS),
        *(TeamQuestion(key, learning_behaviour_text(key)) for key in LEARNING_BEHAVIOURS),
    ]
