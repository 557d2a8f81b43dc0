"""Bram deletes a leertafel of his organisation: a confirmation page says what goes (the session,
its code, questions, matrix and group report) and what stays (the participants' own scans), and
a POST deletes it. Carla, of another organisation, gets a 404 and deletes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from leerscan.advisers import report
from leerscan.advisers.ideas import idea_add
from leerscan.advisers.models import DiscussionPrompt, Idea, Leertafel, Participant
from leerscan.background.models import Output
from leerscan.scans.models import Scan
from tests.advisers.test_exports import join_finished, table_of_three  # noqa: F401 (fixture)
from tests.personas import ANNA_PROFILE

pytestmark = pytest.mark.django_db


def _url(leertafel: Leertafel) -> str:
    return reverse("advisers:leertafel_delete", args=[leertafel.pk])


@pytest.fixture
def session(leertafel, table_of_three) -> Leertafel:  # noqa: F811 (the imported fixture)
    """Bram's table of three, in the leertafel's context, with two ideas and a kept report."""
    Scan.objects.filter(leertafel_participant__leertafel=leertafel).update(
        context=Scan.Context.LEERTAFEL
    )
    author = table_of_three[0]
    for text in ("Leerbudget per persoon", "Intervisie elke maand"):
        idea_add(leertafel=leertafel, block="taken", quadrant="wow", text=text, author=author)
    # Its group report, made and kept (as the background layer keeps it).
    Output.objects.create(
        kind=report.GROUP_REPORT_KIND,
        subject=f"leertafel:{leertafel.pk}",
        leertafel=leertafel,
        key=report.group_report_version(leertafel=leertafel),
        language="nl",
        state=Output.State.DONE,
        content=b"%PDF",
    )
    return leertafel


def test_the_leertafel_page_links_to_deleting_it(bram_client, leertafel) -> None:
    html = bram_client.get(reverse("advisers:leertafel", args=[leertafel.pk])).content.decode()
    assert _url(leertafel) in html


def test_the_confirmation_says_what_goes_and_what_stays(bram_client, session) -> None:
    response = bram_client.get(_url(session))
    assert response.status_code == 200
    html = response.content.decode()
    assert session.name in html and session.code in html
    assert "2 ideeën" in html or "2 ideas" in html
    assert "3" in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert Leertafel.objects.filter(pk=session.pk).exists()  # a GET deletes nothing


def test_bram_deletes_it_and_the_participants_keep_their_scans(bram_client, session) -> None:
    scans = list(Scan.objects.filter(leertafel_participant__leertafel=session))
    response = bram_client.post(_url(session))
    assert response.status_code == 302
    assert response["Location"] == reverse("advisers:dashboard")
    assert not Leertafel.objects.filter(pk=session.pk).exists()
    assert not Participant.objects.exists()
    assert not Idea.objects.exists()
    assert not DiscussionPrompt.objects.filter(leertafel_id=session.pk).exists()
    # The scans are their owners': they stay, finished, as scans of their own.
    kept = Scan.objects.filter(pk__in=[s.pk for s in scans])
    assert kept.count() == 3
    assert set(kept.values_list("context", flat=True)) == {Scan.Context.SELF_SCAN}
    assert all(scan.finished_at is not None for scan in kept)
    anna = scans[0]
    results = Client().get(reverse("reports:results", args=[anna.token]))
    assert results.status_code == 200
    assert session.name not in results.content.decode()
    assert Client().get(reverse("advisers:participant", args=[anna.token])).status_code == 404
    assert Client().get(reverse("advisers:participant_ideas", args=[anna.token])).status_code == 404
    dashboard = bram_client.get(reverse("advisers:dashboard")).content.decode()
    assert session.name in dashboard  # the message, once
    assert reverse("advisers:leertafel", args=[session.pk]) not in dashboard


def test_its_code_stops_working(bram_client, session) -> None:
    bram_client.post(_url(session))
    assert Client().get(reverse("advisers:join_code", args=[session.code])).status_code == 404


def test_its_group_report_goes_with_it(bram_client, session) -> None:
    assert report.group_report_status(leertafel=session).ready
    bram_client.post(_url(session))
    assert not Output.objects.filter(subject=f"leertafel:{session.pk}").exists()


def test_a_deleted_leertafel_s_pages_are_404(bram_client, session) -> None:
    bram_client.post(_url(session))
    for name in ("leertafel", "group", "matrix", "group_report", "export_csv", "leertafel_delete"):
        assert bram_client.get(reverse(f"advisers:{name}", args=[session.pk])).status_code == 404
    assert bram_client.post(_url(session)).status_code == 404


def test_a_colleague_of_the_same_organisation_may_delete_it(client, bram, session) -> None:
    from leerscan.advisers.services import adviser_create

    colleague = adviser_create(
        email="sanne@leerwerk-advies.nl", organisation_name=bram.organisation.name, password=None
    )
    assert not colleague.is_organisation_admin
    client.force_login(colleague.user)
    assert client.post(_url(session)).status_code == 302
    assert not Leertafel.objects.filter(pk=session.pk).exists()


def test_carla_gets_a_404_and_deletes_nothing(carla_client, session) -> None:
    assert carla_client.get(_url(session)).status_code == 404
    assert carla_client.post(_url(session)).status_code == 404
    assert Leertafel.objects.filter(pk=session.pk).exists()
    assert Participant.objects.filter(leertafel=session).count() == 3


def test_carla_deletes_her_own_and_bram_s_stays(carla_client, carla_leertafel, session) -> None:
    assert carla_client.post(_url(carla_leertafel)).status_code == 302
    assert not Leertafel.objects.filter(pk=carla_leertafel.pk).exists()
    assert Leertafel.objects.filter(pk=session.pk).exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, leertafel) -> None:
    for response in (client.get(_url(leertafel)), client.post(_url(leertafel))):
        assert response.status_code == 302
        assert reverse("advisers:login") in response["Location"]
    assert Leertafel.objects.filter(pk=leertafel.pk).exists()


def test_a_post_without_the_csrf_token_is_refused(bram, leertafel) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(bram.user)
    assert browser.post(_url(leertafel)).status_code == 403
    assert Leertafel.objects.filter(pk=leertafel.pk).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/adviseur/leertafel/0/verwijderen/",
        "/adviseur/leertafel/-1/verwijderen/",
        "/adviseur/leertafel/abc/verwijderen/",
        "/adviseur/leertafel/99999999999999999999999999/verwijderen/",
        "/adviseur/leertafel/%00/verwijderen/",
        "/adviseur/leertafel/1%20OR%201=1/verwijderen/",
    ],
)
def test_nonsense_in_the_address_is_a_404_never_a_500(bram_client, leertafel, path) -> None:
    for response in (bram_client.get(path), bram_client.post(path, {"x": "\x00" * 10})):
        assert response.status_code == 404, (path, response.status_code)
    assert Leertafel.objects.filter(pk=leertafel.pk).exists()


def test_other_methods_are_refused(bram_client, leertafel) -> None:
    assert bram_client.put(_url(leertafel)).status_code == 405
    assert bram_client.delete(_url(leertafel)).status_code == 405


def test_a_participant_who_joins_after_deleting_is_refused(bram_client, session) -> None:
    code = session.code
    bram_client.post(_url(session))
    visitor = Client()
    assert visitor.post(reverse("advisers:join"), {"code": code}).status_code == 400
    assert (
        not Scan.objects.filter(organisation_name=ANNA_PROFILE["organisation_name"])
        .filter(context=Scan.Context.LEERTAFEL)
        .exists()
    )
