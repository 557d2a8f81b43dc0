"""The team scan's pages: an employee's form at /team/<invitation token>/ with its thank-you page,
and the employer's pages at /scan/<token>/team/ (close, open again) and /scan/<token>/team/
uitnodigingen/ (invite employees: one link each, to copy or to print as cards, or mailed by
Leerscan to addresses the employer gives, with reminders to the unused ones).

The form asks no name and no e-mail, stores no address or time (leerscan/teams/models.py), and,
like every private link, is kept out of caches, search engines and other sites' Referer headers. It
takes no answers from the employer's own device (the one that remembers their scan) or from a
signed-in adviser or coach: their answers would mix into the team's. The employer's section on the
results page and in the report comes from templatetags/team_tags.py.
"""

from __future__ import annotations

import logging
import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from benchmarks.vocabulary import SCALE_MAX, SCALE_MIN
from leerscan import ratelimit
from leerscan.constants import (
    TEAM_EMAIL_KEEP_DAYS,
    TEAM_EXACT_FROM,
    TEAM_INVITATIONS_MAX,
    TEAM_INVITATIONS_PER_REQUEST,
    TEAM_MIN_RESPONSES,
    TEAM_RELEASE_STEP,
    TEAM_REMINDER_INTERVAL_DAYS,
    TEAM_REMINDERS_MAX,
)
from leerscan.mail import MailFailed, mails_send
from leerscan.scans.access import mark_private, scan_from_token
from leerscan.scans.models import Scan
from leerscan.scans.questions import AGREEMENT_SCALE
from leerscan.scans.resume import REMEMBER_COOKIE, remember_scan, resume_qr_svg
from leerscan.teams.mail import team_invitation_link, team_invitation_message
from leerscan.teams.models import TEAM_ANSWER_KEYS, TeamInvitation, TeamSurvey
from leerscan.teams.questions import team_questions
from leerscan.teams.services import (
    EMAILS_TEXT_MAX,
    InvitationUsed,
    SurveyClosed,
    team_emails_clean,
    team_invitations_add,
    team_invitations_add_emails,
    team_invitations_discard,
    team_reminder_claim,
    team_reminder_refused,
    team_response_submit,
    team_survey_manage,
)
from leerscan.teams.tasks import team_reminder_send

logger = logging.getLogger(__name__)


def _private(response: HttpResponse) -> HttpResponse:
    """A team invitation is a key: no cache, no search engine. Other sites get no Referer either:
    the site's policy is "same-origin" (settings.SECURE_REFERRER_POLICY). Not "no-referrer": with
    it the browser posts the form with "Origin: null", which Django's CSRF check refuses."""
    return mark_private(response)


def _gone(request: HttpRequest, *, status: int, used: bool = False) -> HttpResponse:
    context = {"status": status, "used": used}
    return _private(render(request, "teams/unavailable.html", context, status=status))


def _not_an_employee(request: HttpRequest, survey: TeamSurvey) -> bool:
    """The employer's own device (it remembers their scan: leerscan/scans/resume.py) or a
    signed-in adviser or coach: answers from there would be theirs, not an employee's."""
    remembered = request.COOKIES.get(REMEMBER_COOKIE, "")
    own_device = bool(remembered) and secrets.compare_digest(
        remembered.encode(), survey.scan.token.encode()
    )
    return own_device or request.user.is_authenticated


def _form_page(
    request: HttpRequest,
    invitation: TeamInvitation,
    *,
    submission_key: str,
    values: dict[str, str],
    errors: dict[str, list[str]],
    status: int = 200,
) -> HttpResponse:
    words = dict(AGREEMENT_SCALE)
    questions = [
        {
            "key": q.key,
            "text": q.text,
            "errors": errors.get(q.key, []),
            "options": [
                {
                    "value": str(v),
                    "word": str(words[v]),
                    "checked": values.get(q.key) == str(v),
                }
                for v in range(SCALE_MIN, SCALE_MAX + 1)
            ],
        }
        for q in team_questions(scan=invitation.survey.scan)
    ]
    context = {
        "invitation": invitation,
        "not_an_employee": _not_an_employee(request, invitation.survey),
        "blocks": questions[:6],
        "behaviours": questions[6:],
        "submission_key": submission_key,
        "form_errors": errors.get("__all__", []) + errors.get("submission_key", []),
        "has_errors": bool(errors),
        "minimum": TEAM_MIN_RESPONSES,
        "ends": (f"1 = {words[SCALE_MIN]}", f"6 = {words[SCALE_MAX]}"),
    }
    return _private(render(request, "teams/form.html", context, status=status))


