"""Bram's organisation follows a cohort of client companies: per building block how its clients'
latest scans spread over the scale against Noord-Nederland, the average change since the intake,
and the bundled demand (Box 5.2 wishes and training questions). Carla sees none of it.

Figures by hand: Anna's IT firm (t0: blocks 3, leiderschap 5; t1: every block one point higher),
Baukje's bakery (t0: 2s and 3s) and Martin's metal firm (t0: 5 everywhere).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from benchmarks.vocabulary import BUILDING_BLOCKS, DLOQ_STATEMENTS
from leerscan.background.models import Output
from leerscan.coaching import cohort as cohort_module
from leerscan.coaching.cohort import (
    COHORT_STALE_SECONDS,
    CohortFilters,
    cohort_make,
    cohort_view,
)
from leerscan.coaching.models import Client, ClientWish, Measurement
from leerscan.constants import GROUP_MIN_FINISHED
from leerscan.scans import services
from leerscan.scans.models import Scan
from leerscan.scans.questions import NOT_APPLICABLE
from leerscan.scans.selectors import scan_scores_many
from tests.advisers.test_exports import ANNA_ITEMS
from tests.personas import ANNA_PROFILE
from tests.personas_more import BAKERY_ITEMS, BAKERY_PROFILE, METAL_PROFILE, finished_scan

# A view with nothing kept: the version, the kept and latest figures, the claim, the six queries
# of the figures themselves and storing them (savepoints included).
MADE_NOW = 16
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

pytestmark = pytest.mark.django_db

ALL_FIVE = dict.fromkeys([*BUILDING_BLOCKS, *DLOQ_STATEMENTS], 5)
ANNA_T1 = {key: value + 1 for key, value in ANNA_ITEMS.items()}


def client_with_rounds(
    organisation,
    profile: dict,
    rounds: list[dict],
    *,
    wishes: tuple[str, ...] = (),
    training_questions: str = "",
    sector: str | None = None,
) -> Client:
    """A client of the organisation (its profile as the coach entered it) with a finished scan
    per round (t0, t1, ...)."""
    client = Client.objects.create(
        organisation=organisation,
        name=profile["organisation_name"],
        contact_name="Contactpersoon " + profile["organisation_name"],
        contact_email="info@" + profile["organisation_name"].split()[0].lower() + ".nl",
        sbi_section=sector or profile["sbi_section"],
        sbi_code=profile["sbi_code"],
        employees=profile["employees"],
        province=profile["province"],
        training_questions=training_questions,
    )
    for number, items in enumerate(rounds):
        scan = finished_scan(profile, items, {})
        Scan.objects.filter(pk=scan.pk).update(context=Scan.Context.COACHING)
        Measurement.objects.create(client=client, round=number, scan=scan)
    ClientWish.objects.bulk_create(ClientWish(client=client, key=key) for key in wishes)
    return client


@pytest.fixture
def cohort_of_three(bram, scan_data) -> list[Client]:
    anna = client_with_rounds(
        bram.organisation,
        ANNA_PROFILE,
        [ANNA_ITEMS, ANNA_T1],
        wishes=("modulair", "online"),
        training_questions="Leiderschap voor teamleiders",
        sector="J",
    )
    bakery = client_with_rounds(
        bram.organisation,
        BAKERY_PROFILE,
        [BAKERY_ITEMS],
        wishes=("modulair", "korter", "online"),
        training_questions="Hygiënecode voor nieuwe bakkers",
    )
    metal = client_with_rounds(bram.organisation, METAL_PROFILE, [ALL_FIVE], wishes=("modulair",))
    # Invited, not scanned yet: counts among the clients and in the demand, not in the scores.
    waiting = Client.objects.create(organisation=bram.organisation, name="Nog niet gescand")
    Measurement.objects.create(client=waiting, round=0)
    ClientWish.objects.create(client=waiting, key="evc")
    return [anna, bakery, metal, waiting]


def row(rows, key):
    return next(r for r in rows if r.key == key)


def test_it_counts_and_averages_the_clients_latest_scans(bram, cohort_of_three):
    cohort = cohort_view(organisation=bram.organisation, filters=CohortFilters())
    assert (cohort.clients, cohort.scanned, cohort.followed_up) == (4, 3, 1)
    assert cohort.rounds == {0: 2, 1: 1}
    # taken: Anna's t1 4, the bakery 3, the metal firm 5.
    taken = row(cohort.blocks, "taken")
    assert taken.n == 3
    assert taken.mean == Decimal("4.00")
    assert taken.counts == [0, 0, 1, 1, 1, 0]
    # samenwerken: 4, 2, 5 -> 3.67; the benchmark is Noord-Nederland's.
    together = row(cohort.blocks, "samenwerken")
    assert together.mean == Decimal("3.67")
    assert together.counts == [0, 1, 0, 1, 1, 0]
    assert together.benchmark is not None
    assert together.difference == (Decimal("3.67") - together.benchmark).quantize(Decimal("0.1"))
    # meten_resultaten: 3, 2, 5.
    measuring = row(cohort.statements, "meten_resultaten")
    assert (measuring.mean, measuring.counts) == (Decimal("3.33"), [0, 1, 1, 0, 1, 0])


def test_it_shows_the_average_change_only_from_three_clients_with_a_follow_up(bram, scan_data):
    org = bram.organisation
    client_with_rounds(org, ANNA_PROFILE, [ANNA_ITEMS, ANNA_T1])  # +1 everywhere
    client_with_rounds(org, BAKERY_PROFILE, [BAKERY_ITEMS, BAKERY_ITEMS])  # unchanged
    two = client_with_rounds(org, METAL_PROFILE, [ALL_FIVE, ALL_FIVE])
    cohort = cohort_view(organisation=org, filters=CohortFilters())
    assert cohort.followed_up == 3
    assert cohort.enough_followed_up
    # taken: intake 3, 3, 5 (3.67), latest 4, 3, 5 (4.00): +0.3 as shown, somewhat improved.
    taken = row(cohort.changes, "taken")
    assert (taken.n, taken.intake, taken.latest) == (3, Decimal("3.67"), Decimal("4.00"))
    assert taken.change.difference == Decimal("0.3")
    assert taken.change.classification == "somewhat_higher"
    two.delete()
    cohort_make(organisation=org, filters=CohortFilters())  # as the task worker does
    cohort = cohort_view(organisation=org, filters=CohortFilters())
    assert cohort.followed_up == 2 and not cohort.stale
    assert row(cohort.changes, "taken").change.difference is None


def test_right_after_a_change_it_shows_the_last_figures_while_the_worker_makes_new_ones(
    bram, bram_client, cohort_of_three, settings
):
    org = bram.organisation
    before = cohort_view(organisation=org, filters=CohortFilters())
    Client.objects.create(organisation=org, name="Nieuwe klant", employees=40)
    after = cohort_view(organisation=org, filters=CohortFilters())
    assert after.stale and after.clients == before.clients  # the last figures, said so
    queued = DBTaskResult.objects.filter(task_path__endswith="output_make")
    assert queued.count() == 1
    cohort_view(organisation=org, filters=CohortFilters())
    assert queued.count() == 1  # asked once per change, not per view
    page = bram_client.get(reverse("coaching:cohort")).content.decode()
    assert "Ververs de pagina over een paar seconden" in page

    settings.TASKS = IMMEDIATE  # a worker that runs the refresh at once
    Client.objects.create(organisation=org, name="Nog een klant", employees=8)
    fresh = cohort_view(organisation=org, filters=CohortFilters())
    assert not fresh.stale and fresh.clients == before.clients + 2


def test_figures_older_than_the_stale_limit_are_made_while_the_coach_waits(
    bram, cohort_of_three, monkeypatch
):
    org = bram.organisation
    before = cohort_view(organisation=org, filters=CohortFilters())
    Client.objects.create(organisation=org, name="Nieuwe klant", employees=40)
    later = timezone.now() + datetime.timedelta(seconds=COHORT_STALE_SECONDS + 1)
    monkeypatch.setattr(cohort_module.timezone, "now", lambda: later)
    fresh = cohort_view(organisation=org, filters=CohortFilters())
    assert not fresh.stale and fresh.clients == before.clients + 1


def test_it_filters_by_sector_size_and_province(bram, cohort_of_three):
    org = bram.organisation
    business = cohort_view(organisation=org, filters=CohortFilters(sector="zd"))
    assert (business.clients, business.scanned) == (1, 1)
    industry = cohort_view(organisation=org, filters=CohortFilters(sector="lin", size="5-24"))
    assert (industry.clients, industry.scanned) == (1, 1)
    assert industry.training_questions[0].client_name == "Bakkerij De Terp"
    drenthe = cohort_view(organisation=org, filters=CohortFilters(province="drenthe"))
    assert [d.key for d in drenthe.demand] == ["modulair"]
    large = cohort_view(organisation=org, filters=CohortFilters(size="200+"))
    assert (large.clients, large.demand, large.blocks[0].mean) == (0, [], None)


def test_it_shows_counts_but_no_means_below_three_clients(bram, cohort_of_three, bram_client):
    html = bram_client.get(reverse("coaching:cohort"), {"sector": "lin"}).content.decode()
    cohort = cohort_view(organisation=bram.organisation, filters=CohortFilters(sector="lin"))
    assert cohort.scanned == 2
    assert all(r.mean is None and r.counts == [] for r in cohort.blocks + cohort.statements)
    assert "Means and distributions are shown from" in html or "Gemiddelden" in html


def test_it_adds_up_the_bundled_demand_most_wished_first(bram, cohort_of_three):
    cohort = cohort_view(organisation=bram.organisation, filters=CohortFilters())
    assert [(d.key, d.clients) for d in cohort.demand] == [
        ("modulair", 3),
        ("online", 2),
        ("evc", 1),
        ("korter", 1),
    ]
    assert [q.text for q in cohort.training_questions] == [
        "Leiderschap voor teamleiders",
        "Hygiënecode voor nieuwe bakkers",
    ]


def test_it_shows_the_cohort_page_with_its_tables(bram_client, cohort_of_three):
    response = bram_client.get(reverse("coaching:cohort"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Hygiënecode voor nieuwe bakkers" in html
    assert "<caption>" in html and 'scope="row"' in html
    assert 'method="get"' in html


@pytest.mark.parametrize("query", [{"sector": "xx"}, {"grootte": "7"}, {"provincie": "<b>"}])
def test_it_refuses_a_filter_that_does_not_exist(bram_client, cohort_of_three, query):
    response = bram_client.get(reverse("coaching:cohort"), query)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_it_never_shows_carla_any_of_brams_clients(carla_client, cohort_of_three):
    html = carla_client.get(reverse("coaching:cohort")).content.decode()
    for secret in ("Hygiënecode", "Leiderschap voor teamleiders"):
        assert secret not in html


def test_it_sends_an_anonymous_visitor_to_the_login(client):
    for method in (client.get, client.post):
        response = method(reverse("coaching:cohort"))
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert "/inloggen/" in response["Location"] or "login" in response["Location"]


def many_clients(organisation, bank, benchmark_set, count: int) -> None:
    """`count` clients with a finished intake, half with a finished follow-up, in bulk."""
    from django.utils import timezone

    from leerscan.scans.models import Item, ItemAnswer

    now = timezone.now()
    items = list(Item.objects.filter(bank=bank, role="core"))
    clients = Client.objects.bulk_create(
        Client(organisation=organisation, name=f"Klant {n}", sbi_section="J", employees=12)
        for n in range(count)
    )
    rounds = [(c, 0) for c in clients] + [(c, 1) for c in clients[::2]]
    scans = Scan.objects.bulk_create(
        Scan(item_bank=bank, benchmark_set=benchmark_set, finished_at=now, employees=12)
        for _ in rounds
    )
    Measurement.objects.bulk_create(
        Measurement(client=c, round=r, scan=s) for (c, r), s in zip(rounds, scans, strict=True)
    )
    ItemAnswer.objects.bulk_create(
        ItemAnswer(scan=s, item=i, value=1 + (s.pk + i.pk) % 6) for s in scans for i in items
    )
    ClientWish.objects.bulk_create(ClientWish(client=c, key="modulair") for c in clients)


@pytest.mark.parametrize("count", [3, 30])
def test_its_query_count_does_not_grow_with_the_clients(
    bram, scan_data, count, django_assert_num_queries
):
    from benchmarks.models import BenchmarkSet
    from leerscan.scans.models import ItemBank

    many_clients(bram.organisation, ItemBank.objects.get(), BenchmarkSet.objects.get(), count)
    cohort_view(organisation=bram.organisation, filters=CohortFilters())  # the set, once loaded
    Output.objects.all().delete()  # nothing kept: made while the coach waits
    with django_assert_num_queries(MADE_NOW):
        cohort = cohort_view(organisation=bram.organisation, filters=CohortFilters())
    assert (cohort.scanned, cohort.followed_up) == (count, (count + 1) // 2)
    # Kept while nothing changed: the version and the kept figures.
    with django_assert_num_queries(2):
        assert cohort_view(organisation=bram.organisation, filters=CohortFilters()) == cohort


def test_the_cohorts_sql_means_are_the_means_of_these_scores(bram, scan_data):
    """The cohort averages in the database (one query for all clients); the same clients' latest
    scans through scan_scores_many give the same mean per building block and DLOQ statement."""
    clients = [
        client_with_rounds(bram.organisation, ANNA_PROFILE, [ANNA_ITEMS, ANNA_T1]),
        client_with_rounds(bram.organisation, BAKERY_PROFILE, [BAKERY_ITEMS]),
        client_with_rounds(bram.organisation, METAL_PROFILE, [ALL_FIVE]),
        client_with_rounds(
            bram.organisation, {**METAL_PROFILE, "organisation_name": "Metaal Twee"}, [ALL_FIVE]
        ),
    ]
    # One client's latest scan says "n.v.t." to its organisation: no score there, not a zero.
    latest_of_anna = Measurement.objects.get(client=clients[0], round=1).scan
    services.scan_save_items(
        scan=latest_of_anna, step=2, values={"organisatie_inrichting_kern": NOT_APPLICABLE}
    )
    latest = [
        Measurement.objects.filter(client=client).order_by("-round").first().scan
        for client in clients
    ]
    scores = [answers.scores for answers in scan_scores_many(scans=latest).values()]

    cohort = cohort_make(organisation=bram.organisation, filters=CohortFilters())

    rows = [(row, "building_blocks") for row in cohort.blocks]
    rows += [(row, "dloq") for row in cohort.statements]
    assert {row.key for row, _kind in rows} == {*BUILDING_BLOCKS, *DLOQ_STATEMENTS}
    for row, kind in rows:
        values = [
            getattr(s, kind)[row.key] for s in scores if getattr(s, kind)[row.key] is not None
        ]
        assert row.n == len(values), row.key
        expected = sum(values) / len(values) if len(values) >= GROUP_MIN_FINISHED else None
        assert row.mean == (expected.quantize(Decimal("0.01")) if expected is not None else None)
    organisation = next(row for row in cohort.blocks if row.key == "organisatie_inrichting")
    assert organisation.n == 3


def test_a_corrected_file_of_any_edition_makes_the_figures_again(bram, scan_data):
    """The kept figures follow every edition's loaded file: with three editions, correcting the
    middle one's file (a new digest, as benchmark_set_load stores it) changes the version too."""
    from benchmarks.models import BenchmarkSet

    # Digests of the three files, lowest to highest; only the middle one will change.
    BenchmarkSet.objects.update(content_hash="1" * 64)
    for year, digest in ((2025, "5" * 64), (2027, "f" * 64)):
        BenchmarkSet.objects.create(
            slug=f"proef-{year}",
            name=f"Proefeditie {year}",
            title=f"Proefeditie {year}",
            year=year,
            source="Verzonnen, alleen voor deze test.",
            content_hash=digest,
        )
    version = cohort_module.cohort_version(organisation=bram.organisation)
    assert cohort_module.cohort_version(organisation=bram.organisation) == version
    BenchmarkSet.objects.filter(slug="proef-2025").update(content_hash="6" * 64)
    assert cohort_module.cohort_version(organisation=bram.organisation) != version
