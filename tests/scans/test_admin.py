"""Items are editable in the admin, but only their texts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leerscan.scans.models import Item

pytestmark = pytest.mark.django_db


def test_an_item_text_can_be_corrected_in_the_admin(staff_client, scan_data) -> None:
    item = Item.objects.get(key="taken_afwisseling")
    url = reverse("admin:scans_item_change", args=[item.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url,
        {
            "position": item.position,
            "text_nl": "In deze organisatie is het werk afwisselend.",
            "text_en": item.text_en,
            "source": item.source,
            # Attempts to change what ties the item to the monitor are ignored.
            "indicator": "taken",
            "role": "core",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text_nl == "In deze organisatie is het werk afwisselend."
    assert (item.indicator, item.role) == ("", "deepening")


def test_the_item_list_has_a_fixed_number_of_queries(
    staff_client, scan_data, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(10):
        response = staff_client.get(reverse("admin:scans_item_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 29


def test_items_cannot_be_added_or_deleted_in_the_admin(staff_client, scan_data) -> None:
    item = Item.objects.first()
    assert staff_client.get(reverse("admin:scans_item_add")).status_code == 403
    assert staff_client.get(reverse("admin:scans_item_delete", args=[item.pk])).status_code == 403


def test_an_example_line_can_be_corrected_but_not_the_monitors_head(
    staff_client, scan_data
) -> None:
    item = Item.objects.get(key="meten_resultaten")
    head = item.monitor_head
    url = reverse("admin:scans_item_change", args=[item.pk])
    response = staff_client.post(
        url,
        {
            "position": item.position,
            "text_nl": item.text_nl,
            "text_en": item.text_en,
            "example_nl": "u vraagt na een cursus wat het heeft opgeleverd.",
            "example_en": "after a course you ask what it brought.",
            "source": item.source,
            "monitor_head": "Iets anders",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.example_nl == "u vraagt na een cursus wat het heeft opgeleverd."
    assert item.monitor_head == head
