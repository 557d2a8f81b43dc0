"""The employer's team-scan section on the results page and in the report (each one include
line in the shared templates, so that the reports app needs no change to show the team)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from benchmarks.vocabulary import DIFFERENCE_THRESHOLDS, SCALE_1_6
from leerscan.constants import TEAM_EXACT_FROM, TEAM_MIN_RESPONSES, TEAM_RELEASE_STEP
from leerscan.teams.selectors import team_view

register = template.Library()


def _thresholds() -> dict[str, object]:
    somewhat, clearly = DIFFERENCE_THRESHOLDS[SCALE_1_6]
    return {
        "somewhat": somewhat,
        "clearly": clearly,
        "step": TEAM_RELEASE_STEP,
        "exact_from": TEAM_EXACT_FROM,
    }


def _monitor(context: template.Context) -> dict[str, object]:
    """The monitor's figures and sentences on employees' learning (chapter 3), shown beside the
    team's: from the results view-model the page or report already has (no query of its own)."""
    results = context.get("results")
    sentences = getattr(results, "sentences", {}) or {}
    return {
        "employees": getattr(results, "employee_learning", None),
        "initiative_long": sentences.get("initiatief_lang_loondienst", ""),
        "initiative_short": sentences.get("initiatief_kort_loondienst", ""),
    }


@register.inclusion_tag("teams/_owner_section.html", takes_context=True)
def team_section(context: template.Context) -> dict:
    """The results page's team section: invite the team; the counts and the team view."""
    scan = context["scan"]
    view = team_view(scan=scan)
    # A coach looking at a client's results (leerscan/coaching) manages the team scan through
    # their own URLs (`team_manage_url`, `team_invitations_url`): the owner's would put the
    # private token in their page.
    coach_view = bool(context.get("coach_view"))
    manage_url = context.get("team_manage_url")
    invitations_url = context.get("team_invitations_url")
    if not coach_view:
        manage_url = manage_url or reverse("teams:manage", args=[scan.token])
        invitations_url = invitations_url or reverse("teams:invitations", args=[scan.token])
    return {
        "scan": scan,
        "coach_view": coach_view,
        "manage_url": manage_url,
        "invitations_url": invitations_url,
        "view": view,
        "minimum": TEAM_MIN_RESPONSES,
        "csrf_token": context.get("csrf_token"),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
        **_monitor(context),
        **_thresholds(),
    }


@register.inclusion_tag("teams/_report_section.html", takes_context=True)
def team_report_section(context: template.Context) -> dict:
    """The report's team chapter: only with enough answers (the report never shows a count)."""
    view = team_view(scan=context["scan"])
    return {
        "view": view if view is not None and view.enough else None,
        **_monitor(context),
        **_thresholds(),
    }
