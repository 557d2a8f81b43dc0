"""Every coaching URL, walked from the resolver: anonymous visitors go to the login page, Carla
(another organisation) gets a 404 on everything of Bram's clients, and a client's private link
reaches only that client's own page. New coaching URLs are covered without touching this file."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, get_resolver, reverse

from leerscan.coaching.models import ActionItem, Client, CoachNote, Measurement
from leerscan.scans import services
from leerscan.scans.urls import TokenConverter
from tests.teams import answering

pytestmark = pytest.mark.django_db

# Open without an account, by design: the invitation (its token is the key) and the pages under
# a scan's private link (tests/scans/test_access.py checks those go through scan_from_token).
PUBLIC = {"invite"}


def _patterns() -> list[URLPattern]:
    _prefix, resolver = get_resolver().namespace_dict["coaching"]
    return [p for p in resolver.url_patterns if isinstance(p, URLPattern)]


def _coach_patterns() -> list[URLPattern]:
    return [
        p
        for p in _patterns()
        if p.name not in PUBLIC
        and not isinstance(p.pattern.converters.get("token"), TokenConverter)
    ]


def _kwargs(pattern: URLPattern, client: Client) -> dict:
    ids = {
        "client_id": client.pk,
        "number": 0,
        "action_id": client.actions.first().pk,
        "note_id": client.notes.first().pk,
    }
    return {name: ids.get(name, 1) for name in pattern.pattern.converters}


def test_every_coach_url_checks_the_adviser_and_the_client():
    assert len(_coach_patterns()) >= 10
    for pattern in _coach_patterns():
        assert getattr(pattern.callback, "checks_adviser", False), pattern.name
        if "client_id" in pattern.pattern.converters:
            assert getattr(pattern.callback, "checks_client", False), pattern.name


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, anna_plan, method):
    for pattern in _coach_patterns():
        url = reverse(f"coaching:{pattern.name}", kwargs=_kwargs(pattern, anna_plan))
        response = getattr(client, method)(url)
        assert response.status_code in (302, 405), (pattern.name, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("advisers:login")), pattern.name


@pytest.mark.parametrize("method", ["get", "post"])
def test_carla_gets_a_404_on_every_url_of_bram_s_client(carla_client, anna_plan, method):
    checked = 0
    for pattern in _coach_patterns():
        if "client_id" not in pattern.pattern.converters:
            continue
        url = reverse(f"coaching:{pattern.name}", kwargs=_kwargs(pattern, anna_plan))
        response = getattr(carla_client, method)(url, {"text": "x", "what": "x", "status": "klaar"})
        assert response.status_code in (404, 405), (pattern.name, response.status_code)
        checked += 1
    assert checked >= 10
    # Nothing of Bram's changed, and Carla's own list does not show his client.
    assert ActionItem.objects.filter(client=anna_plan, status="klaar").count() == 0
    assert CoachNote.objects.filter(client=anna_plan).count() == 1
    assert "Anna IT" not in carla_client.get(reverse("coaching:clients")).content.decode()


def test_bram_gets_into_every_page_of_his_own_client(bram_client, anna_plan):
    for pattern in _coach_patterns():
        converters = set(pattern.pattern.converters)
        if "client_id" not in converters or converters - {"client_id", "number", "action_id"}:
            continue
        url = reverse(f"coaching:{pattern.name}", kwargs=_kwargs(pattern, anna_plan))
        response = bram_client.get(url)
        assert response.status_code in (200, 302, 405), (pattern.name, response.status_code)


def test_a_client_s_private_link_reaches_only_its_own_client(client, anna_plan, bram):
    """Another client's scan link shows that client's intake and coach, never Anna's."""
    other = Client.objects.create(organisation=bram.organisation, name="Bakkerij De Terp")
    scan = services.scan_start()
    Measurement.objects.create(client=other, round=0, scan=scan, shared_by_owner=True)
    other.actions.create(what="Planning voor de bakkers")
    services.scan_save_profile(
        scan=scan,
        data={
            "organisation_name": "Bakkerij De Terp",
            "sbi_section": "C",
            "sbi_code": "1071",
            "employees": 7,
            "province": "fryslan",
            "respondent_role": "eigenaar",
        },
    )
    for name in ("coaching:intake", "coaching:share"):
        page = client.get(reverse(name, args=[scan.token])).content.decode()
        assert "Feedbackgesprekken" not in page and "Anna" not in page, name
    client.post(reverse("coaching:intake", args=[scan.token]), {"wishes": ["evc"]})
    assert not anna_plan.wishes.exists()
    assert list(other.wishes.values_list("key", flat=True)) == ["evc"]


def test_an_employee_s_team_link_opens_the_team_form_and_nothing_else(client, anna_intake):
    """The link Anna gives her team is no key to her scan, her results, her coach's pages or the
    team's own figures: every other door it is tried on is a 404 (or the login page)."""
    team_token = answering.invite(anna_intake.scan)[0].token
    form = client.get(reverse("teams:form", args=[team_token]))
    assert form.status_code == 200
    assert anna_intake.scan.token not in form.content.decode()
    for name in ("scans:resume", "reports:results", "teams:manage", "coaching:intake"):
        assert client.get(reverse(name, args=[team_token])).status_code == 404, name
    invite = reverse("coaching:invite", args=[team_token])
    assert client.get(invite).status_code == 404
    coach_page = client.get(reverse("coaching:client", args=[anna_intake.client_id]))
    assert coach_page.status_code == 302 and "/adviseur/inloggen/" in coach_page["Location"]
