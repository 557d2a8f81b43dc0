"""The database lost in the middle of a step: a friendly Dutch 503 page, nothing half-saved,
earlier steps intact, and the same step can be sent again (leerscan/middleware.py)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse

from leerscan.middleware import DatabaseUnavailableMiddleware
from leerscan.scans.models import ItemAnswer, Scan
from leerscan.scans.selectors import scan_item_values

# Without a test-wide transaction, as in production: the service's transaction is the outermost,
# so its rollback goes to the database itself (not through the failing cursor below).
pytestmark = pytest.mark.django_db(transaction=True)

ANSWER_TABLE = ItemAnswer._meta.db_table


@contextmanager
def database_lost(*, error: type[Exception] = OperationalError, when=lambda sql: True):
    """From the first statement `when` picks, every query fails as a dropped connection does."""
    lost = False

    def fail(execute, sql, params, many, context):
        nonlocal lost
        lost = lost or when(sql)
        if lost:
            raise error("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield


def writes_answers(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) and ANSWER_TABLE in sql


def dloq_step(scan: Scan, value: str) -> dict[str, str]:
    keys = scan.item_bank.items.filter(group="dloq").values_list("key", flat=True)
    return dict.fromkeys(keys, value) | {"action": "next"}


def test_it_shows_the_friendly_page_when_the_database_goes_away_mid_step(client, anna_scan):
    url = reverse("scans:step", args=[anna_scan.token, 3])
    before = scan_item_values(scan=anna_scan)

    # The scan is read and locked, then the connection drops while the answers are written.
    with database_lost(when=writes_answers):
        response = client.post(url, dloq_step(anna_scan, "6"))

    assert response.status_code == 503
    page = response.content.decode()
    assert "Leerscan is even niet beschikbaar" in page
    assert "Wat u net hebt verstuurd, is niet opgeslagen" in page
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    # Nothing of the failed step is half-saved, and the earlier steps are as they were.
    assert scan_item_values(scan=anna_scan) == before
    assert Scan.objects.get(pk=anna_scan.pk).answers_version == anna_scan.answers_version


def test_it_saves_the_same_step_when_it_is_sent_again(client, anna_scan):
    url = reverse("scans:step", args=[anna_scan.token, 3])
    data = dloq_step(anna_scan, "6")
    with database_lost(when=writes_answers):
        assert client.post(url, data).status_code == 503

    response = client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("scans:step", args=[anna_scan.token, 4])
    dloq = set(data) - {"action"}
    values = scan_item_values(scan=anna_scan)
    assert {key: values[key] for key in dloq} == dict.fromkeys(dloq, 6)
    assert values["taken_kern"] == 3  # step 2 untouched


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_it_shows_the_friendly_page_when_the_database_refuses_every_query(client, anna_scan, error):
    with database_lost(error=error):
        response = client.get(reverse("scans:step", args=[anna_scan.token, 2]))

    assert response.status_code == 503
    assert "Leerscan is even niet beschikbaar" in response.content.decode()


def test_it_leaves_other_errors_to_django():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = RequestFactory().get("/")

    assert middleware.process_exception(request, ValueError("a bug")) is None
