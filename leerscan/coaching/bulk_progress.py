"""All progress reports of a coaching organisation as one ZIP, made in the background (issue 11,
docs/progress.md "Bulk progress reports").

Which clients. The organisation's clients with a finished intake (round 0 with a finished scan),
within the cohort page's filters when the coach started it from a filtered cohort
(cohort.cohort_clients). Each client's PDF is progress_report_pdf's (leerscan/coaching/
progress_report.py), which keeps every PDF in the cache per version, so a second bundle or a
later single download costs no new render. The files are called
`voortgang-<client pk>-<slugified name>.pdf`.

A client whose PDF fails is left out, logged, and named in `niet-gelukt.txt` inside the ZIP: one
broken report does not cost the coach the others.

Where it is kept. As an output of the background layer (leerscan/background, kind
"progress_bundle"), like the research export: a database row of the organisation, kept
RESEARCH_EXPORT_KEEP_SECONDS (a bytea/BLOB value: PostgreSQL takes up to 1 GB).
A progress PDF is 15-40 KB (and barely compresses), so 1,000 clients make a ZIP of some 40 MB,
well within it; the file cache has no limit of its own.
"""

from __future__ import annotations

import io
import logging
import uuid
import zipfile

from django.db.models import QuerySet
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from weasyprint.urls import FatalURLFetchingError

from leerscan.advisers.models import Organisation
from leerscan.background.kinds import Kind, Made, Progress
from leerscan.background.services import (
    ANY_LANGUAGE,
    OutputStatus,
    output_file,
    output_latest_key,
    output_status,
)
from leerscan.background.tasks import output_queue
from leerscan.coaching.cohort import CohortFilters, cohort_clients
from leerscan.coaching.models import Client
from leerscan.coaching.progress_report import progress_report_pdf
from leerscan.constants import RESEARCH_EXPORT_KEEP_SECONDS

logger = logging.getLogger(__name__)

FAILED_LIST = "niet-gelukt.txt"


def bulk_progress_clients(
    *, organisation: Organisation, filters: CohortFilters
) -> QuerySet[Client]:
    """The organisation's clients within the filters that have a finished intake."""
    return (
        cohort_clients(organisation=organisation, filters=filters)
        .filter(measurements__round=0, measurements__scan__finished_at__isnull=False)
        .distinct()
        .order_by("name", "pk")
    )


def bulk_progress_filename(client: Client) -> str:
    name = slugify(client.name)[:50].strip("-") or "klant"
    return f"voortgang-{client.pk}-{name}.pdf"


def bulk_progress_zip(
    *, clients: list[Client], progress: Progress | None = None
) -> tuple[bytes, int, int]:
    """The ZIP of the clients' progress reports in the active language: (bytes, reports in it,
    clients left out). Reports its progress: the percentage of clients done."""
    progress = progress or (lambda _percent: None)
    buffer = io.BytesIO()
    failed: list[Client] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, client in enumerate(clients, start=1):
            try:
                pdf = progress_report_pdf(client=client)
            except (Exception, FatalURLFetchingError):
                # FatalURLFetchingError is a BaseException; the other clients still get theirs.
                logger.exception("Rendering the progress report of client %s failed", client.pk)
                failed.append(client)
            else:
                archive.writestr(bulk_progress_filename(client), pdf)
            progress(done * 100 // len(clients))
        if failed:
            lines = [
                _("These progress reports could not be made. Please download them one by one.")
            ]
            lines += [f"- {client.name} ({client.pk})" for client in failed]
            archive.writestr(FAILED_LIST, "\n".join(lines) + "\n")
    return buffer.getvalue(), len(clients) - len(failed), len(failed)


def _filters_of(params: dict) -> CohortFilters:
    chosen = params.get("filters") or {}
    return CohortFilters(
        sector=chosen.get("sector"), size=chosen.get("size"), province=chosen.get("province")
    )


def _bulk_make(organisation: Organisation, params: dict, progress: Progress) -> Made:
    clients = list(bulk_progress_clients(organisation=organisation, filters=_filters_of(params)))
    with translation.override(params.get("language") or None):
        content, count, skipped = bulk_progress_zip(clients=clients, progress=progress)
    return Made(files={"zip": content}, count=count, skipped=skipped)


PROGRESS = Kind(
    "progress_bundle", make=_bulk_make, files=("zip",), keep_seconds=RESEARCH_EXPORT_KEEP_SECONDS
)


def bulk_progress_queue(
    *, organisation: Organisation, filters: CohortFilters, language: str | None
) -> str:
    """Start a new bundle of the organisation's progress reports (with the filters and the
    language it is made in): its id."""
    export_id = uuid.uuid4().hex
    chosen = {"sector": filters.sector, "size": filters.size, "province": filters.province}
    output_queue(
        kind=PROGRESS.name,
        subject=organisation,
        key=export_id,
        language=ANY_LANGUAGE,
        params={"filters": chosen, "language": language},
    )
    return export_id


def bulk_progress_status(*, organisation_id: int, export_id: str) -> OutputStatus:
    """How far a bundle of this organisation is (its count: the reports in it)."""
    return output_status(
        kind=PROGRESS.name,
        subject=Organisation(pk=organisation_id),
        key=export_id,
        language=ANY_LANGUAGE,
    )


def bulk_progress_file(*, organisation_id: int, export_id: str) -> bytes | None:
    """A finished bundle's ZIP of this organisation, or None."""
    return output_file(
        kind=PROGRESS.name,
        subject=Organisation(pk=organisation_id),
        key=export_id,
        language=ANY_LANGUAGE,
    )


def bulk_progress_latest(*, organisation: Organisation) -> str | None:
    """The id of the organisation's last bundle, while it is kept."""
    latest = output_latest_key(kind=PROGRESS.name, subject=organisation, language=ANY_LANGUAGE)
    return latest or None
