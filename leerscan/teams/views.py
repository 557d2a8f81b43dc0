"""The team scan's pages: the employees' form at /team/<token>/ with its thank-you page, and the
employer's actions at /scan/<token>/team/ (make the link, close it, open it again).

The form asks no name and no e-mail, stores no address or time (leerscan/teams/models.py), and,
like every private link, is kept out of caches, search engines and other sites' Referer headers. The
employer's section on the results page and in the report comes from templatetags/team_tags.py.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from benchmarks.vocabulary import SCALE_MAX, SCALE_MIN
from leerscan import ratelimit
from leerscan.constants import TEAM_MIN_RESPONSES
from leerscan.scans.access import mark_private, scan_from_token
from leerscan.scans.models import Scan
from leerscan.scans.questions import AGREEMENT_SCALE
from leerscan.teams.models import TEAM_ANSWER_KEYS, TeamSurvey
from leerscan.teams.questions import team_questions
from leerscan.teams.services import (
    SurveyClosed,
    team_response_submit,
    team_survey_manage,
)


def _private(response: HttpResponse) -> HttpResponse:
    """A team link is a key: no cache, no search engine. Other sites get no Referer either: the
    site's policy is "same-origin" (settings.SECURE_REFERRER_POLICY). Not "no-referrer": with it
    the browser posts the form with "Origin: null", which Django's CSRF check refuses."""
    return mark_private(response)


def _gone(request: HttpRequest, *, status: int) -> HttpResponse:
    return _private(render(request, "teams/unavailable.html", {"status": status}, status=status))


def _form_page(
    request: HttpRequest,
    survey: TeamSurvey,
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
        for q in team_questions(scan=survey.scan)
    ]
    context = {
        "survey": survey,
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
    """An employee's form: 14 statements on 1-6, one page, stored once per submission key."""
    survey = TeamSurvey.objects.select_related("scan").filter(token=token).first()
    if survey is None:
        return _gone(request, status=404)
    if not survey.is_open:
        return _gone(request, status=410)
    if request.method == "GET":
        return _form_page(
            request, survey, submission_key=secrets.token_urlsafe(24), values={}, errors={}
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
    values = {key: request.POST.get(key, "")[:10] for key in TEAM_ANSWER_KEYS}
    submission_key = request.POST.get("submission_key", "")
    try:
        team_response_submit(survey=survey, submission_key=submission_key, answers=values)
    except SurveyClosed:
        return _gone(request, status=410)
    except ValidationError as error:
        fresh_key = submission_key if "submission_key" not in error.message_dict else ""
        return _form_page(
            request,
            survey,
            submission_key=fresh_key or secrets.token_urlsafe(24),
            values=values,
            errors=error.message_dict,
            status=400,
        )
    return _private(redirect("teams:thanks", survey.token))


@require_http_methods(["GET"])
def team_thanks(request: HttpRequest, token: str) -> HttpResponse:
    if not TeamSurvey.objects.filter(token=token).exists():
        return _gone(request, status=404)
    return _private(render(request, "teams/thanks.html"))


@require_http_methods(["GET", "POST"])
@scan_from_token(finished=True)
def team_manage(request: HttpRequest, scan: Scan) -> HttpResponse:
    """The employer makes the team link (or opens it again), or closes it; back to the results
    (where a GET goes at once: the team section is part of the results page)."""
    results = reverse("reports:results", args=[scan.token]) + "#kop-team"
    if request.method == "GET":
        return redirect(results)
    if not team_survey_manage(scan=scan, action=request.POST.get("action", "")):
        return render(request, "teams/unavailable.html", {"status": 400}, status=400)
    return redirect(results)
