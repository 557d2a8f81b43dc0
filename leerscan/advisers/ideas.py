"""The wow-how-now-no matrix of a leertafel (Tabel B.7, the instrumental approach): services that
add, move, merge and delete ideas, and selectors that read the matrix.

The matrix is original x feasible: *wow* is original and feasible, *how* original but not yet
feasible, *now* feasible and familiar, *no* dropped. Participants add ideas from their phones,
the adviser adds, moves, merges and deletes them. Ideas are anonymous to everyone: a reader learns
only which idea is their own, never who wrote another.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benchmarks.vocabulary import BUILDING_BLOCKS, INDICATOR_LABELS
from leerscan.advisers.models import Idea, Leertafel, Participant
from leerscan.constants import IDEA_ADD_DAYS_AFTER_SESSION, IDEAS_PER_PARTICIPANT_MAX

IDEA_TEXT_MAX = Idea._meta.get_field("text").max_length
QUADRANTS = ("wow", "how", "now", "no")
# The 2x2 grid read row by row: feasible on top (original left, familiar right), not (yet)
# feasible below; so "no" (familiar and not feasible) sits opposite "wow".
GRID_ORDER = ("wow", "now", "how", "no")
QUADRANT_NAMES = {"wow": "Wow", "how": "How", "now": "Now", "no": "No"}
# What each place means, in plain words, for the participants' radio buttons and the projector.
QUADRANT_EXPLANATIONS = {
    "wow": _("new for us, and we can do it"),
    "how": _("new for us, but we cannot do it yet"),
    "now": _("we know it, and we can do it soon"),
    "no": _("we drop it"),
}


@dataclass(frozen=True)
class IdeaCard:
    """One idea as a reader sees it: never who wrote it, only whether it is the reader's own."""

    pk: int
    text: str
    block: str
    quadrant: str
    is_own: bool
    merged_count: int

    @property
    def quadrant_name(self) -> str:
        return QUADRANT_NAMES[self.quadrant]


@dataclass(frozen=True)
class QuadrantCell:
    key: str
    name: str
    explanation: str
    ideas: list[IdeaCard]


@dataclass(frozen=True)
class BlockMatrix:
    key: str
    label: str
    cells: list[QuadrantCell]  # in GRID_ORDER

    @property
    def ideas(self) -> list[IdeaCard]:
        return [idea for cell in self.cells for idea in cell.ideas]

    @property
    def count(self) -> int:
        return sum(len(cell.ideas) for cell in self.cells)


@dataclass(frozen=True)
class Matrix:
    blocks: list[BlockMatrix]
    version: str
    count: int  # ideas shown (merged ones not counted)
    blocks_with_ideas: list[BlockMatrix] = field(default_factory=list)


def _version(count: int, pk_sum: int | None, latest: datetime.datetime | None) -> str:
    # Every change saves an idea (updated_at moves) or deletes one (the count and the sum of
    # ids drop); an addition raises the sum of ids even when a deletion keeps the count.
    stamp = int(latest.timestamp() * 1_000_000) if latest else 0
    return f"{count}-{pk_sum or 0}-{stamp}"


def quadrant_choices() -> list[tuple[str, str]]:
    """The four places as choices: "Wow: new for us, and we can do it"."""
    return [(q, f"{QUADRANT_NAMES[q]}: {QUADRANT_EXPLANATIONS[q]}") for q in QUADRANTS]


def block_choices() -> list[tuple[str, str]]:
    """The six building blocks of Tabel 4.5 as choices."""
    return [(key, INDICATOR_LABELS[key]) for key in BUILDING_BLOCKS]


def _clean_text(text: str) -> str:
    # One line on the projector: runs of spaces and line breaks become one space.
    return " ".join(str(text).split())


# Selectors


def idea_matrix_version(*, leertafel_id: int) -> str:
    """A fingerprint of the leertafel's ideas that changes with every change (one query)."""
    totals = Idea.objects.filter(leertafel_id=leertafel_id).aggregate(
        count=Count("pk"), pk_sum=Sum("pk"), latest=Max("updated_at")
    )
    return _version(totals["count"], totals["pk_sum"], totals["latest"])


