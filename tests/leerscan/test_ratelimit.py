"""Abuse limits: counted per client in the shared cache, a sliding minute, a friendly 429."""

from __future__ import annotations

import time

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from leerscan import ratelimit
from leerscan.ratelimit import Limit, client_address, hit, hit_all
from leerscan.scans.models import Scan
from leerscan.settings import envrate

TWENTY_A_MINUTE = Limit("test", 20, 60)
START = 6000.0  # the start of a window of 60 seconds


def test_it_allows_twenty_in_a_minute_and_refuses_the_twenty_first() -> None:
    results = [hit(TWENTY_A_MINUTE, "anna", now=START + i) for i in range(21)]
    assert results[:20] == [None] * 20
    assert results[20] is not None


def test_a_burst_at_the_end_of_a_window_still_counts_in_the_next() -> None:
    for i in range(20):
        assert hit(TWENTY_A_MINUTE, "anna", now=START + 50 + i * 0.1) is None
    # Ten seconds later the window has turned, but these twenty were within the last minute.
    assert hit(TWENTY_A_MINUTE, "anna", now=START + 62) is not None


def test_the_client_is_let_in_again_after_the_wait_it_was_told() -> None:
    for i in range(20):
        hit(TWENTY_A_MINUTE, "anna", now=START + i)
    wait = hit(TWENTY_A_MINUTE, "anna", now=START + 20)
    assert 40 <= wait <= 70
    assert hit(TWENTY_A_MINUTE, "anna", now=START + 20 + wait - 2) is not None
    assert hit(TWENTY_A_MINUTE, "anna", now=START + 20 + wait) is None


def test_a_refused_request_does_not_count() -> None:
    limit = Limit("test", 2, 60)
    hit(limit, "anna", now=START)
    hit(limit, "anna", now=START + 1)
    for second in range(2, 40):
        assert hit(limit, "anna", now=START + second) is not None
    # Two a minute: one minute after the first two, a client that kept trying gets through.
    assert hit(limit, "anna", now=START + 120) is None


def test_each_client_has_its_own_count() -> None:
    limit = Limit("test", 1, 60)
    assert hit(limit, "anna", now=START) is None
    assert hit(limit, "anna", now=START) is not None
    assert hit(limit, "bram", now=START) is None


def test_several_limits_count_all_or_nothing() -> None:
    minute, day = Limit("minute", 5, 60), Limit("day", 2, 86400)
    assert hit_all([(minute, "anna"), (day, "anna")], now=START) is None
    assert hit_all([(minute, "anna"), (day, "anna")], now=START + 1) is None
    assert hit_all([(minute, "anna"), (day, "anna")], now=START + 2) is not None
    # The refused request was taken back from the minute's count too: three more fit there.
    for second in range(3, 6):
        assert hit(minute, "anna", now=START + second) is None
    assert hit(minute, "anna", now=START + 6) is not None


def test_a_limit_switched_off_never_refuses() -> None:
    off = Limit("test", 0, 1)
    assert all(hit(off, "anna", now=START) is None for _ in range(100))


def test_the_cache_holds_no_address(settings) -> None:
    hit(TWENTY_A_MINUTE, "192.0.2.44", now=START)
    keys = list(caches["default"]._cache)
    assert keys
    assert not any("192.0.2.44" in key for key in keys)


def test_workers_sharing_a_file_cache_share_the_count(settings, tmp_path) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    limit = Limit("test", 3, 60)
    for i in range(3):
        assert hit(limit, "anna", now=START + i) is None
    # A second worker process: its own cache object, the same directory.
    settings.CACHES = {**settings.CACHES}
    assert hit(limit, "anna", now=START + 3) is not None


def test_a_daily_count_outlives_the_caches_default_timeout(settings, tmp_path, monkeypatch):
    # The file and database caches' incr is get-and-set, which gives a key the default timeout
    # of five minutes: a day's count must not be forgotten after five minutes.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    clock = [START]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    daily = Limit("test", 3, 86400)
    for _ in range(3):
        assert hit(daily, "anna") is None
    clock[0] += 3600
    assert hit(daily, "anna") is not None


# --- The client's address --------------------------------------------------------------------


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_the_client_is_its_remote_address() -> None:
    assert client_address(_request(REMOTE_ADDR="192.0.2.7")) == "192.0.2.7"


