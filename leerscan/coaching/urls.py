"""URLs of the coaching app. Each part has its own block, added by whoever builds that part."""

from __future__ import annotations

from django.urls import path

import leerscan.scans.urls  # noqa: F401 (registers the "token" path converter)

app_name = "coaching"

urlpatterns: list = []

# Cohorts and research (leerscan/coaching/views/cohort.py and research.py).
from leerscan.coaching.views import cohort, research  # noqa: E402 (this part's own block)

urlpatterns += [
    path("coaching/cohort/", cohort.cohort_page, name="cohort"),
    path("coaching/onderzoek/", research.research_page, name="research"),
    path("coaching/onderzoek/<str:export_id>/", research.research_status, name="research_status"),
    path(
        "coaching/onderzoek/<str:export_id>/<str:kind>/",
        research.research_download,
        name="research_download",
    ),
    path("scan/<token:token>/onderzoek/", research.research_consent, name="research_consent"),
]
