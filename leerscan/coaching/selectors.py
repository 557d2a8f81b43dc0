"""Reading the coaching side: a client's rounds and their status, the clients of an organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerscan.advisers.models import Adviser
from leerscan.coaching.models import Client, Measurement
from leerscan.constants import COACH_INVITATION_MAIL_INTERVAL_HOURS
from leerscan.scans.models import Scan

# A round's scan: not started yet (the client has the link), started, finished.
INVITED, IN_PROGRESS, DONE = "uitgenodigd", "bezig", "klaar"
STATUS_WORDS = {INVITED: _("invited"), IN_PROGRESS: _("in progress"), DONE: _("done")}


@dataclass(frozen=True)
class RoundStatus:
    key: str
    words: str


def measurement_status(*, measurement: Measurement) -> RoundStatus:
    """Where a round's scan is: invited (no scan yet), in progress or done."""
    scan = measurement.scan
    if scan is None:
        key = INVITED
    elif scan.finished_at is None:
        key = IN_PROGRESS
    else:
        key = DONE
    return RoundStatus(key=key, words=str(STATUS_WORDS[key]))


def _rounds() -> QuerySet[Measurement]:
    # The scan's state only: never its answers. With when the invitation was last mailed, which
    # the client page shows per round (a deferred field would be one query per round).
    return Measurement.objects.select_related("scan").only(
        "client_id",
        "round",
        "invite_token",
        "shared_by_owner",
        "invite_mailed_at",
        "scan__id",
        "scan__token",
        "scan__finished_at",
        "scan__organisation_name",
    )


def clients_of(*, adviser: Adviser) -> QuerySet[Client]:
    """The clients of the coach's organisation with their rounds (two queries, however many)."""
    return Client.objects.filter(organisation_id=adviser.organisation_id).prefetch_related(
        Prefetch("measurements", queryset=_rounds().order_by("round"))
    )


def client_rounds(*, client: Client) -> list[Measurement]:
    """A client's rounds, the intake first."""
    return list(_rounds().filter(client=client).order_by("round"))


def latest_finished_scan(*, rounds: list[Measurement]) -> tuple[Measurement, Scan] | None:
    """The latest round whose scan is finished, with that scan (re-read whole), or None."""
    for measurement in reversed(rounds):
        if measurement.scan is not None and measurement.scan.finished_at is not None:
            return measurement, Scan.objects.get(pk=measurement.scan_id)
    return None


def measurement_of_scan(*, scan: Scan) -> Measurement | None:
    """The client round a scan belongs to (shared or invited), with its client, or None."""
    return Measurement.objects.filter(scan=scan).select_related("client__organisation").first()


def invite_mail_next(*, measurement: Measurement, now: datetime | None = None) -> datetime | None:
    """From when Leerscan may mail the round's invitation again (COACH_INVITATION_MAIL_INTERVAL_
    HOURS after the last), or None when it may now."""
    if measurement.invite_mailed_at is None:
        return None
    following = measurement.invite_mailed_at + timedelta(hours=COACH_INVITATION_MAIL_INTERVAL_HOURS)
    return following if following > (now or timezone.now()) else None
