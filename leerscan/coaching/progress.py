"""Follow-up rounds and the progress of a client since the intake (DESIGN §8).

A follow-up is a new Measurement round (t1, t2, ...) of the same client. It can only be started
once the last round's scan is finished, and its scan starts prefilled with the last finished
round's answers to what rarely changes (the profile and the firm's arrangements and set-up), never
with the statements or the training figures of the last 12 months: those are what is measured
again.

The progress compares every finished round with the intake, per building block and DLOQ statement,
with the same thresholds and the same classify() as every comparison with the monitor
(benchmarks.selectors), so "duidelijk verbeterd" means exactly what "duidelijk hoger" means on the
results page. See docs/progress.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from benchmarks.models import BenchmarkSet
from benchmarks.selectors import (
    CLEARLY_HIGHER,
    CLEARLY_LOWER,
    COMPARABLE,
    SOMEWHAT_HIGHER,
    SOMEWHAT_LOWER,
    BenchmarkLookup,
    GroupComparison,
    classify,
)
from benchmarks.vocabulary import (
    BUILDING_BLOCKS,
    DLOQ_STATEMENTS,
    INDICATOR_LABELS,
    NOORD_NEDERLAND,
    PREVIOUS,
    SCALE_1_6,
    TOTAL,
    indicator_label,
)
from leerscan.coaching.models import ActionItem, Client, Measurement
from leerscan.reports.results import STATUS_WORDS, Results, scan_results
from leerscan.scans.facts import FactValue
from leerscan.scans.models import FactAnswer, Scan
from leerscan.scans.questions import FACTS_BY_KEY, TRAINING_FACTS
from leerscan.scans.scores import Scores
from leerscan.scans.selectors import scan_scores_many
from leerscan.scans.services import PROFILE_FIELDS

# What a follow-up's scan starts with from the last finished round: facts that describe how the
# firm is set up and rarely change in 6-12 months. Not the statements (steps 2-3), not the training
# figures of the last 12 months (step 4), not the instruments in use or the obstacles (what the
# action plan works on), not the expectations about staff (step 6): those are measured again.
PREFILLED_FACTS = (
    "hr_afdeling",
    "hr_leren",
    "promotieregeling",
    "functioneringsregeling",
    "scholingsregeling",
)

# The change since the intake in words, by the classification of benchmarks.selectors.classify.
CHANGE_WORDS = {
    CLEARLY_HIGHER: gettext_lazy("clearly improved"),
    SOMEWHAT_HIGHER: gettext_lazy("somewhat improved"),
    COMPARABLE: gettext_lazy("stayed the same"),
    SOMEWHAT_LOWER: gettext_lazy("somewhat declined"),
    CLEARLY_LOWER: gettext_lazy("clearly declined"),
}
# The training figures' change in neutral words: a higher share under a repayment clause is no
# improvement, so figures go up or down rather than improve.
FIGURE_CHANGE_WORDS = {
    CLEARLY_HIGHER: gettext_lazy("clearly higher"),
    SOMEWHAT_HIGHER: gettext_lazy("somewhat higher"),
    COMPARABLE: gettext_lazy("about the same"),
    SOMEWHAT_LOWER: gettext_lazy("somewhat lower"),
    CLEARLY_LOWER: gettext_lazy("clearly lower"),
}

_ONE_DECIMAL = Decimal("0.1")


def round_label(number: int) -> str:
    """A round's short name: t0 for the intake, t1, t2, ... for the follow-ups."""
    return f"t{number}"


# Follow-ups


def last_finished_scan(*, client: Client, before_round: int | None = None) -> Scan | None:
    """The client's scan of the latest finished round (before `before_round`, when given)."""
    rounds = Measurement.objects.filter(client=client, scan__finished_at__isnull=False)
    if before_round is not None:
        rounds = rounds.filter(round__lt=before_round)
    latest = rounds.select_related("scan").order_by("-round").first()
    return latest.scan if latest else None