def test_a_forwarded_for_header_is_not_trusted_by_default() -> None:
    request = _request(REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_address(request) == "192.0.2.7"


def test_behind_a_proxy_the_named_header_is_the_client(settings) -> None:
    settings.LEERSCAN_CLIENT_IP_HEADER = "X-Real-IP"
    request = _request(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.1")
    assert client_address(request) == "198.51.100.1"


def test_of_a_forwarded_for_list_the_entry_the_proxy_added_counts(settings) -> None:
    # The client may send any X-Forwarded-For; the proxy appends the address it saw.
    settings.LEERSCAN_CLIENT_IP_HEADER = "X-Forwarded-For"
    request = _request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.1")
    assert client_address(request) == "198.51.100.1"


def test_an_ipv6_client_counts_as_its_64_network() -> None:
    one = client_address(_request(REMOTE_ADDR="2001:db8:1:2:aaaa::1"))
    other = client_address(_request(REMOTE_ADDR="2001:db8:1:2:bbbb::9"))
    assert one == other == "2001:db8:1:2::"
    assert client_address(_request(REMOTE_ADDR="2001:db8:1:3::1")) != one


def test_an_ipv4_mapped_address_is_the_ipv4_address() -> None:
    assert client_address(_request(REMOTE_ADDR="::ffff:192.0.2.7")) == "192.0.2.7"


def test_no_usable_address_is_none() -> None:
    assert client_address(_request(REMOTE_ADDR="not an address")) is None


# --- Configuration ---------------------------------------------------------------------------


def test_a_rate_is_a_count_per_seconds_or_off(monkeypatch) -> None:
    monkeypatch.setenv("X_RATE", "20/60")
    assert envrate("X_RATE", "1/1") == (20, 60)
    monkeypatch.setenv("X_RATE", "off")
    assert Limit("x", *envrate("X_RATE", "1/1")).off


@pytest.mark.parametrize("raw", ["20", "20/", "/60", "twenty/60", "0/60", "20/0", "-1/60"])
def test_a_bad_rate_is_refused(monkeypatch, raw) -> None:
    monkeypatch.setenv("X_RATE", raw)
    with pytest.raises(ImproperlyConfigured, match="X_RATE must be"):
        envrate("X_RATE", "1/1")


# --- Starting scans --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_21st_scan_started_within_a_minute_gets_the_friendly_429(client, scan_data) -> None:
    for _ in range(20):
        assert client.post(reverse("scans:start")).status_code == 302
    response = client.post(reverse("scans:start"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]
    assert Scan.objects.count() == 20
    html = response.content.decode()
    assert "Even geduld" in html
    assert "Er zijn vanaf uw netwerk in korte tijd veel scans gestart" in html
    assert "opnieuw proberen" in html
    assert reverse("scans:landing") in html


@pytest.mark.django_db
def test_another_address_may_still_start_a_scan(client, scan_data, settings) -> None:
    settings.LEERSCAN_RATE_LIMITS = {**settings.LEERSCAN_RATE_LIMITS, "scan_start": (1, 60)}
    assert client.post(reverse("scans:start"), REMOTE_ADDR="192.0.2.1").status_code == 302
    assert client.post(reverse("scans:start"), REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.post(reverse("scans:start"), REMOTE_ADDR="192.0.2.2").status_code == 302


@pytest.mark.django_db
def test_the_daily_limit_holds_across_minutes(client, scan_data, settings) -> None:
    settings.LEERSCAN_RATE_LIMITS = {
        **settings.LEERSCAN_RATE_LIMITS,
        "scan_start": (100, 60),
        "scan_start_daily": (3, 86400),
    }
    statuses = [client.post(reverse("scans:start")).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]


@pytest.mark.django_db
def test_looking_at_the_start_page_is_not_limited(client, scan_data, settings) -> None:
    settings.LEERSCAN_RATE_LIMITS = {**settings.LEERSCAN_RATE_LIMITS, "scan_start": (1, 60)}
    assert all(client.get(reverse("scans:start")).status_code == 200 for _ in range(5))


def test_the_429_page_says_when_to_come_back_in_english_too(rf) -> None:
    with translation.override("en"):
        response = ratelimit.too_many_requests(rf.get("/"), 90, message="Too many.")
    html = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "90"
    assert "Too many." in html
    assert "You can try again from" in html
