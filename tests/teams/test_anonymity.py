"""The two attacks on the team scan's anonymity, replayed: neither recovers an employee's answers.

Padding: the employer held one shared link, answered it four times and waited for one employee;
the means of five gave that employee's 14 of 14 answers. Now every employee has an invitation of
their own that takes one response, and the employer's own device (and a signed-in coach) cannot
answer at all.

Differencing: the view changed with every answer and showed means to one decimal; the view at 6
minus the view at 5 gave the sixth person's 14 of 14 answers. Now the figures are released in
batches (5, 10, 15, ...) from the first responses of each batch: two worlds that differ only in
what the sixth and seventh employee answered look the same, at every step, in every place the
team's figures reach (the owner's results, the coach's round, the report, the progress page), and
the cohort and the research export hold no team figures at all.

Anna (12 people, IT, Groningen) is Bram's coaching client; her scan is the intake.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.test import Client as BrowserClient
from django.urls import reverse

from leerscan.background.models import Output
from leerscan.coaching import research
from leerscan.coaching.cohort import CohortFilters, cohort_make
from leerscan.reports import services as report_services
from leerscan.scans.models import Scan
from leerscan.teams.models import TEAM_ANSWER_KEYS, TeamInvitation, TeamResponse, TeamSurvey
from leerscan.teams.selectors import team_view
from tests.teams import answering

pytestmark = pytest.mark.django_db

COMMON = dict.fromkeys(TEAM_ANSWER_KEYS, 4)
LOW, HIGH = dict.fromkeys(TEAM_ANSWER_KEYS, 2), dict.fromkeys(TEAM_ANSWER_KEYS, 5)


@pytest.fixture
def html_as_pdf(monkeypatch):
    """The report's HTML instead of its PDF: what it shows, without WeasyPrint's seconds."""
    monkeypatch.setattr(
        report_services, "report_render_pdf", lambda *, html, progress=None: html.encode()
    )


def _section(html: str, start: str, end: str) -> str:
    """The part of a page from `start` to the next `end`: the team's section, without the
    page's CSRF tokens (new on every request)."""
    at = html.find(start)
    if at < 0:
        return ""
    part = html[at : html.find(end, at)]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", part)


def what_the_employer_and_coach_see(scan: Scan, owner, coach, client_pk: int) -> dict[str, str]:
    """Every place the team's figures reach, as its reader gets it."""
    scan = Scan.objects.get(pk=scan.pk)
    view = team_view(scan=scan)
    results = owner.get(reverse("reports:results", args=[scan.token])).content.decode()
    coach_round = coach.get(reverse("coaching:round", args=[client_pk, 0])).content.decode()
    progress = coach.get(reverse("coaching:progress", args=[client_pk])).content.decode()
    report = report_services.report_pdf(scan=scan).decode()
    return {
        "view": repr(dataclasses.replace(view, survey=None)) if view else "",
        "results": _section(results, 'id="team"', "</section>"),
        "coach": _section(coach_round, 'id="team"', "</section>"),
        "progress": _section(progress, "team", "</ul>"),
        "report": _section(report, "Het beeld van uw team", "</section>"),
    }


def replay(scan, owner, coach, client_pk, employees) -> list[dict[str, str]]:
    """The employees answer one by one; after each answer, everything the employer and the
    coach can see. The team scan starts afresh (the other world's answers are gone)."""
    TeamSurvey.objects.filter(scan=scan).delete()
    Output.objects.filter(scan=scan).delete()
    answering.invite(scan, len(employees))
    seen = []
    for answers in employees:
        answering.answer(scan, [answers])
        seen.append(what_the_employer_and_coach_see(scan, owner, coach, client_pk))
    return seen


def test_differencing_recovers_nothing_of_the_sixth_employee(anna_intake, bram_client, html_as_pdf):
    scan = anna_intake.scan
    owner = BrowserClient()
    five = [COMMON, HIGH, COMMON, LOW, COMMON]
    # The worlds differ only in employees 6 and 7 (2 on everything, or 5 on everything).
    world_a = replay(
        scan, owner, bram_client, anna_intake.client_id, [*five, LOW, HIGH, *[COMMON] * 4]
    )
    world_b = replay(
        scan, owner, bram_client, anna_intake.client_id, [*five, HIGH, LOW, *[COMMON] * 4]
    )

    # The attack as found: the view at 6 against the view at 5. Nothing in the figures moved.
    for place in ("results", "coach", "report"):
        assert "Teamgemiddelde" in world_a[4][place] or "Gemiddelde" in world_a[4][place], place
    at_five, at_six = world_a[4], world_a[5]
    assert at_six["report"] == at_five["report"] and at_six["view"] != ""
    assert team_figures(at_six["results"]) == team_figures(at_five["results"])
    # Whatever the sixth and seventh answered, everything anyone sees is the same, at every step
    # (the counts go up alike in both worlds).
    for step, (a, b) in enumerate(zip(world_a, world_b, strict=True), start=1):
        assert a == b, f"the worlds differ after {step} answers"
    # And the figures did change, at the next batch.
    assert team_figures(world_a[9]["results"]) != team_figures(world_a[8]["results"])


