"""URLs of the coaching app. Each part has its own block, added by whoever builds that part."""

from __future__ import annotations

from django.urls import path

from leerscan.coaching.views import progress

app_name = "coaching"

urlpatterns: list = []

# Follow-up and progress (leerscan/coaching/views/progress.py).
urlpatterns += [
    path(
        "coaching/klanten/<int:client_id>/vervolgmeting/",
        progress.followup_start_view,
        name="followup_start",
    ),
    path("coaching/klanten/<int:client_id>/voortgang/", progress.progress_page, name="progress"),
    path(
        "coaching/klanten/<int:client_id>/voortgang.pdf",
        progress.progress_report_download,
        name="progress_report",
    ),
]
