"""Invitations by e-mail and reminders on the team invitations page (leerscan/teams/views.py,
services.py, mail.py): each employee gets their own link, to their address alone; the address is
kept only while the invitation is unused; a reminder goes to the unused ones, and nothing the
employer sees, and nothing in a mail, tells who answered.

Anna (the IT firm) mails her team; Baukje's bakery and Martin's metal firm have scans of their own.
"""

from __future__ import annotations

import json
import logging
import re
import smtplib
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from leerscan.constants import (
    TEAM_EMAIL_KEEP_DAYS,
    TEAM_REMINDER_INTERVAL_DAYS,
    TEAM_REMINDERS_MAX,
)
from leerscan.scans import services as scan_services
from leerscan.teams.models import TEAM_ANSWER_KEYS, TeamInvitation, TeamResponse, TeamSurvey
from leerscan.teams.services import (
    team_reminder_claim,
    team_reminder_next,
    team_reminder_refused,
    team_survey_close,
)
from leerscan.teams.tasks import team_reminder_send
from tests.teams import answering
from tests.worker import run_queued

pytestmark = pytest.mark.django_db

ANNA_TEAM = [f"medewerker{n}@anna-it.nl" for n in range(1, 7)]


@pytest.fixture
def anna_done(anna_scan):
    return scan_services.scan_finish(scan=anna_scan)


@pytest.fixture
def owner(anna_done):
    """Anna's own browser, in English, so that the page's new text can be read before the Dutch
    catalogue has it (the mails are Dutch whatever the page's language)."""
    browser = Client()
    browser.cookies["django_language"] = "en"
    return browser


def invitations_url(scan) -> str:
    return reverse("teams:invitations", args=[scan.token])


def send(browser, scan, emails):
    text = emails if isinstance(emails, str) else "\n".join(emails)
    response = browser.post(invitations_url(scan), {"action": "email", "emails": text})
    if response.status_code == 302:
        browser.get(response["Location"])  # the page that shows (and uses up) the notice
    return response


def remind(browser, scan, *, work=True):
    """Anna presses "Send a reminder"; then (`work`) the task worker sends what it queued."""
    response = browser.post(invitations_url(scan), {"action": "remind"})
    if work:
        run_queued(team_reminder_send)
    return response


def age(scan, days=TEAM_REMINDER_INTERVAL_DAYS, hours=1):
    """Let time pass for the scan's mailed invitations and its last reminder."""
    delta = timedelta(days=days, hours=hours)
    invitations = TeamInvitation.objects.filter(survey__scan=scan, email__isnull=False)
    for invitation in invitations:
        invitation.email_given_at -= delta
        invitation.save(update_fields=["email_given_at"])
    survey = TeamSurvey.objects.get(scan=scan)
    if survey.reminded_at:
        survey.reminded_at -= delta
        survey.save(update_fields=["reminded_at"])


def queued_reminders() -> int:
    return DBTaskResult.objects.filter(task_path=team_reminder_send.module_path).count()


def _cookie_value(name: str, value: str) -> str:
    """A cookie's value as compared: the notices a messages cookie holds, not its signature,
    which carries the second it was signed (two answers a second apart differ there only)."""
    if name != "messages":
        return value
    notices = CookieStorage(HttpRequest())._decode(value) or []
    return repr([(notice.level, notice.message, notice.extra_tags) for notice in notices])


def response_bytes(response, scan) -> bytes:
    """The whole answer (status, headers, cookies, body) with the scan's own token taken out, and
    the cookies' expiry and signing time (the second it was sent): what must not depend on who
    answered."""
    cookies = "".join(
        f"{name}={_cookie_value(name, morsel.value)};"
        f"{sorted((k, v) for k, v in morsel.items() if k != 'expires')}"
        for name, morsel in sorted(response.cookies.items())
    )
    whole = f"{response.status_code}\r\n".encode() + response.serialize() + cookies.encode()
    return whole.replace(scan.token.encode(), b"<token>")


def employee_answers(invitation, submission_key="form-1"):
    data = dict.fromkeys(TEAM_ANSWER_KEYS, "4")
    data["submission_key"] = submission_key
    return Client().post(reverse("teams:form", args=[invitation.token]), data)


