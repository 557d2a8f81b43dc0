"""A fact answer travels as one typed value from form to database to scores."""

from __future__ import annotations

from decimal import Decimal

import pytest

from leerscan.scans import services
from leerscan.scans.facts import FactValue
from leerscan.scans.forms import FactStepForm, fact_initial
from leerscan.scans.models import FactAnswer
from leerscan.scans.selectors import scan_fact_answers

pytestmark = pytest.mark.django_db


def test_it_has_one_spelling_per_answer() -> None:
    assert FactValue(number=40) == FactValue(number=Decimal("40"))
    assert FactValue(number=1.5) == FactValue(number=Decimal("1.5"))
    assert FactValue(choices=("b", "a")) == FactValue(choices=["a", "b"])


def test_dont_know_gives_no_number_choice_or_choices() -> None:
    answer = FactValue(dont_know=True)
    assert answer.numeric() is None
    assert answer.chosen() is None
    assert answer.chosen_many() is None
    assert FactValue(choices=()).chosen_many() == []


def test_it_survives_the_database_unchanged(anna_scan) -> None:
    answers = {
        "belang_leren": FactValue(number=Decimal("8")),
        "pct_deelname": FactValue(number=Decimal("33.5")),
        "uren_per_deelnemer": FactValue(dont_know=True),
    }
    services.scan_save_facts(scan=anna_scan, step=4, answers=answers)
    stored = scan_fact_answers(scan=anna_scan)
    assert {key: stored[key] for key in answers} == answers


def test_saving_the_same_value_again_is_no_change(anna_scan) -> None:
    version = anna_scan.answers_version
    same = {"belang_leren": FactValue(number=7), "pct_deelname": FactValue(number=40)}
    same["uren_per_deelnemer"] = FactValue(dont_know=True)
    scan = services.scan_save_facts(scan=anna_scan, step=4, answers=same)
    assert scan.answers_version == version
    assert FactAnswer.objects.filter(scan=anna_scan, key="belang_leren").count() == 1


def test_the_form_reads_back_what_it_wrote(anna_scan) -> None:
    stored = scan_fact_answers(scan=anna_scan)
    step5 = {k: v for k, v in stored.items() if k in {"promotieregeling", "instrumenten"}}
    form = FactStepForm(None, step=5, initial=fact_initial(step5))
    data = {name: form.initial[name] for name in form.initial}
    reposted = FactStepForm(data, step=5)
    assert reposted.is_valid(), reposted.errors
    assert {k: v for k, v in reposted.answers().items() if k in step5} == step5


def test_not_applicable_gives_no_number_choice_or_choices_and_is_not_dont_know() -> None:
    answer = FactValue(not_applicable=True)
    assert (answer.numeric(), answer.chosen(), answer.chosen_many()) == (None, None, None)
    assert answer != FactValue(dont_know=True)
    assert answer.left_out and FactValue(dont_know=True).left_out


def test_not_applicable_survives_the_database_unchanged(anna_scan) -> None:
    answers = {
        "uren_per_deelnemer": FactValue(not_applicable=True),
        "pct_onder_werktijd": FactValue(dont_know=True),
    }
    services.scan_save_facts(scan=anna_scan, step=4, answers=answers)
    stored = scan_fact_answers(scan=anna_scan)
    assert {key: stored[key] for key in answers} == answers
