"""Facts that age: the data files and templates carry no outdated names or overstated claims
(issue 19, section 2), every regional fact has a review date, and the monitor's sentences that
were edited say so."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from django.utils import translation

from leerscan.scans.questions import STEPS

ROOT = Path(__file__).resolve().parents[2]
INSTRUMENTS = ROOT / "leerscan" / "reports" / "data" / "instruments.json"
SETS = ROOT / "benchmarks" / "data" / "sets.json"

# What must not come back, and why.
OUTDATED = {
    "Friesland College": "merged into Firda in August 2023",
    "Friese Poort": "merged into Firda in August 2023",
    "U heeft er dus al aan bijgedragen": "only under a cao with such a fund",
    "So you have already paid into it": "only under a cao with such a fund",
    "hard to miss people": "means: can hardly spare people",
    "a small quarter": "means: just under a quarter",
    "Noord-Nederland in 2023 and in the monitor's measurement of December 2021": (
        "the 2021 measurement asked Groningen and Drenthe only"
    ),
}


def _project_files() -> list[Path]:
    """The data files, templates and Python sources that users' text comes from."""
    files = [*(ROOT / "leerscan").rglob("data/*.json"), *(ROOT / "benchmarks" / "data").glob("*")]
    files += [*(ROOT / "templates").rglob("*.html"), *(ROOT / "leerscan").rglob("*.py")]
    files += [ROOT / "benchmarks" / "vocabulary.py", ROOT / "README.md"]
    return [f for f in files if f.is_file() and "migrations" not in f.parts]


def test_it_finds_none_of_the_outdated_names_and_claims():
    found = [
        f"{path.relative_to(ROOT)}: {phrase!r} ({why})"
        for path in _project_files()
        for phrase, why in OUTDATED.items()
        if phrase in path.read_text(encoding="utf-8")
    ]
    assert found == []


def test_the_scan_is_run_over_the_files_that_hold_the_facts():
    names = {path.name for path in _project_files()}
    assert {"instruments.json", "sets.json", "vocabulary.py", "_advice.html"} <= names


def test_every_regional_fact_has_a_review_date_and_says_what_it_was_checked_against():
    support = json.loads(INSTRUMENTS.read_text(encoding="utf-8"))["regional_support"]
    assert {"mbo_noord", "slim", "oom", "ao_metalektro", "sociaal_fonds_bakkersbedrijf"} <= {
        s["key"] for s in support
    }
    for entry in support:
        reviewed = datetime.date.fromisoformat(entry["last_checked"])
        assert reviewed <= datetime.date(2026, 12, 7), entry["key"]
        assert "Gecontroleerd" in entry["source"] or "Herzien op" in entry["source"]


def _support(key: str) -> dict:
    support = json.loads(INSTRUMENTS.read_text(encoding="utf-8"))["regional_support"]
    return next(s for s in support if s["key"] == key)


def _instrument(key: str) -> dict:
    instruments = json.loads(INSTRUMENTS.read_text(encoding="utf-8"))["instruments"]
    return next(i for i in instruments if i["key"] == key)


def test_the_mbo_list_names_firda_and_was_reviewed_when_it_changed():
    mbo = _support("mbo_noord")
    assert "Firda" in mbo["description_nl"] and "Firda" in mbo["description_en"]
    assert mbo["last_checked"] == "2026-12-07"


def test_slim_names_the_2024_changes_and_the_training_subsidy_but_no_application_dates():
    slim = _support("slim")
    for words in ("2030", "60%", "februari 2025", "sectoraal ontwikkelpad"):
        assert words in slim["description_nl"]
    for words in ("2030", "60%", "February 2025", "sectoral development path"):
        assert words in slim["description_en"]
    assert "Staatscourant 2025, 7276" in slim["source"]
    assert slim["last_checked"] == "2026-12-07"
    # An application period is named only as "the current one": no dates we cannot source.
    for month in ("januari", "maart", "april", "mei", "juni", "september", "oktober"):
        assert month not in slim["description_nl"]


