"""URLs of the teams app. Each part has its own block, added by whoever builds that part."""

from __future__ import annotations

from django.urls import path

import leerscan.scans.urls  # noqa: F401 (registers the "token" path converter)
from leerscan.teams import views

app_name = "teams"

urlpatterns: list = []

# The employees' view (team scan): the employees' form and the employer's actions (views.py).
urlpatterns += [
    path("team/<token:token>/", views.team_form, name="form"),
    path("team/<token:token>/bedankt/", views.team_thanks, name="thanks"),
    path("scan/<token:token>/team/", views.team_manage, name="manage"),
]
