"""The instrument library is editable in the admin, except the keys the advice engine relies on."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from leerscan.background.models import Output
from leerscan.reports.models import Instrument

pytestmark = pytest.mark.django_db


def test_an_instrument_text_can_be_corrected_in_the_admin(staff_client, anna_scan) -> None:
    Output.objects.create(
        kind="report",
        subject=f"scan:{anna_scan.pk}",
        scan=anna_scan,
        key="1:2023.1",
        language="nl",
        state=Output.State.DONE,
        content=b"%PDF-",
    )
    instrument = Instrument.objects.get(key="pop")
    url = reverse("admin:reports_instrument_change", args=[instrument.pk])
    assert staff_client.get(url).status_code == 200
    data = {k: v for k, v in model_to_dict(instrument).items() if k not in {"id", "library", "key"}}
    for field in (
        "building_blocks",
        "dloq",
        "arrangements",
        "instruments_in_use",
        "obstacles",
        "indicators",
    ):
        data[field] = str(data[field]).replace("'", '"')
    data["first_step_nl"] = "Plan deze week een gesprek over leren met één medewerker."
    data["key"] = "iets_anders"  # read-only: ignored
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    instrument.refresh_from_db()
    assert instrument.first_step_nl.startswith("Plan deze week")
    assert instrument.key == "pop"
    assert not Output.objects.filter(kind="report").exists()  # the next download shows the fix


def test_the_instrument_list_has_a_fixed_number_of_queries(
    staff_client, scan_data, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(10):
        response = staff_client.get(reverse("admin:reports_instrument_changelist"))
    assert response.context["cl"].result_count == Instrument.objects.count() >= 20
