"""Adviser pages under /adviseur/, joining under /doe-mee/ (see the views' modules)."""

from __future__ import annotations

from django.urls import path

from leerscan.advisers.views import accounts, join, leertafels
from leerscan.advisers.views import exports as export_views
from leerscan.advisers.views import group as group_views
from leerscan.advisers.views import matrix as matrix_views
from leerscan.advisers.views import participant as participant_views
from leerscan.advisers.views import report as report_views

app_name = "advisers"

urlpatterns = [
    # Accounts
    path("adviseur/inloggen/", accounts.login, name="login"),
    path("adviseur/uitloggen/", accounts.logout, name="logout"),
    path("adviseur/wachtwoord-vergeten/", accounts.password_reset, name="password_reset"),
    path(
        "adviseur/wachtwoord-vergeten/verstuurd/",
        accounts.password_reset_done,
        name="password_reset_done",
    ),
    path(
        "adviseur/wachtwoord/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "adviseur/wachtwoord/gewijzigd/",
        accounts.password_reset_complete,
        name="password_reset_complete",
    ),
    path("adviseur/collegas/", accounts.invite, name="invite"),
    # Leertafels
    path("adviseur/", leertafels.dashboard, name="dashboard"),
    path("adviseur/leertafel/nieuw/", leertafels.leertafel_new, name="leertafel_new"),
    path("adviseur/leertafel/<int:pk>/", leertafels.leertafel_detail, name="leertafel"),
    path(
        "adviseur/leertafel/<int:pk>/open/",
        leertafels.leertafel_toggle_open,
        name="leertafel_toggle_open",
    ),
    path(
        "adviseur/leertafel/<int:pk>/verwijderen/",
        leertafels.leertafel_delete_view,
        name="leertafel_delete",
    ),
    # The group view, its polling answer and the discussion prompts (views/group.py)
    path("adviseur/leertafel/<int:pk>/groep/", group_views.group, name="group"),
    path("adviseur/leertafel/<int:pk>/groep/stand/", group_views.group_poll, name="group_poll"),
    path("adviseur/leertafel/<int:pk>/vragen/", group_views.prompts, name="prompts"),
    # Exports of a leertafel's answers (views/exports.py)
    path(
        "adviseur/leertafel/<int:pk>/export.csv",
        export_views.export_answers_csv,
        name="export_csv",
    ),
    path(
        "adviseur/leertafel/<int:pk>/export-codeboek.csv",
        export_views.export_codebook,
        name="export_codebook",
    ),
    path(
        "adviseur/leertafel/<int:pk>/export.xlsx",
        export_views.export_answers_xlsx,
        name="export_xlsx",
    ),
    # The group report (views/report.py)
    path(
        "adviseur/leertafel/<int:pk>/rapport/", report_views.group_report_page, name="group_report"
    ),
    path(
        "adviseur/leertafel/<int:pk>/groepsrapport.pdf",
        report_views.group_report_download,
        name="group_report_pdf",
    ),
    # The wow-how-now-no matrix (views/matrix.py)
    path("adviseur/leertafel/<int:pk>/matrix/", matrix_views.matrix, name="matrix"),
    path(
        "adviseur/leertafel/<int:pk>/matrix/idee/",
        matrix_views.matrix_idea_add,
        name="matrix_idea_add",
    ),
    path(
        "adviseur/leertafel/<int:pk>/matrix/idee/<int:idea_pk>/verplaatsen/",
        matrix_views.matrix_idea_move,
        name="matrix_idea_move",
    ),
    path(
        "adviseur/leertafel/<int:pk>/matrix/samenvoegen/",
        matrix_views.matrix_merge,
        name="matrix_merge",
    ),
    path(
        "adviseur/leertafel/<int:pk>/matrix/idee/<int:idea_pk>/verwijderen/",
        matrix_views.matrix_idea_delete,
        name="matrix_idea_delete",
    ),
    path(
        "scan/<token:token>/leertafel/ideeen/",
        matrix_views.participant_ideas,
        name="participant_ideas",
    ),
    # Joining
    path("doe-mee/", join.join, name="join"),
    path("doe-mee/<str:code>/", join.join_code, name="join_code"),
    # The participant's page under the scan's private link: consent to be named (participant.py)
    path("scan/<token:token>/leertafel/", participant_views.participant, name="participant"),
]
