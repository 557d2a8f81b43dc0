"""The research export and the bulk progress reports made in the background (django-tasks, like
the group report in leerscan/advisers/tasks.py, on the same default queue and run by the same
worker, `manage.py report_worker`).

A coach asks for an export on /coaching/onderzoek/; the page then shows how far it is while the
worker reads the answers batch by batch, and offers the files when done (research.py keeps them).
The bulk progress reports are started from the cohort page in the same way (bulk_progress.py).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django_tasks import task

from leerscan.advisers.models import Organisation
from leerscan.coaching.bulk_progress import bulk_progress_new, bulk_progress_run
from leerscan.coaching.cohort import CohortFilters, cohort_make
from leerscan.coaching.research import research_export_new, research_export_run


@task()
def research_export_make(organisation_id: int, export_id: str) -> str:
    """Make one research export of an organisation and keep its files."""
    return research_export_run(organisation_id=organisation_id, export_id=export_id)


def research_export_queue(*, organisation: Organisation) -> str:
    """Start a new research export of the organisation: its id."""
    export_id = research_export_new(organisation=organisation)
    # With the database cache the mark and the task are stored together or not at all.
    with transaction.atomic():
        research_export_make.enqueue(organisation.pk, export_id)
    return export_id


# Bulk progress reports (leerscan/coaching/bulk_progress.py): every client's progress PDF in a ZIP.


@task()
def bulk_progress_make(organisation_id: int, export_id: str) -> str:
    """Make one ZIP of an organisation's progress reports and keep it."""
    return bulk_progress_run(organisation_id=organisation_id, export_id=export_id)


def bulk_progress_queue(
    *, organisation: Organisation, filters: CohortFilters, language: str | None
) -> str:
    """Start a new bundle of the organisation's progress reports: its id."""
    export_id = bulk_progress_new(organisation=organisation, filters=filters, language=language)
    with transaction.atomic():
        bulk_progress_make.enqueue(organisation.pk, export_id)
    return export_id


@task()
def cohort_refresh(
    organisation_id: int, sector: str, size: str, province: str, language: str
) -> None:
    """Make a cohort's figures after a change, while its page shows the last ones."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return
    filters = CohortFilters(sector=sector or None, size=size or None, province=province or None)
    with translation.override(language):
        cohort_make(organisation=organisation, filters=filters)


def cohort_refresh_queue(*, organisation: Organisation, filters: CohortFilters) -> None:
    """Ask the worker to make the cohort's figures in the current language."""
    with transaction.atomic():
        cohort_refresh.enqueue(
            organisation.pk,
            filters.sector or "",
            filters.size or "",
            filters.province or "",
            translation.get_language() or "nl",
        )