def followup_prefill(*, scan: Scan, previous: Scan) -> None:
    """Copy the previous round's profile and PREFILLED_FACTS onto a new, unanswered scan (the
    client sees them filled in and may change them); statements and figures stay empty."""
    for name in PROFILE_FIELDS:
        value = getattr(previous, name)
        if value not in ("", None):
            setattr(scan, name, value)
    scan.full_clean()
    scan.save(update_fields=[*PROFILE_FIELDS, "updated_at"])
    copies = []
    for answer in FactAnswer.objects.filter(scan=previous, key__in=PREFILLED_FACTS):
        copy = FactAnswer(scan=scan, key=answer.key)
        FactValue.of(answer).store_on(copy)
        copies.append(copy)
    FactAnswer.objects.bulk_create(copies, ignore_conflicts=True)


def followup_start(*, client: Client) -> Measurement:
    """Create the client's next round (last + 1) with its invite link. Refused (ValidationError)
    while the last round's scan is not finished; two requests at once create one round."""
    with transaction.atomic():
        # The client's row is the lock: a second request waits here and then sees the new round.
        Client.objects.select_for_update().filter(pk=client.pk).first()
        last = (
            Measurement.objects.filter(client=client)
            .select_related("scan")
            .order_by("-round")
            .first()
        )
        if last is None:
            raise ValidationError(
                _("This client has no intake yet. Invite the client to the intake scan first."),
                code="no_intake",
            )
        if last.scan is None or not last.scan.is_finished:
            raise ValidationError(
                _(
                    "Round %(round)s is not finished yet. A follow-up can start once the client "
                    "has finished the scan of %(round)s."
                )
                % {"round": round_label(last.round)},
                code="unfinished",
            )
        try:
            with transaction.atomic():
                return Measurement.objects.create(client=client, round=last.round + 1)
        except IntegrityError:
            # Another request created this round between our read and our write (a database
            # without row locks): that round is the one asked for.
            raise ValidationError(
                _("A follow-up has just been started. Send the client its invite link."),
                code="started",
            ) from None


# Progress


@dataclass(frozen=True)
class Change:
    """A change since the intake: the difference as shown (one decimal) and its words."""

    difference: Decimal | None
    classification: str | None
    words_by_classification: dict = field(default_factory=lambda: CHANGE_WORDS, repr=False)

    @property
    def words(self) -> str:
        if self.classification is None:
            return ""
        return str(self.words_by_classification[self.classification])

    @property
    def improved(self) -> bool:
        return self.classification in (SOMEWHAT_HIGHER, CLEARLY_HIGHER)

    @property
    def declined(self) -> bool:
        return self.classification in (SOMEWHAT_LOWER, CLEARLY_LOWER)


def shown(value: Decimal | None) -> Decimal | None:
    """A score as shown: one decimal, half up (3.25 is shown as 3.3)."""
    return None if value is None else value.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def change_between(
    first: Decimal | None,
    latest: Decimal | None,
    *,
    unit: str = SCALE_1_6,
    indicator: str = "",
    words: dict | None = None,
) -> Change:
    """The change from the first to the latest value: the difference of the two values as shown
    (each rounded to one decimal, so the table adds up), classified by benchmarks' classify()."""
    if first is None or latest is None:
        return Change(None, None, words or CHANGE_WORDS)
    difference = shown(latest) - shown(first)
    classification = classify(difference, unit=unit, reference=shown(first), indicator=indicator)
    return Change(difference, classification, words or CHANGE_WORDS)


@dataclass(frozen=True)
class Round:
    number: int
    label: str  # t0, t1, ...
    scan: Scan