def test_the_sector_fund_says_you_paid_into_it_only_under_a_cao_with_such_a_fund():
    fund = _instrument("oo_fonds")
    assert "Valt uw bedrijf onder een cao met zo'n fonds" in fund["description_nl"]
    assert "Niet elke sector en niet elke cao heeft een O&O-fonds" in fund["description_nl"]
    assert "If your company falls under a collective labour agreement" in fund["description_en"]


def test_the_learning_coach_is_called_scarce_as_the_monitor_does():
    coach = _instrument("leer_ontwikkelcoach")
    assert "schaars en bij werkgevers vrij onbekend" in coach["description_nl"]
    assert "scarce and little known" in coach["description_en"]
    assert "schaars en vrij onbekend bij werkgevers" in coach["source"]
    # Elsewhere the coach is offered only "if there is one in your region".
    instruments = json.loads(INSTRUMENTS.read_text(encoding="utf-8"))["instruments"]
    for instrument in instruments:
        assert "Een leer- en ontwikkelcoach kan" not in instrument["support_nl"]
        assert "A learning and development coach can" not in instrument["support_en"]


# Sentences of sets.json that are not the monitor's own words (checked against the report text).
EDITED_SENTENCES = {
    "hr_afdeling",
    "instrumenten",
    "belemmeringen",
    "doelen",
    "wervingsproblemen",
    "geen_verschillen_kosten_terugbetaling",
    "deelname_2021",
    # Leaves out a sentence in between ("En dat is niet alleen voorbehouden aan kleine
    # organisaties, ...").
    "meten_resultaten_2021",
    # The monitor's recommendations 1-3 (chapter "Aanbevelingen"), shortened.
    "aanbeveling_1",
    "aanbeveling_2",
    "aanbeveling_3",
}


@pytest.mark.parametrize("language, mark", [("nl", ", bewerkt)"), ("en", ", edited)")])
def test_an_edited_quotation_of_the_monitor_is_marked_and_a_verbatim_one_is_not(language, mark):
    sentences = json.loads(SETS.read_text(encoding="utf-8"))[0]["sentences"]
    marked = {key for key, s in sentences.items() if s[language].endswith(mark)}
    assert marked == EDITED_SENTENCES


def test_the_english_sentences_say_what_the_monitor_means():
    sentences = json.loads(SETS.read_text(encoding="utf-8"))[0]["sentences"]
    assert "just under a quarter has an HR department" in sentences["hr_afdeling"]["en"]
    assert "Employers can hardly spare people at work" in sentences["belemmeringen"]["en"]


def test_the_step_3_intro_says_three_statements_were_completed_by_leerscan():
    intro = next(step for step in STEPS if step.number == 3).intro
    with translation.override("en"):
        english = str(intro)
    with translation.override("nl"):
        dutch = str(intro)
    assert "put to all employers" in english
    assert "two are full sentences and are quoted word for word" in english
    assert "Leerscan completed the other three into a sentence" in english
    assert "twee zijn hele zinnen en staan hier letterlijk" in dutch
    assert "de andere drie heeft Leerscan aangevuld tot een zin" in dutch


SEED = ROOT.parent / "shared" / "seeds" / "monitor-llo-noord-nederland-2023.txt"


@pytest.mark.skipif(not SEED.is_file(), reason="the monitor's text is not next to the project")
def test_a_sentence_not_marked_as_edited_is_the_monitors_text_word_for_word():
    text = SEED.read_text(encoding="utf-8")
    words = " ".join(re.sub(r"-\s*\n\s*", "", text).split())
    sentences = json.loads(SETS.read_text(encoding="utf-8"))[0]["sentences"]
    not_found = {
        key
        for key, s in sentences.items()
        if key not in EDITED_SENTENCES
        and re.sub(r"\s*\(Monitor, [^)]*\)$", "", s["nl"]) not in words
    }
    assert not_found == set()
