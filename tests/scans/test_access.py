"""Every page under a scan's private link goes through one access decorator."""

from __future__ import annotations

import datetime

import pytest
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from leerscan.advisers.models import Leertafel, Organisation, Participant
from leerscan.coaching.models import Client, Measurement
from leerscan.scans import services
from leerscan.scans.access import scan_from_token
from leerscan.scans.urls import TokenConverter

pytestmark = pytest.mark.django_db


def _token_patterns(resolver: URLResolver | None = None, prefix: str = ""):
    """Every URL pattern of the site that takes a scan token, with its namespaced name."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else prefix
            yield from _token_patterns(entry, namespace)
        elif isinstance(entry, URLPattern) and isinstance(
            entry.pattern.converters.get("token"), TokenConverter
        ):
            # A scan token, not any other "token" (the advisers' password reset link has one).
            yield prefix + entry.name, entry


TOKEN_PAGES = sorted(name for name, _entry in _token_patterns())


def _url(name: str, token: str) -> str:
    return reverse(name, args=[token, 1] if name == "scans:step" else [token])


def test_the_site_has_token_pages() -> None:
    # The pages the tests below walk through: a new page under /scan/<token>/ joins them.
    assert {"scans:resume", "scans:step", "reports:results", "reports:report"} <= set(TOKEN_PAGES)


@pytest.mark.parametrize("name", TOKEN_PAGES)
def test_every_token_view_uses_the_access_decorator(name) -> None:
    entry = dict(_token_patterns())[name]
    assert getattr(entry.callback, "resolves_scan_from_token", False), name


@pytest.mark.parametrize("name", TOKEN_PAGES)
def test_an_unknown_token_is_a_404_on_every_token_page(client, scan_data, name) -> None:
    assert client.get(_url(name, "A" * 32)).status_code == 404


@pytest.mark.parametrize("name", ["reports:results", "reports:report"])
def test_pages_of_a_finished_scan_send_an_unfinished_one_to_its_review(client, anna_scan, name):
    response = client.get(_url(name, anna_scan.token))
    assert response.status_code == 302
    assert response["Location"] == reverse("scans:review", args=[anna_scan.token])


def test_the_decorator_hands_the_view_the_scan_itself(rf, anna_scan) -> None:
    seen = []

    @scan_from_token()
    def view(request, scan):
        seen.append(scan)
        return HttpResponse("ok")

    assert view(rf.get("/"), anna_scan.token).content == b"ok"
    assert seen == [anna_scan]


def test_with_finished_the_view_runs_only_for_a_finished_scan(rf, anna_scan) -> None:
    calls = []

    @scan_from_token(finished=True)
    def view(request, scan):
        calls.append(scan.pk)
        return HttpResponse("ok")

    assert view(rf.get("/"), anna_scan.token).status_code == 302
    services.scan_finish(scan=anna_scan)
    assert view(rf.get("/"), anna_scan.token).content == b"ok"
    assert calls == [anna_scan.pk]


def _is_private(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def _join_a_leertafel(scan) -> None:
    """Make the scan a leertafel participant: the advisers' pages under a token exist only then."""
    organisation = Organisation.objects.create(name="Leerwerk Advies")
    leertafel = Leertafel.objects.create(
        organisation=organisation, name="Leertafel", date=datetime.date(2026, 12, 3), code="K7M4QX"
    )
    Participant.objects.create(leertafel=leertafel, scan=scan)


def _tie_to_a_client(scan) -> None:
    """Make the scan a coach's client's intake: its intake checklist exists only then."""
    organisation = Organisation.objects.create(name="Kennispunt Noord")
    client = Client.objects.create(organisation=organisation, name="Anna IT")
    Measurement.objects.create(client=client, round=0, scan=scan)


@pytest.mark.parametrize("name", TOKEN_PAGES)
def test_every_token_page_is_kept_out_of_caches_and_search_engines(client, anna_scan, name):
    # Results stayed in the browser's cache after the scan was deleted: never store them.
    services.scan_finish(scan=anna_scan)
    if name.startswith("advisers:"):
        _join_a_leertafel(anna_scan)
    if name == "coaching:intake":
        _tie_to_a_client(anna_scan)
    response = client.get(_url(name, anna_scan.token))
    assert response.status_code in (200, 302), name
    assert _is_private(response), (name, response.get("Cache-Control"))
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.parametrize("name", ["reports:results", "reports:report"])
def test_the_redirect_of_an_unfinished_scan_is_private_too(client, anna_scan, name):
    response = client.get(_url(name, anna_scan.token))
    assert response.status_code == 302
    assert _is_private(response)


def test_a_step_with_errors_is_private(client, anna_scan) -> None:
    response = client.post(_url("scans:step", anna_scan.token), {"employees": "veel"})
    assert response.status_code == 400
    assert _is_private(response)


def test_the_landing_page_is_private_only_while_it_offers_a_remembered_scan(
    client, anna_scan
) -> None:
    assert "no-store" not in client.get(reverse("scans:landing")).get("Cache-Control", "")
    client.get(reverse("scans:resume", args=[anna_scan.token]))  # this device remembers it
    assert _is_private(client.get(reverse("scans:landing")))
