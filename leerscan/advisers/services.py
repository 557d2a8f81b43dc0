"""Changes on the advisers' side: advisers and organisations, leertafels, participants."""

from __future__ import annotations

import secrets
import unicodedata

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from leerscan.advisers.models import (
    Adviser,
    DiscussionPrompt,
    Leertafel,
    Organisation,
    Participant,
)
from leerscan.advisers.prompts import default_prompts
from leerscan.constants import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from leerscan.scans.models import Scan
from leerscan.scans.services import scan_start

# Join codes are drawn at random; a collision (23^6 = 148 million codes) is retried this often.
JOIN_CODE_ATTEMPTS = 20


def join_code_new() -> str:
    """A random join code: JOIN_CODE_LENGTH characters of JOIN_CODE_ALPHABET."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def join_code_normalise(raw: str) -> str:
    """What a person typed, as a code: upper case, without spaces, dashes or invisible characters.

    Phones type more than the ASCII space and hyphen: a no-break space, an en dash after
    autocorrect, full-width letters (NFKC makes them ASCII), a zero-width space from a paste.
    """
    code = raw
    # Again while it changes (a bounded number of times, whatever is typed): taking out a space
    # can leave an accent that NFKC then joins to the letter before it ("R¸": "Ŗ", then "Ŗ").
    for _round in range(4):
        previous, code = (
            code,
            "".join(
                ch
                for ch in unicodedata.normalize("NFKC", code).upper()
                if not (ch.isspace() or unicodedata.category(ch) in ("Pd", "Cc", "Cf"))
            ),
        )
        if code == previous:
            break
    return code


@transaction.atomic
def adviser_create(
    *, email: str, organisation_name: str, password: str | None, is_organisation_admin: bool = False
) -> Adviser:
    """Create an adviser (a user with the e-mail address as user name) in the organisation,
    creating the organisation when it is new. Without a password the account gets a random one
    nobody knows: its owner chooses one through the e-mailed link (Django's password reset, which
    only serves accounts with a usable password)."""
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    organisation, created = Organisation.objects.get_or_create(name=organisation_name.strip())
    if password is None:
        password = secrets.token_urlsafe(32)
    user = get_user_model().objects.create_user(username=email, email=email, password=password)
    return Adviser.objects.create(
        user=user,
        organisation=organisation,
        # The first adviser of a new organisation administers it.
        is_organisation_admin=is_organisation_admin or created,
    )


def leertafel_create(*, adviser: Adviser, data: dict, language: str) -> Leertafel:
    """Create a leertafel for the adviser's organisation with a fresh join code and the monitor's
    discussion prompts (in the given language) ready to edit."""
    for _attempt in range(JOIN_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                leertafel = Leertafel(
                    organisation=adviser.organisation,
                    created_by=adviser,
                    code=join_code_new(),
                    **data,
                )
                leertafel.full_clean(validate_unique=False)  # the code: IntegrityError below
                leertafel.save()
                DiscussionPrompt.objects.bulk_create(
                    DiscussionPrompt(leertafel=leertafel, block=block, text=text, position=i)
                    for block, texts in default_prompts(language).items()
                    for i, text in enumerate(texts)
                )
                return leertafel
        except IntegrityError:
            continue  # the code was taken: draw another
    raise RuntimeError(f"no free join code after {JOIN_CODE_ATTEMPTS} attempts")


def leertafel_set_open(*, leertafel: Leertafel, is_open: bool) -> Leertafel:
    """Close a leertafel to new participants, or open it again."""
    leertafel.is_open = is_open
    leertafel.save(update_fields=["is_open"])
    return leertafel


@transaction.atomic
def leertafel_join(*, leertafel: Leertafel) -> Participant:
    """Start a scan for a new participant of the leertafel (anonymous to the table by default)."""
    scan = scan_start(context=Scan.Context.LEERTAFEL, core_only=leertafel.short_mode)
    return Participant.objects.create(leertafel=leertafel, scan=scan)


@transaction.atomic
def leertafel_delete(*, leertafel: Leertafel) -> int:
    """Delete a leertafel with its questions, ideas and group report. The participants' scans
    are their owners' data: they stay, with their private links, results and reports, as
    scans of their own (no longer part of a leertafel). The number of scans that stayed."""
    scans = Scan.objects.filter(leertafel_participant__leertafel=leertafel)
    kept = scans.update(context=Scan.Context.SELF_SCAN)
    # The participations, questions, ideas and group reports (leerscan/background's rows) go with
    # it (CASCADE); the scans do not.
    leertafel.delete()
    return kept


def participant_set_show_name(*, participant: Participant, show_name: bool) -> Participant:
    """Let the table see the organisation's name next to the participant's scores, or not."""
    participant.show_name = show_name
    participant.save(update_fields=["show_name"])
    return participant
