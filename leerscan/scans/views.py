"""Views of the scan. Each parses a form, calls a service or selector, and renders or redirects."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from benchmarks.selectors import benchmark_set_current, benchmark_set_respondents
from leerscan import ratelimit
from leerscan.constants import TEAM_EMAIL_KEEP_DAYS, TEAM_REMINDERS_MAX
from leerscan.scans import resume, services
from leerscan.scans.access import scan_from_token
from leerscan.scans.forms import FactStepForm, ItemStepForm, ProfileForm, fact_initial
from leerscan.scans.models import Scan
from leerscan.scans.questions import ITEM_STEPS, NOT_APPLICABLE, STEP_COUNT, STEPS
from leerscan.scans.selectors import (
    scan_answer_summary,
    scan_fact_answers,
    scan_item_not_applicable,
    scan_item_values,
    scan_items,
    scan_missing_answers,
)


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    benchmark_set = benchmark_set_current()
    remembered = resume.remembered_scan(request)
    respondents = benchmark_set_respondents(benchmark_set) if benchmark_set else None
    response = render(
        request,
        "scans/landing.html",
        {"benchmark_set": benchmark_set, "respondents": respondents, "remembered": remembered},
    )
    resume.landing_offer(request, response, remembered)
    return response


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "scans/privacy.html",
        {
            "team_reminders_max": TEAM_REMINDERS_MAX,
            "team_email_keep_days": TEAM_EMAIL_KEEP_DAYS,
        },
    )


def scan_start_refused(request: HttpRequest) -> HttpResponse | None:
    """Count a scan started from this client (here, or by joining a leertafel): the 429 page when
    too many were, else None."""
    return ratelimit.check(
        request,
        ratelimit.limit("scan_start"),
        ratelimit.limit("scan_start_daily"),
        message=_(
            "Many scans were started from your network in a short time. To keep Leerscan quick "
            "for everyone, there is a limit. Do you already have a scan? Continue it with your "
            "private link."
        ),
    )


@require_http_methods(["GET", "POST"])
def scan_start(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "scans/start.html", {"steps": STEPS})
    refused = scan_start_refused(request)
    if refused:
        return refused
    scan = services.scan_start()
    response = redirect(reverse("scans:step", args=[scan.token, 1]) + "?nieuw=1")
    resume.remember_scan(response, scan)
    return response


@require_GET
@scan_from_token()
def scan_resume(request: HttpRequest, scan: Scan) -> HttpResponse:
    if scan.is_finished:
        response = redirect("reports:results", scan.token)
    elif scan.furthest_step > STEP_COUNT:
        response = redirect("scans:review", scan.token)
    else:
        response = redirect("scans:step", scan.token, scan.furthest_step)
    # Opened through its link: this device remembers it (for "Verder met uw scan").
    resume.remember_scan(response, scan)
    return response


def resume_url(request: HttpRequest, scan: Scan) -> str:
    """The scan's private resume link, absolute, to bookmark or copy."""
    return request.build_absolute_uri(reverse("scans:resume", args=[scan.token]))


def _profile_initial(scan: Scan) -> dict:
    fields = ("organisation_name", "sbi_section", "sbi_code", "employees", "province")
    initial = {f: getattr(scan, f) for f in fields}
    initial["respondent_role"] = scan.respondent_role
    initial["consent"] = scan.consent_at is not None
    return initial


def _step_form(request: HttpRequest, scan: Scan, step: int):
    # A posted form shows what was posted; only a GET needs the saved answers as initial values.
    data = request.POST if request.method == "POST" else None
    if step == 1:
        form = ProfileForm(data, initial=_profile_initial(scan))
        if scan.context == Scan.Context.LEERTAFEL:
            # The name may also reach the table: say so where it is typed (docs/leertafels.md).
            form.fields["organisation_name"].help_text = _(
                "Shown on your own results and report; at the leertafel only if you allow it."
            )
        return form
    if step in ITEM_STEPS:
        items = scan_items(scan=scan, group=ITEM_STEPS[step])
        initial = {}
        if data is None:
            values = scan_item_values(scan=scan)
            initial = {i.key: str(values[i.key]) for i in items if i.key in values}
            initial |= dict.fromkeys(scan_item_not_applicable(scan=scan), NOT_APPLICABLE)
        return ItemStepForm(data, items=items, initial=initial, core_only=scan.core_only)
    initial = {}
    if data is None:
        initial = fact_initial(scan_fact_answers(scan=scan), employees=scan.employees)
    return FactStepForm(data, step=step, employees=scan.employees, initial=initial)


def _save(scan: Scan, step: int, form) -> bool:
    """Save a valid step; False (with the errors on the form) when the service refuses it."""
    try:
        if step == 1:
            services.scan_save_profile(scan=scan, data=form.cleaned_data)
        elif step in ITEM_STEPS:
            services.scan_save_items(scan=scan, step=step, values=form.answers())
        else:
            services.scan_save_facts(scan=scan, step=step, answers=form.answers())
    except ValidationError as exc:
        for name, messages_ in exc.message_dict.items():
            for message in messages_:
                form.add_error(name if name in form.fields else None, message)
        return False
    return True


@require_http_methods(["GET", "POST"])
@scan_from_token()
def scan_step(request: HttpRequest, scan: Scan, step: int) -> HttpResponse:
    token = scan.token
    if not 1 <= step <= STEP_COUNT:
        raise Http404("no such step")
    if step > 1 and scan.consent_at is None:
        # Nothing is stored before the organisation step and its consent are done.
        return redirect("scans:step", token, 1)
    form = _step_form(request, scan, step)
    status = 200
    if request.method == "POST":
        if form.is_valid() and _save(scan, step, form):
            if request.POST.get("action") == "previous" and step > 1:
                return redirect("scans:step", token, step - 1)
            if step == STEP_COUNT:
                return redirect("scans:review", token)
            return redirect("scans:step", token, step + 1)
        status = 400
    return render(
        request,
        "scans/step.html",
        {
            "scan": scan,
            "step": STEPS[step - 1],
            "steps": STEPS,
            "form": form,
            "is_new": request.GET.get("nieuw") == "1" and step == 1,
            "resume_url": resume_url(request, scan),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@scan_from_token()
def scan_review(request: HttpRequest, scan: Scan) -> HttpResponse:
    status = 200
    if request.method == "POST":
        try:
            services.scan_finish(scan=scan)
        except ValidationError:
            status = 400
        else:
            return redirect("reports:results", scan.token)
    return render(
        request,
        "scans/review.html",
        {
            "scan": scan,
            "steps": STEPS,
            "missing": scan_missing_answers(scan=scan),
            "summary": scan_answer_summary(scan=scan),
            "resume_url": resume_url(request, scan),
            "failed": status == 400,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@scan_from_token()
def scan_delete(request: HttpRequest, scan: Scan) -> HttpResponse:
    if request.method == "POST":
        services.scan_delete(scan=scan)
        messages.success(request, _("Your scan and all its answers have been deleted."))
        return redirect("scans:landing")
    return render(request, "scans/delete.html", {"scan": scan})


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """A trivial page for uptime checks; also the framework's floor in perf/."""
    return HttpResponse("ok", content_type="text/plain")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
