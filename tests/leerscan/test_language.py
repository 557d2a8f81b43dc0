"""The language: Dutch whatever the browser says; English only by the switch, and remembered.

Anna's laptop came with an English Windows, so her browser asks for English first. She is a Dutch
owner and gets Dutch. Her colleague Bram, who prefers English, chooses it once with the switch in
the footer and keeps it on every page after, until he switches back.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH_BROWSERS = ["en", "en-GB,en;q=0.9", "en-US,en;q=0.9,nl;q=0.8", "*", "de-DE,de;q=0.9"]


def language_of(response) -> str:
    html = response.content.decode()
    if '<html lang="nl">' in html:
        return "nl"
    if '<html lang="en">' in html:
        return "en"
    raise AssertionError("the page names no language")


def switch(client: Client, language: str, next_page: str = "/") -> None:
    response = client.post(reverse("set_language"), {"language": language, "next": next_page})
    assert response.status_code == 302
    assert response["Location"] == next_page


@pytest.mark.parametrize("accept_language", ENGLISH_BROWSERS)
def test_it_speaks_dutch_to_a_browser_that_asks_for_another_language(
    client, benchmarks_loaded, accept_language
) -> None:
    response = client.get(reverse("scans:landing"), HTTP_ACCEPT_LANGUAGE=accept_language)
    assert language_of(response) == "nl"
    assert "Start de scan" in response.content.decode()
    assert response["Content-Language"] == "nl"


def test_the_page_varies_with_the_language_cookie_not_the_browser(client) -> None:
    response = client.get(reverse("scans:privacy"), HTTP_ACCEPT_LANGUAGE="en")
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert "cookie" in vary
    assert "accept-language" not in vary


def test_english_chosen_with_the_switch_stays_on_the_next_pages(client, anna_scan) -> None:
    switch(client, "en")
    cookie = client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    pages = [
        reverse("scans:landing"),
        reverse("scans:privacy"),
        reverse("scans:start"),
        reverse("scans:step", args=[anna_scan.token, 2]),
        reverse("scans:review", args=[anna_scan.token]),
    ]
    for page in pages:
        # Even a browser that asks for Dutch keeps the choice.
        response = client.get(page, HTTP_ACCEPT_LANGUAGE="nl")
        assert language_of(response) == "en", page
    assert "Start the scan" in client.get(reverse("scans:landing")).content.decode()


def test_dutch_can_be_chosen_again(client, benchmarks_loaded) -> None:
    switch(client, "en")
    switch(client, "nl", next_page=reverse("scans:privacy"))
    response = client.get(reverse("scans:landing"), HTTP_ACCEPT_LANGUAGE="en")
    assert language_of(response) == "nl"
    assert "Start de scan" in response.content.decode()


@pytest.mark.parametrize("value", ["fr", "xx", "nl<script>", "", "de-DE"])
def test_a_language_cookie_that_names_no_offered_language_gives_dutch(client, value) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = value
    assert language_of(client.get(reverse("scans:privacy"))) == "nl"


def test_a_regional_variant_in_the_cookie_counts_as_its_language(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    assert language_of(client.get(reverse("scans:privacy"))) == "en"


def test_the_switch_offers_both_languages_in_their_own_words(client) -> None:
    html = client.get(reverse("scans:privacy")).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert '<option value="nl" lang="nl" selected>Nederlands</option>' in html
    assert '<option value="en" lang="en">English</option>' in html


def test_the_language_cookie_is_secure_when_the_site_runs_under_https() -> None:
    # The production default: secure cookies whenever the session cookie is.
    assert settings.LANGUAGE_COOKIE_SECURE == settings.SESSION_COOKIE_SECURE
