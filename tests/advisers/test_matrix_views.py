"""The matrix as people use it: employers add ideas on their phones, Bram projects the matrix
(which updates itself) and moves, merges and deletes ideas; Carla, of another organisation, and
participants of another table never see or touch them; nonsense gets a Dutch message, not a 500."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerscan.advisers.ideas import idea_add, idea_matrix_version
from leerscan.advisers.models import Idea, Leertafel, Participant
from leerscan.advisers.services import leertafel_join
from leerscan.scans import services
from leerscan.scans.models import Scan

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def ideas_url(participant: Participant) -> str:
    return reverse("advisers:participant_ideas", args=[participant.scan.token])


def matrix_url(leertafel: Leertafel) -> str:
    return reverse("advisers:matrix", args=[leertafel.pk])


def action_url(name: str, idea: Idea) -> str:
    return reverse(f"advisers:matrix_idea_{name}", args=[idea.leertafel_id, idea.pk])


def merge_url(leertafel: Leertafel) -> str:
    return reverse("advisers:matrix_merge", args=[leertafel.pk])


def add(leertafel, text="Leerlunch", block="taken", quadrant="wow", author=None) -> Idea:
    return idea_add(leertafel=leertafel, block=block, quadrant=quadrant, text=text, author=author)


VALID = {"block": "samenwerken", "text": "Samen een vakbeurs bezoeken", "quadrant": "now"}


# Participants


def test_a_participant_adds_an_idea_from_their_phone(client, participant):
    page = client.get(ideas_url(participant))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="text"' in html and 'name="block"' in html
    assert html.count('name="quadrant"') == 4  # four radios, each with its plain explanation
    response = client.post(ideas_url(participant), VALID)
    assert response.status_code == 302
    assert response["Location"].endswith("?blok=samenwerken")  # the next idea: same block
    idea = Idea.objects.get()
    assert (idea.author, idea.block, idea.quadrant) == (participant, "samenwerken", "now")
    html = client.get(response["Location"]).content.decode()
    assert "Samen een vakbeurs bezoeken" in html
    assert html.count('class="badge-own"') == 1


def test_a_participant_sees_all_ideas_of_the_table_but_not_who_wrote_them(client, participant):
    neighbour = leertafel_join(leertafel=participant.leertafel)
    services.scan_save_profile(
        scan=neighbour.scan,
        data={
            "organisation_name": "Bakkerij De Vries",
            "sbi_section": "C",
            "sbi_code": "1071",
            "employees": 7,
            "province": "fryslan",
            "respondent_role": "eigenaar",
        },
    )
    neighbour.show_name = True  # even a participant named at the table stays anonymous here
    neighbour.save()
    add(participant.leertafel, text="Idee van de buurman", author=neighbour)
    add(participant.leertafel, text="Idee van de adviseur", quadrant="no")
    add(participant.leertafel, text="Mijn eigen idee", quadrant="how", author=participant)
    html = client.get(ideas_url(participant)).content.decode()
    for text in ("Idee van de buurman", "Idee van de adviseur", "Mijn eigen idee"):
        assert text in html
    assert "Bakkerij De Vries" not in html
    assert 'Mijn eigen idee <span class="badge-own">uw idee</span>' in html
    assert html.count('class="badge-own"') == 1


def test_a_scan_that_did_not_join_a_leertafel_gets_a_404(client, anna_scan):
    response = client.get(reverse("advisers:participant_ideas", args=[anna_scan.token]))
    assert response.status_code == 404
    response = client.post(reverse("advisers:participant_ideas", args=[anna_scan.token]), VALID)
    assert response.status_code == 404
    assert not Idea.objects.exists()


def test_an_unknown_token_gets_a_404(client, db):
    assert client.get("/scan/niet-bestaand/leertafel/ideeen/").status_code == 404
    assert client.get("/scan/" + "x" * 32 + "/leertafel/ideeen/").status_code == 404


def test_a_participant_of_another_table_neither_sees_nor_adds_to_this_one(
    client, participant, carla_leertafel
):
    add(participant.leertafel, text="Geheim idee van Brams tafel")
    stranger = leertafel_join(leertafel=carla_leertafel)
    html = client.get(ideas_url(stranger)).content.decode()
    assert "Geheim idee van Brams tafel" not in html
    client.post(ideas_url(stranger), VALID)
    assert Idea.objects.get(text=VALID["text"]).leertafel == carla_leertafel


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("block", "koffie", "Kies een van de zes bouwstenen."),
        ("block", "", "Kies een bouwsteen."),
        ("quadrant", "misschien", "Kies wow, how, now of no."),
        ("quadrant", "", "Kies een plek in de matrix."),
        ("text", "", "Schrijf uw idee op in een paar woorden."),
        ("text", "   ", "Schrijf uw idee op in een paar woorden."),
        ("text", "lang " * 2_000, "Maak uw idee korter"),
    ],
)
def test_nonsense_from_a_phone_gets_a_dutch_message_at_the_field_and_nothing_is_lost(
    client, participant, field, value, message
):
    data = {**VALID, field: value}
    response = client.post(ideas_url(participant), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'id="error_1_id_{field}"' in html  # next to the field (crispy's error id)
    assert not Idea.objects.exists()
    for other, kept in data.items():
        if other != field:
            assert kept in html  # what was typed or chosen is still there


def test_a_participant_cannot_add_ideas_long_after_the_session(client, participant):
    Leertafel.objects.filter(pk=participant.leertafel_id).update(date=datetime.date(2020, 3, 1))
    html = client.get(ideas_url(participant)).content.decode()
    assert 'name="text"' not in html
    response = client.post(ideas_url(participant), VALID)
    assert response.status_code == 409
    assert not Idea.objects.exists()


def test_a_participant_still_adds_ideas_when_joining_is_closed(client, participant):
    Leertafel.objects.filter(pk=participant.leertafel_id).update(is_open=False)
    assert client.post(ideas_url(participant), VALID).status_code == 302
    assert Idea.objects.count() == 1


def test_the_participants_page_refuses_a_post_without_csrf_token(participant):
    response = Client(enforce_csrf_checks=True).post(ideas_url(participant), VALID)
    assert response.status_code == 403
    assert not Idea.objects.exists()


# The adviser's projector view


def test_bram_projects_the_matrix_with_every_idea_in_its_place(bram_client, leertafel):
    for quadrant in ("wow", "how", "now", "no"):
        add(leertafel, text=f"Idee in {quadrant}", quadrant=quadrant)
    response = bram_client.get(matrix_url(leertafel))
    assert response.status_code == 200
    html = response.content.decode()
    assert "htmx.min.js" in html and 'hx-trigger="every 4s"' in html
    for quadrant in ("wow", "how", "now", "no"):
        cell = html.index(f'id="kwadrant-taken-{quadrant}"')
        assert html.index(f"Idee in {quadrant}", cell) < html.index("</div>", cell)
    # Shown to the table: no forms per idea (only the one to add an idea), no clutter.
    assert "/verplaatsen/" not in html and "/samenvoegen/" not in html
    assert reverse("advisers:matrix_idea_add", args=[leertafel.pk]) in html


def test_while_arranging_every_idea_has_its_forms_and_nothing_polls(bram_client, leertafel):
    a = add(leertafel, text="A")
    add(leertafel, text="B")
    html = bram_client.get(matrix_url(leertafel) + "?ordenen=1").content.decode()
    assert action_url("move", a) in html and action_url("delete", a) in html
    assert merge_url(leertafel) in html
    assert 'hx-trigger="every 4s"' not in html  # a swap would close the form being filled in
    assert html.count('name="ordenen" value="1"') == 1 + 2 * 2 + 1  # add, move+delete x2, merge
    assert f'href="{matrix_url(leertafel)}"' in html  # done arranging
    response = bram_client.post(
        action_url("move", a), {"quadrant": "no", "block": "taken", "ordenen": "1"}
    )
    assert response["Location"] == matrix_url(leertafel) + "?ordenen=1"
    response = bram_client.post(
        action_url("move", a), {"quadrant": "how", "block": "taken", "ordenen": "1"}, **HTMX
    )
    assert 'hx-trigger="every 4s"' not in response.content.decode()


def test_the_block_filter_shows_one_block_and_refuses_nonsense(bram_client, leertafel):
    add(leertafel, text="Over leiderschap", block="leiderschap")
    add(leertafel, text="Over taken", block="taken")
    html = bram_client.get(matrix_url(leertafel) + "?blok=leiderschap").content.decode()
    assert "Over leiderschap" in html and "Over taken" not in html
    assert "?blok=leiderschap&amp;versie=" in html  # the polling keeps to the block shown
    html = bram_client.get(matrix_url(leertafel) + "?blok=leiderschap&ordenen=1").content.decode()
    # and so do the forms: add, and the idea's move and delete (no merge: it is alone)
    assert html.count('name="blok" value="leiderschap"') == 3
    response = bram_client.get(matrix_url(leertafel) + "?blok=<script>")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Deze bouwsteen bestaat niet" in html and "<script>" not in html
    assert "Over taken" in html  # all blocks instead


def test_polling_gets_204_when_nothing_changed_and_the_matrix_after_a_change(
    bram_client, leertafel, participant
):
    version = idea_matrix_version(leertafel_id=leertafel.pk)
    poll = f"{matrix_url(leertafel)}?versie={version}"
    response = bram_client.get(poll, **HTMX)
    assert response.status_code == 204 and response.content == b""
    add(leertafel, text="Net binnen van een telefoon", author=participant)
    response = bram_client.get(poll, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Net binnen van een telefoon" in html
    assert "<html" not in html and html.lstrip().startswith('<div id="matrix"')
    assert f"versie={idea_matrix_version(leertafel_id=leertafel.pk)}" in html


def test_without_javascript_the_page_has_a_refresh_link(bram_client, leertafel):
    html = bram_client.get(matrix_url(leertafel) + "?blok=taken").content.decode()
    assert f'href="{matrix_url(leertafel)}?blok=taken"' in html


def test_bram_adds_an_idea(bram_client, leertafel):
    response = bram_client.post(reverse("advisers:matrix_idea_add", args=[leertafel.pk]), VALID)
    assert response.status_code == 302 and response["Location"] == matrix_url(leertafel)
    idea = Idea.objects.get()
    assert idea.author is None and idea.leertafel == leertafel


def test_bram_adds_an_idea_with_htmx_and_gets_the_matrix_back(bram_client, leertafel):
    response = bram_client.post(
        reverse("advisers:matrix_idea_add", args=[leertafel.pk]), VALID, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="matrix-area"')
    assert VALID["text"] in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("block", "koffie", "Kies een van de zes bouwstenen."),
        ("quadrant", "", "Kies een plek in de matrix."),
        ("text", "x" * 10_000, "Maak uw idee korter"),
    ],
)
def test_bram_s_nonsense_gets_a_dutch_message(bram_client, leertafel, field, value, message):
    url = reverse("advisers:matrix_idea_add", args=[leertafel.pk])
    for extra in ({}, HTMX):
        response = bram_client.post(url, {**VALID, field: value}, **extra)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not Idea.objects.exists()


def test_bram_moves_an_idea_without_javascript_and_with_htmx(bram_client, leertafel):
    idea = add(leertafel)
    response = bram_client.post(
        action_url("move", idea), {"quadrant": "no", "block": "leiderschap", "blok": "taken"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?blok=taken")
    idea.refresh_from_db()
    assert (idea.quadrant, idea.block) == ("no", "leiderschap")
    response = bram_client.post(
        action_url("move", idea), {"quadrant": "how", "block": "leiderschap"}, **HTMX
    )
    assert response.status_code == 200
    idea.refresh_from_db()
    assert idea.quadrant == "how"


def test_bram_merges_two_ideas_and_edits_the_text(bram_client, leertafel, participant):
    a = add(leertafel, text="Leerlunch")
    b = add(leertafel, text="Samen lunchen en leren", author=participant)
    html = bram_client.get(matrix_url(leertafel) + "?ordenen=1").content.decode()
    assert html.count(f'<option value="{b.pk}"') == 2  # one form per block, two lists
    response = bram_client.post(
        merge_url(leertafel), {"idea": b.pk, "into": str(a.pk), "text": "Leerlunch met collega's"}
    )
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.merged_into == a and a.text == "Leerlunch met collega's"
    html = bram_client.get(matrix_url(leertafel)).content.decode()
    assert "Samen lunchen en leren" not in html and "Leerlunch met collega&#x27;s" in html


def test_bram_deletes_an_idea(bram_client, leertafel):
    idea = add(leertafel)
    response = bram_client.post(action_url("delete", idea), **HTMX)
    assert response.status_code == 200
    assert not Idea.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("into", "abc", "Kies het idee om mee samen te voegen uit de lijst."),
        ("into", "", "Kies het idee om mee samen te voegen."),
        ("into", "-3", "Kies het idee om mee samen te voegen uit de lijst."),
        ("into", "99999999", "Kies het idee om mee samen te voegen uit de lijst."),
        ("into", "1e9", "Kies het idee om mee samen te voegen uit de lijst."),
        ("idea", "abc", "Kies het idee dat u wilt samenvoegen uit de lijst."),
        ("idea", "", "Kies het idee dat u wilt samenvoegen."),
        ("idea", "0", "Kies het idee dat u wilt samenvoegen uit de lijst."),
        ("idea", "99999999", "Kies het idee dat u wilt samenvoegen uit de lijst."),
        ("text", "x" * 10_000, "Maak de tekst korter"),
    ],
)
def test_a_merge_with_nonsense_is_refused_in_dutch(bram_client, leertafel, field, value, message):
    a, b = add(leertafel, text="A"), add(leertafel, text="B")
    data = {"idea": b.pk, "into": a.pk, "text": "", field: value}
    for extra in ({}, HTMX):
        response = bram_client.post(merge_url(leertafel), data, **extra)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not Idea.objects.filter(merged_into__isnull=False).exists()
    a.refresh_from_db()
    assert a.text == "A"


def test_bram_cannot_merge_with_an_idea_of_another_table(bram_client, leertafel, carla_leertafel):
    mine, theirs = add(leertafel, text="Van Bram"), add(carla_leertafel, text="Van Carla")
    for data in ({"idea": mine.pk, "into": theirs.pk}, {"idea": theirs.pk, "into": mine.pk}):
        response = bram_client.post(merge_url(leertafel), {**data, "text": "Gekaapt"})
        assert response.status_code == 400
        assert "Van Carla" not in response.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.merged_into is None and theirs.merged_into is None
    assert theirs.text == "Van Carla" and mine.text == "Van Bram"
    # Nor reach Carla's idea through his own leertafel's address.
    url = reverse("advisers:matrix_idea_delete", args=[leertafel.pk, theirs.pk])
    assert bram_client.post(url).status_code == 404
    assert Idea.objects.filter(pk=theirs.pk).exists()


def test_merging_an_idea_into_itself_or_a_merged_one_is_refused(bram_client, leertafel):
    a, b = add(leertafel, text="A"), add(leertafel, text="B")
    response = bram_client.post(merge_url(leertafel), {"idea": a.pk, "into": a.pk})
    assert response.status_code == 400
    assert "Kies een ander idee om mee samen te voegen." in response.content.decode()
    bram_client.post(merge_url(leertafel), {"idea": b.pk, "into": a.pk})
    move_b = bram_client.post(action_url("move", b), {"quadrant": "no", "block": "taken"})
    assert move_b.status_code == 404
    c = add(leertafel, text="C")
    assert bram_client.post(merge_url(leertafel), {"idea": c.pk, "into": b.pk}).status_code == 400
    assert bram_client.post(merge_url(leertafel), {"idea": b.pk, "into": c.pk}).status_code == 400


@pytest.mark.parametrize(
    "data", [{"quadrant": "wauw", "block": "taken"}, {"quadrant": "no", "block": "x" * 10_000}, {}]
)
def test_a_move_with_nonsense_is_refused_in_dutch(bram_client, leertafel, data):
    idea = add(leertafel)
    response = bram_client.post(action_url("move", idea), data)
    assert response.status_code == 400
    assert "Kies" in response.content.decode()
    idea.refresh_from_db()
    assert (idea.quadrant, idea.block) == ("wow", "taken")


def test_non_numeric_and_unknown_idea_ids_are_a_404(bram_client, leertafel):
    base = matrix_url(leertafel)
    for path in ("idee/abc/verplaatsen/", "idee/-1/verwijderen/", "idee/99999/verwijderen/"):
        response = bram_client.post(base + path, {"quadrant": "no", "block": "taken"})
        assert response.status_code == 404
        assert "Deze pagina bestaat niet" in response.content.decode()


def test_the_actions_take_posts_only(bram_client, leertafel):
    idea = add(leertafel)
    for url in (action_url("move", idea), action_url("delete", idea), merge_url(leertafel)):
        assert bram_client.get(url).status_code == 405
    assert Idea.objects.filter(pk=idea.pk).exists()


def test_carla_gets_a_404_on_every_matrix_url_and_changes_nothing(
    carla_client, leertafel, participant
):
    a = add(leertafel, text="A", author=participant)
    b = add(leertafel, text="B")
    assert carla_client.get(matrix_url(leertafel)).status_code == 404
    assert carla_client.get(matrix_url(leertafel) + "?versie=x", **HTMX).status_code == 404
    posts = [
        (reverse("advisers:matrix_idea_add", args=[leertafel.pk]), VALID),
        (action_url("move", a), {"quadrant": "no", "block": "taken"}),
        (merge_url(leertafel), {"idea": b.pk, "into": a.pk, "text": "Carla was hier"}),
        (action_url("delete", a), {}),
    ]
    for url, data in posts:
        assert carla_client.post(url, data).status_code == 404
        assert carla_client.post(url, data, **HTMX).status_code == 404
    assert [(i.text, i.quadrant, i.merged_into_id) for i in Idea.objects.order_by("pk")] == [
        ("A", "wow", None),
        ("B", "wow", None),
    ]


def test_carla_cannot_touch_bram_s_ideas_through_her_own_leertafel(
    carla_client, leertafel, carla_leertafel
):
    idea = add(leertafel)
    for name, data in (("move", {"quadrant": "no", "block": "taken"}), ("delete", {})):
        url = reverse(f"advisers:matrix_idea_{name}", args=[carla_leertafel.pk, idea.pk])
        assert carla_client.post(url, data).status_code == 404
    other = add(leertafel, text="Nog een")
    url = reverse("advisers:matrix_merge", args=[carla_leertafel.pk])
    assert carla_client.post(url, {"idea": other.pk, "into": idea.pk}).status_code == 400
    idea.refresh_from_db()
    other.refresh_from_db()
    assert idea.quadrant == "wow" and other.merged_into is None


def test_a_participant_can_neither_open_the_projector_view_nor_change_ideas(client, participant):
    leertafel = participant.leertafel
    own, other = add(leertafel, author=participant), add(leertafel, text="Van een ander")
    client.get(ideas_url(participant))
    response = client.get(matrix_url(leertafel))
    assert response.status_code == 302 and reverse("advisers:login") in response["Location"]
    for url, data in (
        (action_url("move", other), {"quadrant": "no", "block": "taken"}),
        (action_url("delete", own), {}),
        (merge_url(leertafel), {"idea": other.pk, "into": own.pk}),
    ):
        response = client.post(url, data)
        assert response.status_code == 302 and reverse("advisers:login") in response["Location"]
    assert [(i.quadrant, i.merged_into_id) for i in Idea.objects.order_by("pk")] == [
        ("wow", None),
        ("wow", None),
    ]


def test_the_participant_s_page_links_to_the_ideas_page(client, participant):
    html = client.get(reverse("advisers:participant", args=[participant.scan.token])).content
    assert ideas_url(participant) in html.decode()


def test_the_leertafel_page_links_to_the_matrix(bram_client, leertafel):
    html = bram_client.get(reverse("advisers:leertafel", args=[leertafel.pk])).content.decode()
    assert matrix_url(leertafel) in html


# The participant's results page


def test_a_participant_sees_the_table_s_ideas_on_the_results_page(client, leertafel, anna_scan):
    # Anna did her scan at Bram's table.
    Scan.objects.filter(pk=anna_scan.pk).update(context=Scan.Context.LEERTAFEL)
    participant = Participant.objects.create(leertafel=leertafel, scan=anna_scan)
    add(leertafel, text="Mijn idee", author=participant)
    add(leertafel, text="Idee van een ander", quadrant="how")
    services.scan_finish(scan=anna_scan)
    html = client.get(reverse("reports:results", args=[participant.scan.token])).content.decode()
    assert 'id="kop-ideeen"' in html
    assert "Mijn idee" in html and "Idee van een ander" in html
    assert html.count('class="badge-own"') == 1


def test_a_self_scan_s_results_page_has_no_ideas(client, anna_scan):
    services.scan_finish(scan=anna_scan)
    html = client.get(reverse("reports:results", args=[anna_scan.token])).content.decode()
    assert 'id="kop-ideeen"' not in html


# Query counts


def _count(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **extra).status_code in (200, 204)
    return len(queries)


def _fill(leertafel, participant, n):
    Idea.objects.bulk_create(
        Idea(
            leertafel=leertafel,
            block=("taken", "samenwerken", "leiderschap")[i % 3],
            quadrant=("wow", "how", "now", "no")[i % 4],
            text=f"Idee nummer {i}",
            author=participant if i % 2 else None,
        )
        for i in range(n)
    )


def test_the_matrix_pages_need_the_same_queries_for_few_and_many_ideas(
    bram_client, leertafel, participant
):
    participant_client = Client()
    add(leertafel)
    few = (
        _count(bram_client, matrix_url(leertafel)),
        _count(bram_client, matrix_url(leertafel) + "?ordenen=1"),
        _count(participant_client, ideas_url(participant)),
        _count(bram_client, matrix_url(leertafel) + "?versie=oud", **HTMX),
    )
    _fill(leertafel, participant, 60)
    many = (
        _count(bram_client, matrix_url(leertafel)),
        _count(bram_client, matrix_url(leertafel) + "?ordenen=1"),
        _count(participant_client, ideas_url(participant)),
        _count(bram_client, matrix_url(leertafel) + "?versie=oud", **HTMX),
    )
    assert few == many
    version = idea_matrix_version(leertafel_id=leertafel.pk)
    # session, user, adviser, leertafel, the version: a poll that finds nothing new is cheap.
    assert _count(bram_client, f"{matrix_url(leertafel)}?versie={version}", **HTMX) <= 5


def test_a_participant_s_results_page_needs_the_same_queries_for_few_and_many_ideas(
    client, leertafel, anna_scan
):
    Scan.objects.filter(pk=anna_scan.pk).update(context=Scan.Context.LEERTAFEL)
    participant = Participant.objects.create(leertafel=leertafel, scan=anna_scan)
    services.scan_finish(scan=anna_scan)
    url = reverse("reports:results", args=[anna_scan.token])
    add(leertafel, author=participant)
    client.get(url)  # the first visit queues the report
    few = _count(client, url)
    _fill(leertafel, participant, 60)
    assert _count(client, url) == few
