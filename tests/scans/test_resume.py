"""Not losing the link: this device remembers the scan, the link as a QR code, the link by e-mail.

Anna (12 people, IT consultancy, Groningen) starts her scan on her phone and wants to continue on
her laptop. The token in her link is a key to her answers, so every way of keeping it carries the
resume link and nothing else, and the e-mail address she types is used once and kept nowhere.
"""

from __future__ import annotations

import logging
import re
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from leerscan.constants import REMEMBER_SCAN_DAYS, RESUME_MAIL_INTERVAL_SECONDS
from leerscan.scans import resume, services
from leerscan.scans.models import Scan

pytestmark = pytest.mark.django_db

COOKIE = resume.REMEMBER_COOKIE
ANNA_MAIL = "anna.de.vries@annas-adviesbureau.nl"
NOT_AN_ADDRESS = "Dit is geen geldig e-mailadres."


@pytest.fixture(autouse=True)
def own_cache(settings):
    """A fresh in-memory cache per test, so one test's mail limit never blocks the next."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-resume",
        }
    }
    cache.clear()
    yield
    cache.clear()


def resume_url(scan: Scan) -> str:
    return "http://testserver" + reverse("scans:resume", args=[scan.token])


def send_link_url(scan: Scan) -> str:
    return reverse("scans:send_link", args=[scan.token])


# --- This device remembers the scan ------------------------------------------------------------


def test_it_remembers_a_new_scan_in_an_httponly_lax_cookie(client, scan_data) -> None:
    response = client.post(reverse("scans:start"))
    scan = Scan.objects.get()
    cookie = response.cookies[COOKIE]
    assert cookie.value == scan.token
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert cookie["max-age"] == REMEMBER_SCAN_DAYS * 24 * 60 * 60
    assert 30 <= REMEMBER_SCAN_DAYS <= 365
    assert not cookie["secure"]


def test_it_remembers_a_scan_opened_through_its_link(client, anna_scan) -> None:
    response = client.get(reverse("scans:resume", args=[anna_scan.token]))
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == anna_scan.token


def test_it_sends_the_cookie_over_https_only_when_the_site_runs_under_https(
    client, anna_scan, settings
) -> None:
    settings.SESSION_COOKIE_SECURE = True
    response = client.get(reverse("scans:resume", args=[anna_scan.token]), secure=True)
    assert response.cookies[COOKIE]["secure"] is True


def test_it_remembers_the_last_scan_opened(client, anna_scan) -> None:
    second = services.scan_start()
    client.get(reverse("scans:resume", args=[anna_scan.token]))
    client.get(reverse("scans:resume", args=[second.token]))
    assert client.cookies[COOKIE].value == second.token


def test_it_offers_to_continue_the_remembered_scan_on_the_landing_page(client, anna_scan) -> None:
    client.get(reverse("scans:resume", args=[anna_scan.token]))
    response = client.get(reverse("scans:landing"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Verder met uw scan" in html
    assert "Annas Adviesbureau" in html
    assert f'href="{reverse("scans:resume", args=[anna_scan.token])}"' in html
    assert f'action="{reverse("scans:forget_device")}"' in html
    assert "Vergeet dit apparaat" in html
    assert "Start een nieuwe scan" in html
    # The page holds a key to Anna's answers: no shared cache may keep it.
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_it_offers_the_results_of_a_remembered_finished_scan(client, anna_scan) -> None:
    services.scan_finish(scan=anna_scan)
    client.get(reverse("scans:resume", args=[anna_scan.token]))
    html = client.get(reverse("scans:landing")).content.decode()
    assert "Bekijk uw resultaten" in html
    assert "afgerond" in html


def test_a_device_without_the_cookie_sees_no_offer(client, benchmarks_loaded) -> None:
    response = client.get(reverse("scans:landing"))
    html = response.content.decode()
    assert "Verder met uw scan" not in html
    assert "Start de scan" in html
    assert COOKIE not in response.cookies


@pytest.mark.parametrize(
    "value", ["B" * 32, "kort", "../../etc/passwd", "A" * 31 + "!", "' OR 1=1 --"]
)
def test_it_ignores_and_drops_a_cookie_that_names_no_scan(client, scan_data, value) -> None:
    client.cookies[COOKIE] = value
    response = client.get(reverse("scans:landing"))
    assert response.status_code == 200
    assert "Verder met uw scan" not in response.content.decode()
    assert response.cookies[COOKIE].value == ""
    assert response.cookies[COOKIE]["max-age"] == 0


def test_it_forgets_a_deleted_scan(client, anna_scan) -> None:
    client.get(reverse("scans:resume", args=[anna_scan.token]))
    services.scan_delete(scan=anna_scan)
    response = client.get(reverse("scans:landing"))
    assert "Verder met uw scan" not in response.content.decode()
    assert response.cookies[COOKIE]["max-age"] == 0


def test_forget_this_device_deletes_the_cookie_but_not_the_scan(client, anna_scan) -> None:
    client.get(reverse("scans:resume", args=[anna_scan.token]))
    response = client.post(reverse("scans:forget_device"), follow=True)
    assert response.redirect_chain == [(reverse("scans:landing"), 302)]
    html = response.content.decode()
    assert "Dit apparaat onthoudt uw scan niet meer" in html
    assert "Verder met uw scan" not in html
    assert client.cookies[COOKIE].value == ""
    assert Scan.objects.filter(pk=anna_scan.pk).exists()


def test_forget_this_device_takes_only_a_post(client, anna_scan) -> None:
    client.get(reverse("scans:resume", args=[anna_scan.token]))
    assert client.get(reverse("scans:forget_device")).status_code == 405
    assert client.cookies[COOKIE].value == anna_scan.token


def test_forget_this_device_refuses_a_post_without_csrf_token(anna_scan) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.get(reverse("scans:resume", args=[anna_scan.token]))
    response = strict.post(reverse("scans:forget_device"))
    assert response.status_code == 403
    assert strict.cookies[COOKIE].value == anna_scan.token


# --- The QR code -------------------------------------------------------------------------------


def step_page(client, scan: Scan) -> str:
    response = client.get(reverse("scans:step", args=[scan.token, 2]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_resume_block_shows_the_link_as_an_inline_svg_qr_code(client, anna_scan) -> None:
    resume.resume_qr_svg.cache_clear()
    with mock.patch.object(resume.segno, "make", wraps=resume.segno.make) as make:
        html = step_page(client, anna_scan)
    # segno was given the resume link itself, nothing more.
    make.assert_called_once()
    assert make.call_args.args == (resume_url(anna_scan),)
    qr = re.search(r'<div role="img" aria-label="([^"]+)"><svg[^>]*>.*?</svg></div>', html, re.S)
    assert qr, "no QR code with a text alternative"
    assert qr.group(1) == "QR-code van uw persoonlijke link"
    assert "<path" in qr.group(0)
    # The token appears on the page only where the link is meant to be (field, forms, links).
    assert anna_scan.token not in qr.group(0)


def test_the_qr_code_is_made_once_per_link(client, anna_scan) -> None:
    resume.resume_qr_svg.cache_clear()
    with mock.patch.object(resume.segno, "make", wraps=resume.segno.make) as make:
        step_page(client, anna_scan)
        step_page(client, anna_scan)
    assert make.call_count == 1


def test_the_resume_block_loads_nothing_from_other_hosts(client, anna_scan) -> None:
    for url in (
        reverse("scans:step", args=[anna_scan.token, 2]),
        reverse("scans:review", args=[anna_scan.token]),
        send_link_url(anna_scan),
    ):
        html = client.get(url).content.decode()
        for found in re.findall(r'(?:src|href|action|xlink:href)="([^"]+)"', html):
            assert not re.match(r"^(https?:)?//", found), f"{url} loads {found}"


# --- The link by e-mail ------------------------------------------------------------------------


def send(client, scan: Scan, address: str, next_page: str = "", **extra):
    data = {"email": address}
    if next_page:
        data["next"] = next_page
    return client.post(send_link_url(scan), data, **extra)


def test_the_resume_block_has_the_send_me_the_link_form(client, anna_scan) -> None:
    html = step_page(client, anna_scan)
    assert f'action="{send_link_url(anna_scan)}"' in html
    assert 'type="email"' in html
    assert 'autocomplete="email"' in html
    assert "Stuur mij de link" in html


def test_it_mails_the_resume_link_to_the_given_address(client, anna_scan) -> None:
    step = reverse("scans:step", args=[anna_scan.token, 2])
    response = send(client, anna_scan, ANNA_MAIL, next_page=step)
    assert response.status_code == 302
    assert response["Location"] == step
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ANNA_MAIL]
    assert message.cc == [] and message.bcc == []
    assert message.subject == "Uw link naar de Leerscan"
    assert resume_url(anna_scan) in message.body
    # Only the link: none of Anna's answers or her organisation's name.
    assert "Annas Adviesbureau" not in message.body
    assert "We hebben uw e-mailadres niet bewaard" in message.body
    assert "We hebben de link verstuurd" in client.get(step).content.decode()


def test_it_mails_in_the_language_chosen_with_the_switch(client, anna_scan, settings) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    send(client, anna_scan, ANNA_MAIL)
    assert mail.outbox[0].subject == "Your link to the Leerscan"


def test_it_goes_back_to_the_scan_rather_than_to_another_site(client, anna_scan) -> None:
    response = send(client, anna_scan, ANNA_MAIL, next_page="https://evil.example.org/")
    assert response["Location"] == reverse("scans:resume", args=[anna_scan.token])


def test_the_address_is_neither_stored_nor_logged(client, anna_scan, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    response = send(client, anna_scan, ANNA_MAIL)
    assert len(mail.outbox) == 1
    assert ANNA_MAIL not in caplog.text
    for cookie in response.cookies.values():
        assert "anna.de.vries" not in cookie.value
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                assert not any("anna.de.vries" in str(cell) for cell in row), table


def test_a_failing_mail_server_gets_a_friendly_503_and_the_address_is_not_logged(
    client, anna_scan, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    refused = smtplib.SMTPRecipientsRefused({ANNA_MAIL: (550, b"no such user")})
    with mock.patch.object(resume, "send_mail", side_effect=refused):
        response = send(client, anna_scan, ANNA_MAIL)
    assert response.status_code == 503
    assert "De e-mail kon nu niet worden verstuurd" in response.content.decode()
    assert "SMTPRecipientsRefused" in caplog.text
    assert ANNA_MAIL not in caplog.text
    # A failed attempt does not count against the limit.
    assert send(client, anna_scan, ANNA_MAIL).status_code == 302


@pytest.mark.parametrize(
    "address",
    [
        "",
        "   ",
        "anna",
        "anna@",
        "@annas-adviesbureau.nl",
        "anna@adviesbureau",
        "anna de vries@annas-adviesbureau.nl",
        "anna@annas-adviesbureau.nl, bram@example.nl",
        "anna@annas-adviesbureau.nl\nBcc: everyone@example.nl",
        "anna\x00@annas-adviesbureau.nl",
        "a" * 250 + "@annas-adviesbureau.nl",
        "<script>alert(1)</script>",
    ],
)
def test_a_bad_address_gets_a_dutch_message_next_to_the_field(client, anna_scan, address) -> None:
    response = send(client, anna_scan, address)
    assert response.status_code == 400
    html = response.content.decode()
    field = re.search(r'<input id="link-email"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="link-email-fout link-email-uitleg"' in field
    error = re.search(r'<div id="link-email-fout"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert NOT_AN_ADDRESS in error or "Vul uw e-mailadres in." in error
    assert "<script>alert" not in html
    assert mail.outbox == []


def test_the_send_me_the_link_page_works_on_its_own(client, anna_scan) -> None:
    response = client.get(send_link_url(anna_scan))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Stuur mij de link</h1>" in html
    assert 'id="link-email"' in html


def test_it_sends_one_mail_per_scan_per_few_minutes(client, anna_scan) -> None:
    assert send(client, anna_scan, ANNA_MAIL).status_code == 302
    second = send(client, anna_scan, "iemand.anders@example.nl")
    assert second.status_code == 429
    assert "De link is net al naar u gestuurd" in second.content.decode()
    assert len(mail.outbox) == 1
    assert 60 <= RESUME_MAIL_INTERVAL_SECONDS <= 15 * 60
    # Another scan is not held back by Anna's.
    other = services.scan_start()
    assert send(client, other, ANNA_MAIL).status_code == 302


def test_the_mail_limit_keeps_the_token_out_of_the_cache(client, anna_scan) -> None:
    with mock.patch.object(resume.cache, "add", wraps=resume.cache.add) as add:
        send(client, anna_scan, ANNA_MAIL)
    key = add.call_args.args[0]
    assert anna_scan.token not in key
    assert "anna" not in key


def test_it_refuses_a_post_without_csrf_token(anna_scan) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert send(strict, anna_scan, ANNA_MAIL).status_code == 403
    assert mail.outbox == []


def test_an_unknown_scan_gets_no_mail(client, scan_data) -> None:
    response = client.post(f"/scan/{'B' * 32}/link-mailen/", {"email": ANNA_MAIL})
    assert response.status_code == 404
    assert mail.outbox == []


def test_the_privacy_page_names_the_cookie_and_says_the_address_is_not_stored(client) -> None:
    html = client.get(reverse("scans:privacy")).content.decode()
    assert "Vergeet dit apparaat" in html
    assert f"{REMEMBER_SCAN_DAYS} dagen" in html
    assert "We bewaren het niet" in html