def dutch(msgid: str) -> str:
    with translation.override("nl"):
        return gettext(msgid)


def page_without_secrets(html: str) -> str:
    """The page with the CSRF token taken out: what is left must not change when someone answers."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


# --- Inviting by e-mail ------------------------------------------------------------------------


def test_it_mails_each_address_its_own_invitation_to_that_address_alone(owner, anna_done):
    typed = "Anna de Vries <" + ANNA_TEAM[0] + ">\n" + "; ".join(ANNA_TEAM[1:]) + "\n\n"
    typed += ANNA_TEAM[2].upper().replace("ANNA-IT.NL", "anna-it.nl")  # the same person twice

    response = send(owner, anna_done, typed)

    assert response.status_code == 302
    invitations = list(TeamInvitation.objects.filter(survey__scan=anna_done))
    assert len(invitations) == 6 and all(i.by_email and i.email for i in invitations)
    assert len(mail.outbox) == 6
    for message, invitation in zip(mail.outbox, invitations, strict=True):
        assert message.to == [invitation.email] and not message.cc and not message.bcc
        assert message.body.count("/team/") == 1 and f"/team/{invitation.token}/" in message.body
        others = [i for i in invitations if i.pk != invitation.pk]
        assert not any(i.token in message.body or i.email in message.body for i in others)
        assert invitation.token not in message.subject
    assert mail.outbox[0].subject == dutch(
        "How do you learn at work? An invitation from %(who)s"
    ) % {"who": anna_done.organisation_name}


def test_the_addresses_and_the_mailed_links_are_never_shown_back(owner, anna_done):
    send(owner, anna_done, ANNA_TEAM)

    page = owner.get(invitations_url(anna_done)).content.decode()
    results = owner.get(reverse("reports:results", args=[anna_done.token])).content.decode()

    for invitation in TeamInvitation.objects.filter(survey__scan=anna_done):
        assert invitation.token not in page and invitation.token not in results
        assert invitation.email not in page and invitation.email not in results
    assert "6 invitations so far. 6 of them were sent by e-mail." in page
    assert 'name="emails"' in page and "</textarea>" in page
    assert re.search(r'<textarea id="id_emails"[^>]*>\s*</textarea>', page)


def test_the_invitations_page_does_not_change_when_an_employee_answers(owner, anna_done):
    answering.invite(anna_done, 5)  # cards as well as mail
    send(owner, anna_done, ANNA_TEAM)
    before = page_without_secrets(owner.get(invitations_url(anna_done)).content.decode())

    mailed = TeamInvitation.objects.filter(survey__scan=anna_done, by_email=True).first()
    assert employee_answers(mailed).status_code == 302

    after = page_without_secrets(owner.get(invitations_url(anna_done)).content.decode())
    assert after == before


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   \n ; ,",
        "anna",
        "anna@",
        "a@b@c.nl",
        "<script>alert(1)</script>@x.nl",
        "x" * 300 + "@anna-it.nl",
        "anna@anna-it.nl\x00",
        "Anna <>",
    ],
)
def test_nonsense_addresses_get_a_message_next_to_the_field_and_save_nothing(
    owner, anna_done, typed
):
    answering.invite(anna_done, 5)  # what Anna made before stays as it was
    emails = [typed, *ANNA_TEAM] if typed.strip(" \n;,") else typed

    response = send(owner, anna_done, emails)

    html = response.content.decode()
    assert response.status_code == 400
    assert (
        'id="error_id_emails"' in html and 'aria-describedby="emails-help error_id_emails"' in html
    )
    assert "<script>alert" not in html
    assert TeamInvitation.objects.filter(survey__scan=anna_done).count() == 5
    assert not TeamInvitation.objects.filter(by_email=True).exists()
    assert not mail.outbox
    if typed.strip(" \n;,"):
        assert "name@company.nl" in html  # the example of a good address
        assert ANNA_TEAM[0] in html  # what Anna typed is kept in the field (nothing was saved)


def test_too_many_addresses_or_too_few_for_a_new_team_get_a_400(owner, anna_done):
    many = [f"m{n}@metaal.nl" for n in range(201)]

    too_many = send(owner, anna_done, many)
    too_few = send(owner, anna_done, ANNA_TEAM[:3])

    assert too_many.status_code == too_few.status_code == 400
    assert "at most 200 addresses" in too_many.content.decode()
    assert "invite at least 5 employees" in too_few.content.decode()
    assert not TeamInvitation.objects.exists() and not mail.outbox


def test_the_address_is_gone_once_the_invitation_is_used(owner, anna_done):
    send(owner, anna_done, ANNA_TEAM)
    invitation = TeamInvitation.objects.filter(survey__scan=anna_done).first()

    assert employee_answers(invitation).status_code == 302

    invitation.refresh_from_db()
    assert invitation.used and invitation.email is None and invitation.email_given_at is None
    assert TeamInvitation.objects.filter(survey__scan=anna_done, email__isnull=False).count() == 5
    assert TeamResponse.objects.count() == 1


def test_the_database_refuses_an_address_on_a_used_invitation(owner, anna_done):
    send(owner, anna_done, ANNA_TEAM)
    invitation = TeamInvitation.objects.filter(survey__scan=anna_done).first()
    employee_answers(invitation)

    with pytest.raises(IntegrityError), transaction.atomic():
        TeamInvitation.objects.filter(pk=invitation.pk).update(
            email="terug@anna-it.nl", email_given_at=timezone.now()
        )


def test_closing_the_team_scan_or_waiting_deletes_the_addresses(owner, anna_done, bakery_scan):
    send(owner, anna_done, ANNA_TEAM)
    bakery = bakery_scan
    send(owner, bakery, [f"bakker{n}@bakkerij.nl" for n in range(5)])

    team_survey_close(survey=TeamSurvey.objects.get(scan=anna_done))
    assert not TeamInvitation.objects.filter(survey__scan=anna_done, email__isnull=False).exists()

    age(bakery, days=TEAM_EMAIL_KEEP_DAYS - 1)
    call_command("delete_team_addresses", verbosity=0)
    assert TeamInvitation.objects.filter(survey__scan=bakery, email__isnull=False).count() == 5
    age(bakery, days=2)
    call_command("delete_team_addresses", verbosity=0)
    assert not TeamInvitation.objects.filter(email__isnull=False).exists()


def test_deleting_the_scan_deletes_the_invitations_and_their_addresses(owner, anna_done):
    send(owner, anna_done, ANNA_TEAM)

    scan_services.scan_delete(scan=anna_done)

    assert not TeamInvitation.objects.exists()


def test_no_admin_page_lists_the_addresses(owner, anna_done):
    send(owner, anna_done, ANNA_TEAM)
    model_admin = admin.site._registry.get(TeamInvitation)
    if model_admin is not None:
        assert "email" not in model_admin.get_list_display(None)
    for invitation in TeamInvitation.objects.all():
        assert invitation.email not in str(invitation) and invitation.email not in repr(invitation)


# --- Reminders ---------------------------------------------------------------------------------


def test_reminders_go_only_to_the_unused_invitations_addresses_one_each(owner, anna_done):
    send(owner, anna_done, ANNA_TEAM)
    invitations = list(TeamInvitation.objects.filter(survey__scan=anna_done))
    for n, used in enumerate(invitations[:2]):
        employee_answers(used, submission_key=f"form-{n}")
    age(anna_done)
    mail.outbox.clear()

    response = remind(owner, anna_done)

    assert response.status_code == 302
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(ANNA_TEAM[2:])
    for message in mail.outbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        assert message.subject == dutch("Reminder: how do you learn at work?")
        invitation = next(i for i in invitations if i.email == message.to[0])
        assert f"/team/{invitation.token}/" in message.body and message.body.count("/team/") == 1
        assert not any(i.token in message.body for i in invitations if i.pk != invitation.pk)
        assert not any(a in message.body for a in ANNA_TEAM)
    survey = TeamSurvey.objects.get(scan=anna_done)
    assert survey.reminders_sent == 1 and survey.reminded_at is not None


def test_the_reminder_answers_the_same_whoever_answered(owner, anna_done, metal_scan):
    """Anna's team: nobody answered. Martin's metal firm: everyone did. Both pages and answers to
    "send a reminder" read the same."""
    metal = metal_scan
    send(owner, anna_done, ANNA_TEAM)
    send(owner, metal, [f"monteur{n}@metaal.nl" for n in range(6)])
    for n, invitation in enumerate(TeamInvitation.objects.filter(survey__scan=metal)):
        employee_answers(invitation, submission_key=f"m-{n}")
    age(anna_done)
    age(metal)
    mail.outbox.clear()

    pages = []
    for scan in (anna_done, metal):
        response = remind(owner, scan)
        assert response.status_code == 302
        page = owner.get(response["Location"]).content.decode()
        pages.append(page_without_secrets(page).replace(scan.token, "<token>"))

    assert pages[0] == pages[1]
    assert "Leerscan does not say how many" in pages[0]
    assert {a for m in mail.outbox for a in m.to} == set(ANNA_TEAM)


def test_a_reminder_too_soon_gets_a_429_with_a_message_and_sends_nothing(owner, anna_done):
    send(owner, anna_done, ANNA_TEAM)
    age(anna_done)
    assert remind(owner, anna_done).status_code == 302
    mail.outbox.clear()

    response = remind(owner, anna_done)

    html = response.content.decode()
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert 'id="error_remind"' in html and "less than 3 days ago" in html
    assert not mail.outbox
    assert TeamSurvey.objects.get(scan=anna_done).reminders_sent == 1


def test_a_double_click_sends_one_reminder_and_counts_one(owner, anna_done):
    send(owner, anna_done, ANNA_TEAM)
    age(anna_done)
    mail.outbox.clear()

    first = remind(owner, anna_done, work=False)
    second = remind(owner, anna_done, work=False)
    assert queued_reminders() == 1
    run_queued(team_reminder_send)

    assert first.status_code == 302 and second.status_code == 429
    assert sorted(a for m in mail.outbox for a in m.to) == sorted(ANNA_TEAM)
    assert TeamSurvey.objects.get(scan=anna_done).reminders_sent == 1


def test_of_two_requests_that_read_the_team_scan_at_once_one_claims_the_reminder(owner, anna_done):
    send(owner, anna_done, ANNA_TEAM)
    age(anna_done)
    one = TeamSurvey.objects.get(scan=anna_done)
    two = TeamSurvey.objects.get(scan=anna_done)  # read before the first claims
    now = timezone.now()
    assert team_reminder_refused(survey=two, now=now) is None  # a check alone would let both go

    assert team_reminder_claim(survey=one, now=now) is None
    refusal = team_reminder_claim(survey=two, now=now)

    assert refusal is not None and refusal.status == 429
    assert refusal.again == now + timedelta(days=TEAM_REMINDER_INTERVAL_DAYS)
    assert two.reminders_sent == 1  # the refusal read the claimed state
    assert TeamSurvey.objects.get(scan=anna_done).reminders_sent == 1


def test_no_more_reminders_than_the_maximum(owner, anna_done):
    send(owner, anna_done, ANNA_TEAM)
    for _ in range(TEAM_REMINDERS_MAX):
        age(anna_done)
        assert remind(owner, anna_done).status_code == 302
    age(anna_done)
    mail.outbox.clear()

    response = remind(owner, anna_done)

    assert response.status_code == 409 and not mail.outbox
    assert "Leerscan sends no more" in response.content.decode()


def test_no_reminder_for_a_closed_team_scan_or_one_without_mailed_invitations(owner, anna_done):
    answering.invite(anna_done, 5)
    without = remind(owner, anna_done)
    send(owner, anna_done, ANNA_TEAM)
    age(anna_done)
    owner.post(reverse("teams:manage", args=[anna_done.token]), {"action": "close"})
    mail.outbox.clear()

    closed = remind(owner, anna_done)

    assert without.status_code == closed.status_code == 409
    assert "there is no one to remind" in without.content.decode()
    assert "The team scan is closed" in closed.content.decode()
    assert not mail.outbox


def test_someone_invited_less_than_three_days_ago_gets_no_reminder_yet(owner, anna_done):
    send(owner, anna_done, ANNA_TEAM)
    age(anna_done)
    send(owner, anna_done, ["nieuw@anna-it.nl"])
    mail.outbox.clear()

    remind(owner, anna_done)

    assert {a for m in mail.outbox for a in m.to} == set(ANNA_TEAM)


def test_the_next_reminder_moment_is_given_only_while_it_is_still_to_come(anna_done):
    survey = TeamSurvey.objects.create(scan=anna_done)
    now = timezone.now()
    interval = timedelta(days=TEAM_REMINDER_INTERVAL_DAYS)
    assert team_reminder_next(survey=survey, now=now) is None  # none sent yet

    survey.reminded_at = now - timedelta(days=1)
    assert team_reminder_next(survey=survey, now=now) == survey.reminded_at + interval

    survey.reminded_at = now - interval
    assert team_reminder_next(survey=survey, now=now) is None  # it may go now


def test_mailing_is_rate_limited_per_team_scan(owner, anna_done, settings):
    settings.LEERSCAN_RATE_LIMITS = {**settings.LEERSCAN_RATE_LIMITS, "team_mail": (1, 86400)}
    assert send(owner, anna_done, ANNA_TEAM).status_code == 302
    mail.outbox.clear()

    response = send(owner, anna_done, ["nog.een@anna-it.nl"])

    assert response.status_code == 429 and "Retry-After" in response
    assert not mail.outbox
    assert TeamInvitation.objects.filter(survey__scan=anna_done).count() == 6


def test_a_failing_mail_server_keeps_only_the_invitations_sent(
    owner, anna_done, monkeypatch, caplog
):
    sent = []

    def fail_after_two(self, messages):
        if len(sent) == 2:
            raise ConnectionRefusedError(f"refused {messages[0].to[0]}")
        sent.extend(messages)
        return len(messages)

    monkeypatch.setattr(EmailBackend, "send_messages", fail_after_two)
    caplog.set_level(logging.INFO)

    response = send(owner, anna_done, ANNA_TEAM)

    html = response.content.decode()
    assert response.status_code == 503
    assert TeamInvitation.objects.filter(survey__scan=anna_done).count() == 2
    assert ANNA_TEAM[2] in html and ANNA_TEAM[0] not in html  # the unsent ones back in the field
    assert "2 of 6 invitations were sent" in html
    logged = caplog.text
    assert "ConnectionRefusedError" in logged
    assert not any(address in logged for address in ANNA_TEAM)
    assert "/team/" not in logged.replace("/team/<token>/", "")


# --- Sent in the background --------------------------------------------------------------------


def no_mail_in_the_request(self, messages):
    raise AssertionError("the request sent mail itself")


def answered_all_but(scan, addresses, unused):
    """Mail the addresses their invitations; every employee answers except the first `unused`."""
    send(Client(), scan, addresses)
    for n, invitation in enumerate(TeamInvitation.objects.filter(survey__scan=scan)):
        if n >= unused:
            answered = employee_answers(invitation, submission_key=f"f-{scan.pk}-{n}")
            assert answered.status_code == 302
    age(scan)


def same_moments(*scans):
    """Give the teams' reminders the same moments, so that their pages can be compared whole."""
    moment = timezone.now().replace(second=0, microsecond=0)
    TeamSurvey.objects.filter(scan__in=scans, reminded_at__isnull=False).update(reminded_at=moment)
    TeamSurvey.objects.filter(scan__in=scans, reminder_failed_at__isnull=False).update(
        reminder_failed_at=moment
    )


