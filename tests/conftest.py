"""Shared fixtures: the monitor's benchmark data and the personas of CONVENTIONS.md."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from benchmarks.profiles import GroupProfile, profile_groups


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in Dutch; a request with another language must not leak into the next."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Every test counts abuse limits (leerscan/ratelimit.py) in a fresh in-memory cache: the
    suite starts scans and renders reports from one address, far more often than a person."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def benchmarks_loaded(db) -> None:
    """The monitor's tables, loaded the way `make run` loads them."""
    call_command("benchmark_set_load", verbosity=0)


@pytest.fixture
def scan_data(benchmarks_loaded) -> None:
    """Benchmarks, the item bank and the instrument library, as `make run` loads them."""
    call_command("item_bank_load", verbosity=0)
    call_command("instrument_library_load", verbosity=0)


@pytest.fixture
def staff_client(client):
    """Dirk maintains the site and has an admin account."""
    user = get_user_model().objects.create_superuser("dirk", "dirk@example.nl", "x-long-pass-1")
    client.force_login(user)
    return client


@pytest.fixture
def anna() -> GroupProfile:
    """Anna owns a firm of 12 people in IT consultancy (SBI 6202) in Groningen."""
    return profile_groups(sbi_code="6202", employees=12, province="groningen")


from tests.personas import anna_scan  # noqa: E402,F401  (a fixture shared by all test folders)