@dataclass(frozen=True)
class ProgressRow:
    """A building block or DLOQ statement over the rounds."""

    key: str
    label: str
    scores: list[Decimal | None]  # per finished round, intake first
    change: Change  # latest round against the intake
    peer: GroupComparison  # the benchmark as on the results page, for the latest round
    round_labels: tuple[str, ...] = ()

    @property
    def by_round(self) -> list[tuple[str, Decimal | None]]:
        """(t0, score), (t1, score), ...: for a list instead of a table's columns."""
        return list(zip(self.round_labels, self.scores, strict=True))

    @property
    def first(self) -> Decimal | None:
        return self.scores[0]

    @property
    def latest(self) -> Decimal | None:
        return self.scores[-1]

    @property
    def peer_words(self) -> str:
        """How the latest score compares with the peer value, e.g. "somewhat lower"."""
        if self.peer.classification is None:
            return str(STATUS_WORDS["unanswered"])
        return str(STATUS_WORDS[self.peer.classification])


@dataclass(frozen=True)
class FigureRow:
    """A training figure over the rounds; its change only where the intake and the latest round
    both have a number."""

    key: str
    label: str
    unit: str
    values: list[Decimal | None]
    change: Change


@dataclass(frozen=True)
class PreviousReference:
    """A figure of the edition and of the edition before it (the 2023 monitor: December 2021),
    where the edition prints both (table "previous" of its data, docs/benchmarks.md)."""

    key: str
    label: str
    unit: str
    own: Decimal | None  # the client's latest figure
    value: Decimal  # the edition's
    previous: Decimal  # the previous edition's
    inferred: str = ""  # why the previous figure is inferred, not printed ("" when printed)
    without_n: bool = False  # the edition prints no N for its figure


@dataclass(frozen=True)
class Progress:
    client: Client
    rounds: list[Round]  # the finished rounds, intake first
    open_round: Measurement | None  # the last round when its scan is not finished
    building_blocks: list[ProgressRow]
    dloq: list[ProgressRow]
    training: list[FigureRow]
    actions: dict[str, int]  # ActionItem status -> count, every status present
    references: list[PreviousReference]
    previous_sentences: list[str]  # what the edition says of the previous one, in words
    peer_label: str
    edition: str
    edition_year: int | None = None
    previous_name: str = ""  # e.g. "December 2021"
    previous_caption: str = ""
    team: list = field(default_factory=list)  # (round, team view) where a team view exists

    @property
    def has_followup(self) -> bool:
        """Whether a follow-up has been finished, so that there is a change to show."""
        return len(self.rounds) > 1

    @property
    def latest(self) -> Round | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def references_without_n(self) -> str:
        """The references whose figure of this edition has no N, named; "" when all have."""
        return ", ".join(r.label for r in self.references if r.without_n)

    @property
    def action_total(self) -> int:
        return sum(self.actions.values())


def _score_rows(
    keys: tuple[str, ...],
    per_round: list[dict],
    peers: dict[str, GroupComparison],
    labels: tuple[str, ...],
) -> list[ProgressRow]:
    rows = []
    for key in keys:
        scores = [scores.get(key) for scores in per_round]
        rows.append(
            ProgressRow(
                key=key,
                label=indicator_label(key),
                scores=scores,
                change=change_between(scores[0], scores[-1]),
                peer=peers[key],
                round_labels=labels,
            )
        )
    return rows


def _figure_label(key: str) -> str:
    """A figure named for a coach (the monitor's words, not the owner's "paid by you")."""
    if key in INDICATOR_LABELS:
        return capfirst(indicator_label(key))
    question = FACTS_BY_KEY[key]
    return str(question.short_label or question.label)


def _figure_rows(per_round: list[Scores], lookup: BenchmarkLookup) -> list[FigureRow]:
    rows = []
    for key in TRAINING_FACTS:
        question = FACTS_BY_KEY[key]
        table, indicator = question.benchmark
        unit = lookup.get(table, indicator, TOTAL, NOORD_NEDERLAND).unit
        values = [scores.fact_number(key) for scores in per_round]
        rows.append(
            FigureRow(
                key=key,
                label=_figure_label(key),
                unit=unit,
                values=values,
                change=change_between(
                    values[0], values[-1], unit=unit, indicator=key, words=FIGURE_CHANGE_WORDS
                ),
            )
        )
    return rows


