"""Tabel 3.3's statements as the team form asks them: the monitor's words, and an English
translation (leerscan/teams/data/statements.json)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from benchmarks.vocabulary import LEARNING_BEHAVIOURS
from leerscan.teams.questions import learning_behaviour_statements, team_questions

SEED = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "seeds"
    / "monitor-llo-noord-nederland-2023.txt"
)


@pytest.mark.skipif(not SEED.is_file(), reason="the monitor's text is not next to the project")
def test_each_dutch_statement_is_a_column_head_of_tabel_3_3_word_for_word():
    text = SEED.read_text(encoding="utf-8")
    start = text.index("Tabel 3.3: Waardering")
    table = text[start : text.index("Totaal Noord-", start)]
    # The heads are printed over many short lines, hyphenated ("ande-ren", "me-\n\nzelf").
    words = " ".join(re.sub(r"-\s*\n\s*", "", table).split())
    statements = learning_behaviour_statements()
    assert tuple(statements) == LEARNING_BEHAVIOURS
    for key, texts in statements.items():
        assert texts["nl"] in words, key
        assert texts["en"] and texts["en"] != texts["nl"]


@pytest.mark.django_db
def test_the_form_asks_the_six_core_statements_then_the_eight_in_the_chosen_language(anna_scan):
    questions = team_questions(scan=anna_scan)
    assert len(questions) == 14 and all(q.text for q in questions)
    assert questions[0].text.startswith("In deze organisatie beslissen medewerkers zelf")
    assert questions[6].text.startswith("Ik gebruik mijn eigen ideeën")
    with translation.override("en"):
        english = team_questions(scan=anna_scan)
    assert english[0].text.startswith("In this organisation, employees decide")
    assert english[13].text.startswith("I want to learn something new for myself")