def team_figures(section: str) -> list[str]:
    """The numbers in the team's tables (not the counts in the sentences above them)."""
    return re.findall(r'<td class="text-end[^"]*">([^<]*)</td>', section)


def test_the_first_figures_do_not_tell_a_unanimous_team_from_a_nearly_unanimous_one(anna_scan):
    """All five said 6, or four said 6 and one said 5: with half points and no spread, the same."""
    answering.answer(anna_scan, [dict.fromkeys(TEAM_ANSWER_KEYS, 6)] * 5)
    unanimous = dataclasses.replace(team_view(scan=anna_scan), survey=None)
    TeamSurvey.objects.filter(scan=anna_scan).delete()
    answering.answer(
        anna_scan, [dict.fromkeys(TEAM_ANSWER_KEYS, 6)] * 4 + [dict.fromkeys(TEAM_ANSWER_KEYS, 5)]
    )
    nearly = dataclasses.replace(team_view(scan=anna_scan), survey=None)

    assert unanimous == nearly
    assert all(row.team.spread is None for row in unanimous.blocks + unanimous.behaviours)


def test_padding_the_team_from_the_employer_s_device_stores_nothing(anna_intake, bram_client):
    scan = anna_intake.scan
    anna = BrowserClient()
    # Anna makes five invitations on her own device (the page makes it remember her scan).
    made = anna.post(reverse("teams:invitations", args=[scan.token]), {"count": "5"})
    assert made.status_code == 302
    invitations = list(TeamInvitation.objects.filter(survey__scan=scan))

    # She answers four of them herself, and her coach tries the fifth: all refused, unsaved.
    own = dict.fromkeys(TEAM_ANSWER_KEYS, "6")
    for n, invitation in enumerate(invitations[:4]):
        url = reverse("teams:form", args=[invitation.token])
        refused = anna.post(url, {**own, "submission_key": f"anna-{n}"})
        assert refused.status_code == 403
        assert "Deze uitnodiging is voor een medewerker." in refused.content.decode()
    coach = bram_client.post(
        reverse("teams:form", args=[invitations[4].token]), {**own, "submission_key": "bram"}
    )
    assert coach.status_code == 403
    assert not TeamResponse.objects.exists()
    assert not TeamInvitation.objects.filter(survey__scan=scan).exclude(submission_key="")

    # One employee answers on their own phone; a second form on the same invitation is refused.
    employee = BrowserClient()
    url = reverse("teams:form", args=[invitations[0].token])
    answers = dict.fromkeys(TEAM_ANSWER_KEYS, "2")
    assert employee.post(url, {**answers, "submission_key": "e1"}).status_code == 302
    assert employee.post(url, {**own, "submission_key": "e2"}).status_code == 410

    # All Anna sees is a count: one answer of at least five.
    page = anna.get(reverse("reports:results", args=[scan.token])).content.decode()
    assert "1 van minimaal 5 antwoorden" in page and "Teamgemiddelde" not in page
    assert team_view(scan=scan).blocks == ()


def test_the_cohort_and_the_research_export_hold_no_team_figures(bram, anna_intake):
    """The team's figures reach only the four places above: the cohort's figures and the
    research export are the same with a team of ten as without one."""
    scan = anna_intake.scan
    Scan.objects.filter(pk=scan.pk).update(research_consent_at=scan.finished_at)

    def cohort_and_export():
        cohort = cohort_make(organisation=bram.organisation, filters=CohortFilters(), version="t")
        table = research.research_export_table(organisation=bram.organisation)
        return dataclasses.replace(cohort, made_at=None), table.rows

    without = cohort_and_export()
    answering.answer(scan, [dict.fromkeys(TEAM_ANSWER_KEYS, 1)] * 10)
    assert team_view(scan=Scan.objects.get(pk=scan.pk)).released == 10

    assert cohort_and_export() == without
