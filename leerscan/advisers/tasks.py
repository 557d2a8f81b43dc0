"""The group report made in the background: an output of the background layer (leerscan/
background, kind "group_report"), run by the task worker like every slow output.

When is it queued? When the adviser opens the report page of a leertafel with enough finished
participants and the current version is not kept, queued or being rendered. A session's figures
change while it runs, so rendering on every change would render reports nobody reads; the page is
where the adviser asks for one.
"""

from __future__ import annotations

from leerscan.advisers.models import Leertafel
from leerscan.advisers.report import GROUP_REPORT_KIND, group_report_version
from leerscan.background.services import OutputStatus
from leerscan.background.tasks import output_queue


def group_report_queue(*, leertafel: Leertafel) -> OutputStatus:
    """Queue the group report of the leertafel's current version in the active language, unless
    it is kept, queued or being rendered; how far it is. The caller checks the threshold."""
    version = group_report_version(leertafel=leertafel)
    return output_queue(kind=GROUP_REPORT_KIND, subject=leertafel, key=version)