def _references(
    latest: Scores, lookup: BenchmarkLookup, benchmark_set: BenchmarkSet, language: str
) -> list[PreviousReference]:
    """The edition's figures beside the previous edition's, in the order of its data file."""
    references = []
    for then in lookup.cells_of_table(PREVIOUS):
        key = then.indicator
        now = lookup.get(lookup.table_of(key), key, TOTAL, NOORD_NEDERLAND)
        if now is None:
            continue  # the edition does not print this figure itself
        references.append(
            PreviousReference(
                key=key,
                label=_figure_label(key),
                unit=now.unit,
                own=latest.fact_number(key),
                value=now.value,
                previous=then.value,
                inferred=benchmark_set.previous_text("inferred", language, indicator=key),
                without_n=now.n is None,
            )
        )
    return references


def _team_views(rounds: list[Round], lookup: BenchmarkLookup) -> list:
    """The employees' view (leerscan/teams) per round that has a team-scan link: (round, view)."""
    try:
        from leerscan.teams.selectors import team_view  # noqa: PLC0415 (built alongside)
    except ImportError:
        return []
    views = []
    for round_ in rounds:
        view = team_view(scan=round_.scan, lookup=lookup)
        if view is not None:
            views.append((round_, view))
    return views


def client_progress(*, client: Client) -> Progress:
    """A client's progress since the intake: per building block and statement the score of every
    finished round, the change since the intake and the benchmark of the latest round; the
    training figures; the action plan's status; the previous edition's figures; the team view
    per round
    (six queries, and the team view's per round)."""
    measurements = list(
        Measurement.objects.filter(client=client)
        .select_related("scan__benchmark_set")
        .order_by("round")
    )
    rounds = [
        Round(m.round, round_label(m.round), m.scan)
        for m in measurements
        if m.scan is not None and m.scan.is_finished
    ]
    last = measurements[-1] if measurements else None
    open_round = last if last is not None and not (last.scan and last.scan.is_finished) else None
    counts = dict(
        ActionItem.objects.filter(client=client)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    actions = {status: counts.get(status, 0) for status in ActionItem.Status.values}
    if not rounds:
        return Progress(client, [], open_round, [], [], [], actions, [], [], "", "")
    read = scan_scores_many(scans=[r.scan for r in rounds])
    per_round = [read[r.scan.pk].scores for r in rounds]
    latest_scan = rounds[-1].scan
    lookup = BenchmarkLookup(latest_scan.benchmark_set.slug)
    results: Results = scan_results(scan=latest_scan, scores=per_round[-1], lookup=lookup)
    peers = {row.key: row.comparison.peer for row in results.scored_rows}
    labels = tuple(r.label for r in rounds)
    language = get_language() or "nl"
    benchmark_set = latest_scan.benchmark_set
    return Progress(
        client=client,
        rounds=rounds,
        open_round=open_round,
        building_blocks=_score_rows(
            BUILDING_BLOCKS, [s.building_blocks for s in per_round], peers, labels
        ),
        dloq=_score_rows(DLOQ_STATEMENTS, [s.dloq for s in per_round], peers, labels),
        training=_figure_rows(per_round, lookup),
        actions=actions,
        references=_references(per_round[-1], lookup, benchmark_set, language),
        previous_sentences=benchmark_set.previous_sentences(language),
        peer_label=results.building_blocks[0].comparison.peer.label,
        edition=results.edition,
        edition_year=benchmark_set.year,
        previous_name=benchmark_set.previous_text("name", language),
        previous_caption=benchmark_set.previous_text("caption", language),
        team=_team_views(rounds, lookup),
    )
