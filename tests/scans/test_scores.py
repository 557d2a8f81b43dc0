"""Answers -> scores: means per building block, "I don't know" left out."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from leerscan.scans.facts import FactValue
from leerscan.scans.questions import NO
from leerscan.scans.scores import scores_from_answers


@dataclass
class FakeItem:
    key: str
    group: str
    block: str
    role: str


ITEMS = [
    FakeItem("taken_kern", "building_block", "taken", "core"),
    FakeItem("taken_a", "building_block", "taken", "deepening"),
    FakeItem("taken_b", "building_block", "taken", "deepening"),
    FakeItem("leiderschap_kern", "building_block", "leiderschap", "core"),
    FakeItem("meten_resultaten", "dloq", "meten_resultaten", "core"),
]


def test_a_block_scores_its_core_item_and_its_deepening_separately() -> None:
    scores = scores_from_answers(
        items=ITEMS, item_values={"taken_kern": 3, "taken_a": 4, "taken_b": 6}, facts={}
    )
    assert scores.building_blocks["taken"] == Decimal("3.00")
    assert scores.deepening["taken"] == Decimal("5.00")


def test_unanswered_items_give_no_score_not_zero() -> None:
    scores = scores_from_answers(items=ITEMS, item_values={"taken_a": 2}, facts={})
    assert scores.building_blocks == {"taken": None, "leiderschap": None}
    assert scores.deepening["taken"] == Decimal("2.00")
    assert scores.dloq == {"meten_resultaten": None}


def test_dont_know_is_left_out_of_fact_numbers() -> None:
    facts = {
        "pct_deelname": FactValue(dont_know=True),
        "belang_leren": FactValue(number=Decimal("7")),
        "instrumenten": FactValue(dont_know=True),
        "hr_afdeling": FactValue(choice=NO),
    }
    scores = scores_from_answers(items=[], item_values={}, facts=facts)
    assert scores.fact_number("pct_deelname") is None
    assert scores.dont_know("pct_deelname")
    assert scores.fact_number("belang_leren") == Decimal("7")
    assert scores.fact_number("uren_per_deelnemer") is None  # never answered
    assert scores.fact_choices("instrumenten") is None
    assert scores.fact_choice("hr_afdeling") == NO


def test_not_applicable_is_left_out_of_scores_like_dont_know() -> None:
    facts = {
        "uren_per_deelnemer": FactValue(not_applicable=True),
        "wervingsproblemen": FactValue(not_applicable=True),
        "hr_leren": FactValue(not_applicable=True),
    }
    scores = scores_from_answers(items=[], item_values={}, facts=facts)
    assert scores.fact_number("uren_per_deelnemer") is None
    assert scores.fact_choice("hr_leren") is None
    assert scores.not_applicable("wervingsproblemen")
    assert not scores.dont_know("wervingsproblemen")  # a different answer


def test_a_statement_answered_not_applicable_gives_its_block_no_score() -> None:
    # The selector leaves "n.v.t." out of the values; the scores know which were "n.v.t.".
    scores = scores_from_answers(
        items=ITEMS,
        item_values={"taken_a": 4, "leiderschap_kern": 5},
        facts={},
        not_applicable_items=["taken_kern", "taken_b"],
    )
    assert scores.building_blocks == {"taken": None, "leiderschap": Decimal("5.00")}
    assert scores.deepening["taken"] == Decimal("4.00")  # taken_b left out, not counted as 0
    assert scores.not_applicable("taken_kern")
    assert scores.not_applicable("taken")  # its only compared statement was "n.v.t."
    assert not scores.not_applicable("leiderschap")
