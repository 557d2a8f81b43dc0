"""Changes on the coaching side: clients and their rounds, the scan a round starts, sharing a scan
with a coach (and revoking it), the intake checklist, the coach's notes and the action plan."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from benchmarks.vocabulary import KNOWLEDGE_INSTITUTION_WISHES
from leerscan.advisers.models import Adviser
from leerscan.coaching.models import (
    ActionItem,
    Client,
    ClientWish,
    CoachNote,
    Measurement,
    ShareCode,
)
from leerscan.coaching.progress import followup_prefill, last_finished_scan
from leerscan.coaching.selectors import DONE, invite_mail_next, measurement_status
from leerscan.constants import JOIN_CODE_ALPHABET, SHARE_CODE_LENGTH
from leerscan.scans.models import Scan
from leerscan.scans.services import scan_start

# The client's profile as the scan's step 1 holds it (the client's field: the scan's field).
PROFILE_FROM_CLIENT = {
    "name": "organisation_name",
    "sbi_section": "sbi_section",
    "sbi_code": "sbi_code",
    "employees": "employees",
    "province": "province",
}
CLIENT_FIELDS = (
    "name",
    "contact_name",
    "contact_email",
    "sbi_section",
    "sbi_code",
    "employees",
    "province",
)
# Share codes are drawn at random; a collision (23^8 codes) is retried this often.
SHARE_CODE_ATTEMPTS = 20
# An invitation mail's claim is tried again this often when another request changes it meanwhile.
INVITE_MAIL_CLAIM_ATTEMPTS = 3


# --- Clients and rounds ------------------------------------------------------------------------


@transaction.atomic
def client_create(*, adviser: Adviser, data: dict) -> Client:
    """Add a client to the coach's organisation, with its intake round (round 0) ready to invite."""
    client = Client(organisation=adviser.organisation, created_by=adviser)
    for field in CLIENT_FIELDS:
        setattr(client, field, data.get(field) or _empty(field))
    client.full_clean()
    client.save()
    Measurement.objects.create(client=client, round=0)
    return client


def client_update(*, client: Client, data: dict) -> Client:
    """Change a client's name, contact and profile (not its rounds or scans)."""
    for field in CLIENT_FIELDS:
        setattr(client, field, data.get(field) or _empty(field))
    client.full_clean()
    client.save()
    return client


def _empty(field: str):
    return None if field == "employees" else ""


def measurement_start_scan(*, measurement: Measurement, prefill_from: Scan | None = None) -> Scan:
    """The round's scan: started now (in the coaching context, step 1 prefilled with the client's
    profile) or, when it already exists, that one; two requests at once start one scan.

    `prefill_from` is the seam for follow-up rounds: the previous round's scan, whose answers to
    facts that rarely change are copied by `_prefill_answers` (the intake has none).
    """
    with transaction.atomic():
        locked = (
            Measurement.objects.select_for_update(of=("self",))
            .select_related("client", "scan")
            .get(pk=measurement.pk)
        )
        if locked.scan is not None:
            return locked.scan
        scan = scan_start(context=Scan.Context.COACHING)
        client = locked.client
        for client_field, scan_field in PROFILE_FROM_CLIENT.items():
            value = getattr(client, client_field)
            setattr(scan, scan_field, value if value is not None else _empty(client_field))
        scan.full_clean()
        scan.save()
        if prefill_from is None and locked.round > 0:
            prefill_from = last_finished_scan(client=client, before_round=locked.round)
        if prefill_from is not None:
            _prefill_answers(scan=scan, previous=prefill_from)
        locked.scan = scan
        locked.save(update_fields=["scan"])
    return scan


def _prefill_answers(*, scan: Scan, previous: Scan) -> None:
    """Copy the previous round's answers that rarely change into a new round's scan.

    leerscan/coaching/progress.py decides which facts (the profile and PREFILLED_FACTS); the
    intake never has a previous scan.
    """
    followup_prefill(scan=scan, previous=previous)


