"""A participant of Bram's leertafel (Anna's firm, joined by code) sees under her private link which
leertafel her scan belongs to and who runs it, and chooses whether the table may see her
organisation's name next to her scores: anonymous by default, changeable at any time. Her
results page has a card that leads there."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerscan.advisers.models import Leertafel, Participant
from leerscan.advisers.services import leertafel_join, leertafel_set_open
from leerscan.scans import services
from tests.personas import ANNA_PROFILE, answer_items

pytestmark = pytest.mark.django_db

CORE = {
    "taken": 3,
    "ruimte_veiligheid": 3,
    "samenwerken": 3,
    "leiderschap": 5,
    "organisatie_inrichting": 3,
    "externe_omgeving": 3,
    "leren_essentieel": 4,
    "feedback_reflectie": 4,
    "leren_in_doelen": 4,
    "opleidingsplekken": 4,
    "meten_resultaten": 2,
}


def _joined(leertafel: Leertafel, *, finished: bool = True, name: str = "") -> Participant:
    participant = leertafel_join(leertafel=leertafel)
    profile = ANNA_PROFILE | ({"organisation_name": name} if name else {})
    services.scan_save_profile(scan=participant.scan, data=profile)
    answer_items(participant.scan, CORE)
    if finished:
        services.scan_finish(scan=participant.scan)
    participant.scan.refresh_from_db()
    return participant


@pytest.fixture
def anna(leertafel) -> Participant:
    """Anna joined Bram's leertafel and finished her scan."""
    return _joined(leertafel)


def _url(participant: Participant) -> str:
    return reverse("advisers:participant", args=[participant.scan.token])


def test_it_shows_which_leertafel_and_who_runs_it(client, anna) -> None:
    response = client.get(_url(anna))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Leertafel techniek Emmen" in html
    assert "bram@leerwerk-advies.nl" in html and "Leerwerk Advies" in html
    assert reverse("reports:results", args=[anna.scan.token]) in html


def test_it_is_a_404_for_a_scan_that_joined_no_leertafel(client, anna_scan) -> None:
    assert client.get(reverse("advisers:participant", args=[anna_scan.token])).status_code == 404
    response = client.post(
        reverse("advisers:participant", args=[anna_scan.token]), {"show_name": "on"}
    )
    assert response.status_code == 404


def test_the_page_stays_out_of_caches_and_search_engines(client, anna) -> None:
    response = client.get(_url(anna))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_participant_is_anonymous_by_default(client, anna) -> None:
    html = client.get(_url(anna)).content.decode()
    assert not anna.show_name
    assert "De tafel mag de naam van mijn organisatie naast mijn scores zien" in html
    assert 'type="checkbox" name="show_name"' in html
    assert "checked" not in html.split('name="show_name"')[1].split(">")[0]
    assert "Nu: u bent anoniem voor de tafel." in html


def test_anna_allows_her_name_and_withdraws_it_later(client, anna) -> None:
    response = client.post(_url(anna), {"show_name": "on"})
    assert response.status_code == 302
    assert response["Location"] == _url(anna)
    anna.refresh_from_db()
    assert anna.show_name
    html = client.get(_url(anna)).content.decode()
    assert "Opgeslagen: de tafel mag de naam van uw organisatie zien." in html
    assert "checked" in html.split('name="show_name"')[1].split(">")[0]
    # The box unticked: not posted at all.
    client.post(_url(anna), {})
    anna.refresh_from_db()
    assert not anna.show_name


def test_consent_can_change_after_the_leertafel_closed(client, anna, leertafel) -> None:
    leertafel_set_open(leertafel=leertafel, is_open=False)
    client.post(_url(anna), {"show_name": "on"})
    anna.refresh_from_db()
    assert anna.show_name


def test_consent_can_be_given_before_the_scan_is_finished(client, leertafel) -> None:
    busy = _joined(leertafel, finished=False)
    html = client.get(_url(busy)).content.decode()
    assert reverse("scans:resume", args=[busy.scan.token]) in html
    client.post(_url(busy), {"show_name": "on"})
    busy.refresh_from_db()
    assert busy.show_name


def test_one_participant_s_choice_leaves_the_others_alone(client, anna, leertafel) -> None:
    other = _joined(leertafel, name="Bakkerij De Korenschoof")
    client.post(_url(anna), {"show_name": "on"})
    other.refresh_from_db()
    assert not other.show_name


def test_it_says_so_when_the_organisation_has_no_name_to_show(client, leertafel) -> None:
    nameless = leertafel_join(leertafel=leertafel)
    services.scan_save_profile(scan=nameless.scan, data=ANNA_PROFILE | {"organisation_name": ""})
    html = client.get(_url(nameless)).content.decode()
    assert "U hebt geen naam van uw organisatie ingevuld" in html
    assert reverse("scans:step", args=[nameless.scan.token, 1]) in html


def test_the_results_page_of_a_participant_leads_to_the_leertafel_page(client, anna) -> None:
    html = client.get(reverse("reports:results", args=[anna.scan.token])).content.decode()
    assert "Uw leertafel: Leertafel techniek Emmen" in html
    assert _url(anna) in html
    assert "zonder de naam van uw organisatie" in html


def test_the_results_page_of_a_self_scan_has_no_leertafel_card(client, anna_scan) -> None:
    services.scan_finish(scan=anna_scan)
    html = client.get(reverse("reports:results", args=[anna_scan.token])).content.decode()
    assert "Uw leertafel" not in html
    assert "/leertafel/" not in html


def _results_queries(client, participant_or_scan) -> int:
    scan = getattr(participant_or_scan, "scan", participant_or_scan)
    url = reverse("reports:results", args=[scan.token])
    client.get(url)  # the first visit queues the report
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_card_costs_the_results_page_two_queries_whatever_the_table_s_size(
    client, anna, anna_scan, leertafel
) -> None:
    services.scan_finish(scan=anna_scan)
    alone = _results_queries(client, anna_scan)
    with_card = _results_queries(client, anna)
    for _i in range(4):
        _joined(leertafel)
    assert _results_queries(client, anna) == with_card
    # The participation and its leertafel; the ideas of the table (another include) may add
    # their own, but a self-scan pays nothing for either.
    assert with_card - alone <= 4


def test_step_1_of_a_participant_says_where_the_name_may_be_shown(client, leertafel) -> None:
    joined = leertafel_join(leertafel=leertafel)
    html = client.get(reverse("scans:step", args=[joined.scan.token, 1])).content.decode()
    assert "aan de leertafel alleen als u dat toestaat" in html
    assert "Alleen te zien in uw eigen resultaten en rapport." not in html
