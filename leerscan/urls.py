"""URL configuration."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("leerscan.scans.urls")),
    path("", include("leerscan.reports.urls")),
    path("", include("leerscan.advisers.urls")),
    path("", include("leerscan.teams.urls")),
    path("", include("leerscan.coaching.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
]

handler404 = "leerscan.scans.views.not_found"