# --- Share codes and sharing -----------------------------------------------------------------


class InviteMailRefused(Exception):
    """Leerscan may not mail the round's invitation now: why, in words, with the HTTP status that
    says so (409: not at all, 429: not yet, with `again`, the moment it may)."""

    def __init__(self, message: str, status: int, again: datetime | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.again = again


@dataclass(frozen=True)
class InviteMailClaim:
    """A claimed invitation mail: the moment it is recorded with, and the mail before it (None
    when this is the first: the invitation; else it is a reminder)."""

    mailed_at: datetime
    previous: datetime | None

    @property
    def reminder(self) -> bool:
        return self.previous is not None


def _invite_mail_refusal(measurement: Measurement, now: datetime) -> InviteMailRefused | None:
    if measurement.shared_by_owner or measurement_status(measurement=measurement).key == DONE:
        return InviteMailRefused(
            _("This round has been answered: Leerscan sends no invitation or reminder for it."),
            409,
        )
    if not measurement.client.contact_email:
        return InviteMailRefused(
            _("The client has no e-mail address. Add one with “Change details” first."), 409
        )
    following = invite_mail_next(measurement=measurement, now=now)
    if following is not None:
        message = _("The invitation was mailed less than a day ago. Try again from %(date)s.") % {
            "date": date_format(timezone.localtime(following), "j F Y, H:i")
        }
        return InviteMailRefused(message, 429, again=following)
    return None


def measurement_invite_mail_claim(
    *, measurement: Measurement, now: datetime | None = None
) -> InviteMailClaim:
    """Claim the round's next invitation mail before it is sent: only while the round is not
    answered (a round the owner shared has no invitation), only when the client has an address,
    at most once per COACH_INVITATION_MAIL_INTERVAL_HOURS. The rules are checked on the round as
    stored and `invite_mailed_at` is set by one conditional update from the value they were
    checked on, so that of two requests at once (a double click) one mails and the other is
    refused (429). Raises InviteMailRefused; give the claim back if the mail is not sent."""
    now = now or timezone.now()
    for _attempt in range(INVITE_MAIL_CLAIM_ATTEMPTS):
        stored = Measurement.objects.select_related("client", "scan").get(pk=measurement.pk)
        refusal = _invite_mail_refusal(stored, now)
        if refusal is not None:
            raise refusal
        previous = stored.invite_mailed_at
        claimed = Measurement.objects.filter(pk=stored.pk, invite_mailed_at=previous).update(
            invite_mailed_at=now
        )
        if claimed:
            measurement.invite_mailed_at = now
            return InviteMailClaim(mailed_at=now, previous=previous)
        # Another request claimed it in between: read it again (it refuses now).
    raise RuntimeError(f"the invitation mail of round {measurement.pk} kept changing")


def measurement_invite_mail_give_back(*, measurement: Measurement, claim: InviteMailClaim) -> None:
    """The claimed mail was not sent (the mail server failed, or an abuse limit refused): the
    round's last mail is what it was, so the coach can try again at once; unless a later claim
    was made since."""
    Measurement.objects.filter(pk=measurement.pk, invite_mailed_at=claim.mailed_at).update(
        invite_mailed_at=claim.previous
    )
    measurement.invite_mailed_at = claim.previous


def share_code_new() -> str:
    """A random share code: SHARE_CODE_LENGTH characters of the join code's alphabet."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(SHARE_CODE_LENGTH))


def share_code_for(*, adviser: Adviser) -> ShareCode:
    """The coach's share code, created the first time it is asked for."""
    existing = ShareCode.objects.filter(adviser=adviser).first()
    if existing is not None:
        return existing
    for _attempt in range(SHARE_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return ShareCode.objects.create(adviser=adviser, code=share_code_new())
        except IntegrityError:
            # The code was taken, or a second request created this coach's code meanwhile.
            existing = ShareCode.objects.filter(adviser=adviser).first()
            if existing is not None:
                return existing
    raise RuntimeError(f"no free share code after {SHARE_CODE_ATTEMPTS} attempts")


@transaction.atomic
def scan_share(*, scan: Scan, share_code: ShareCode) -> Measurement:
    """Share a scan with the coach of the code: a new client of the coach's organisation, made
    from the scan's profile, with the scan as its intake (shared by the owner, so revocable).

    Raises ValidationError when the scan is already tied to a coach (shared or invited).
    """
    locked = Scan.objects.select_for_update().get(pk=scan.pk)
    if Measurement.objects.filter(scan=locked).exists():
        raise ValidationError(
            _("Your scan is already shared with a coach. Stop sharing it first."), code="shared"
        )
    adviser = share_code.adviser
    name = locked.organisation_name or _("Scan shared on %(date)s") % {
        "date": timezone.localdate().strftime("%d-%m-%Y")
    }
    client = Client(
        organisation_id=adviser.organisation_id,
        created_by=adviser,
        name=name,
        sbi_section=locked.sbi_section,
        sbi_code=locked.sbi_code,
        employees=locked.employees,
        province=locked.province,
    )
    client.full_clean()
    client.save()
    return Measurement.objects.create(client=client, round=0, scan=locked, shared_by_owner=True)


@transaction.atomic
def scan_share_revoke(*, scan: Scan) -> bool:
    """Stop sharing a scan its owner shared: its round goes, and the client it made too when that
    client has no other rounds (with the coach's notes and action plan). Whether anything was
    shared; a scan a coach invited is not the owner's to unshare (it stays, False)."""
    measurement = (
        Measurement.objects.select_for_update()
        .filter(scan=scan, shared_by_owner=True)
        .select_related("client")
        .first()
    )
    if measurement is None:
        return False
    client = measurement.client
    measurement.delete()
    if not client.measurements.exists():
        client.delete()  # notes, actions and wishes go with it (CASCADE)
    return True


# --- The intake checklist --------------------------------------------------------------------


@transaction.atomic
def client_set_intake(*, client: Client, wishes: Iterable[str], training_questions: str) -> Client:
    """Save the client's Box 5.2 wishes (exactly these) and own training questions; saving the
    same again changes nothing."""
    wanted = set(wishes)
    unknown = wanted - set(KNOWLEDGE_INSTITUTION_WISHES)
    if unknown:
        raise ValidationError({"wishes": _("Choose from the list.")})
    locked = Client.objects.select_for_update().get(pk=client.pk)
    stored = set(locked.wishes.values_list("key", flat=True))
    ClientWish.objects.filter(client=locked, key__in=stored - wanted).delete()
    ClientWish.objects.bulk_create(
        [ClientWish(client=locked, key=key) for key in sorted(wanted - stored)],
        ignore_conflicts=True,
    )
    if locked.training_questions != training_questions:
        locked.training_questions = training_questions
        locked.full_clean()
        locked.save(update_fields=["training_questions", "updated_at"])
    return locked


# --- Notes and the action plan ---------------------------------------------------------------


def note_add(*, client: Client, author: Adviser, text: str) -> CoachNote:
    """Add a private note of a coach on a client."""
    note = CoachNote(client=client, author=author, text=text)
    note.full_clean()
    note.save()
    return note


def note_delete(*, note: CoachNote) -> None:
    """Delete a note."""
    note.delete()


def action_create(*, client: Client, data: dict, instrument: str = "") -> ActionItem:
    """Add a line at the end of the client's action plan."""
    last = client.actions.aggregate(last=Max("position"))["last"]
    action = ActionItem(
        client=client,
        instrument=instrument,
        position=0 if last is None else last + 1,
        **data,
    )
    action.full_clean()
    action.save()
    return action


def action_update(*, action: ActionItem, data: dict) -> ActionItem:
    """Change what, who, when or the status of an action."""
    for field, value in data.items():
        setattr(action, field, value)
    action.full_clean()
    action.save()
    return action


def action_delete(*, action: ActionItem) -> None:
    """Take an action off the plan."""
    action.delete()