@require_http_methods(["GET", "POST"])
def team_form(request: HttpRequest, token: str) -> HttpResponse:
    """An employee's form: 14 statements on 1-6, one page, stored once per invitation."""
    invitation = TeamInvitation.objects.select_related("survey__scan").filter(token=token).first()
    if invitation is None:
        return _gone(request, status=404)
    survey = invitation.survey
    if invitation.used:
        # The same form sent again (a double tap, a resend after a lost connection) was stored
        # the first time: thank again. Any other form finds the invitation used.
        sent = request.POST.get("submission_key", "") if request.method == "POST" else ""
        key = invitation.submission_key.encode()
        if sent and secrets.compare_digest(sent.strip().encode(), key):
            return _private(redirect("teams:thanks", invitation.token))
        return _gone(request, status=410, used=True)
    if not survey.is_open:
        return _gone(request, status=410)
    if request.method == "GET":
        return _form_page(
            request, invitation, submission_key=secrets.token_urlsafe(24), values={}, errors={}
        )
    values = {key: request.POST.get(key, "")[:10] for key in TEAM_ANSWER_KEYS}
    submission_key = request.POST.get("submission_key", "")
    if _not_an_employee(request, survey):
        # Shown the form (to see what the team is asked), never counted: nothing is stored and
        # the invitation stays unused.
        return _form_page(
            request,
            invitation,
            submission_key=submission_key,
            values=values,
            errors={},
            status=403,
        )
    address = ratelimit.client_address(request) or "unknown"
    refused = ratelimit.check(
        request,
        ratelimit.limit("team_submit"),
        subjects={"team_submit": f"team:{survey.pk}:{address}"},
        message=_("Many answers came from this address in a short time. Please try again later."),
    )
    if refused:
        return _private(refused)
    try:
        team_response_submit(invitation=invitation, submission_key=submission_key, answers=values)
    except SurveyClosed:
        return _gone(request, status=410)
    except InvitationUsed:
        return _gone(request, status=410, used=True)
    except ValidationError as error:
        fresh_key = submission_key if "submission_key" not in error.message_dict else ""
        return _form_page(
            request,
            invitation,
            submission_key=fresh_key or secrets.token_urlsafe(24),
            values=values,
            errors=error.message_dict,
            status=400,
        )
    return _private(redirect("teams:thanks", invitation.token))


@require_http_methods(["GET"])
def team_thanks(request: HttpRequest, token: str) -> HttpResponse:
    if not TeamInvitation.objects.filter(token=token).exists():
        return _gone(request, status=404)
    return _private(render(request, "teams/thanks.html"))


@require_http_methods(["GET", "POST"])
@scan_from_token(finished=True)
def team_manage(request: HttpRequest, scan: Scan) -> HttpResponse:
    """The employer closes the team scan or opens it again; back to the results (where a GET
    goes at once: the team section is part of the results page)."""
    results = reverse("reports:results", args=[scan.token]) + "#kop-team"
    if request.method == "GET":
        return redirect(results)
    if not team_survey_manage(scan=scan, action=request.POST.get("action", "")):
        return render(request, "teams/unavailable.html", {"status": 400}, status=400)
    return redirect(results)


def _site_url(request: HttpRequest) -> str:
    """The site's address (scheme and host) as this request came in: what links in mails begin
    with, also those a task sends later."""
    return request.build_absolute_uri("/").rstrip("/")


def _invitation_link(request: HttpRequest, invitation: TeamInvitation) -> str:
    return team_invitation_link(site_url=_site_url(request), token=invitation.token)


def _mail_refused(request: HttpRequest, scan: Scan, page_url: str) -> HttpResponse | None:
    """The abuse limits of mailing (per team scan and per client address): the 429 page."""
    return ratelimit.check(
        request,
        ratelimit.limit("team_mail"),
        ratelimit.limit("team_mail_client"),
        subjects={"team_mail": f"team-mail:{scan.pk}"},
        message=_("Many e-mails were sent for this team scan in a short time. Try again later."),
        back_url=page_url,
        back_label=_("Back to the invitations"),
    )


