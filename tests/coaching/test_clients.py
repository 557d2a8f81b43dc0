"""Bram's clients: the list, adding and editing a client (the scan's own sector and SBI checks),
the client page with the invitation, and his share code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leerscan.coaching.models import Client, ShareCode

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Bakkerij De Terp",
    "contact_name": "Baukje",
    "contact_email": "baukje@deterp.nl",
    "sbi_section": "",
    "sbi_code": "10.71",
    "employees": "7",
    "province": "fryslan",
}


def test_it_lists_the_organisation_s_clients_with_their_latest_round(bram_client, anna_intake):
    Client.objects.create(organisation=anna_intake.client.organisation, name="Metaal Meppel")
    response = bram_client.get(reverse("coaching:clients"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Anna IT" in page and "Metaal Meppel" in page
    assert "status-klaar" in page  # Anna's intake is finished


def test_it_adds_a_client_with_its_intake_round(bram_client, bram):
    response = bram_client.post(reverse("coaching:client_new"), NEW)
    client = Client.objects.get(name="Bakkerij De Terp")
    assert response.status_code == 302
    assert response["Location"] == reverse("coaching:client", args=[client.pk])
    assert (client.organisation, client.created_by) == (bram.organisation, bram)
    # The sector comes from the SBI code, as in the scan's first step.
    assert (client.sbi_code, client.sbi_section, client.employees) == ("1071", "C", 7)
    assert list(client.measurements.values_list("round", "scan")) == [(0, None)]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "x" * 121),
        ("name", "Bakkerij\x00"),
        ("contact_email", "geen adres"),
        ("sbi_code", "abc"),
        ("sbi_code", "0000"),
        ("sbi_section", "Z"),
        ("employees", "veel"),
        ("employees", "0"),
        ("province", "mars"),
    ],
)
def test_it_refuses_nonsense_in_every_field(bram_client, field, value):
    response = bram_client.post(reverse("coaching:client_new"), NEW | {field: value})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Client.objects.exists()
    # What was typed stays in the form (nothing lost).
    assert NEW["contact_name"] in response.content.decode()


def test_a_sector_that_does_not_fit_the_sbi_code_is_refused(bram_client):
    response = bram_client.post(reverse("coaching:client_new"), NEW | {"sbi_section": "J"})
    assert response.status_code == 400
    assert "sbi_code" in response.context["form"].errors


def test_it_edits_a_client(bram_client, anna_company):
    url = reverse("coaching:client_edit", args=[anna_company.pk])
    assert bram_client.get(url).status_code == 200
    response = bram_client.post(url, NEW | {"name": "Anna IT bv", "sbi_code": "6202"})
    anna_company.refresh_from_db()
    assert response.status_code == 302
    assert (anna_company.name, anna_company.sbi_section) == ("Anna IT bv", "J")
    assert anna_company.measurements.count() == 1


def test_the_client_page_shows_the_invitation_to_copy_and_to_mail(bram_client, anna_company):
    invite = anna_company.measurements.get().invite_token
    page = bram_client.get(reverse("coaching:client", args=[anna_company.pk])).content.decode()
    assert f"/coaching/uitnodiging/{invite}/" in page
    assert "mailto:anna@anna-it.nl?subject=" in page
    assert "status-uitgenodigd" in page


def test_a_finished_intake_links_its_results_and_never_the_scan_s_private_link(
    bram_client, anna_intake
):
    page = bram_client.get(reverse("coaching:client", args=[anna_intake.client_id])).content
    assert reverse("coaching:round", args=[anna_intake.client_id, 0]).encode() in page
    assert anna_intake.scan.token.encode() not in page
    assert anna_intake.invite_token.encode() not in page  # done: no invitation any more


def test_each_coach_has_one_share_code_shown_on_the_list(bram_client, bram):
    first = bram_client.get(reverse("coaching:clients")).content.decode()
    code = ShareCode.objects.get(adviser=bram).code
    assert code in first
    bram_client.get(reverse("coaching:clients"))
    assert ShareCode.objects.filter(adviser=bram).count() == 1


def test_the_dashboard_links_the_coaching(bram_client):
    page = bram_client.get(reverse("advisers:dashboard")).content.decode()
    assert reverse("coaching:clients") in page


def test_the_list_takes_as_many_queries_for_many_clients_as_for_one(
    bram_client, bram, django_assert_max_num_queries
):
    Client.objects.create(organisation=bram.organisation, name="Eerste")
    url = reverse("coaching:clients")
    bram_client.get(url)  # the share code is made once
    with CaptureQueriesContext(connection) as one:
        bram_client.get(url)
    for number in range(5):
        company = Client.objects.create(organisation=bram.organisation, name=f"Klant {number}")
        company.measurements.create(round=0)
    with django_assert_max_num_queries(len(one)):
        bram_client.get(url)


def test_the_client_page_takes_as_many_queries_for_many_rounds_as_for_one(
    bram_client, anna_company, django_assert_num_queries
):
    """Each round not yet answered shows when Leerscan last mailed its invitation and when it may
    again: read with the rounds, not once per round."""
    url = reverse("coaching:client", args=[anna_company.pk])
    mailed = timezone.now() - timedelta(hours=1)
    anna_company.measurements.update(invite_mailed_at=mailed)
    bram_client.get(url)  # the share code and the session, made once
    with CaptureQueriesContext(connection) as one:
        assert bram_client.get(url).status_code == 200
    for number in range(1, 5):
        anna_company.measurements.create(round=number, invite_mailed_at=mailed)

    with django_assert_num_queries(len(one)):
        page = bram_client.get(url).content.decode()

    assert page.count('id="gemaild-') == 5
