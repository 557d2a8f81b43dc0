"""Employees answering a team scan in tests: invitations made as the employer makes them, each
used by one employee's form (leerscan/teams/services.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from leerscan.constants import TEAM_MIN_RESPONSES
from leerscan.scans.models import Scan
from leerscan.teams.models import TeamInvitation, TeamSurvey
from leerscan.teams.services import team_invitations_add, team_response_submit


def invite(scan: Scan, count: int = TEAM_MIN_RESPONSES) -> list[TeamInvitation]:
    """The employer makes `count` invitations (at least the minimum the first time)."""
    if not TeamSurvey.objects.filter(scan=scan).exists():
        count = max(count, TEAM_MIN_RESPONSES)
    return team_invitations_add(scan=scan, count=count)


def answer(scan: Scan, answer_sets: Iterable[Mapping[str, object]]) -> None:
    """One employee per answer set, each through an unused invitation (made when none is left)."""
    for answers in answer_sets:
        invitation = TeamInvitation.objects.filter(survey__scan=scan, submission_key="").first()
        if invitation is None:
            invitation = invite(scan, 1)[0]
        team_response_submit(
            invitation=invitation,
            submission_key=f"form-{invitation.number}",
            answers=dict(answers),
        )
