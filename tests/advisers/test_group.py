"""The group figures of a leertafel (leerscan/advisers/group.py): Bram's table in Emmen with
Anna's IT firm, Baukje's bakery and Martin's metal firm as participants."""

from __future__ import annotations

from decimal import Decimal

import pytest

from benchmarks.profiles import SBI_SECTION_LABELS
from benchmarks.vocabulary import BUILDING_BLOCKS, DLOQ_STATEMENTS, SIZE, group_label
from leerscan.advisers.group import Dot, Koploper, group_version, group_view
from leerscan.advisers.models import DiscussionPrompt, Leertafel, Participant
from leerscan.advisers.services import leertafel_join, participant_set_show_name
from leerscan.constants import GROUP_MIN_FINISHED, KOPLOPERS_SHOWN
from leerscan.reports.results import scan_results_for
from leerscan.scans import services
from leerscan.scans.models import Scan
from leerscan.scans.questions import NOT_APPLICABLE
from tests.personas import ANNA_PROFILE, answer_items
from tests.personas_more import BAKERY_ITEMS, BAKERY_PROFILE, METAL_PROFILE

ANNA_ITEMS = {
    **dict.fromkeys(BUILDING_BLOCKS, 3),
    "leiderschap": 5,
    **dict.fromkeys(DLOQ_STATEMENTS, 4),
    "meten_resultaten": 2,
}
METAL_ITEMS = dict.fromkeys([*BUILDING_BLOCKS, *DLOQ_STATEMENTS], 5)


def join_and_finish(
    leertafel: Leertafel,
    profile: dict,
    items: dict[str, int],
    *,
    show_name: bool = False,
    finish: bool = True,
) -> Participant:
    """A participant who joins by the code, answers the scan and (by default) finishes."""
    participant = leertafel_join(leertafel=leertafel)
    scan = participant.scan
    services.scan_save_profile(scan=scan, data=profile)
    answer_items(scan, items)
    if finish:
        services.scan_finish(scan=Scan.objects.get(pk=scan.pk))
    if show_name:
        participant_set_show_name(participant=participant, show_name=True)
    return participant


def three_personas(leertafel: Leertafel) -> list[Participant]:
    """Anna (anonymous), Baukje's bakery and Martin's metal firm (both named)."""
    return [
        join_and_finish(leertafel, ANNA_PROFILE, ANNA_ITEMS),
        join_and_finish(leertafel, BAKERY_PROFILE, BAKERY_ITEMS, show_name=True),
        join_and_finish(leertafel, METAL_PROFILE, METAL_ITEMS, show_name=True),
    ]


def row(rows, key):
    return next(r for r in rows if r.key == key)


def test_it_shows_no_figures_below_the_threshold(leertafel):
    join_and_finish(leertafel, ANNA_PROFILE, ANNA_ITEMS)
    join_and_finish(leertafel, METAL_PROFILE, METAL_ITEMS, show_name=True)
    join_and_finish(leertafel, BAKERY_PROFILE, BAKERY_ITEMS, finish=False)

    view = group_view(leertafel=leertafel)

    assert (view.joined, view.finished) == (3, 2)
    assert GROUP_MIN_FINISHED == 3
    assert not view.enough
    assert view.blocks == [] and view.statements == [] and view.profile is None


def test_it_computes_the_means_and_spread_by_hand(leertafel):
    three_personas(leertafel)

    view = group_view(leertafel=leertafel)

    assert view.enough and (view.joined, view.finished) == (3, 3)
    taken = row(view.blocks, "taken")  # 3, 3, 5
    assert taken.n == 3
    assert taken.mean == Decimal("3.67")
    assert taken.sd == Decimal("1.15")  # sqrt(((2/3)^2 * 2 + (4/3)^2) / 2)
    leiderschap = row(view.blocks, "leiderschap")  # 5, 3, 5
    assert leiderschap.mean == Decimal("4.33")
    samenwerken = row(view.blocks, "samenwerken")  # 3, 2, 5
    assert samenwerken.mean == Decimal("3.33")
    assert samenwerken.sd == Decimal("1.53")
    meten = row(view.statements, "meten_resultaten")  # 2, 2, 5
    assert meten.mean == Decimal("3.00")
    assert [r.key for r in view.blocks] == list(BUILDING_BLOCKS)
    assert [r.key for r in view.statements] == list(DLOQ_STATEMENTS)


