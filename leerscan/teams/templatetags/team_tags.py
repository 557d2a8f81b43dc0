"""The employer's team-scan section on the results page and in the report (each one include
line in the shared templates, so that the reports app needs no change to show the team)."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from benchmarks.vocabulary import DIFFERENCE_THRESHOLDS, SCALE_1_6
from leerscan.constants import TEAM_MIN_RESPONSES
from leerscan.scans.resume import resume_qr_svg
from leerscan.teams.selectors import team_view

register = template.Library()


def _thresholds() -> dict[str, object]:
    somewhat, clearly = DIFFERENCE_THRESHOLDS[SCALE_1_6]
    return {"somewhat": somewhat, "clearly": clearly}


@register.inclusion_tag("teams/_owner_section.html", takes_context=True)
def team_section(context: template.Context) -> dict:
    """The results page's team section: make the link; its QR code, count and team view."""
    scan = context["scan"]
    request = context.get("request")
    view = team_view(scan=scan)
    link = qr_svg = ""
    if view is not None:
        link = reverse("teams:form", args=[view.survey.token])
        link = request.build_absolute_uri(link) if request is not None else link
        # segno draws only modules: no text of the link reaches the SVG.
        qr_svg = mark_safe(resume_qr_svg(link))  # noqa: S308
    # A coach looking at a client's results (leerscan/coaching) manages the link through their
    # own URL (`team_manage_url`): the owner's form would put the private token in their page.
    manage_url = context.get("team_manage_url")
    if manage_url is None and not context.get("coach_view"):
        manage_url = reverse("teams:manage", args=[scan.token])
    return {
        "scan": scan,
        "manage_url": manage_url,
        "view": view,
        "link": link,
        "qr_svg": qr_svg,
        "minimum": TEAM_MIN_RESPONSES,
        "csrf_token": context.get("csrf_token"),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
        **_thresholds(),
    }


@register.inclusion_tag("teams/_report_section.html", takes_context=True)
def team_report_section(context: template.Context) -> dict:
    """The report's team chapter: only with enough answers (the report never shows a count)."""
    view = team_view(scan=context["scan"])
    return {"view": view if view is not None and view.enough else None, **_thresholds()}
