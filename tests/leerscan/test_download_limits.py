"""Every adviser's and coach's download (group report, exports, round report, progress report,
research export, bulk ZIP), found by walking the URL resolver, is limited per user
(settings.LEERSCAN_RATE_LIMITS "adviser_download"): the 429 page with Retry-After when a user
downloads too much, while a colleague of another organisation is not affected."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.advisers import conftest as advisers_fixtures
from tests.coaching import conftest as coaching_fixtures

# The personas' fixtures: Bram and his leertafel, Carla, Anna's intake as Bram's client.
bram = advisers_fixtures.bram
bram_client = advisers_fixtures.bram_client
carla = advisers_fixtures.carla
carla_client = advisers_fixtures.carla_client
leertafel = advisers_fixtures.leertafel
anna_company = coaching_fixtures.anna_company
anna_intake = coaching_fixtures.anna_intake

pytestmark = pytest.mark.django_db

# A file by its address, or by its name.
FILE = re.compile(r"\.(pdf|csv|xlsx|zip)$|/zip/$")


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace + (pattern.name or ""), pattern


def _downloads() -> list[tuple[str, str, URLPattern]]:
    """Adviser pages (checked by adviser_required) that answer with a file."""
    return [
        (route, name, pattern)
        for route, name, pattern in _walk(get_resolver().url_patterns)
        if getattr(pattern.callback, "checks_adviser", False)
        and (FILE.search(route) or name.endswith("_download"))
    ]


def test_the_resolver_knows_every_download() -> None:
    names = {name for _route, name, _pattern in _downloads()}
    assert {
        "advisers:export_csv",
        "advisers:export_codebook",
        "advisers:export_xlsx",
        "advisers:group_report_pdf",
        "coaching:round_report",
        "coaching:progress_report",
        "coaching:research_download",
        "coaching:bulk_progress_download",
    } <= names


def test_every_download_is_limited_per_user() -> None:
    for _route, name, pattern in _downloads():
        assert getattr(pattern.callback, "limits_downloads", False), name


def _kwargs(pattern: URLPattern, leertafel, client) -> dict:
    values = {
        "pk": leertafel.pk,
        "client_id": client.pk,
        "number": 0,
        "export_id": "x" * 32,
        "kind": "csv",
    }
    return {name: values[name] for name in pattern.pattern.converters}


def test_each_download_is_refused_after_the_limit_and_says_why(
    bram_client,
    leertafel,
    anna_intake,
    settings,
) -> None:
    settings.LEERSCAN_RATE_LIMITS = {**settings.LEERSCAN_RATE_LIMITS, "adviser_download": (1, 600)}
    for _route, name, pattern in _downloads():
        cache.clear()
        url = reverse(name, kwargs=_kwargs(pattern, leertafel, anna_intake.client))
        first = bram_client.get(url)
        assert first.status_code != 429, name
        refused = bram_client.get(url)
        assert refused.status_code == 429, name
        assert int(refused["Retry-After"]) >= 1
        assert "no-store" in refused["Cache-Control"]


def test_the_limit_counts_per_user(
    bram_client,
    carla,
    leertafel,
    settings,
) -> None:
    settings.LEERSCAN_RATE_LIMITS = {**settings.LEERSCAN_RATE_LIMITS, "adviser_download": (2, 600)}
    url = reverse("advisers:group_report_pdf", args=[leertafel.pk])
    assert [bram_client.get(url).status_code for _ in range(3)] == [409, 409, 429]
    # Carla, on the same address, downloads her own; Bram's leertafel stays a 404 for her.
    bram_client.force_login(carla.user)
    assert bram_client.get(url).status_code == 404
    assert bram_client.get(reverse("coaching:research")).status_code == 200


def test_a_404_of_another_organisation_does_not_count(
    carla_client,
    leertafel,
    settings,
) -> None:
    settings.LEERSCAN_RATE_LIMITS = {**settings.LEERSCAN_RATE_LIMITS, "adviser_download": (1, 600)}
    url = reverse("advisers:export_csv", args=[leertafel.pk])
    assert [carla_client.get(url).status_code for _ in range(3)] == [404, 404, 404]


def test_starting_a_background_export_counts_too(bram_client, settings) -> None:
    settings.LEERSCAN_RATE_LIMITS = {**settings.LEERSCAN_RATE_LIMITS, "adviser_download": (1, 600)}
    assert bram_client.post(reverse("coaching:research")).status_code == 302
    assert bram_client.post(reverse("coaching:research")).status_code == 429
    assert bram_client.post(reverse("coaching:bulk_progress_start")).status_code == 429


def test_an_anonymous_visitor_is_sent_to_log_in_and_counts_nothing(client, leertafel, settings):
    settings.LEERSCAN_RATE_LIMITS = {**settings.LEERSCAN_RATE_LIMITS, "adviser_download": (1, 600)}
    url = reverse("advisers:export_xlsx", args=[leertafel.pk])
    assert [client.get(url).status_code for _ in range(3)] == [302, 302, 302]