def _emails_refused(raw: str, error: ValidationError) -> dict:
    """The page's state for a list of addresses refused: what was typed, back in the field, with
    the message next to it (400)."""
    return {"emails_value": raw, "emails_errors": error.message_dict["emails"], "status": 400}


def _invite_by_email(
    request: HttpRequest, scan: Scan, survey: TeamSurvey | None, page_url: str
) -> tuple[HttpResponse | None, dict]:
    """POST action=email: one invitation per address, each mailed to its address alone. A bad
    list gets its message next to the field (400), nothing saved; a mail server that fails gets
    503, with the addresses not sent back in the field and no invitation kept for them."""
    raw = request.POST.get("emails", "")[: EMAILS_TEXT_MAX + 1]
    try:
        team_emails_clean(raw, survey=survey)
    except ValidationError as error:
        return None, _emails_refused(raw, error)
    refused = _mail_refused(request, scan, page_url)
    if refused:
        return refused, {}
    try:
        invitations = team_invitations_add_emails(scan=scan, emails=raw)
    except ValidationError as error:  # the team scan changed in between (employer and coach)
        return None, _emails_refused(raw, error)
    mails = [
        team_invitation_message(
            scan=scan,
            address=invitation.email,
            link=_invitation_link(request, invitation),
            reminder=False,
        )
        for invitation in invitations
    ]
    try:
        mails_send(mails)
    except MailFailed as failed:
        # The kind of error and the scan's id only: an SMTP error can quote an address.
        logger.warning("Mailing team invitations of scan %s failed (%s)", scan.pk, failed.kind)
        unsent = invitations[failed.sent :]
        team_invitations_discard(invitations=unsent)
        message = ngettext(
            "%(sent)s of %(n)s invitation was sent.",
            "%(sent)s of %(n)s invitations were sent.",
            len(invitations),
        ) % {"sent": failed.sent, "n": len(invitations)}
        message += " " + _(
            "The mail server did not take the others just now. Their addresses are still in the "
            "field, and no invitation was kept for them: try again later."
        )
        return None, {
            "emails_value": "\n".join(invitation.email for invitation in unsent),
            "emails_errors": [message],
            "status": 503,
            "survey": invitations[0].survey,  # made now, if it was the first time
        }
    messages.success(
        request,
        ngettext(
            "%(n)s invitation sent by e-mail, each to its own address.",
            "%(n)s invitations sent by e-mail, each to its own address.",
            len(invitations),
        )
        % {"n": len(invitations)},
    )
    return redirect(page_url + "#kop-email"), {}


def _remind(
    request: HttpRequest, scan: Scan, survey: TeamSurvey | None, page_url: str
) -> tuple[HttpResponse | None, dict]:
    """POST action=remind: claim the team scan's next reminder and queue the task that mails it
    to every unused invitation that still has an address, each alone (leerscan/teams/tasks.py).
    The request sends nothing itself: its answer, and the time it takes, are the same however
    many (or few) were still unused, so the employer learns nothing of who answered. Refused
    (409, or 429 too soon) by rules of the employer's own actions, which team_reminder_claim
    applies and claims in one step: a double click queues one reminder."""
    with transaction.atomic():
        refusal = team_reminder_claim(survey=survey)
        if refusal is not None:
            return None, {
                "remind_errors": [refusal.message],
                "status": refusal.status,
                "refusal": refusal,
            }
        refused = _mail_refused(request, scan, page_url)
        if refused:
            transaction.set_rollback(True)  # not claimed after all
            return refused, {}
        # The claim and its task are stored together or not at all: the database backend writes
        # the task in the same database. The task gets the id and the site's address, no more.
        team_reminder_send.enqueue(survey.pk, _site_url(request))
    messages.success(
        request,
        _(
            "The reminder is being sent to every invitation sent by e-mail that has not been "
            "used yet (not to those mailed less than %(days)s days ago). Leerscan does not say "
            "how many: that would tell you who answered."
        )
        % {"days": TEAM_REMINDER_INTERVAL_DAYS},
    )
    return redirect(page_url + "#kop-herinnering"), {}