def test_the_request_only_queues_the_reminder_the_same_whether_none_or_two_were_unused(
    anna_done, metal_scan, monkeypatch
):
    """Anna's team: two of six still unused. Martin's: all six answered. Pressing "Send a
    reminder" gives the same answer, byte for byte, in as many queries, and queues the same task
    with nothing in it but the team scan's id and the site's address; the task then mails the two,
    and nobody of Martin's team."""
    anna_team, metal_team = ANNA_TEAM, [f"monteur{n}@metaal.nl" for n in range(6)]
    answered_all_but(anna_done, anna_team, unused=2)
    answered_all_but(metal_scan, metal_team, unused=0)
    mail.outbox.clear()
    monkeypatch.setattr(EmailBackend, "send_messages", no_mail_in_the_request)
    monkeypatch.setattr(EmailBackend, "open", no_mail_in_the_request)

    answers, queries = [], []
    for scan in (anna_done, metal_scan):
        browser = Client()  # each employer's own, as Anna's browser (no notice left over)
        browser.cookies["django_language"] = "en"
        with CaptureQueriesContext(connection) as made:
            response = remind(browser, scan, work=False)
        answers.append(response_bytes(response, scan))
        queries.append(len(made))

    assert answers[0] == answers[1] and answers[0].startswith(b"302\r\n")
    assert b"The reminder is being sent" in answers[0]  # the notice, the same for both
    assert queries[0] == queries[1]
    rows = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [row.task_path for row in rows] == [team_reminder_send.module_path] * 2
    surveys = [TeamSurvey.objects.get(scan=scan).pk for scan in (anna_done, metal_scan)]
    assert [row.args_kwargs for row in rows] == [
        {"args": [pk, "http://testserver"], "kwargs": {}} for pk in surveys
    ]
    assert len({(row.priority, row.queue_name, row.backend_name) for row in rows}) == 1
    stored = json.dumps([row.args_kwargs for row in rows])
    assert not any(a in stored for a in anna_team + metal_team)
    assert not any(i.token in stored for i in TeamInvitation.objects.all())
    assert not mail.outbox

    monkeypatch.undo()
    assert run_queued(team_reminder_send) == [None, None]  # no count kept with the results

    unused = TeamInvitation.objects.filter(survey__scan=anna_done, submission_key="")
    assert sorted(a for m in mail.outbox for a in m.to) == sorted(i.email for i in unused)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        token = unused.get(email=message.to[0]).token
        assert f"http://testserver/team/{token}/" in message.body


