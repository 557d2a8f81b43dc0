"""Bram sees Anna's intake results and downloads her report, read-only: the owner's page without
her private link or anything that changes her scan."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leerscan.coaching.views import rounds

pytestmark = pytest.mark.django_db


def test_the_coach_sees_the_results_without_the_scan_s_private_link(bram_client, anna_intake):
    response = bram_client.get(reverse("coaching:round", args=[anna_intake.client_id, 0]))
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["results"].building_blocks
    assert anna_intake.scan.token not in page
    assert reverse("coaching:round_report", args=[anna_intake.client_id, 0]) in page


def test_the_report_is_the_owner_s_report(bram_client, anna_intake, monkeypatch):
    made = []
    monkeypatch.setattr(rounds, "report_pdf", lambda *, scan: made.append(scan) or b"%PDF-1.7")
    response = bram_client.get(reverse("coaching:round_report", args=[anna_intake.client_id, 0]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert made == [anna_intake.scan]


def test_an_unfinished_round_says_so(bram_client, anna_company):
    response = bram_client.get(reverse("coaching:round", args=[anna_company.pk, 0]))
    assert response.status_code == 200
    assert response.context["measurement"].scan is None
    assert bram_client.get(reverse("coaching:round", args=[anna_company.pk, 7])).status_code == 404


def test_the_coach_invites_the_client_s_team_and_closes_the_team_scan(bram_client, anna_intake):
    url = reverse("coaching:round_team", args=[anna_intake.client_id, 0])
    invitations_url = reverse("coaching:round_team_invitations", args=[anna_intake.client_id, 0])
    page = bram_client.get(reverse("coaching:round", args=[anna_intake.client_id, 0]))
    assert invitations_url in page.content.decode()  # the coach's own form, never the owner's
    assert "Hoe anoniem is de teamscan?" not in page.content.decode()  # nothing to explain yet

    response = bram_client.post(invitations_url, {"count": "6"})
    survey = anna_intake.scan.team_survey
    assert response.status_code == 302 and survey.is_open
    listing = bram_client.get(invitations_url).content.decode()
    for invitation in survey.invitations.all():
        assert reverse("teams:form", args=[invitation.token]) in listing
    page = bram_client.get(reverse("coaching:round", args=[anna_intake.client_id, 0]))
    html = page.content.decode()
    assert anna_intake.scan.token not in html and anna_intake.scan.token not in listing
    # The coach's page says what the anonymity protects and what it cannot.
    assert "Hoe anoniem is de teamscan?" in html and "Wat Leerscan niet kan voorkomen" in html
    assert "6 uitnodigingen gemaakt" in html

    bram_client.post(url, {"action": "close"})
    survey.refresh_from_db()
    assert not survey.is_open
    assert bram_client.post(url, {"action": "<script>"}).status_code == 400
    assert bram_client.post(invitations_url, {"count": "veel"}).status_code == 400


def test_no_team_link_for_a_round_without_a_finished_scan(bram_client, anna_company):
    url = reverse("coaching:round_team", args=[anna_company.pk, 0])
    assert bram_client.post(url, {"action": "open"}).status_code == 404
