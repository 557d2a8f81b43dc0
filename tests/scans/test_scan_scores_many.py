"""scan_scores_many: the scores of many scans at once are each scan's own scores_from_answers
(the results page's), in a fixed number of queries however many scans."""

from __future__ import annotations

from decimal import Decimal

import pytest

from leerscan.scans import services
from leerscan.scans.models import Scan
from leerscan.scans.questions import NOT_APPLICABLE
from leerscan.scans.scores import scores_from_answers
from leerscan.scans.selectors import (
    scan_fact_answers,
    scan_item_answers,
    scan_items,
    scan_scores_many,
)
from tests import personas_more
from tests.personas_more import BAKERY_ITEMS, BAKERY_PROFILE, finished_scan

pytestmark = pytest.mark.django_db

bakery_scan = personas_more.bakery_scan
metal_scan = personas_more.metal_scan


def one_at_a_time(scan: Scan):
    """The results page's way: one scan's items, answers and facts, then scores_from_answers."""
    values, not_applicable = scan_item_answers(scan=scan)
    return scores_from_answers(
        items=scan_items(scan=scan),
        item_values=values,
        facts=scan_fact_answers(scan=scan),
        not_applicable_items=not_applicable,
    )


@pytest.fixture
def anna_with_nvt(anna_scan) -> Scan:
    """Anna, with her organisation's core statement "n.v.t." and a mixed deepening."""
    services.scan_save_items(
        scan=anna_scan,
        step=2,
        values={
            "organisatie_inrichting_kern": NOT_APPLICABLE,
            "taken_uitdaging": 6,
            "taken_complexiteit": 1,
            "taken_afwisseling": None,
        },
    )
    return Scan.objects.get(pk=anna_scan.pk)


def test_it_gives_each_persona_the_scores_of_its_own_results_page(
    anna_with_nvt, bakery_scan, metal_scan
):
    scans = [anna_with_nvt, bakery_scan, metal_scan]
    many = scan_scores_many(scans=scans)
    for scan in scans:
        assert many[scan.pk].scores == one_at_a_time(scan)
    anna = many[anna_with_nvt.pk]
    assert anna.scores.building_blocks["organisatie_inrichting"] is None
    assert anna.scores.not_applicable("organisatie_inrichting")
    assert anna.scores.deepening["taken"] == Decimal("3.50")
    assert "organisatie_inrichting_kern" in anna.not_applicable_items
    # The bakery's "weet ik niet" comes back as such, not as a number.
    bakery = many[bakery_scan.pk]
    assert (
        bakery.scores.dont_know("pct_deelname")
        and bakery.scores.fact_number("pct_deelname") is None
    )
    assert many[metal_scan.pk].scores.fact_number("uren_per_deelnemer") == Decimal("24")


def test_it_keeps_the_same_keys_in_the_same_order(anna_with_nvt):
    many = scan_scores_many(scans=[anna_with_nvt])[anna_with_nvt.pk].scores
    alone = one_at_a_time(anna_with_nvt)
    for name in ("building_blocks", "deepening", "dloq"):
        assert list(getattr(many, name)) == list(getattr(alone, name))


def test_compared_only_reads_the_core_statements_and_no_facts(anna_with_nvt, bakery_scan):
    many = scan_scores_many(scans=[anna_with_nvt, bakery_scan], compared_only=True)
    for scan in (anna_with_nvt, bakery_scan):
        alone = one_at_a_time(scan)
        assert many[scan.pk].scores.building_blocks == alone.building_blocks
        assert many[scan.pk].scores.dloq == alone.dloq
        assert many[scan.pk].facts == {}
        assert many[scan.pk].scores.deepening == {}  # no deepening read


def test_it_gives_nothing_for_no_scans(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert scan_scores_many(scans=[]) == {}


@pytest.mark.parametrize("count", [1, 9])
def test_its_query_count_does_not_grow_with_the_scans(scan_data, django_assert_num_queries, count):
    scans = [finished_scan(BAKERY_PROFILE, BAKERY_ITEMS, {}) for _ in range(count)]
    # items, answers, facts
    with django_assert_num_queries(3):
        assert len(scan_scores_many(scans=scans)) == count
    # items, answers
    with django_assert_num_queries(2):
        assert len(scan_scores_many(scans=scans, compared_only=True)) == count