def test_the_task_run_a_second_time_sends_nothing_more(owner, anna_done):
    answered_all_but(anna_done, ANNA_TEAM, unused=6)
    remind(owner, anna_done, work=False)
    row = DBTaskResult.objects.get(task_path=team_reminder_send.module_path)
    run_queued(team_reminder_send)
    mail.outbox.clear()

    team_reminder_send.call(*row.args_kwargs["args"])  # queued again after its worker died

    assert not mail.outbox
    assert TeamSurvey.objects.get(scan=anna_done).reminders_sent == 1


def test_a_team_scan_closed_before_the_task_runs_gets_no_reminder(owner, anna_done):
    answered_all_but(anna_done, ANNA_TEAM, unused=6)
    remind(owner, anna_done, work=False)
    owner.post(reverse("teams:manage", args=[anna_done.token]), {"action": "close"})
    mail.outbox.clear()

    run_queued(team_reminder_send)

    assert not mail.outbox
    assert not TeamSurvey.objects.get(scan=anna_done).reminder_queued


def test_a_worker_that_runs_the_task_at_once_sends_the_same(owner, anna_done, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    answered_all_but(anna_done, ANNA_TEAM, unused=6)
    mail.outbox.clear()

    assert remind(owner, anna_done, work=False).status_code == 302

    assert sorted(a for m in mail.outbox for a in m.to) == sorted(ANNA_TEAM)
    assert TeamSurvey.objects.get(scan=anna_done).reminders_sent == 1


def test_no_connection_to_the_mail_server_gives_the_reminder_back_whoever_answered(
    owner, anna_done, metal_scan, monkeypatch, caplog
):
    """The server cannot be reached: nobody got anything, and it would have failed the same with
    nobody to remind. The claim goes back, the page says the last reminder could not be sent, the
    same for a team where everyone answered as for one where nobody did, and the log names the
    kind of error only."""
    answered_all_but(anna_done, ANNA_TEAM, unused=6)
    answered_all_but(metal_scan, [f"monteur{n}@metaal.nl" for n in range(6)], unused=0)
    mail.outbox.clear()

    def unreachable(self):
        raise ConnectionRefusedError(f"no route to the server for {ANNA_TEAM[0]}")

    monkeypatch.setattr(EmailBackend, "open", unreachable)
    caplog.set_level(logging.INFO)

    for scan in (anna_done, metal_scan):
        response = remind(owner, scan)
        assert response.status_code == 302
        owner.get(response["Location"])  # the notice, shown (and used up)

    assert not mail.outbox
    for survey in TeamSurvey.objects.filter(scan__in=[anna_done, metal_scan]):
        assert survey.reminders_sent == 0 and survey.reminded_at is None
        assert survey.reminder_failed_at is not None and not survey.reminder_queued
    same_moments(anna_done, metal_scan)
    pages = [
        page_without_secrets(owner.get(invitations_url(scan)).content.decode()).replace(
            scan.token, "<token>"
        )
        for scan in (anna_done, metal_scan)
    ]
    assert pages[0] == pages[1]
    assert "could not be sent: the mail server could not be reached" in pages[0]
    assert 'name="action" value="remind"' in pages[0]  # it may go again at once
    assert "ConnectionRefusedError" in caplog.text
    assert not any(address in caplog.text for address in ANNA_TEAM)
    assert "/team/" not in caplog.text.replace("/team/<token>/", "")

    monkeypatch.undo()
    assert remind(owner, anna_done).status_code == 302
    assert sorted(a for m in mail.outbox for a in m.to) == sorted(ANNA_TEAM)
    survey = TeamSurvey.objects.get(scan=anna_done)
    assert survey.reminders_sent == 1 and survey.reminder_failed_at is None
    page = owner.get(invitations_url(anna_done)).content.decode()
    assert "could not be sent" not in page


def test_a_mail_server_failing_while_sending_keeps_the_reminder_counted_and_says_nothing(
    owner, anna_done, metal_scan, monkeypatch, caplog
):
    """A server that refuses a message fails only when there was someone to remind: saying so,
    or giving the reminder back, would tell Anna that someone had not answered. The reminder counts
    for both teams, the pages are the same, and the log has the kind of error, not the address."""
    answered_all_but(anna_done, ANNA_TEAM, unused=6)
    answered_all_but(metal_scan, [f"monteur{n}@metaal.nl" for n in range(6)], unused=0)
    mail.outbox.clear()

    def refuse(self, messages):
        address = messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({address: (550, f"{address} unknown".encode())})

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    caplog.set_level(logging.INFO)

    for scan in (anna_done, metal_scan):
        response = remind(owner, scan)
        assert response.status_code == 302
        owner.get(response["Location"])  # the notice, shown (and used up)

    for survey in TeamSurvey.objects.filter(scan__in=[anna_done, metal_scan]):
        assert survey.reminders_sent == 1 and survey.reminder_failed_at is None
    same_moments(anna_done, metal_scan)
    pages = [
        page_without_secrets(owner.get(invitations_url(scan)).content.decode()).replace(
            scan.token, "<token>"
        )
        for scan in (anna_done, metal_scan)
    ]
    assert pages[0] == pages[1] and "could not be sent" not in pages[0]
    assert "SMTPRecipientsRefused" in caplog.text
    assert not any(address in caplog.text for address in ANNA_TEAM)


@pytest.mark.parametrize("token", ["x" * 32, "A" * 43])
def test_a_wrong_scan_token_is_a_404_and_mails_nothing(client, anna_done, token):
    response = client.post(f"/scan/{token}/team/uitnodigingen/", {"action": "remind"})
    emails = client.post(
        f"/scan/{token}/team/uitnodigingen/", {"action": "email", "emails": "\n".join(ANNA_TEAM)}
    )

    assert response.status_code == emails.status_code == 404
    assert not mail.outbox and not TeamInvitation.objects.exists()


def test_the_employee_form_still_asks_no_address(owner, anna_done):
    send(owner, anna_done, ANNA_TEAM)
    invitation = TeamInvitation.objects.filter(survey__scan=anna_done).first()

    html = Client().get(reverse("teams:form", args=[invitation.token])).content.decode()

    assert 'type="email"' not in html and invitation.email not in html