def idea_matrix(
    *, leertafel_id: int, block: str | None = None, reader: Participant | None = None
) -> Matrix:
    """The matrix per building block (all six, or one), its ideas oldest first, with the version
    fingerprint; `reader` marks that participant's own ideas. One query, however many ideas."""
    rows = list(
        Idea.objects.filter(leertafel_id=leertafel_id)
        .order_by("created_at", "pk")
        .values_list("pk", "block", "quadrant", "text", "author_id", "merged_into_id", "updated_at")
    )
    version = _version(len(rows), sum(r[0] for r in rows), max((r[6] for r in rows), default=None))
    merged_count: dict[int, int] = {}
    for row in rows:
        if row[5] is not None:
            merged_count[row[5]] = merged_count.get(row[5], 0) + 1
    reader_id = reader.pk if reader is not None else None
    keys = [block] if block else list(BUILDING_BLOCKS)
    by_place: dict[tuple[str, str], list[IdeaCard]] = {}
    for pk, b, q, text, author_id, merged_into_id, _updated in rows:
        if merged_into_id is not None or b not in keys:
            continue
        card = IdeaCard(
            pk=pk,
            text=text,
            block=b,
            quadrant=q,
            is_own=reader_id is not None and author_id == reader_id,
            merged_count=merged_count.get(pk, 0),
        )
        by_place.setdefault((b, q), []).append(card)
    blocks = [
        BlockMatrix(
            key=key,
            label=str(INDICATOR_LABELS[key]),
            cells=[
                QuadrantCell(
                    key=q,
                    name=QUADRANT_NAMES[q],
                    explanation=str(QUADRANT_EXPLANATIONS[q]),
                    ideas=by_place.get((key, q), []),
                )
                for q in GRID_ORDER
            ],
        )
        for key in keys
    ]
    return Matrix(
        blocks=blocks,
        version=version,
        count=sum(b.count for b in blocks),
        blocks_with_ideas=[b for b in blocks if b.count],
    )


def leertafel_idea(*, leertafel: Leertafel, pk: int) -> Idea | None:
    """The leertafel's idea with this id, if it is still on the matrix (not merged away)."""
    return Idea.objects.filter(leertafel_id=leertafel.pk, pk=pk, merged_into__isnull=True).first()


def participant_may_add_ideas(
    *, participant: Participant, today: datetime.date | None = None
) -> bool:
    """Whether the participant's table still takes ideas from participants: until
    IDEA_ADD_DAYS_AFTER_SESSION days after the session's date, open to joiners or not."""
    today = today or timezone.localdate()
    last_day = participant.leertafel.date + datetime.timedelta(days=IDEA_ADD_DAYS_AFTER_SESSION)
    return today <= last_day


# Services


def idea_add(
    *,
    leertafel: Leertafel,
    block: str,
    quadrant: str,
    text: str,
    author: Participant | None = None,
) -> Idea:
    """Put an idea on the leertafel's matrix, by a participant (author) or by the adviser (None)."""
    if author is not None:
        if author.leertafel_id != leertafel.pk:
            raise ValidationError(_("You can only add ideas to your own leertafel."))
        if not participant_may_add_ideas(participant=author):
            raise ValidationError(_("This leertafel no longer takes new ideas."))
        if Idea.objects.filter(author=author).count() >= IDEAS_PER_PARTICIPANT_MAX:
            raise ValidationError(
                _("You have added %(max)d ideas: that is the most one participant can add."),
                params={"max": IDEAS_PER_PARTICIPANT_MAX},
            )
    idea = Idea(
        leertafel=leertafel, block=block, quadrant=quadrant, text=_clean_text(text), author=author
    )
    idea.full_clean()
    idea.save()
    return idea


def idea_move(*, idea: Idea, quadrant: str | None = None, block: str | None = None) -> Idea:
    """Put an idea in another place of the matrix and/or under another building block."""
    if idea.merged_into_id is not None:
        raise ValidationError(_("This idea was merged into another one; move that one instead."))
    if quadrant is not None:
        idea.quadrant = quadrant
    if block is not None:
        idea.block = block
    idea.full_clean()
    idea.save()
    return idea


@transaction.atomic
def idea_merge(*, idea: Idea, into: Idea, text: str | None = None) -> Idea:
    """Merge `idea` into `into` (same leertafel): `idea` is no longer shown on its own, and so are
    the ideas merged into it before; `into` may get a new text that covers both."""
    if idea.leertafel_id != into.leertafel_id:
        raise ValidationError(_("Ideas can only be merged within one leertafel."))
    if idea.pk == into.pk:
        raise ValidationError(_("Choose another idea to merge with."))
    if idea.merged_into_id is not None or into.merged_into_id is not None:
        raise ValidationError(_("One of these ideas was already merged into another one."))
    if text is not None and _clean_text(text):
        into.text = _clean_text(text)
    into.full_clean()
    # Ideas merged into `idea` before now belong to `into`: one level, never a chain.
    Idea.objects.filter(merged_into=idea).update(merged_into=into, updated_at=timezone.now())
    idea.merged_into = into
    idea.save()
    into.save()
    return into


def idea_delete(*, idea: Idea) -> None:
    """Take an idea off the matrix, with the ideas that were merged into it."""
    idea.delete()
