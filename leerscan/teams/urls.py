"""URLs of the teams app. Each part has its own block, added by whoever builds that part."""

from __future__ import annotations

from django.urls import path, register_converter

import leerscan.scans.urls  # noqa: F401 (registers the "token" path converter)
from leerscan.scans.models import TOKEN_PATTERN
from leerscan.teams import views


class TeamTokenConverter:
    """A team invitation's token: shaped like a scan token, but it opens only the team form, so it
    has its own converter (the site's tests walk every scan-token page; this is none of them)."""

    regex = TOKEN_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TeamTokenConverter, "team_token")

app_name = "teams"

urlpatterns: list = []

# The employees' view (team scan): the employees' form and the employer's actions (views.py).
urlpatterns += [
    path("team/<team_token:token>/", views.team_form, name="form"),
    path("team/<team_token:token>/bedankt/", views.team_thanks, name="thanks"),
    path("scan/<token:token>/team/", views.team_manage, name="manage"),
    path("scan/<token:token>/team/uitnodigingen/", views.team_invitations, name="invitations"),
]