def test_it_compares_with_noord_nederland_and_the_participants_own_closest_groups(leertafel):
    participants = three_personas(leertafel)

    view = group_view(leertafel=leertafel)

    results = [scan_results_for(scan=Scan.objects.get(pk=p.scan_id)) for p in participants]
    for key in BUILDING_BLOCKS:
        own_rows = [row(r.building_blocks, key) for r in results]
        peers = [r.comparison.peer.value for r in own_rows]
        expected = (sum(peers) / 3).quantize(Decimal("0.01"))
        assert row(view.blocks, key).sector_mix == expected
        assert row(view.blocks, key).noord_nederland == own_rows[0].comparison.group("total").value
    for key in DLOQ_STATEMENTS:
        peers = [row(r.dloq, key).comparison.peer.value for r in results]
        assert row(view.statements, key).sector_mix == (sum(peers) / 3).quantize(Decimal("0.01"))


def test_it_names_a_dot_only_with_consent(leertafel):
    three_personas(leertafel)

    taken = row(group_view(leertafel=leertafel).blocks, "taken")

    assert taken.dots == [
        Dot(Decimal("3.00"), None),
        Dot(Decimal("3.00"), "Bakkerij De Terp"),
        Dot(Decimal("5.00"), "Metaalbewerking Drenthe"),
    ]


def test_it_ranks_koplopers_among_those_who_allowed_their_name(leertafel):
    anna, bakery, metal = three_personas(leertafel)

    view = group_view(leertafel=leertafel)

    # Leiderschap: Anna 5 (anonymous), bakery 3, metal 5: Anna is never a koploper.
    assert row(view.blocks, "leiderschap").koplopers == [
        Koploper("Metaalbewerking Drenthe", Decimal("5.00")),
        Koploper("Bakkerij De Terp", Decimal("3.00")),
    ]
    participant_set_show_name(participant=anna, show_name=True)
    participant_set_show_name(participant=metal, show_name=False)
    ranked = row(group_view(leertafel=leertafel).blocks, "leiderschap").koplopers
    assert [k.name for k in ranked] == ["Annas Adviesbureau", "Bakkerij De Terp"]


def test_it_shows_at_most_the_named_constant_of_koplopers_in_joining_order_on_ties(leertafel):
    names = [f"Firma {i}" for i in range(KOPLOPERS_SHOWN + 2)]
    for name in names:
        join_and_finish(
            leertafel, {**METAL_PROFILE, "organisation_name": name}, METAL_ITEMS, show_name=True
        )

    koplopers = row(group_view(leertafel=leertafel).blocks, "taken").koplopers

    assert [k.name for k in koplopers] == names[:KOPLOPERS_SHOWN]


def test_it_counts_the_profile_of_finished_participants(leertafel):
    three_personas(leertafel)
    join_and_finish(leertafel, ANNA_PROFILE, ANNA_ITEMS, finish=False)

    profile = group_view(leertafel=leertafel).profile

    assert profile.sizes == {group_label(SIZE, "5-24"): 2, group_label(SIZE, "100-199"): 1}
    assert profile.sectors == {str(SBI_SECTION_LABELS["C"]): 2, str(SBI_SECTION_LABELS["J"]): 1}
    assert profile.provinces == {"Drenthe": 1, "Fryslân": 1, "Groningen": 1}


def test_it_leaves_a_row_empty_that_fewer_than_three_scored(leertafel):
    anna = three_personas(leertafel)[0]
    # Anna's firm has no departments: "n.v.t." is no score, so only two scored this row.
    services.scan_save_items(
        scan=anna.scan, step=2, values={"organisatie_inrichting_kern": NOT_APPLICABLE}
    )

    view = group_view(leertafel=leertafel)

    row_ = row(view.blocks, "organisatie_inrichting")
    assert row_.n == 2
    assert row_.mean is None and row_.dots == [] and row_.koplopers == []
    assert row(view.blocks, "taken").n == 3


def test_its_version_changes_with_answers_consent_and_prompts_only(leertafel):
    bakery = three_personas(leertafel)[1]
    first = group_version(leertafel=leertafel)
    assert group_version(leertafel=leertafel) == first

    participant_set_show_name(participant=bakery, show_name=False)
    second = group_version(leertafel=leertafel)
    assert second != first

    prompt = DiscussionPrompt.objects.filter(leertafel=leertafel).first()
    prompt.text = "Wie neemt hier de ruimte?"
    prompt.save()
    third = group_version(leertafel=leertafel)
    assert third != second

    answer_items(bakery.scan, {"taken": 6})
    fourth = group_version(leertafel=leertafel)
    assert fourth != third
    assert group_view(leertafel=leertafel).version == fourth

    # A corrected file of the edition (Noord-Nederland's values, the monitor's sentences): the
    # open group view and the report are made again too.
    from benchmarks.models import BenchmarkSet

    BenchmarkSet.objects.update(content_hash="0" * 64)
    assert group_version(leertafel=leertafel) != fourth


@pytest.fixture(autouse=True)
def _data(scan_data):
    """Every test needs the item bank and the monitor's tables."""