def invitations_page(
    request: HttpRequest, scan: Scan, *, page_url: str, back_url: str
) -> HttpResponse:
    """The invitations of a scan's team (the employer's page and the coach's): GET shows them,
    to copy or print as cards; POST `count` makes that many more (the team scan itself the first
    time), `action=email` one per address, mailed by Leerscan, and `action=remind` queues a
    reminder to the unused ones of those. Bad input gets its message next to its field and a 4xx;
    nothing changes.

    Nothing on the page depends on which invitations were used: the invitations mailed by Leerscan
    are counted (a number that only the employer changes) and not listed, their addresses are
    never shown, and the reminder's rules and answer do not depend on who answered."""
    errors: list[str] = []
    value = ""
    state: dict = {}
    survey = TeamSurvey.objects.filter(scan=scan).first()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "email":
            response, state = _invite_by_email(request, scan, survey, page_url)
            if response is not None:
                return response
        elif action == "remind":
            # A refused claim reads the team scan again into `survey`: the page shows that state.
            response, state = _remind(request, scan, survey, page_url)
            if response is not None:
                return response
        else:
            value = request.POST.get("count", "")[:20]
            try:
                made = team_invitations_add(scan=scan, count=value)
            except ValidationError as error:
                errors = error.message_dict.get("count", [])
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)s invitation made. Give each employee one of their own.",
                        "%(n)s invitations made. Give each employee one of their own.",
                        len(made),
                    )
                    % {"n": len(made)},
                )
                return redirect(page_url)
    # An action that renders the page changed nothing, or says what it made (`survey`).
    survey = state.get("survey", survey)
    invitations = []
    emailed = 0
    if survey is not None:
        # Links mailed by Leerscan went to their address only: not shown, so the employer cannot
        # hand them out twice or fill them in (and the list never changes when one is used).
        for invitation in survey.invitations.all():
            if invitation.by_email:
                emailed += 1
                continue
            link = _invitation_link(request, invitation)
            # segno draws only modules: no text of the link reaches the SVG.
            invitations.append((invitation.number, link, resume_qr_svg(link)))
    context = {
        "scan": scan,
        "survey": survey,
        "invitations": invitations,
        "total": len(invitations) + emailed,
        "emailed": emailed,
        "links": "\n".join(link for _number, link, _qr in invitations),
        "page_url": page_url,
        "back_url": back_url,
        "count_value": value,
        "count_errors": errors,
        "emails_value": state.get("emails_value", ""),
        "emails_errors": state.get("emails_errors", []),
        "remind_errors": state.get("remind_errors", []),
        "remind_refusal": team_reminder_refused(survey=survey, emailed=True) if emailed else None,
        "reminders_max": TEAM_REMINDERS_MAX,
        "reminder_days": TEAM_REMINDER_INTERVAL_DAYS,
        "email_keep_days": TEAM_EMAIL_KEEP_DAYS,
        "per_request": TEAM_INVITATIONS_PER_REQUEST,
        "minimum": TEAM_MIN_RESPONSES,
        "step": TEAM_RELEASE_STEP,
        "exact_from": TEAM_EXACT_FROM,
        "maximum": TEAM_INVITATIONS_MAX,
    }
    status = 400 if errors else state.get("status", 200)
    response = render(request, "teams/invitations.html", context, status=status)
    refusal = state.get("refusal")
    if refusal is not None and refusal.again is not None:
        wait = (refusal.again - timezone.now()).total_seconds()
        response["Retry-After"] = str(max(1, int(wait)))
    return response


@require_http_methods(["GET", "POST"])
@scan_from_token(finished=True)
def team_invitations(request: HttpRequest, scan: Scan) -> HttpResponse:
    """The employer's invitations page. This device is the employer's: it remembers the scan,
    so that the team form refuses answers from it (see _not_an_employee)."""
    response = invitations_page(
        request,
        scan,
        page_url=reverse("teams:invitations", args=[scan.token]),
        back_url=reverse("reports:results", args=[scan.token]) + "#kop-team",
    )
    remember_scan(response, scan)
    return response
