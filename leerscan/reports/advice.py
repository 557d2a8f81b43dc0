"""Comparisons -> advice. A deterministic engine: pure functions, no database, no I/O.

Rules, each giving candidate instruments with a priority and a "why for you" sentence that quotes
the employer's own numbers and the benchmark:

- measure_return   DLOQ "we measure the results ..." scored low (<= 3): the monitor's weakest point
                   (3.0 in Noord-Nederland) always gets attention              priority 100
- weak_spot        a building block or DLOQ statement clearly / somewhat lower than the closest
                   group                                                         90 / 70
- low_score        a building block or DLOQ statement low on the scale (<= 3) although the
                   closest group scores about the same                          80
- arrangement      an arrangement the firm lacks while most of its size class has it          85
                   (ArrangementRow.lacks_what_most_have in results.py)
- obstacle         an obstacle the employer agrees with (>= 4 of 6)              75 + 5 per point
- no_hr            no HR department: instruments that bring outside support       65
- unused           a practice the firm does not use that fits a weak spot: +10 on top of the spot

Within one weak spot or obstacle, the instruments are taken in library order, practices not yet in
use first, each next one 5 lower, at most three per spot (two per obstacle and for no_hr). An
instrument named by several rules keeps its highest priority and all reasons. The list is ranked
by priority, then library order. No rule fills more than three places while another rule has
candidates left (an instrument named by several rules counts for the first with room), so a long
list of weak spots does not hide an obstacle or a missing HR department. The list holds 3 to 6
recommendations with at least one quick win and one structural step (the best of the missing
kind replaces the last place). When no rule fires,
the advice says everything is strong and recommends how to keep it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from benchmarks.selectors import CLEARLY_LOWER, SOMEWHAT_LOWER
from leerscan.constants import (
    ADVICE_MAX,
    ADVICE_MIN,
    LOW_SCORE,
    OBSTACLE_AGREES,
)
from leerscan.reports.results import Results, ScoreRow

QUICK_WIN, STRUCTURAL = "quick_win", "structureel"
P_MEASURE_RETURN, P_CLEARLY_LOWER, P_ARRANGEMENT, P_LOW_SCORE = 100, 90, 85, 80
P_OBSTACLE, P_SOMEWHAT_LOWER, P_NO_HR = 75, 70, 65
BONUS_UNUSED, STEP_DOWN = 10, 5
PER_SPOT, PER_OBSTACLE, PER_NO_HR = 3, 2, 2
PER_RULE = 3
# How to keep a strong learning culture: record what works, share it, and measure it.
KEEP_STRONG = ("lessen_vastleggen", "kennisinstellingen", "rendement_meten")

# What the monitor says about practices it finds rare (section 4.5).
RARE_PRACTICES = {
    "pop": gettext_noop("Just under 40 percent of organisations use a personal development plan."),
    "taakroulatie": gettext_noop("Rotating tasks hardly occurs in the monitor."),
    "functieroulatie": gettext_noop("Rotating jobs hardly occurs in the monitor."),
    "detachering_intern": gettext_noop(
        "Secondment to other departments hardly occurs in the monitor."
    ),
}


class InstrumentLike(Protocol):
    key: str
    position: int
    effort: str
    building_blocks: list[str]
    dloq: list[str]
    arrangements: list[str]
    instruments_in_use: list[str]
    obstacles: list[str]
    external_support: bool


@dataclass(frozen=True)
class Candidate:
    key: str
    priority: int
    reason: str
    rule: str


@dataclass
class Recommendation:
    instrument: InstrumentLike
    priority: int
    reasons: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)

    @property
    def why(self) -> str:
        """The main "why for you" sentence."""
        return self.reasons[0]

    @property
    def is_quick_win(self) -> bool:
        return self.instrument.effort == QUICK_WIN


@dataclass(frozen=True)
class Advice:
    recommendations: list[Recommendation]
    all_strong: bool


def _n(value: Decimal) -> str:
    return number_format(value, 1)


def _practices_not_in_use(results: Results) -> set[str]:
    return {row.key for row in results.instruments if row.chosen is False}


def _ordered(instruments: list[InstrumentLike], unused: set[str]) -> list[InstrumentLike]:
    """Library order, with instruments that are an unused practice first."""
    return sorted(instruments, key=lambda i: (not set(i.instruments_in_use) & unused, i.position))


def _spot_candidates(results: Results, library: list[InstrumentLike]) -> list[Candidate]:
    unused = _practices_not_in_use(results)
    candidates: list[Candidate] = []
    for group, rows in (("building_blocks", results.building_blocks), ("dloq", results.dloq)):
        for row in rows:
            if row.score is None:
                continue
            peer = row.comparison.peer
            if row.key == "meten_resultaten" and row.score <= LOW_SCORE:
                total = row.comparison.group("total")
                candidates.append(
                    Candidate(
                        "rendement_meten",
                        P_MEASURE_RETURN,
                        _(
                            "You score %(score)s on “%(label)s”. In the monitor too this "
                            "is the weakest point: %(nn)s in Noord-Nederland."
                        )
                        % {"score": _n(row.score), "label": row.label, "nn": _n(total.value)},
                        "measure_return",
                    )
                )
            if peer.classification in (CLEARLY_LOWER, SOMEWHAT_LOWER):
                priority = (
                    P_CLEARLY_LOWER if peer.classification == CLEARLY_LOWER else P_SOMEWHAT_LOWER
                )
                reason = _(
                    "Your organisation scores %(score)s on “%(label)s”; %(group)s "
                    "score %(peer)s on average."
                ) % {
                    "score": _n(row.score),
                    "label": row.label,
                    "group": peer.label,
                    "peer": _n(peer.value),
                }
                rule = "weak_spot"
            elif row.score <= LOW_SCORE and row.key != "meten_resultaten":
                priority = P_LOW_SCORE
                reason = _(
                    "You give “%(label)s” a %(score)s on a scale of 1 to 6. That is low, "
                    "even though %(group)s score about the same (%(peer)s)."
                ) % {
                    "score": _n(row.score),
                    "label": row.label,
                    "group": peer.label,
                    "peer": _n(peer.value),
                }
                rule = "low_score"
            else:
                continue
            fitting = [i for i in library if row.key in getattr(i, group)]
            for rank, instrument in enumerate(_ordered(fitting, unused)[:PER_SPOT]):
                practice = set(instrument.instruments_in_use) & unused
                bonus = BONUS_UNUSED if practice else 0
                candidates.append(
                    Candidate(instrument.key, priority + bonus - rank * STEP_DOWN, reason, rule)
                )
                for key in sorted(practice & set(RARE_PRACTICES)):
                    candidates.append(
                        Candidate(
                            instrument.key,
                            priority + bonus - rank * STEP_DOWN,
                            _("You do not use this yet. %(monitor)s")
                            % {"monitor": _(RARE_PRACTICES[key])},
                            "unused",
                        )
                    )
    return candidates


def _arrangement_candidates(results: Results, library: list[InstrumentLike]) -> list[Candidate]:
    candidates = []
    for row in results.arrangements:
        group = row.size_or_peer
        if row.lacks_what_most_have:
            reason = _("You have no %(label)s, while %(pct)s%% of %(group)s have one.") % {
                "label": row.label,
                "pct": _n(group.value),
                "group": group.label,
            }
            for instrument in library:
                if row.key in instrument.arrangements:
                    candidates.append(
                        Candidate(instrument.key, P_ARRANGEMENT, reason, "arrangement")
                    )
    return candidates


def _obstacle_candidates(results: Results, library: list[InstrumentLike]) -> list[Candidate]:
    unused = _practices_not_in_use(results)
    candidates = []
    for obstacle in results.obstacles:
        value = obstacle.value
        if value is None or value < OBSTACLE_AGREES:
            continue
        priority = P_OBSTACLE + int(value - OBSTACLE_AGREES) * STEP_DOWN
        reason = _("You say: “%(label)s” (%(value)s of 6).") % {
            "label": obstacle.label.rstrip("."),
            "value": _n(value),
        }
        fitting = [i for i in library if obstacle.key in i.obstacles]
        for rank, instrument in enumerate(_ordered(fitting, unused)[:PER_OBSTACLE]):
            candidates.append(
                Candidate(instrument.key, priority - rank * STEP_DOWN, reason, "obstacle")
            )
    return candidates


def _no_hr_candidates(results: Results, library: list[InstrumentLike]) -> list[Candidate]:
    if results.has_hr_department is not False:
        return []
    reason = _(
        "You have no HR department, like most small organisations in the monitor. Help from "
        "outside makes a start easier."
    )
    external = [i for i in library if i.external_support][:PER_NO_HR]
    return [
        Candidate(i.key, P_NO_HR - rank * STEP_DOWN, reason, "no_hr")
        for rank, i in enumerate(external)
    ]


def _merge(candidates: list[Candidate], by_key: dict[str, InstrumentLike]) -> list[Recommendation]:
    merged: dict[str, Recommendation] = {}
    for c in sorted(candidates, key=lambda c: -c.priority):
        if c.key not in by_key:
            continue  # an instrument the library does not (yet) have
        rec = merged.setdefault(c.key, Recommendation(by_key[c.key], c.priority))
        if c.reason not in rec.reasons:
            rec.reasons.append(c.reason)
        if c.rule not in rec.rules:
            rec.rules.append(c.rule)
    return sorted(merged.values(), key=lambda r: (-r.priority, r.instrument.position))


def _diverse(ranked: list[Recommendation]) -> list[Recommendation]:
    """The ranking with at most PER_RULE recommendations per rule first, the rest after; a
    recommendation that several rules name takes the first of its rules with room left."""
    first, later, count = [], [], Counter()
    for rec in ranked:
        # "unused" only raises a weak spot's candidate; it is not a reason of its own.
        rule = next((r for r in rec.rules if r != "unused" and count[r] < PER_RULE), None)
        if rule is None:
            later.append(rec)
        else:
            count[rule] += 1
            first.append(rec)
    return first + later


def _weakest_row(results: Results) -> ScoreRow | None:
    rows = [r for r in (*results.building_blocks, *results.dloq) if r.score is not None]
    return min(rows, key=lambda r: (r.comparison.peer.difference, r.score), default=None)


def _balance(
    chosen: list[Recommendation],
    spares: list[Recommendation],
    results: Results,
    library: list[InstrumentLike],
) -> list[Recommendation]:
    """At least one quick win and one structural step: the best spare of a missing kind takes
    the last place; without a spare, the first instrument of that kind that fits the weakest
    part of the scan."""
    for effort in (QUICK_WIN, STRUCTURAL):
        if any(r.instrument.effort == effort for r in chosen):
            continue
        have = {r.instrument.key for r in chosen}
        spare = next((r for r in spares if r.instrument.effort == effort), None)
        weakest = _weakest_row(results)
        if spare is None and weakest is not None:
            group = "dloq" if weakest in results.dloq else "building_blocks"
            instrument = next(
                (
                    i
                    for i in library
                    if i.effort == effort and weakest.key in getattr(i, group) and i.key not in have
                ),
                None,
            )
            if instrument is not None:
                reason = _(
                    "A step that supports “%(label)s”, your relatively weakest point "
                    "(%(score)s; %(group)s: %(peer)s)."
                ) % {
                    "label": weakest.label,
                    "score": _n(weakest.score),
                    "group": weakest.comparison.peer.label,
                    "peer": _n(weakest.comparison.peer.value),
                }
                spare = Recommendation(instrument, 0, [reason], ["balance"])
        if spare is not None:
            if len(chosen) == ADVICE_MAX:
                chosen = chosen[:-1]
            chosen = [*chosen, spare]
    return chosen


def _keep_strong(by_key: dict[str, InstrumentLike], start: int) -> list[Recommendation]:
    reason = _(
        "Your organisation scores at or above similar organisations on every part. This helps "
        "to keep it that way and to share what works."
    )
    return [
        Recommendation(by_key[key], start - n, [reason], ["keep_strong"])
        for n, key in enumerate(KEEP_STRONG)
        if key in by_key
    ]


def advise(*, results: Results, library: list[InstrumentLike]) -> Advice:
    """Select and rank HR instruments for a finished scan's comparisons."""
    by_key = {i.key: i for i in library}
    candidates = [
        *_spot_candidates(results, library),
        *_arrangement_candidates(results, library),
        *_obstacle_candidates(results, library),
        *_no_hr_candidates(results, library),
    ]
    ranked = _diverse(_merge(candidates, by_key))
    have = {r.instrument.key for r in ranked}
    pool = ranked + [r for r in _keep_strong(by_key, 0) if r.instrument.key not in have]
    size = max(ADVICE_MIN, min(len(ranked), ADVICE_MAX))
    chosen = _balance(pool[:size], pool[size:], results, library)
    return Advice(recommendations=chosen, all_strong=not ranked)
