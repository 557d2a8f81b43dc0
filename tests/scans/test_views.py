"""The scan as a browser sees it over HTTP: steps, bad input, resuming, finishing, deleting."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leerscan.reports.models import RenderedArtefact
from leerscan.scans import services
from leerscan.scans.models import FactAnswer, ItemAnswer, Scan

pytestmark = pytest.mark.django_db

STEP1 = {
    "organisation_name": "Annas Adviesbureau",
    "sbi_section": "",
    "sbi_code": "6202",
    "employees": "12",
    "province": "groningen",
    "respondent_role": "eigenaar",
    "consent": "on",
    "action": "next",
}


def step_url(scan: Scan, step: int) -> str:
    return reverse("scans:step", args=[scan.token, step])


def field_error(html: str, field: str) -> str:
    """The error text crispy renders right under a field (id error_1_id_<field>)."""
    match = re.search(rf'id="error_1_id_{field}"[^>]*>\s*<strong>(.*?)</strong>', html, re.S)
    return match.group(1).strip() if match else ""


def test_starting_creates_a_scan_and_shows_the_private_link(client, scan_data) -> None:
    response = client.post(reverse("scans:start"))
    scan = Scan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == step_url(scan, 1) + "?nieuw=1"
    html = client.get(response["Location"]).content.decode()
    assert f"http://testserver/scan/{scan.token}/" in html
    assert "Bewaar deze link" in html or "bladwijzer" in html.lower()


def test_a_step_is_saved_on_next_and_leads_to_the_next_step(client, scan_data) -> None:
    scan = services.scan_start()
    response = client.post(step_url(scan, 1), STEP1)
    assert response.status_code == 302
    assert response["Location"] == step_url(scan, 2)
    scan.refresh_from_db()
    assert (scan.sbi_section, scan.sbi_code, scan.employees) == ("J", "6202", 12)
    assert scan.consent_at is not None


def test_later_steps_wait_for_consent(client, scan_data) -> None:
    scan = services.scan_start()
    response = client.get(step_url(scan, 3))
    assert response.status_code == 302
    assert response["Location"] == step_url(scan, 1)


def test_previous_saves_the_step_too(client, anna_scan) -> None:
    data = {"leren_essentieel": "6", "action": "previous"}
    response = client.post(step_url(anna_scan, 3), data)
    assert response.status_code == 302
    assert response["Location"] == step_url(anna_scan, 2)
    assert ItemAnswer.objects.get(scan=anna_scan, item__key="leren_essentieel").value == 6


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("employees", "nul", "Vul een heel getal in"),
        ("employees", "0", "minimaal 1"),
        ("employees", "-5", "minimaal 1"),
        ("employees", "1000001", "hoogstens 1.000.000"),
        ("employees", "3.5", "Vul een heel getal in"),
        ("employees", "", "Vul het aantal medewerkers in"),
        ("sbi_code", "99999999", "SBI"),
        ("sbi_code", "0411", "bestaat niet"),
        ("sbi_code", "ab12", "SBI"),
        ("sbi_code", "4711", "andere sector"),  # retail, while the section says J
        ("province", "utrecht", "Kies"),
        ("respondent_role", "koning", "Kies"),
        ("consent", "", "toestemming"),
        ("sbi_section", "Z", "Kies"),
    ],
)
def test_bad_input_on_step_one_is_explained_next_to_the_field(
    client, anna_scan, field, value, message
) -> None:
    version = anna_scan.answers_version
    data = {**STEP1, "sbi_section": "J", field: value}
    response = client.post(step_url(anna_scan, 1), data)
    assert response.status_code == 400
    error = field_error(response.content.decode(), field)
    assert message.lower() in error.lower(), error
    anna_scan.refresh_from_db()
    assert anna_scan.answers_version == version
    assert anna_scan.employees == 12


@pytest.mark.parametrize("value", ["7", "0", "abc", "3.5", "-1", "99999999999999999999"])
def test_a_statement_answer_off_the_scale_is_refused(client, anna_scan, value) -> None:
    response = client.post(step_url(anna_scan, 2), {"taken_kern": value, "action": "next"})
    assert response.status_code == 400
    assert "Kies een van de zes antwoorden" in field_error(response.content.decode(), "taken_kern")
    assert ItemAnswer.objects.get(scan=anna_scan, item__key="taken_kern").value == 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pct_deelname", "101", "van 0 tot 100"),
        ("pct_deelname", "-1", "van 0 tot 100"),
        ("pct_deelname", "veel", "Vul een getal in"),
        ("uren_per_deelnemer", "2001", "van 0 tot 2000"),
        ("belang_leren", "11", "van 1 tot 10"),
        ("belang_leren", "7,5", "heel getal"),
        ("pct_omzet_leren", "2,55", "één decimaal"),
        ("doelen", "onzin", "Kies uit de getoonde antwoorden"),
    ],
)
def test_bad_figures_are_explained_next_to_the_field(client, anna_scan, field, value, message):
    response = client.post(step_url(anna_scan, 4), {field: value, "action": "next"})
    assert response.status_code == 400
    assert message.lower() in field_error(response.content.decode(), field).lower()
    assert FactAnswer.objects.get(scan=anna_scan, key="pct_deelname").number == 40


def test_a_number_and_dont_know_together_are_refused(client, anna_scan) -> None:
    data = {"pct_deelname": "40", "pct_deelname__weet_niet": "on", "action": "next"}
    response = client.post(step_url(anna_scan, 4), data)
    assert response.status_code == 400
    assert "niet allebei" in field_error(response.content.decode(), "pct_deelname")


def test_dont_know_cannot_be_combined_with_choices(client, anna_scan) -> None:
    data = {"instrumenten": ["feedback", "weet_niet"], "action": "next"}
    response = client.post(step_url(anna_scan, 5), data)
    assert response.status_code == 400
    assert "niet combineren" in field_error(response.content.decode(), "instrumenten")


def test_a_decimal_comma_is_understood(client, anna_scan) -> None:
    response = client.post(step_url(anna_scan, 4), {"pct_omzet_leren": "2,5", "action": "next"})
    assert response.status_code == 302
    assert str(FactAnswer.objects.get(scan=anna_scan, key="pct_omzet_leren").number) == "2.5"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(
        ["pct_deelname", "uren_per_deelnemer", "belang_leren", "pct_omzet_leren"]
    ),
    value=st.one_of(
        st.text(max_size=12),
        st.integers(min_value=-(10**12), max_value=10**12).map(str),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
    ),
)
def test_any_figure_is_stored_within_bounds_or_refused(anna_scan, field, value) -> None:
    client = Client()
    response = client.post(step_url(anna_scan, 4), {field: value, "action": "next"})
    assert response.status_code in (302, 400)
    for answer in FactAnswer.objects.filter(scan=anna_scan, number__isnull=False):
        assert answer.number >= 0
        assert answer.number <= 2000


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(token=st.text(min_size=0, max_size=40))
def test_any_token_is_a_friendly_404_never_a_500(scan_data, token) -> None:
    client = Client()
    for suffix in ("", "stap/1/", "resultaten/", "controle/", "verwijderen/"):
        response = client.get(f"/scan/{quote(token, safe='')}/{suffix}")
        assert response.status_code in (404, 301, 302), (token, suffix)


def test_an_unknown_token_of_the_right_shape_gets_the_friendly_page(client, scan_data) -> None:
    response = client.get("/scan/" + "A" * 32 + "/resultaten/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()


@pytest.mark.parametrize("step", [0, 7, 99999999999])
def test_a_step_that_does_not_exist_is_a_404(client, anna_scan, step) -> None:
    assert client.get(f"/scan/{anna_scan.token}/stap/{step}/").status_code == 404


def test_a_resumed_scan_shows_every_saved_answer(anna_scan) -> None:
    # Another device: a fresh client with nothing but the link.
    other = Client()
    assert other.get(f"/scan/{anna_scan.token}/").status_code == 302
    step1 = other.get(step_url(anna_scan, 1)).content.decode()
    assert 'value="Annas Adviesbureau"' in step1
    assert 'value="6202"' in step1
    assert 'value="12"' in step1
    assert re.search(r'value="groningen"[^>]*checked', step1)
    step2 = other.get(step_url(anna_scan, 2)).content.decode()
    assert len(re.findall(r'value="3"[^>]*checked', step2)) == 20  # 5 blocks x 4 items
    assert len(re.findall(r'value="5"[^>]*checked', step2)) == 4  # leiderschap
    step4 = other.get(step_url(anna_scan, 4)).content.decode()
    assert 'value="40"' in step4
    assert re.search(r'name="uren_per_deelnemer__weet_niet"[^>]*checked', step4)
    step5 = other.get(step_url(anna_scan, 5)).content.decode()
    assert re.search(r'name="instrumenten" value="feedback"[^>]*checked', step5)


def test_finishing_is_idempotent_under_a_replayed_post(client, anna_scan) -> None:
    url = reverse("scans:review", args=[anna_scan.token])
    first = client.post(url)
    anna_scan.refresh_from_db()
    finished_at = anna_scan.finished_at
    second = client.post(url)
    anna_scan.refresh_from_db()
    assert first.status_code == second.status_code == 302
    assert anna_scan.finished_at == finished_at


def test_finishing_with_missing_answers_lists_them(client, scan_data) -> None:
    scan = services.scan_start()
    client.post(step_url(scan, 1), STEP1)
    response = client.post(reverse("scans:review", args=[scan.token]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "In deze organisatie beslissen medewerkers zelf hoe ze hun werk uitvoeren." in html
    assert not Scan.objects.get(pk=scan.pk).is_finished


def test_deleting_asks_first_then_removes_everything(client, anna_scan) -> None:
    services.scan_finish(scan=anna_scan)
    client.get(reverse("reports:results", args=[anna_scan.token]))
    assert RenderedArtefact.objects.filter(scan=anna_scan).exists()  # the charts
    url = reverse("scans:delete", args=[anna_scan.token])
    assert client.get(url).status_code == 200
    assert Scan.objects.filter(pk=anna_scan.pk).exists()
    response = client.post(url, follow=True)
    assert "verwijderd" in response.content.decode()
    assert not Scan.objects.exists()
    assert not ItemAnswer.objects.exists()
    assert not RenderedArtefact.objects.exists()  # the charts showed the scores too
    assert client.get(step_url(anna_scan, 1)).status_code == 404
    assert client.post(url).status_code == 404  # a replayed delete


def test_posts_without_a_csrf_token_are_refused(anna_scan) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(step_url(anna_scan, 1), STEP1).status_code == 403
    assert strict.post(reverse("scans:delete", args=[anna_scan.token])).status_code == 403
    assert Scan.objects.filter(pk=anna_scan.pk).exists()


def _step_fields(scan: Scan, step: int) -> list[str]:
    html = Client().get(step_url(scan, step)).content.decode()
    return sorted(
        set(re.findall(r'name="([a-z_]+)"', html))
        - {"csrfmiddlewaretoken", "action", "language", "next"}
    )


@pytest.mark.parametrize("step", [1, 2, 3, 4, 5, 6])
def test_every_field_of_every_step_survives_nonsense(anna_scan, step) -> None:
    fields = _step_fields(anna_scan, step)
    assert fields, "the step shows no fields"

    @settings(max_examples=25, deadline=None)
    @given(field=st.sampled_from(fields), value=st.text(max_size=30))
    def post_nonsense(field: str, value: str) -> None:
        # Step 1 is otherwise valid, so the nonsense field alone decides the outcome.
        data = {**(STEP1 if step == 1 else {}), field: value, "action": "next"}
        response = Client().post(step_url(anna_scan, step), data)
        assert response.status_code in (302, 400)

    post_nonsense()
    # Whatever was accepted, the database still holds only valid answers.
    anna_scan.refresh_from_db()
    assert 1 <= anna_scan.employees <= 1_000_000
    assert all(1 <= v <= 6 for v in ItemAnswer.objects.values_list("value", flat=True))
