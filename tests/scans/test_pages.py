"""The public pages: landing, privacy, the not-yet-ready scan start, 404, language switch."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_landing_page_explains_the_scan_in_dutch(client, benchmarks_loaded) -> None:
    response = client.get(reverse("scans:landing"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "Start de scan" in html
    assert "15 minuten" in html
    assert "Monitor Leven Lang Ontwikkelen Noord-Nederland 2023" in html
    assert reverse("scans:privacy") in html
    assert reverse("scans:start") in html


def test_the_landing_page_speaks_english_once_english_is_chosen(client, settings) -> None:
    # The browser's language is ignored (see test_language.py); the switch's cookie counts.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("scans:landing"))
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Start the scan" in html


def test_the_language_can_be_switched_with_a_form(client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "Start the scan" in client.get("/").content.decode()


def test_pages_load_nothing_from_other_hosts(client, benchmarks_loaded) -> None:
    for name in ("scans:landing", "scans:privacy", "scans:start"):
        html = client.get(reverse(name)).content.decode()
        for url in re.findall(r'(?:src|href|action)="([^"]+)"', html):
            assert not re.match(r"^(https?:)?//", url), f"{name} loads {url}"


def test_the_privacy_page_is_linked_and_served(client) -> None:
    response = client.get(reverse("scans:privacy"))
    assert response.status_code == 200
    assert "anoniem" in response.content.decode()


def test_the_scan_start_explains_the_steps_and_the_private_link(client) -> None:
    response = client.get(reverse("scans:start"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "persoonlijke link" in html
    assert "Scholing in cijfers" in html


def test_an_unknown_address_gets_a_friendly_dutch_404(client) -> None:
    response = client.get("/scan/%00onzin/../../etc")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()


def test_pages_refuse_a_post(client) -> None:
    assert client.post(reverse("scans:landing")).status_code == 405


def test_a_post_without_csrf_token_is_refused() -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("set_language"), {"language": "en"})
    assert response.status_code == 403
