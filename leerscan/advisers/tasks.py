"""The group report rendered in the background (django-tasks, like the owner's report in
leerscan/reports/tasks.py, and run by the same worker).

When is it queued? When the adviser opens the report page of a leertafel with enough finished
participants and the current version is not kept, queued or being rendered. A session's figures
change while it runs, so rendering on every change would render reports nobody reads; the page is
where the adviser asks for one. The task is idempotent: a version already kept, an outdated
version, a deleted leertafel or a version another process renders right now is left alone.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import get_language
from django_tasks import task

from leerscan.advisers.models import Leertafel
from leerscan.advisers.report import (
    GroupReportStatus,
    group_report_mark_queued,
    group_report_render_version,
    group_report_status,
    group_report_version,
)


@task()
def group_report_render(leertafel_id: int, version: str, language: str) -> str:
    """Render one version of a leertafel's group report in one language."""
    with translation.override(language):
        return group_report_render_version(leertafel_id=leertafel_id, version=version)


def group_report_queue(*, leertafel: Leertafel) -> GroupReportStatus:
    """Queue the group report of the leertafel's current version in the active language, unless
    it is kept, queued or being rendered; how far it is. The caller checks the threshold."""
    version = group_report_version(leertafel=leertafel)
    language = get_language() or "nl"
    # With the database cache the mark and the task are stored together or not at all.
    with transaction.atomic():
        if group_report_mark_queued(leertafel=leertafel, version=version):
            group_report_render.enqueue(leertafel.pk, version, language)
    return group_report_status(leertafel=leertafel, version=version)
