"""The team scan's pages: an employee's form at /team/<invitation token>/ with its thank-you page,
and the employer's pages at /scan/<token>/team/ (close, open again) and /scan/<token>/team/
uitnodigingen/ (invite employees: one link each, to copy or to print as cards).

The form asks no name and no e-mail, stores no address or time (leerscan/teams/models.py), and,
like every private link, is kept out of caches, search engines and other sites' Referer headers. It
takes no answers from the employer's own device (the one that remembers their scan) or from a
signed-in adviser or coach: their answers would mix into the team's. The employer's section on the
results page and in the report comes from templatetags/team_tags.py.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from benchmarks.vocabulary import SCALE_MAX, SCALE_MIN
from leerscan import ratelimit
from leerscan.constants import (
    TEAM_EXACT_FROM,
    TEAM_INVITATIONS_MAX,
    TEAM_MIN_RESPONSES,
    TEAM_RELEASE_STEP,
)
from leerscan.scans.access import mark_private, scan_from_token
from leerscan.scans.models import Scan
from leerscan.scans.questions import AGREEMENT_SCALE
from leerscan.scans.resume import REMEMBER_COOKIE, remember_scan, resume_qr_svg
from leerscan.teams.models import TEAM_ANSWER_KEYS, TeamInvitation, TeamSurvey
from leerscan.teams.questions import team_questions
from leerscan.teams.services import (
    InvitationUsed,
    SurveyClosed,
    team_invitations_add,
    team_response_submit,
    team_survey_manage,
)


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


def invitations_page(
    request: HttpRequest, scan: Scan, *, page_url: str, back_url: str
) -> HttpResponse:
    """The invitations of a scan's team (the employer's page and the coach's): GET shows them,
    to copy or print as cards; POST `count` makes that many more (the team scan itself the first
    time). A bad count gets its message next to the field and a 400; nothing changes."""
    errors: list[str] = []
    value = ""
    if request.method == "POST":
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
    survey = TeamSurvey.objects.filter(scan=scan).first()
    invitations = []
    if survey is not None:
        for invitation in survey.invitations.all():
            link = request.build_absolute_uri(reverse("teams:form", args=[invitation.token]))
            # segno draws only modules: no text of the link reaches the SVG.
            invitations.append((invitation.number, link, resume_qr_svg(link)))
    context = {
        "scan": scan,
        "survey": survey,
        "invitations": invitations,
        "links": "\n".join(link for _number, link, _qr in invitations),
        "page_url": page_url,
        "back_url": back_url,
        "count_value": value,
        "count_errors": errors,
        "minimum": TEAM_MIN_RESPONSES,
        "step": TEAM_RELEASE_STEP,
        "exact_from": TEAM_EXACT_FROM,
        "maximum": TEAM_INVITATIONS_MAX,
    }
    status = 400 if errors else 200
    return render(request, "teams/invitations.html", context, status=status)


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
