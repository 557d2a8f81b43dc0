"""Starting, saving, finishing and deleting a scan through the services."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from leerscan.scans import services
from leerscan.scans.itembank import ITEM_BANK_FILE
from leerscan.scans.models import FactAnswer, ItemAnswer, Scan
from leerscan.scans.questions import NO, NOT_APPLICABLE, YES
from leerscan.scans.selectors import (
    scan_fact_answers,
    scan_item_not_applicable,
    scan_item_values,
    scan_missing_answers,
)
from tests.personas import ANNA_PROFILE, answer_items, fact

ITEM_BANK_VERSION = json.loads(ITEM_BANK_FILE.read_text(encoding="utf-8"))["version"]

pytestmark = pytest.mark.django_db


def test_it_starts_a_scan_with_a_private_token_of_at_least_128_bits(scan_data) -> None:
    first, second = services.scan_start(), services.scan_start()
    assert len(first.token) == 32  # 24 random bytes, URL-safe base64: 192 bits
    assert first.token != second.token
    assert set(first.token) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )
    assert first.item_bank.version == ITEM_BANK_VERSION
    assert first.benchmark_set.slug == "monitor-llo-nn-2023"


def test_it_refuses_to_start_without_data(db) -> None:
    with pytest.raises(RuntimeError, match="Load the item bank"):
        services.scan_start()


def test_saving_the_profile_records_consent_and_moves_on(scan_data) -> None:
    scan = services.scan_save_profile(scan=services.scan_start(), data=ANNA_PROFILE)
    assert scan.consent_at is not None
    assert scan.furthest_step == 2
    assert scan.answers_version == 1


def test_saving_the_same_answers_again_changes_nothing(anna_scan) -> None:
    version = anna_scan.answers_version
    services.scan_save_profile(scan=anna_scan, data=ANNA_PROFILE)
    answer_items(anna_scan, {"taken": 3})
    services.scan_save_facts(
        scan=anna_scan,
        step=4,
        answers={
            "belang_leren": fact(number=7),
            "pct_deelname": fact(number=40),
            "uren_per_deelnemer": fact(dont_know=True),
        },
    )
    assert Scan.objects.get(pk=anna_scan.pk).answers_version == version


def test_changing_one_answer_raises_the_version_once(anna_scan) -> None:
    version = anna_scan.answers_version
    answer_items(anna_scan, {"taken_kern": 6})
    assert Scan.objects.get(pk=anna_scan.pk).answers_version == version + 1
    assert scan_item_values(scan=anna_scan)["taken_kern"] == 6


def test_clearing_an_answer_removes_it(anna_scan) -> None:
    services.scan_save_items(scan=anna_scan, step=2, values={"taken_uitdaging": None})
    assert "taken_uitdaging" not in scan_item_values(scan=anna_scan)
    services.scan_save_facts(scan=anna_scan, step=4, answers={})
    assert "belang_leren" not in scan_fact_answers(scan=anna_scan)
    # Other steps are untouched.
    assert scan_fact_answers(scan=anna_scan)["promotieregeling"].choice == NO


def test_dont_know_is_stored_as_such_and_not_as_a_number(anna_scan) -> None:
    answer = FactAnswer.objects.get(scan=anna_scan, key="uren_per_deelnemer")
    assert answer.dont_know is True
    assert answer.number is None


def test_finishing_needs_every_core_statement(scan_data) -> None:
    scan = services.scan_save_profile(scan=services.scan_start(), data=ANNA_PROFILE)
    answer_items(scan, {"taken": 3})
    missing = scan_missing_answers(scan=scan)
    assert [m.step for m in missing] == [2, 2, 2, 2, 2, 3, 3, 3, 3, 3]
    with pytest.raises(ValidationError):
        services.scan_finish(scan=scan)
    assert Scan.objects.get(pk=scan.pk).finished_at is None


def test_finishing_twice_changes_nothing(anna_scan) -> None:
    first = services.scan_finish(scan=anna_scan).finished_at
    again = services.scan_finish(scan=anna_scan).finished_at
    assert first is not None
    assert again == first


def test_answers_can_be_corrected_after_finishing(anna_scan) -> None:
    services.scan_finish(scan=anna_scan)
    answer_items(anna_scan, {"taken_kern": 5})
    scan = Scan.objects.get(pk=anna_scan.pk)
    assert scan.is_finished
    assert scan_item_values(scan=scan)["taken_kern"] == 5


def test_deleting_removes_every_answer(anna_scan) -> None:
    services.scan_delete(scan=anna_scan)
    assert not Scan.objects.filter(pk=anna_scan.pk).exists()
    assert not ItemAnswer.objects.exists()
    assert not FactAnswer.objects.exists()


def test_the_database_refuses_a_statement_answer_off_the_scale(anna_scan) -> None:
    answer = ItemAnswer.objects.filter(scan=anna_scan).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemAnswer.objects.filter(pk=answer.pk).update(value=7)


@pytest.mark.parametrize(
    ("key", "number"),
    [("pct_deelname", "100.1"), ("belang_leren", "0"), ("uren_per_deelnemer", "2001")],
)
def test_the_database_refuses_a_fact_out_of_bounds(anna_scan, key, number) -> None:
    FactAnswer.objects.filter(scan=anna_scan, key=key).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        FactAnswer.objects.create(scan=anna_scan, key=key, number=Decimal(number))
    FactAnswer.objects.create(scan=anna_scan, key=key, number=Decimal(1))  # in bounds: stored


def test_the_database_refuses_impossible_employee_numbers(anna_scan) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Scan.objects.filter(pk=anna_scan.pk).update(employees=0)


def test_it_starts_new_scans_on_the_newest_item_bank(scan_data) -> None:
    assert services.scan_start().item_bank.version == ITEM_BANK_VERSION


def test_a_statement_that_offers_it_is_stored_as_not_applicable(anna_scan) -> None:
    version = anna_scan.answers_version
    services.scan_save_items(
        scan=anna_scan, step=2, values={"organisatie_inrichting_kern": NOT_APPLICABLE}
    )
    answer = ItemAnswer.objects.get(scan=anna_scan, item__key="organisatie_inrichting_kern")
    assert (answer.not_applicable, answer.value) == (True, None)
    assert "organisatie_inrichting_kern" not in scan_item_values(scan=anna_scan)
    assert scan_item_not_applicable(scan=anna_scan) == {"organisatie_inrichting_kern"}
    assert Scan.objects.get(pk=anna_scan.pk).answers_version == version + 1
    # It counts as answered: the scan can be finished.
    assert scan_missing_answers(scan=anna_scan) == []
    # And back to a number.
    services.scan_save_items(scan=anna_scan, step=2, values={"organisatie_inrichting_kern": 4})
    answer.refresh_from_db()
    assert (answer.not_applicable, answer.value) == (False, 4)


def test_it_refuses_not_applicable_for_a_statement_that_does_not_offer_it(anna_scan) -> None:
    with pytest.raises(ValidationError) as info:
        services.scan_save_items(scan=anna_scan, step=2, values={"taken_kern": NOT_APPLICABLE})
    assert "taken_kern" in info.value.message_dict
    assert scan_item_values(scan=anna_scan)["taken_kern"] == 3


def test_it_refuses_not_applicable_for_a_fact_that_does_not_offer_it(anna_scan) -> None:
    with pytest.raises(ValidationError) as info:
        services.scan_save_facts(
            scan=anna_scan, step=4, answers={"pct_deelname": fact(not_applicable=True)}
        )
    assert "pct_deelname" in info.value.message_dict
    assert scan_fact_answers(scan=anna_scan)["pct_deelname"].number == 40


def test_not_applicable_and_dont_know_are_stored_apart(anna_scan) -> None:
    services.scan_save_facts(
        scan=anna_scan,
        step=4,
        answers={
            "uren_per_deelnemer": fact(not_applicable=True),
            "pct_onder_werktijd": fact(dont_know=True),
        },
    )
    hours = FactAnswer.objects.get(scan=anna_scan, key="uren_per_deelnemer")
    time = FactAnswer.objects.get(scan=anna_scan, key="pct_onder_werktijd")
    assert (hours.not_applicable, hours.dont_know, hours.number) == (True, False, None)
    assert (time.not_applicable, time.dont_know, time.number) == (False, True, None)


@pytest.mark.parametrize(
    ("department", "task", "refused"),
    [
        (fact(choice=NO), fact(choice=YES), True),
        (fact(choice=NO), fact(choice=NO), True),
        (fact(choice=NO), fact(dont_know=True), True),
        (fact(dont_know=True), fact(choice=YES), True),
        (None, fact(choice=YES), True),
        (fact(choice=YES), fact(not_applicable=True), True),
        (fact(choice=NO), fact(not_applicable=True), False),
        (fact(choice=YES), fact(choice=NO), False),
        (fact(choice=YES), fact(dont_know=True), False),
        (fact(choice=NO), None, False),
    ],
)
def test_hr_in_charge_of_learning_needs_an_hr_department(
    anna_scan, department, task, refused
) -> None:
    answers = {
        key: value
        for key, value in (("hr_afdeling", department), ("hr_leren", task))
        if value is not None
    }
    if refused:
        with pytest.raises(ValidationError) as info:
            services.scan_save_facts(scan=anna_scan, step=5, answers=answers)
        assert list(info.value.message_dict) == ["hr_leren"]
        assert scan_fact_answers(scan=anna_scan)["hr_afdeling"].choice == NO  # untouched
    else:
        services.scan_save_facts(scan=anna_scan, step=5, answers=answers)
        assert scan_fact_answers(scan=anna_scan).get("hr_leren") == task


def test_the_database_refuses_not_applicable_where_it_is_not_offered(anna_scan) -> None:
    FactAnswer.objects.filter(scan=anna_scan, key="pct_deelname").delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        FactAnswer.objects.create(scan=anna_scan, key="pct_deelname", not_applicable=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        FactAnswer.objects.filter(scan=anna_scan, key="uren_per_deelnemer").update(
            not_applicable=True  # while it is also "weet ik niet"
        )


def test_the_database_refuses_a_statement_both_not_applicable_and_answered(anna_scan) -> None:
    answer = ItemAnswer.objects.filter(scan=anna_scan).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemAnswer.objects.filter(pk=answer.pk).update(not_applicable=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemAnswer.objects.filter(pk=answer.pk).update(value=None)
