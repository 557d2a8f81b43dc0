"""The admin shows the benchmark values read-only, with a bounded number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_lists_the_benchmark_values(staff_client, benchmarks_loaded) -> None:
    url = reverse("admin:benchmarks_benchmarkvalue_changelist")
    response = staff_client.get(url, {"table": "4.5", "group_kind__exact": "sector"})
    assert response.status_code == 200
    assert "organisatie_inrichting" in response.content.decode()
    # Tabel 4.5 holds six building blocks for four sectors.
    assert response.context["cl"].result_count == 24


def test_the_value_list_needs_the_same_queries_for_one_table_or_all(
    staff_client, benchmarks_loaded
) -> None:
    url = reverse("admin:benchmarks_benchmarkvalue_changelist")
    counts = []
    for params in ({"table": "4.1"}, {}, {"p": "2"}):
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url, params).status_code == 200
        counts.append(len(queries))
    # A page of 100 values costs as much as a page of 36: no query per row.
    assert counts[0] == counts[1] == counts[2]


def test_benchmark_values_cannot_be_edited_in_the_admin(staff_client, benchmarks_loaded) -> None:
    assert staff_client.get(reverse("admin:benchmarks_benchmarkvalue_add")).status_code == 403
    assert staff_client.get(reverse("admin:benchmarks_benchmarkset_add")).status_code == 403


def test_anonymous_visitors_are_sent_to_the_admin_login(client) -> None:
    response = client.get(reverse("admin:benchmarks_benchmarkvalue_changelist"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
