"""Bram's group view for the projector, its polling answer and the questions per building block;
Carla (another organisation) sees none of it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from benchmarks.vocabulary import BUILDING_BLOCKS
from leerscan.advisers.models import DiscussionPrompt, Leertafel
from leerscan.advisers.services import leertafel_create, participant_set_show_name
from tests.advisers.test_group import (
    ANNA_ITEMS,
    METAL_ITEMS,
    join_and_finish,
    three_personas,
)
from tests.personas import ANNA_PROFILE
from tests.personas_more import BAKERY_ITEMS, BAKERY_PROFILE, METAL_PROFILE

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _data(scan_data):
    """Every test needs the item bank and the monitor's tables."""


def group_url(leertafel: Leertafel) -> str:
    return reverse("advisers:group", args=[leertafel.pk])


def poll_url(leertafel: Leertafel) -> str:
    return reverse("advisers:group_poll", args=[leertafel.pk])


def prompts_url(leertafel: Leertafel) -> str:
    return reverse("advisers:prompts", args=[leertafel.pk])


def test_it_shows_joined_and_finished_and_no_figures_with_two_finished(bram_client, leertafel):
    join_and_finish(leertafel, ANNA_PROFILE, ANNA_ITEMS)
    join_and_finish(leertafel, METAL_PROFILE, METAL_ITEMS, show_name=True)
    join_and_finish(leertafel, BAKERY_PROFILE, BAKERY_ITEMS, finish=False)

    response = bram_client.get(group_url(leertafel))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Groepscijfers verschijnen vanaf 3 deelnemers die klaar zijn" in html
    counts = response.context["view"]
    assert (counts.joined, counts.finished) == (3, 2)
    # No figure of any kind: no means, no dots, no names, not even of the one who allowed it.
    assert "group-plot" not in html and "group-mean-figure" not in html
    assert "Metaalbewerking Drenthe" not in html
    assert "4,0" not in html and "5,0" not in html
    # The questions per building block are there to start the conversation.
    first_prompt = DiscussionPrompt.objects.filter(leertafel=leertafel).first()
    assert escape(first_prompt.text) in html


def test_it_shows_the_figures_from_three_finished(bram_client, leertafel):
    three_personas(leertafel)

    html = bram_client.get(group_url(leertafel)).content.decode()

    assert "Groepscijfers verschijnen" not in html
    assert html.count('class="group-plot"') == 11  # six building blocks, five statements
    assert "3,7" in html  # taken: 3, 3, 5
    assert "4,3" in html  # leiderschap: 5, 3, 5


def test_it_names_only_those_who_allowed_it(bram_client, leertafel):
    anna, bakery, metal = three_personas(leertafel)
    participant_set_show_name(participant=bakery, show_name=False)

    html = bram_client.get(group_url(leertafel)).content.decode()

    assert "Metaalbewerking Drenthe" in html
    assert "Annas Adviesbureau" not in html
    assert "Bakkerij De Terp" not in html
    # A screen reader hears every score and the one name that was allowed.
    assert "3,0: 2 deelnemers; 5,0: 1 deelnemer. Met naam: Metaalbewerking Drenthe 5,0." in html


def test_it_shows_koplopers_prominently_for_the_koploper_approach(bram_client, leertafel):
    three_personas(leertafel)
    html = bram_client.get(group_url(leertafel)).content.decode()
    assert "Koplopers" in html and "group-card-koploper" not in html

    leertafel.approach = Leertafel.Approach.FRONT_RUNNER
    leertafel.save()
    html = bram_client.get(group_url(leertafel)).content.decode()
    assert "group-card-koploper" in html


def test_it_answers_htmx_with_the_live_part_only(bram_client, leertafel):
    three_personas(leertafel)

    full = bram_client.get(group_url(leertafel))
    partial = bram_client.get(group_url(leertafel), **HTMX)

    assert "<html" in full.content.decode() and 'id="groep-live"' in full.content.decode()
    assert "<html" not in partial.content.decode()
    assert partial.content.decode().lstrip().startswith('<div id="groep-live"')
    assert "htmx.min.js" in full.content.decode()
    # Without JavaScript a plain link reloads the page.
    assert f'href="{group_url(leertafel)}">Vernieuwen</a>' in full.content.decode()


def test_its_polling_answer_is_empty_until_something_changes(bram_client, leertafel):
    anna, bakery, metal = three_personas(leertafel)
    version = bram_client.get(group_url(leertafel)).context["view"].version

    unchanged = bram_client.get(poll_url(leertafel), {"v": version}, **HTMX)
    assert unchanged.status_code == 204 and unchanged.content == b""

    join_and_finish(leertafel, ANNA_PROFILE, ANNA_ITEMS, finish=False)
    changed = bram_client.get(poll_url(leertafel), {"v": version}, **HTMX)
    assert changed.status_code == 200
    assert changed.context["view"].joined == 4
    assert f"?v={changed.context['view'].version}" in changed.content.decode()

    # Without htmx the polling address sends a person to the group view.
    plain = bram_client.get(poll_url(leertafel), {"v": version})
    assert plain.status_code == 302 and plain["Location"] == group_url(leertafel)


