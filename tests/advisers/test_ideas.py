"""The wow-how-now-no matrix's services and selectors: participants and Bram add ideas, Bram
moves, merges and deletes them; ideas never leave their leertafel and never show who wrote them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from leerscan.advisers.ideas import (
    idea_add,
    idea_delete,
    idea_matrix,
    idea_matrix_version,
    idea_merge,
    idea_move,
    leertafel_idea,
    participant_may_add_ideas,
)
from leerscan.advisers.models import Idea
from leerscan.advisers.services import leertafel_join, leertafel_set_open
from leerscan.constants import IDEA_ADD_DAYS_AFTER_SESSION, IDEAS_PER_PARTICIPANT_MAX

pytestmark = pytest.mark.django_db


def add(leertafel, text="Maandelijks een leerlunch", block="taken", quadrant="wow", author=None):
    return idea_add(leertafel=leertafel, block=block, quadrant=quadrant, text=text, author=author)


def test_it_adds_a_participants_idea_on_one_trimmed_line(leertafel, participant):
    idea = add(leertafel, text="  Leerlunch\n  elke   maand  ", author=participant)
    assert idea.text == "Leerlunch elke maand"
    assert idea.author == participant and idea.leertafel == leertafel


def test_it_adds_an_advisers_idea_without_author(leertafel):
    idea = add(leertafel, quadrant="how")
    assert idea.author is None and idea.quadrant == "how"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("block", "koffie"),
        ("block", ""),
        ("quadrant", "maybe"),
        ("quadrant", ""),
        ("text", ""),
        ("text", "   \n "),
        ("text", "x" * 10_000),
        ("text", "x" * 201),
    ],
)
def test_it_refuses_nonsense_and_stores_nothing(leertafel, participant, field, value):
    values = {"block": "taken", "quadrant": "wow", "text": "Leerlunch", field: value}
    with pytest.raises(ValidationError) as refused:
        idea_add(leertafel=leertafel, author=participant, **values)
    assert field in refused.value.message_dict
    assert not Idea.objects.exists()


def test_it_takes_200_characters(leertafel, participant):
    assert len(add(leertafel, text="é" * 200, author=participant).text) == 200


def test_a_participant_of_ancarla_leertafel_cannot_add_to_this_one(leertafel, carla_leertafel):
    stranger = leertafel_join(leertafel=carla_leertafel)
    with pytest.raises(ValidationError):
        add(leertafel, author=stranger)
    assert not Idea.objects.exists()


def test_participants_add_ideas_after_joining_closed_but_not_long_after_the_session(
    leertafel, participant
):
    leertafel_set_open(leertafel=leertafel, is_open=False)
    assert add(leertafel, author=participant)  # closed to joiners: the matrix is made now
    last_day = leertafel.date + datetime.timedelta(days=IDEA_ADD_DAYS_AFTER_SESSION)
    assert participant_may_add_ideas(participant=participant, today=last_day)
    assert not participant_may_add_ideas(
        participant=participant, today=last_day + datetime.timedelta(days=1)
    )
    leertafel.date = datetime.date(2020, 1, 1)
    leertafel.save()
    participant.refresh_from_db()
    with pytest.raises(ValidationError):
        add(leertafel, author=participant)
    assert add(leertafel)  # Bram still can


def test_one_participant_cannot_flood_the_matrix(leertafel, participant):
    for i in range(IDEAS_PER_PARTICIPANT_MAX):
        add(leertafel, text=f"Idee {i}", author=participant)
    with pytest.raises(ValidationError):
        add(leertafel, text="Nog een", author=participant)
    assert Idea.objects.count() == IDEAS_PER_PARTICIPANT_MAX


def test_bram_moves_an_idea_to_another_place_and_block(leertafel):
    idea = idea_move(idea=add(leertafel), quadrant="no", block="samenwerken")
    idea.refresh_from_db()
    assert (idea.quadrant, idea.block) == ("no", "samenwerken")


@pytest.mark.parametrize(("field", "value"), [("quadrant", "wauw"), ("block", "pauze")])
def test_a_move_to_nowhere_is_refused(leertafel, field, value):
    idea = add(leertafel)
    with pytest.raises(ValidationError):
        idea_move(idea=idea, **{field: value})
    idea.refresh_from_db()
    assert (idea.quadrant, idea.block) == ("wow", "taken")


def test_bram_merges_b_into_a_which_gets_a_new_text(leertafel, participant):
    a = add(leertafel, text="Leerlunch")
    b = add(leertafel, text="Samen eten en leren", author=participant)
    idea_merge(idea=b, into=a, text=" Leerlunch: samen eten en leren ")
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.text == "Leerlunch: samen eten en leren"
    assert b.merged_into == a
    cards = idea_matrix(leertafel_id=leertafel.pk, reader=participant).blocks[0].ideas
    assert [(c.text, c.merged_count, c.is_own) for c in cards] == [
        ("Leerlunch: samen eten en leren", 1, False)
    ]
    assert leertafel_idea(leertafel=leertafel, pk=b.pk) is None


def test_a_merge_without_new_text_keeps_a_s_text(leertafel):
    a, b = add(leertafel, text="A"), add(leertafel, text="B")
    idea_merge(idea=b, into=a, text="   ")
    a.refresh_from_db()
    assert a.text == "A"


def test_ideas_merged_into_b_follow_b_into_a(leertafel):
    a, b, c = add(leertafel, text="A"), add(leertafel, text="B"), add(leertafel, text="C")
    idea_merge(idea=c, into=b)
    idea_merge(idea=b, into=a)
    assert set(Idea.objects.filter(merged_into=a).values_list("text", flat=True)) == {"B", "C"}
    assert idea_matrix(leertafel_id=leertafel.pk).blocks[0].ideas[0].merged_count == 2


def test_merging_into_an_idea_of_ancarla_leertafel_is_impossible(leertafel, carla_leertafel):
    mine, theirs = add(leertafel, text="Van Bram"), add(carla_leertafel, text="Van Carla")
    with pytest.raises(ValidationError):
        idea_merge(idea=mine, into=theirs)
    with pytest.raises(ValidationError):
        idea_merge(idea=theirs, into=mine, text="Overgenomen")
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.merged_into is None and theirs.merged_into is None
    assert theirs.text == "Van Carla" and mine.text == "Van Bram"


def test_an_idea_is_not_merged_into_itself_or_into_a_merged_one(leertafel):
    a, b, c = add(leertafel, text="A"), add(leertafel, text="B"), add(leertafel, text="C")
    with pytest.raises(ValidationError):
        idea_merge(idea=a, into=a)
    idea_merge(idea=b, into=a)
    with pytest.raises(ValidationError):
        idea_merge(idea=c, into=b)
    with pytest.raises(ValidationError):
        idea_move(idea=b, quadrant="no")


def test_a_too_long_merged_text_changes_nothing(leertafel):
    a, b = add(leertafel, text="A"), add(leertafel, text="B")
    with pytest.raises(ValidationError):
        idea_merge(idea=b, into=a, text="x" * 10_000)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.text == "A" and b.merged_into is None


def test_bram_deletes_an_idea_with_what_was_merged_into_it(leertafel):
    a, b = add(leertafel, text="A"), add(leertafel, text="B")
    add(leertafel, text="C")
    idea_merge(idea=b, into=a)
    idea_delete(idea=a)
    assert list(Idea.objects.values_list("text", flat=True)) == ["C"]


def test_the_matrix_is_per_block_and_place_and_marks_only_the_readers_own(leertafel, participant):
    neighbour = leertafel_join(leertafel=leertafel)
    add(leertafel, text="Mijn idee", block="leiderschap", quadrant="how", author=participant)
    add(leertafel, text="Van de buurman", block="leiderschap", quadrant="how", author=neighbour)
    add(leertafel, text="Van Bram", block="taken", quadrant="no")
    matrix = idea_matrix(leertafel_id=leertafel.pk, reader=participant)
    assert matrix.count == 3 and len(matrix.blocks) == 6
    assert [b.key for b in matrix.blocks_with_ideas] == ["taken", "leiderschap"]
    leiding = next(b for b in matrix.blocks if b.key == "leiderschap")
    assert [c.key for c in leiding.cells] == ["wow", "now", "how", "no"]
    how = leiding.cells[2]
    assert [(i.text, i.is_own) for i in how.ideas] == [
        ("Mijn idee", True),
        ("Van de buurman", False),
    ]
    # Anonymous: a card knows nothing about its author but whether it is the reader's.
    assert not hasattr(how.ideas[0], "author") and not hasattr(how.ideas[0], "author_id")
    only = idea_matrix(leertafel_id=leertafel.pk, block="taken")
    assert [b.key for b in only.blocks] == ["taken"] and only.count == 1


def test_the_version_changes_with_every_change(leertafel):
    seen = [idea_matrix_version(leertafel_id=leertafel.pk)]

    def changed():
        now = idea_matrix_version(leertafel_id=leertafel.pk)
        assert now == idea_matrix(leertafel_id=leertafel.pk).version
        assert now != seen[-1]  # what the projector shows differs from the matrix now
        seen.append(now)

    a = add(leertafel, text="A")
    changed()
    b = add(leertafel, text="B")
    changed()
    idea_move(idea=a, quadrant="now")
    changed()
    idea_merge(idea=b, into=a)
    changed()
    idea_delete(idea=a)
    changed()
    c = add(leertafel, text="C")
    changed()
    idea_delete(idea=c)
    add(leertafel, text="D")  # one deleted, one added: the same count
    changed()


def test_the_version_of_one_table_ignores_another(leertafel, carla_leertafel):
    before = idea_matrix_version(leertafel_id=leertafel.pk)
    add(carla_leertafel)
    assert idea_matrix_version(leertafel_id=leertafel.pk) == before


@pytest.mark.parametrize("ideas", [1, 40])
def test_the_matrix_takes_one_query_however_many_ideas(
    leertafel, participant, django_assert_num_queries, ideas
):
    Idea.objects.bulk_create(
        Idea(
            leertafel=leertafel, block="taken", quadrant="wow", text=f"Idee {i}", author=participant
        )
        for i in range(ideas)
    )
    with django_assert_num_queries(1):
        matrix = idea_matrix(leertafel_id=leertafel.pk, reader=participant)
        assert matrix.count == ideas
    with django_assert_num_queries(1):
        idea_matrix_version(leertafel_id=leertafel.pk)
