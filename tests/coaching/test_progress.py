"""Follow-up rounds and the progress since the intake: Bram coaches Anna's IT firm. Her intake
(t0, tests/personas.py) has building blocks 3 except leiderschap 5, statements 4 except
meten_resultaten 2, importance of learning 7 and participation 40%. Carla (another organisation)
must never reach any of it."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse

from benchmarks.selectors import (
    CLEARLY_HIGHER,
    CLEARLY_LOWER,
    COMPARABLE,
    SOMEWHAT_HIGHER,
    SOMEWHAT_LOWER,
)
from leerscan.coaching.models import ActionItem, Measurement
from leerscan.coaching.progress import change_between, client_progress, followup_start
from leerscan.coaching.services import measurement_start_scan
from leerscan.reports.results import scan_results_for
from leerscan.scans import services
from leerscan.teams.models import TEAM_ANSWER_KEYS
from tests.personas import ANNA_PROFILE, answer_items, fact
from tests.teams import answering

pytestmark = pytest.mark.django_db

ANNA_T1_ITEMS = {
    "taken": 4,  # 3 -> 4
    "ruimte_veiligheid": 3,
    "samenwerken": 3,
    "leiderschap": 4,  # 5 -> 4
    "organisatie_inrichting": 3,
    "externe_omgeving": 3,
    "leren_essentieel": 4,
    "feedback_reflectie": 4,
    "leren_in_doelen": 4,
    "opleidingsplekken": 4,
    "meten_resultaten": 3,  # 2 -> 3
}


def finish_followup(company, items: dict[str, int], facts: dict | None = None):
    """The coach starts the next round; the client opens the invite, confirms step 1, answers
    and finishes."""
    measurement = followup_start(client=company)
    scan = measurement_start_scan(measurement=measurement)
    services.scan_save_profile(scan=scan, data=ANNA_PROFILE)
    answer_items(scan, items)
    if facts:
        services.scan_save_facts(scan=scan, step=4, answers=facts)
    services.scan_finish(scan=scan)
    return Measurement.objects.select_related("client", "scan").get(pk=measurement.pk)


@pytest.fixture
def anna_t1(anna_intake):
    return finish_followup(
        anna_intake.client,
        ANNA_T1_ITEMS,
        {"belang_leren": fact(number=8), "pct_deelname": fact(number=50)},
    )


def test_it_computes_the_change_since_the_intake_as_worked_out_by_hand(anna_t1):
    progress = client_progress(client=anna_t1.client)
    assert [r.label for r in progress.rounds] == ["t0", "t1"]
    blocks = {row.key: row for row in progress.building_blocks}
    assert blocks["taken"].scores == [Decimal("3.00"), Decimal("4.00")]
    assert blocks["taken"].change.difference == Decimal("1.0")
    assert blocks["taken"].change.classification == CLEARLY_HIGHER
    assert blocks["samenwerken"].change.difference == Decimal("0.0")
    assert blocks["samenwerken"].change.classification == COMPARABLE
    assert blocks["leiderschap"].change.difference == Decimal("-1.0")
    assert blocks["leiderschap"].change.classification == CLEARLY_LOWER
    statements = {row.key: row for row in progress.dloq}
    assert statements["meten_resultaten"].change.difference == Decimal("1.0")
    assert statements["leren_essentieel"].change.classification == COMPARABLE
    # The training figures: +1 on the 1-10 scale is "clearly" (its threshold is 1.0); +10
    # percentage points is "somewhat" (10 and 25 points); hours were "I don't know" at t0.
    figures = {row.key: row for row in progress.training}
    assert figures["belang_leren"].change.difference == Decimal("1.0")
    assert figures["belang_leren"].change.classification == CLEARLY_HIGHER
    assert figures["pct_deelname"].values == [Decimal("40.0"), Decimal("50.0")]
    assert figures["pct_deelname"].change.classification == SOMEWHAT_HIGHER
    assert figures["uren_per_deelnemer"].change.classification is None


def test_it_shows_the_benchmark_of_the_latest_round_as_the_results_page_does(anna_t1):
    progress = client_progress(client=anna_t1.client)
    results = scan_results_for(scan=anna_t1.scan)
    for row, result in zip(progress.building_blocks, results.building_blocks, strict=True):
        assert row.peer.value == result.comparison.peer.value
        assert row.peer_words == result.status_words


@pytest.mark.parametrize(
    ("first", "latest", "difference", "classification"),
    [
        ("3.00", "3.50", "0.5", CLEARLY_HIGHER),  # exactly the "clearly" threshold
        ("3.00", "3.40", "0.4", SOMEWHAT_HIGHER),
        ("3.00", "3.30", "0.3", SOMEWHAT_HIGHER),
        ("3.00", "3.20", "0.2", SOMEWHAT_HIGHER),  # exactly the "somewhat" threshold
        ("3.00", "3.10", "0.1", COMPARABLE),
        ("3.50", "3.00", "-0.5", CLEARLY_LOWER),
        ("3.20", "3.00", "-0.2", SOMEWHAT_LOWER),
        # As shown: 3.25 is 3.3 and 3.74 is 3.7, so the change reads +0.4, not +0.49 = 0.5.
        ("3.25", "3.74", "0.4", SOMEWHAT_HIGHER),
    ],
)
def test_it_classifies_a_change_with_the_comparisons_thresholds(
    first, latest, difference, classification
):
    change = change_between(Decimal(first), Decimal(latest))
    assert change.difference == Decimal(difference)
    assert change.classification == classification


def test_it_counts_the_action_plan_by_status(anna_t1):
    for what, status in (("POP", "gepland"), ("Scholingsplan", "bezig"), ("Leerkoppels", "klaar")):
        ActionItem.objects.create(client=anna_t1.client, what=what, status=status)
    ActionItem.objects.create(client=anna_t1.client, what="Coach", status="klaar")
    progress = client_progress(client=anna_t1.client)
    assert progress.actions == {"gepland": 1, "bezig": 1, "klaar": 2}


def test_it_shows_the_2021_references_the_monitor_prints(anna_t1):
    progress = client_progress(client=anna_t1.client)
    assert (progress.edition_year, progress.previous_name) == (2023, "december 2021")
    references = {r.key: (r.own, r.value, r.previous) for r in progress.references}
    assert references["belang_leren"] == (Decimal("8.0"), Decimal("8.2"), Decimal("8.5"))
    assert references["pct_onder_werktijd"][1:] == (Decimal("71.8"), Decimal("64"))
    assert references["pct_kosten_werkgever"][1:] == (Decimal("91.6"), Decimal("91"))
    # Participation in 2021 is printed only as "2 procentpunt lager": a sentence, no number.
    text = " ".join(progress.previous_sentences)
    assert "2 procentpunt lager dan de meting in december 2021" in text
    assert "dezelfde lage waardering" in text


def test_it_labels_the_inferred_2021_figure_and_says_where_the_monitor_prints_no_n(anna_t1):
    progress = client_progress(client=anna_t1.client)
    inferred = {r.key for r in progress.references if r.inferred}
    assert inferred == {"pct_kosten_werkgever"}  # "evenveel als anderhalf jaar geleden"
    assert "evenveel" in progress.references[-1].inferred
    # Tabel 4.4 prints no N, nor does the sentence with the importance of learning.
    assert {r.key for r in progress.references if r.without_n} == {
        "belang_leren",
        "pct_onder_werktijd",
        "pct_kosten_werkgever",
    }
    assert progress.references_without_n.count(", ") == 2  # the three, named


def test_the_2021_table_says_whom_2021_asked_and_marks_the_inferred_figure(bram_client, anna_t1):
    bram_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = bram_client.get(reverse("coaching:progress", args=[anna_t1.client.pk])).content.decode()
    assert '<html lang="en">' in html
    html = re.sub(r"\s+", " ", html)
    assert "which asked employers in Groningen and Drenthe only" in html
    assert "(inferred)" in html
    assert 'the same ("evenveel") as in December 2021' in unescape(html)
    assert "The monitor prints no number of respondents (N) for its 2023 figures of:" in html
    assert '<th scope="col" class="num">December 2021</th>' in html


def test_its_query_count_does_not_grow_with_the_rounds(anna_t1, django_assert_num_queries):
    company = anna_t1.client
    client_progress(client=company)  # the benchmark set is read once per process
    # Six, and one per round for its team view (leerscan/teams).
    with django_assert_num_queries(6 + 2):
        client_progress(client=company)
    finish_followup(company, ANNA_T1_ITEMS | {"samenwerken": 5})
    with django_assert_num_queries(6 + 3):
        progress = client_progress(client=company)
    assert [r.label for r in progress.rounds] == ["t0", "t1", "t2"]


def test_it_shows_the_team_view_of_a_round_with_its_blind_spots(bram_client, anna_t1):
    # The threshold: five employees.
    answering.answer(anna_t1.scan, [dict.fromkeys(TEAM_ANSWER_KEYS, 4) | {"leiderschap": 1}] * 5)
    progress = client_progress(client=anna_t1.client)
    assert [(round_.label, view.responses) for round_, view in progress.team] == [("t1", 5)]
    page = bram_client.get(reverse("coaching:progress", args=[anna_t1.client.pk])).content
    # Anna says 4 on leadership at t1, her team 1: a blind spot.
    assert "Leiderschap gericht op ontwikkeling (team 1,0" in page.decode()


# Starting a follow-up


def test_it_starts_the_next_round_once_the_last_is_finished(bram_client, anna_intake):
    company = anna_intake.client
    response = bram_client.post(reverse("coaching:followup_start", args=[company.pk]))
    assert response.status_code == 302
    assert list(company.measurements.values_list("round", flat=True)) == [0, 1]
    assert company.measurements.get(round=1).scan is None  # its invite link starts the scan


def test_it_refuses_a_follow_up_while_the_last_round_is_unfinished(bram_client, anna_company):
    response = bram_client.post(
        reverse("coaching:followup_start", args=[anna_company.pk]), follow=True
    )
    assert list(anna_company.measurements.values_list("round", flat=True)) == [0]
    assert "t0" in response.content.decode()
    assert "is not finished yet" in response.content.decode() or "nog niet af" in (
        response.content.decode()
    )


def test_a_double_post_creates_one_round(bram_client, anna_intake):
    url = reverse("coaching:followup_start", args=[anna_intake.client.pk])
    bram_client.post(url)
    bram_client.post(url)
    assert Measurement.objects.filter(client=anna_intake.client).count() == 2


def test_it_prefills_the_follow_up_with_what_rarely_changes(client, anna_intake):
    measurement = followup_start(client=anna_intake.client)
    # Anna opens the invite link of t1 and starts the scan.
    response = client.post(reverse("coaching:invite", args=[measurement.invite_token]))
    scan = Measurement.objects.get(pk=measurement.pk).scan
    assert response["Location"].startswith(reverse("scans:step", args=[scan.token, 1]))
    # Step 1: the profile of the intake (the name Anna gave, not only the coach's record).
    page = client.get(reverse("scans:step", args=[scan.token, 1])).content.decode()
    assert 'value="Annas Adviesbureau"' in page
    assert _checked(page, "respondent_role") == ["eigenaar"]
    services.scan_save_profile(scan=scan, data=ANNA_PROFILE)
    # Step 5: the arrangements and the HR department, as at the intake.
    page = client.get(reverse("scans:step", args=[scan.token, 5])).content.decode()
    assert _checked(page, "scholingsregeling") == ["ja"]
    assert _checked(page, "promotieregeling") == ["nee"]
    assert _checked(page, "hr_afdeling") == ["nee"]
    assert _checked(page, "instrumenten") == []  # what the plan works on is asked again
    # The statements and the figures of the last 12 months are measured again: empty.
    for step, name in ((2, "taken"), (3, "meten_resultaten"), (4, "belang_leren")):
        page = client.get(reverse("scans:step", args=[scan.token, step])).content.decode()
        assert _checked(page, name) == [], name
    assert 'name="pct_deelname" value=' not in page


def _checked(page: str, name: str) -> list[str]:
    """The values of the checked inputs with this name."""
    inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    return [re.search(r'value="([^"]*)"', i).group(1) for i in inputs if " checked" in i]


# The pages


def test_it_says_plainly_that_progress_needs_a_follow_up(bram_client, anna_intake):
    response = bram_client.get(reverse("coaching:progress", args=[anna_intake.client.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Progress appears after the first follow-up" in page or "vervolgmeting" in page
    assert "<img" not in page  # no chart of a single round


def test_it_shows_the_progress_table_after_a_follow_up(bram_client, anna_t1):
    response = bram_client.get(reverse("coaching:progress", args=[anna_t1.client.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "+1,0" in page and "\u22121,0" in page
    assert "status-clearly_higher" in page and "status-clearly_lower" in page
    # Awaits the Dutch catalogue (progress.json): the words a coach reads.
    assert "duidelijk verbeterd" in page and "duidelijk achteruit" in page
    assert "data:image/svg+xml;base64," in page
    assert reverse("coaching:progress_report", args=[anna_t1.client.pk]) in page


@pytest.mark.parametrize("name", ["progress", "progress_report", "followup_start"])
def test_carla_gets_a_404_for_brams_client(carla_client, anna_intake, name):
    url = reverse(f"coaching:{name}", args=[anna_intake.client.pk])
    response = carla_client.post(url) if name == "followup_start" else carla_client.get(url)
    assert response.status_code == 404
    assert Measurement.objects.filter(client=anna_intake.client).count() == 1


@pytest.mark.parametrize("name", ["progress", "progress_report", "followup_start"])
def test_it_sends_anonymous_visitors_to_the_login(client, anna_intake, name):
    url = reverse(f"coaching:{name}", args=[anna_intake.client.pk])
    response = client.post(url) if name == "followup_start" else client.get(url)
    assert response.status_code == 302
    assert reverse("advisers:login") in response["Location"]
    assert Measurement.objects.filter(client=anna_intake.client).count() == 1
