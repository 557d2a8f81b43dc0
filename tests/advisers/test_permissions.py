"""Every adviser URL, walked: anonymous visitors go to the login page, Carla (another
organisation) gets a 404 on everything of Bram's, and Bram gets in.

New adviser URLs are covered without touching this file: the test reads the URL patterns. A URL
that is meant to be public (logging in, joining) is listed in PUBLIC with the reason.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Open to everyone, by design.
PUBLIC = {
    "login",  # logging in
    "logout",  # logging out (POST; harmless when not logged in)
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",  # guarded by its one-time token
    "password_reset_complete",
    "join",  # participants join by code, without an account
    "join_code",
}


def _patterns() -> list[URLPattern]:
    """The advisers app's URL patterns, as the site's URL configuration includes them."""
    _prefix, resolver = get_resolver().namespace_dict["advisers"]
    return [p for p in resolver.url_patterns if isinstance(p, URLPattern)]


def _kwargs(pattern: URLPattern, leertafel_pk: int) -> dict:
    kwargs = {}
    for name, converter in pattern.pattern.converters.items():
        if name == "pk":
            kwargs[name] = leertafel_pk
        elif type(converter).__name__ == "IntConverter":
            kwargs[name] = 1
        else:
            kwargs[name] = "x"
    return kwargs


def _private() -> list[URLPattern]:
    """Adviser pages. Participants' pages under /scan/<token>/ are the scan's own (its private
    link), checked with every other token URL in tests/scans/test_access.py."""
    return [p for p in _patterns() if p.name not in PUBLIC and "token" not in p.pattern.converters]


def test_every_adviser_url_is_either_public_by_design_or_checked_by_a_decorator():
    for pattern in _private():
        view = pattern.callback
        assert getattr(view, "checks_adviser", False), pattern.name
        if "pk" in pattern.pattern.converters:
            assert getattr(view, "checks_leertafel", False), pattern.name


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_the_login_page_from_every_adviser_url(
    client, leertafel, method
):
    for pattern in _private():
        url = reverse(f"advisers:{pattern.name}", kwargs=_kwargs(pattern, leertafel.pk))
        response = getattr(client, method)(url)
        assert response.status_code in (302, 405), (pattern.name, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("advisers:login")), pattern.name


@pytest.mark.parametrize("method", ["get", "post"])
def test_carla_gets_a_404_on_every_url_of_bram_s_leertafel(carla_client, leertafel, method):
    checked = 0
    for pattern in _private():
        if "pk" not in pattern.pattern.converters:
            continue
        url = reverse(f"advisers:{pattern.name}", kwargs=_kwargs(pattern, leertafel.pk))
        response = getattr(carla_client, method)(url)
        assert response.status_code in (404, 405), (pattern.name, response.status_code)
        checked += 1
    assert checked >= 2
    leertafel.refresh_from_db()
    assert leertafel.is_open  # nothing of Bram's changed


def test_bram_gets_into_every_page_of_his_own_leertafel(bram_client, leertafel):
    for pattern in _private():
        if "pk" not in pattern.pattern.converters or set(pattern.pattern.converters) != {"pk"}:
            continue
        url = reverse(f"advisers:{pattern.name}", kwargs={"pk": leertafel.pk})
        response = bram_client.get(url)
        assert response.status_code in (200, 204, 302, 405, 409), (pattern.name, response)


def test_a_refreshing_page_whose_session_expired_goes_to_the_login_as_a_whole(client, leertafel):
    """htmx polls the group view; after the session expired the answer makes the browser open
    the login page (HX-Redirect), back to the group view afterwards, instead of swapping the
    login form into the refreshed part of the page."""
    group = reverse("advisers:group", args=[leertafel.pk])
    response = client.get(
        reverse("advisers:group_poll", args=[leertafel.pk]),
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{group}"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("advisers:login"))
    assert response["HX-Redirect"].endswith("?next=" + group)
    assert response.content == b""
