"""URLs of the coaching app. Each part has its own block, added by whoever builds that part."""

from __future__ import annotations

from django.urls import path

import leerscan.scans.urls  # noqa: F401 (registers the "token" path converter)
from leerscan.coaching.views import progress

app_name = "coaching"

urlpatterns: list = []

# Clients and the coaching track: clients, invitations, sharing, intake, notes, the action plan
# (views/clients.py, plan.py, rounds.py, invite.py, share.py).
from leerscan.coaching.views import clients, invite, invite_mail, plan, rounds, share  # noqa: E402

_client = "coaching/klanten/<int:client_id>/"
urlpatterns += [
    path("coaching/", clients.clients, name="clients"),
    path("coaching/klanten/nieuw/", clients.client_new, name="client_new"),
    path(_client, clients.client_detail, name="client"),
    path(_client + "wijzigen/", clients.client_edit, name="client_edit"),
    path(_client + "intake/", clients.client_intake, name="client_intake"),
    path(_client + "notities/", plan.note_new, name="note_new"),
    path(_client + "notities/<int:note_id>/verwijderen/", plan.note_remove, name="note_remove"),
    path(_client + "actieplan/nieuw/", plan.action_new, name="action_new"),
    path(_client + "actieplan/<int:action_id>/", plan.action_edit, name="action_edit"),
    path(_client + "actieplan/<int:action_id>/status/", plan.action_status, name="action_status"),
    path(
        _client + "actieplan/<int:action_id>/verwijderen/",
        plan.action_remove,
        name="action_remove",
    ),
    path(_client + "ronde/<int:number>/", rounds.round_results, name="round"),
    path(
        _client + "ronde/<int:number>/adviesrapport.pdf", rounds.round_report, name="round_report"
    ),
    path(_client + "ronde/<int:number>/team/", rounds.round_team, name="round_team"),
    path(
        _client + "ronde/<int:number>/team/uitnodigingen/",
        rounds.round_team_invitations,
        name="round_team_invitations",
    ),
    path(
        _client + "ronde/<int:number>/uitnodiging-mailen/",
        invite_mail.round_invite_mail,
        name="round_invite_mail",
    ),
    path("coaching/uitnodiging/<str:invite_token>/", invite.invite, name="invite"),
    path("scan/<token:token>/coach/", share.share, name="share"),
    path("scan/<token:token>/coach/stoppen/", share.share_revoke, name="share_revoke"),
    path("scan/<token:token>/coaching/", share.intake, name="intake"),
]

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

# Bulk progress reports: all progress PDFs as one ZIP (leerscan/coaching/views/bulk_progress.py).
from leerscan.coaching.views import bulk_progress  # noqa: E402 (this part's own block)

_bulk = "coaching/cohort/voortgangsrapporten/"
urlpatterns += [
    path(_bulk, bulk_progress.bulk_progress_start, name="bulk_progress_start"),
    path(
        _bulk + "<str:export_id>/",
        bulk_progress.bulk_progress_status_page,
        name="bulk_progress_status",
    ),
    path(
        _bulk + "<str:export_id>/zip/",
        bulk_progress.bulk_progress_download,
        name="bulk_progress_download",
    ),
]