@pytest.mark.parametrize("participants", [3, 12])
def test_its_query_count_does_not_grow_with_participants(
    bram_client, leertafel, django_assert_num_queries, participants
):
    three_personas(leertafel)
    for i in range(participants - 3):
        join_and_finish(
            leertafel,
            {**METAL_PROFILE, "organisation_name": f"Firma {i}"},
            METAL_ITEMS,
            show_name=i % 2 == 0,
        )
    bram_client.get(group_url(leertafel))  # the benchmark set is read once per process
    version = bram_client.get(group_url(leertafel)).context["view"].version

    # session, user, adviser, leertafel, organisation (the menu); participants, version (2),
    # items, answers, benchmark set, prompts
    with django_assert_num_queries(12):
        bram_client.get(group_url(leertafel))
    # session, user, adviser, leertafel; version (2)
    with django_assert_num_queries(6):
        assert bram_client.get(poll_url(leertafel), {"v": version}, **HTMX).status_code == 204


def test_carla_gets_a_404_on_every_group_url(carla_client, leertafel):
    three_personas(leertafel)
    for url in (group_url(leertafel), poll_url(leertafel), prompts_url(leertafel)):
        assert carla_client.get(url).status_code == 404
        assert carla_client.get(url, **HTMX).status_code == 404
    assert carla_client.post(prompts_url(leertafel), {}).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, leertafel):
    for url in (group_url(leertafel), poll_url(leertafel), prompts_url(leertafel)):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("advisers:login") in response["Location"]


# --- the questions per building block -------------------------------------------------------


def formset_data(leertafel: Leertafel, **changes) -> dict:
    """The prompts page's form as the browser posts it, unchanged unless `changes` says so."""
    prompts = list(DiscussionPrompt.objects.filter(leertafel=leertafel))
    data = {
        "vragen-TOTAL_FORMS": str(len(prompts) + len(BUILDING_BLOCKS)),
        "vragen-INITIAL_FORMS": str(len(prompts)),
        "vragen-MIN_NUM_FORMS": "0",
        "vragen-MAX_NUM_FORMS": "1000",
    }
    for i, prompt in enumerate(prompts):
        data[f"vragen-{i}-id"] = str(prompt.pk)
        data[f"vragen-{i}-block"] = prompt.block
        data[f"vragen-{i}-text"] = prompt.text
    for j, block in enumerate(BUILDING_BLOCKS):
        data[f"vragen-{len(prompts) + j}-block"] = block
        data[f"vragen-{len(prompts) + j}-text"] = ""
    data.update(changes)
    return data


def test_it_shows_the_monitors_questions_to_edit(bram_client, leertafel):
    response = bram_client.get(prompts_url(leertafel))

    assert response.status_code == 200
    for prompt in DiscussionPrompt.objects.filter(leertafel=leertafel):
        assert escape(prompt.text) in response.content.decode()


def test_it_edits_adds_and_deletes_questions(bram_client, leertafel):
    prompts = list(DiscussionPrompt.objects.filter(leertafel=leertafel))
    count = len(prompts)
    new_index = count + 2  # the empty form of the third building block (samenwerken)
    data = formset_data(
        leertafel,
        **{
            "vragen-0-text": "  Wie neemt hier   de ruimte? ",
            "vragen-1-DELETE": "on",
            f"vragen-{new_index}-text": "Wat leren jullie van elkaar?",
        },
    )

    response = bram_client.post(prompts_url(leertafel), data)

    assert response.status_code == 302
    texts = dict(DiscussionPrompt.objects.filter(leertafel=leertafel).values_list("pk", "text"))
    assert texts[prompts[0].pk] == "Wie neemt hier de ruimte?"
    assert prompts[1].pk not in texts
    added = DiscussionPrompt.objects.get(leertafel=leertafel, text="Wat leren jullie van elkaar?")
    assert added.block == "samenwerken"
    assert len(texts) == count
    group = bram_client.get(group_url(leertafel)).content.decode()
    assert "Wat leren jullie van elkaar?" in group


def test_it_refuses_an_empty_or_too_long_question_in_dutch(bram_client, leertafel):
    before = list(DiscussionPrompt.objects.filter(leertafel=leertafel).values_list("text"))

    empty = bram_client.post(
        prompts_url(leertafel), formset_data(leertafel, **{"vragen-0-text": " "})
    )
    too_long = bram_client.post(
        prompts_url(leertafel), formset_data(leertafel, **{"vragen-0-text": "x" * 401})
    )

    assert empty.status_code == 400 and too_long.status_code == 400
    assert "Niet opgeslagen" in empty.content.decode()
    assert "Typ een vraag, of vink" in empty.content.decode()
    assert "400 tekens" in too_long.content.decode()
    assert list(DiscussionPrompt.objects.filter(leertafel=leertafel).values_list("text")) == before


def test_it_refuses_an_unknown_building_block_and_a_question_of_another_table(
    bram_client, bram, leertafel
):
    other = leertafel_create(
        adviser=bram,
        data={
            "name": "Tweede tafel",
            "date": leertafel.date,
            "place": "",
            "approach": "open",
            "theme": "",
            "short_mode": False,
        },
        language="nl",
    )
    foreign = DiscussionPrompt.objects.filter(leertafel=other).first()
    count = DiscussionPrompt.objects.filter(leertafel=leertafel).count()

    unknown = bram_client.post(
        prompts_url(leertafel),
        formset_data(leertafel, **{f"vragen-{count}-block": "geld", f"vragen-{count}-text": "?"}),
    )
    stolen = bram_client.post(
        prompts_url(leertafel),
        formset_data(leertafel, **{"vragen-0-id": str(foreign.pk), "vragen-0-text": "Gekaapt"}),
    )

    assert unknown.status_code == 400 and stolen.status_code == 400
    assert "bestaat niet meer" in stolen.content.decode()
    assert not DiscussionPrompt.objects.filter(block="geld").exists()
    foreign.refresh_from_db()
    assert foreign.text != "Gekaapt"
