"""A short scan (Scan.core_only, set when a participant joins a leertafel in short mode) asks the
core statements only: step 2 has no deepening section, and the server ignores deepening answers
posted anyway."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leerscan.scans import services
from leerscan.scans.forms import ItemStepForm
from leerscan.scans.models import Item, ItemAnswer, Scan
from leerscan.scans.selectors import scan_items
from tests.personas import ANNA_PROFILE, answer_items

pytestmark = pytest.mark.usefixtures("scan_data")


def _started(*, core_only: bool) -> Scan:
    scan = services.scan_start(context=Scan.Context.LEERTAFEL, core_only=core_only)
    return services.scan_save_profile(scan=scan, data=ANNA_PROFILE)


def _block_items(scan: Scan) -> tuple[list[Item], list[Item]]:
    items = scan_items(scan=scan, group="building_block")
    core = [i for i in items if i.role == Item.Role.CORE]
    deepening = [i for i in items if i.role == Item.Role.DEEPENING]
    return core, deepening


def test_it_shows_step_2_of_a_short_scan_without_the_deepening_section(client) -> None:
    scan = _started(core_only=True)
    core, deepening = _block_items(scan)
    html = client.get(reverse("scans:step", args=[scan.token, 2])).content.decode()
    assert "Verdieping (niet verplicht)" not in html
    assert f"De {len(core)} verplichte stellingen" in html
    for item in core:
        assert f'name="{item.key}"' in html
    for item in deepening:
        assert f'name="{item.key}"' not in html


def test_a_full_scan_still_offers_the_deepening_statements(client) -> None:
    scan = _started(core_only=False)
    _core, deepening = _block_items(scan)
    html = client.get(reverse("scans:step", args=[scan.token, 2])).content.decode()
    assert "Verdieping (niet verplicht)" in html
    assert all(f'name="{item.key}"' in html for item in deepening)


def test_it_ignores_deepening_answers_posted_for_a_short_scan(client) -> None:
    scan = _started(core_only=True)
    core, deepening = _block_items(scan)
    posted = {item.key: "4" for item in core} | {item.key: "6" for item in deepening}
    response = client.post(reverse("scans:step", args=[scan.token, 2]), posted)
    assert response.status_code == 302
    assert response["Location"] == reverse("scans:step", args=[scan.token, 3])
    stored = set(ItemAnswer.objects.filter(scan=scan).values_list("item__key", flat=True))
    assert stored == {item.key for item in core}


def test_it_ignores_even_a_deepening_answer_off_the_scale(client) -> None:
    # A field that is not asked cannot fail: no error about a question the page never showed.
    scan = _started(core_only=True)
    core, deepening = _block_items(scan)
    posted = {item.key: "3" for item in core} | {deepening[0].key: "99"}
    response = client.post(reverse("scans:step", args=[scan.token, 2]), posted)
    assert response.status_code == 302
    assert not ItemAnswer.objects.filter(scan=scan, item__role=Item.Role.DEEPENING).exists()


def test_the_form_of_a_short_scan_answers_for_the_core_statements_only() -> None:
    scan = _started(core_only=True)
    items = scan_items(scan=scan, group="building_block")
    form = ItemStepForm({i.key: "5" for i in items}, items=items, core_only=True)
    assert form.is_valid()
    assert set(form.answers()) == {i.key for i in items if i.role == Item.Role.CORE}
    assert form.sections().deepening == []


def test_the_review_of_a_short_scan_does_not_count_unasked_deepening_statements(client) -> None:
    scan = _started(core_only=True)
    answer_items(scan, {item.key: 4 for item in scan_items(scan=scan) if item.role == "core"})
    html = client.get(reverse("scans:review", args=[scan.token])).content.decode()
    assert "Verdieping (niet verplicht)" not in html
    full = _started(core_only=False)
    answer_items(full, {item.key: 4 for item in scan_items(scan=full) if item.role == "core"})
    assert (
        "Verdieping (niet verplicht)"
        in client.get(reverse("scans:review", args=[full.token])).content.decode()
    )


def test_a_short_scan_finishes_with_the_core_statements_and_shows_results(client) -> None:
    scan = _started(core_only=True)
    answer_items(scan, {item.key: 4 for item in scan_items(scan=scan) if item.role == "core"})
    response = client.post(reverse("scans:review", args=[scan.token]))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:results", args=[scan.token])
    assert client.get(response["Location"]).status_code == 200
