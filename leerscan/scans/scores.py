"""Answers -> scores. Pure functions: no database, no request.

A building block's score is the mean of its core items (one per block in the 2023 item bank),
the only number compared with the monitor. Deepening items give a separate mean that is shown
but never compared. "I don't know", "n.v.t." (not applicable) and open questions give no score:
they are left out, never counted as zero. A statement answered "n.v.t." is not in `item_values`
(see selectors.scan_item_values); its key is in `not_applicable_items`, and a building block or
DLOQ statement whose compared items are all "n.v.t." is in it too, so that pages can say "n.v.t."
instead of "not answered".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean
from typing import Protocol

from leerscan.scans.facts import FactValue


class ItemLike(Protocol):
    key: str
    group: str
    block: str
    role: str


@dataclass(frozen=True)
class Scores:
    building_blocks: dict[str, Decimal | None]
    deepening: dict[str, Decimal | None]
    dloq: dict[str, Decimal | None]
    facts: dict[str, FactValue]
    not_applicable_items: frozenset[str] = field(default_factory=frozenset)

    def fact_number(self, key: str) -> Decimal | None:
        """A fact's number, or None when unanswered or "I don't know"."""
        answer = self.facts.get(key)
        return answer.numeric() if answer else None

    def fact_choice(self, key: str) -> str | None:
        """The option chosen, or None when unanswered or "I don't know"."""
        answer = self.facts.get(key)
        return answer.chosen() if answer else None

    def fact_choices(self, key: str) -> list[str] | None:
        """The options chosen, [] for none chosen, None when unanswered or "I don't know"."""
        answer = self.facts.get(key)
        return answer.chosen_many() if answer else None

    def dont_know(self, key: str) -> bool:
        answer = self.facts.get(key)
        return bool(answer and answer.dont_know)

    def not_applicable(self, key: str) -> bool:
        """Whether a fact question or a statement (by item key) was answered "n.v.t."."""
        answer = self.facts.get(key)
        return bool(answer and answer.not_applicable) or key in self.not_applicable_items


def _mean(values: list[int]) -> Decimal | None:
    return Decimal(str(mean(values))).quantize(Decimal("0.01")) if values else None


def scores_from_answers(
    *,
    items: list[ItemLike],
    item_values: dict[str, int],
    facts: dict[str, FactValue],
    not_applicable_items: Iterable[str] = (),
) -> Scores:
    """Turn a scan's answers into scores per building block, DLOQ statement and fact."""
    core: dict[str, list[int]] = {}
    deep: dict[str, list[int]] = {}
    dloq: dict[str, list[int]] = {}
    not_applicable = set(not_applicable_items)
    compared: dict[str, list[bool]] = {}  # per block: was each compared item "n.v.t."?
    for item in items:
        bucket = dloq if item.group == "dloq" else core if item.role == "core" else deep
        values = bucket.setdefault(item.block, [])
        if item.key in item_values:
            values.append(item_values[item.key])
        if item.role == "core":
            compared.setdefault(item.block, []).append(item.key in not_applicable)
    not_applicable |= {block for block, flags in compared.items() if flags and all(flags)}
    return Scores(
        building_blocks={block: _mean(v) for block, v in core.items()},
        deepening={block: _mean(v) for block, v in deep.items()},
        dloq={key: _mean(v) for key, v in dloq.items()},
        facts=facts,
        not_applicable_items=frozenset(not_applicable),
    )
