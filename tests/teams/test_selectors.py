"""The team's answers in aggregate (leerscan/teams/selectors.py), computed by hand.

Anna answered 3 on every building block except leiderschap (5); her employees answer TEAM, in
groups of five (ten employees are TEAM twice).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leerscan.constants import TEAM_EXACT_FROM, TEAM_MIN_RESPONSES, TEAM_RELEASE_STEP
from leerscan.teams.models import TEAM_ANSWER_KEYS, TeamAnswer, TeamResponse
from leerscan.teams.selectors import TeamFigure, is_release_point, released_count, team_view
from tests.teams import answering

pytestmark = pytest.mark.django_db

# Per statement, five employees' answers (columns are employees); the rest answer 4. Ten
# employees answer these twice: the means stay, the standard deviations (n - 1 = 9) are noted.
TEAM = {
    "taken": (4, 4, 4, 4, 5),  # mean 4.2, sd sqrt(1.6/9) = 0.42; Anna 3: +1.2 clearly higher
    "ruimte_veiligheid": (3, 3, 3, 4, 3),  # 3.2, sd 0.42; +0.2 somewhat higher
    "samenwerken": (2, 2, 3, 3, 3),  # 2.6, sd sqrt(2.4/9) = 0.516; -0.4 somewhat lower
    "leiderschap": (5, 5, 5, 5, 5),  # 5.0, sd 0; Anna 5: comparable
    "organisatie_inrichting": (1, 2, 3, 2, 2),  # 2.0, sd sqrt(4/9) = 0.667; -1.0 clearly lower
    "externe_omgeving": (3, 3, 3, 3, 3),  # 3.0, sd 0; comparable
    "eigen_ideeen": (4, 4, 4, 5, 4),  # 4.2 against Loondienst 4.2: comparable
    "leren_carriere": (1, 2, 2, 2, 2),  # 1.8 against Loondienst 3.1: -1.3 clearly lower
}


def answer(scan, employees: int = 10) -> None:
    answering.answer(
        scan,
        (
            {key: TEAM.get(key, (4,) * 5)[n % 5] for key in TEAM_ANSWER_KEYS}
            for n in range(employees)
        ),
    )


def test_figures_are_released_at_the_minimum_and_then_per_step():
    assert TEAM_RELEASE_STEP >= TEAM_MIN_RESPONSES and TEAM_EXACT_FROM > TEAM_MIN_RESPONSES
    assert [released_count(n) for n in range(17)] == [0] * 5 + [5] * 5 + [10] * 5 + [15] * 2
    assert [n for n in range(17) if is_release_point(n)] == [5, 10, 15]


def test_the_threshold_is_never_below_three():
    assert TEAM_MIN_RESPONSES >= 3


def test_it_is_none_without_a_team_link(anna_scan):
    assert team_view(scan=anna_scan) is None


def test_it_shows_only_the_count_at_four_answers(anna_scan):
    answering.invite(anna_scan, 12)
    answer(anna_scan, employees=4)

    view = team_view(scan=anna_scan)

    assert view.responses == 4 and view.minimum == 5 and not view.enough
    assert view.invitations == 12 and view.released == 0 and view.next_release == 5
    assert view.blocks == () and view.behaviours == () and view.blind_spots == ()


def test_with_five_answers_it_shows_half_points_and_no_spread(anna_scan):
    answer(anna_scan, employees=5)

    view = team_view(scan=anna_scan)

    assert view.enough and not view.exact and (view.responses, view.released) == (5, 5)
    rows = {row.key: row for row in view.blocks}
    # 4.2 -> 4.0, 3.2 -> 3.0, 2.6 -> 2.5, 5.0, 2.0, 3.0: to the nearest half point.
    assert {key: row.team for key, row in rows.items()} == {
        "taken": TeamFigure(Decimal("4.0"), None),
        "ruimte_veiligheid": TeamFigure(Decimal("3.0"), None),
        "samenwerken": TeamFigure(Decimal("2.5"), None),
        "leiderschap": TeamFigure(Decimal("5.0"), None),
        "organisatie_inrichting": TeamFigure(Decimal("2.0"), None),
        "externe_omgeving": TeamFigure(Decimal("3.0"), None),
    }
    assert (rows["samenwerken"].difference, rows["samenwerken"].classification) == (
        Decimal("-0.5"),
        "clearly_lower",
    )


def test_it_compares_the_team_with_the_employer_from_ten_answers(anna_scan):
    answer(anna_scan)

    view = team_view(scan=anna_scan)

    assert view.enough and view.exact and view.responses == view.released == 10
    rows = {row.key: row for row in view.blocks}
    assert rows["taken"].team == TeamFigure(Decimal("4.2"), Decimal("0.4"))
    assert rows["samenwerken"].team == TeamFigure(Decimal("2.6"), Decimal("0.5"))
    assert rows["organisatie_inrichting"].team == TeamFigure(Decimal("2.0"), Decimal("0.7"))
    assert rows["leiderschap"].team == TeamFigure(Decimal("5.0"), Decimal("0.0"))
    assert rows["taken"].own == Decimal(3) and rows["leiderschap"].own == Decimal(5)
    assert {key: (row.difference, row.classification) for key, row in rows.items()} == {
        "taken": (Decimal("1.2"), "clearly_higher"),
        "ruimte_veiligheid": (Decimal("0.2"), "somewhat_higher"),
        "samenwerken": (Decimal("-0.4"), "somewhat_lower"),
        "leiderschap": (Decimal("0.0"), "comparable"),
        "organisatie_inrichting": (Decimal("-1.0"), "clearly_lower"),
        "externe_omgeving": (Decimal("0.0"), "comparable"),
    }
    assert [row.key for row in view.blind_spots] == ["taken", "organisatie_inrichting"]


def test_it_compares_the_teams_learning_behaviour_with_the_monitors_employees(anna_scan):
    answer(anna_scan)

    behaviours = {row.key: row for row in team_view(scan=anna_scan).behaviours}

    assert len(behaviours) == 8
    own_ideas, career = behaviours["eigen_ideeen"], behaviours["leren_carriere"]
    assert (own_ideas.team.mean, own_ideas.employees, own_ideas.total) == (
        Decimal("4.2"),
        Decimal("4.2"),
        Decimal("4.2"),
    )
    assert own_ideas.classification == "comparable"
    assert (career.team.mean, career.employees, career.total) == (
        Decimal("1.8"),
        Decimal("3.1"),
        Decimal("3.0"),
    )
    assert (career.difference, career.classification) == (Decimal("-1.3"), "clearly_lower")
    assert own_ideas.statement == (
        "Ik gebruik mijn eigen ideeën om taken op het werk te verbeteren."
    )


def test_a_blind_spot_is_a_difference_of_at_least_the_clearly_threshold(anna_scan):
    # Anna 3 on ruimte_veiligheid; a team mean of exactly 3.5 is 0.5 away: clearly.
    answering.answer(
        anna_scan,
        (
            {**dict.fromkeys(TEAM_ANSWER_KEYS, 3), "ruimte_veiligheid": value}
            for value in (3, 4) * 5
        ),
    )

    row = next(r for r in team_view(scan=anna_scan).blocks if r.key == "ruimte_veiligheid")

    assert row.difference == Decimal("0.5") and row.blind_spot


def test_it_holds_nothing_per_response(anna_scan):
    answer(anna_scan)
    view = team_view(scan=anna_scan)

    def walk(value):
        if dataclasses.is_dataclass(value):
            for field in dataclasses.fields(value):
                yield from walk(getattr(value, field.name))
        elif isinstance(value, (tuple, list, set)):
            for each in value:
                yield from walk(each)
        else:
            yield value

    found = list(walk(view))
    assert not [v for v in found if isinstance(v, (TeamResponse, TeamAnswer))]
    assert not hasattr(view.survey, "_prefetched_objects_cache")
    assert {f.name for f in dataclasses.fields(TeamFigure)} == {"mean", "spread"}


def test_its_query_count_does_not_grow_with_the_answers(anna_scan):
    answer(anna_scan, employees=5)
    team_view(scan=anna_scan)  # the benchmark set is read once per process
    with CaptureQueriesContext(connection) as five:
        team_view(scan=anna_scan)
    answering.answer(anna_scan, [dict.fromkeys(TEAM_ANSWER_KEYS, 2)] * 20)
    with CaptureQueriesContext(connection) as twenty_five:
        view = team_view(scan=anna_scan)

    assert view.responses == 25
    assert len(twenty_five) == len(five) <= 7
