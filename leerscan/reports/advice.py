"""Comparisons -> advice. A deterministic engine: pure functions, no database, no I/O.

First, what does not fit the firm is set aside, so that no rule, no balancing step and no
"keep it strong" list can bring it back:

- an instrument that is a practice the employer already uses (the `instrumenten` answer,
  `Results.instruments` rows with `chosen is True`; `instruments_in_use` in the library), or an
  arrangement the employer says it has (`Results.arrangements` with `has is True`);
- in a firm with fewer than DEPARTMENTS_FROM employees, an instrument that needs departments
  (`needs_departments`: job rotation, secondment to another department).

Then rules, each giving candidate instruments with a priority and a "why for you" sentence that
quotes the employer's own numbers and the benchmark:

- measure_return   DLOQ "we measure the results ..." scored low (<= LOW_SCORE): the monitor's
                   weakest point (3.0 in Noord-Nederland) always gets attention          100
- weak_spot        a building block or DLOQ statement clearly / somewhat lower than the
                   closest group                                                     90 / 70
- arrangement      an arrangement the firm lacks while most of its size class has it      85
                   (ArrangementRow.lacks_what_most_have in results.py)
- training         a training figure (Results.training: participation, hours per
                   participant, training in working time, share of the costs the employer
                   pays, share of turnover, importance of learning) that compares "somewhat" or
                   "clearly" lower than the closest group (TRAINING_GAP): the instruments whose
                   `indicators` name that figure, those that answer most of the firm's training
                   gaps first                                                        85 / 70
- repayment_clause the share of training under a repayment clause "somewhat" or "clearly"
                   higher than the closest group (REPAYMENT_CLAUSE_HIGH): the instruments whose
                   `indicators` name it (a training arrangement, unless the firm has one), with
                   the rule of art. 7:611a BW as a second reason                     80 / 85
                   The rule of law is also one of the advice's notes, shown above the actions,
                   so that a firm that already has a training arrangement reads it too.
- obstacle         an obstacle the employer agrees with (>= 4 of 6)   75 + 5 per point above 4
- no_hr            no HR department: the first two instruments that bring outside support
                   (the sector's O&O-fonds only when the support data knows the sector's fund) 65
- unused           a practice the firm does not use that fits a weak spot: +10 on the spot

In a small firm (fewer than SMALL_FIRM_BELOW employees) without an HR department each obstacle
weighs 15 more (6 of 6 then ranks with a clearly weak spot whose practice is not yet in use), and
the no_hr rule names OUTSIDE_SUPPORT_FIRST: a leer- en ontwikkelcoach (95) and, when the sector
has a fund we know of, the sector's O&O-fonds (90); both are guaranteed a place (see below). The
no_hr sentence fits the firm's size: "like most small organisations" (the monitor: just under a
quarter of the firms with 5-24 employees has an HR department) only below SMALL_FIRM_BELOW,
"while almost every large organisation has one" from LARGE_FIRM_FROM, and a plain sentence in
between or when the size is unknown.

Within one weak spot, obstacle or training figure, the instruments are taken in library order,
practices not yet in use first, each next one 5 lower, at most three per spot (two per obstacle,
per training figure and for no_hr). An instrument named by several rules keeps its highest
priority and all reasons: the strongest first, then the first reason of each other rule (so the
reasons an action shows, at most ADVICE_REASONS_SHOWN, come from different rules where they can),
then the rest. No rule fills more than three places while another rule has candidates left (an
instrument named by several rules counts for the first with room), so a long list of weak spots
does not hide an obstacle or a missing HR department.

The list holds 3 to 6 recommendations, ranked by priority and then library order, with these
guarantees, each met by the best spare that meets it taking the place of the lowest
recommendation that no other guarantee needs: in a small firm without an HR department every
instrument of OUTSIDE_SUPPORT_FIRST that the no_hr rule names; at least one quick win and one
structural step (without a spare, the first instrument of the kind that fits the weakest part of
the scan). When no rule fires, the advice says everything is strong and recommends how to keep
it.

The regional support (data beside the instruments, each entry with a source and a "last checked"
date) is selected here too: the entries for the firm's province (or for everyone), and the sector
funds whose SBI codes begin the firm's SBI code. When the sector's fund is known, the O&O-fonds
recommendation names it.

There used to be a rule `low_score` (a statement at or below 3 that scores about the same as its
group). It could never fire: in the monitor every building block and statement other than
measuring the return averages well above 3.5 in every group and every estimate, so a 3 is always
"clearly lower" and the weak_spot rule already takes it, while measuring the return has its own
rule. It was removed; tests/reports/test_advice.py checks that premise against the loaded
benchmark set for every profile, so a set where it no longer holds fails that test.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from benchmarks.selectors import CLEARLY_HIGHER, CLEARLY_LOWER, SOMEWHAT_LOWER
from benchmarks.vocabulary import ELSEWHERE
from leerscan.constants import (
    ADVICE_MAX,
    ADVICE_MIN,
    ADVICE_REASONS_SHOWN,
    DEPARTMENTS_FROM,
    LARGE_FIRM_FROM,
    LOW_SCORE,
    OBSTACLE_AGREES,
    REPAYMENT_CLAUSE_HIGH,
    SMALL_FIRM_BELOW,
    TRAINING_GAP,
)
from leerscan.reports.results import FactRow, Results, ScoreRow

QUICK_WIN, STRUCTURAL = "quick_win", "structureel"
P_MEASURE_RETURN, P_CLEARLY_LOWER, P_ARRANGEMENT = 100, 90, 85
P_TRAINING_CLEARLY, P_REPAYMENT, P_OBSTACLE, P_TRAINING_SOMEWHAT = 85, 80, 75, 70
P_SOMEWHAT_LOWER, P_NO_HR, P_NO_HR_SMALL = 70, 65, 95
BONUS_UNUSED, BONUS_SMALL_NO_HR, STEP_DOWN = 10, 15, 5
PER_SPOT, PER_OBSTACLE, PER_NO_HR, PER_TRAINING = 3, 2, 2, 2
PER_RULE = 3
# How to keep a strong learning culture: record what works, share it, and measure it.
KEEP_STRONG = ("lessen_vastleggen", "kennisinstellingen", "rendement_meten")
# The instrument that is the sector's O&O-fonds: named by no_hr only when the fund is known.
SECTOR_FUND_INSTRUMENT = "oo_fonds"
# The outside support a small firm without an HR department gets first: a coach, and the sector's
# O&O-fonds when the sector has one.
OUTSIDE_SUPPORT_FIRST = ("leer_ontwikkelcoach", SECTOR_FUND_INSTRUMENT)
REPAYMENT = "pct_terugbetalingsregeling"

# What the monitor says about practices it finds rare (section 4.5).
RARE_PRACTICES = {
    "pop": gettext_noop("Just under 40 percent of organisations use a personal development plan."),
    "taakroulatie": gettext_noop("Rotating tasks hardly occurs in the monitor."),
    "functieroulatie": gettext_noop("Rotating jobs hardly occurs in the monitor."),
    "detachering_intern": gettext_noop(
        "Secondment to other departments hardly occurs in the monitor."
    ),
}

# One sentence per training figure: the employer's value and the closest group's.
TRAINING_SENTENCES = {
    "pct_deelname": gettext_noop(
        "In the last 12 months %(value)s%% of your employees took a course or training "
        "(%(group)s: %(peer)s%%)."
    ),
    "uren_per_deelnemer": gettext_noop(
        "A participant spent %(value)s hours on training on average (%(group)s: %(peer)s hours)."
    ),
    "pct_onder_werktijd": gettext_noop(
        "%(value)s%% of your training takes place during working hours (%(group)s: %(peer)s%%)."
    ),
    "pct_kosten_werkgever": gettext_noop(
        "Your organisation pays %(value)s%% of the training costs (%(group)s: %(peer)s%%)."
    ),
    "pct_omzet_leren": gettext_noop(
        "You spend %(value)s%% of your turnover on learning and training (%(group)s: %(peer)s%%)."
    ),
    "belang_leren": gettext_noop(
        "You rate the importance of learning at %(value)s out of 10 (%(group)s: %(peer)s)."
    ),
    REPAYMENT: gettext_noop(
        "A repayment clause applies to %(value)s%% of your training (%(group)s: %(peer)s%%)."
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
    indicators: list[str]
    external_support: bool
    needs_departments: bool


class SupportLike(Protocol):
    key: str
    position: int
    kind: str
    provinces: list[str]
    sbi_prefixes: list[str]
    name_nl: str
    name_en: str
    last_checked: datetime.date


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
    def shown_reasons(self) -> list[str]:
        """The reasons an action shows: the strongest, at most ADVICE_REASONS_SHOWN."""
        return self.reasons[:ADVICE_REASONS_SHOWN]

    @property
    def is_quick_win(self) -> bool:
        return self.instrument.effort == QUICK_WIN


@dataclass(frozen=True)
class Advice:
    recommendations: list[Recommendation]
    all_strong: bool
    # The regional support that applies to this firm, in the data's order.
    support: list[SupportLike] = field(default_factory=list)
    # What the employer should know whatever it chooses to do (a rule of law), shown first.
    notes: list[str] = field(default_factory=list)
    # The point on mandatory training (the monitor's figures and art. 7:611a BW), for everyone.
    mandatory_training: MandatoryTraining | None = None

    @property
    def sector_funds(self) -> list[SupportLike]:
        return [s for s in self.support if s.kind == "sector_fund"]

    @property
    def support_checked(self) -> datetime.date | None:
        """The oldest "last checked" date of the support shown."""
        return min((s.last_checked for s in self.support), default=None)


@dataclass(frozen=True)
class MandatoryTraining:
    """Just under half of training is mandatory (monitor, section 4.3), and what the law says
    about such training (art. 7:611a BW). Every line is the monitor's or the law's, not the
    firm's: it is a fact every owner should know, not a recommendation."""

    monitor: list[str]  # the monitor's sentences and figures
    law: str
    source: str


@dataclass(frozen=True)
class Firm:
    """What the rules need to know about the firm beyond its scores."""

    employees: int | None
    has_hr_department: bool | None
    in_use: frozenset[str]
    not_in_use: frozenset[str]
    has_arrangements: frozenset[str]
    sector_funds: tuple[SupportLike, ...]

    @property
    def is_small(self) -> bool:
        return self.employees is not None and self.employees < SMALL_FIRM_BELOW

    @property
    def small_without_hr(self) -> bool:
        return self.is_small and self.has_hr_department is False

    def fits(self, instrument: InstrumentLike) -> bool:
        """Not a practice or arrangement the firm already has, and no departments needed in a
        firm too small to have them."""
        if set(instrument.instruments_in_use) & self.in_use:
            return False
        if set(instrument.arrangements) & self.has_arrangements:
            return False
        too_small = self.employees is not None and self.employees < DEPARTMENTS_FROM
        return not (too_small and instrument.needs_departments)


def _n(value: Decimal) -> str:
    return number_format(value, 1)


def _num(value: Decimal) -> str:
    """A number as the employer gave it: whole numbers without decimals."""
    return number_format(value, 0 if value == value.to_integral_value() else 1)


def _ordered(instruments: list[InstrumentLike], unused: frozenset[str]) -> list[InstrumentLike]:
    """Library order, with instruments that are an unused practice first."""
    return sorted(instruments, key=lambda i: (not set(i.instruments_in_use) & unused, i.position))


def _spot_candidates(results: Results, library: list[InstrumentLike], firm: Firm):
    unused = firm.not_in_use
    candidates: list[Candidate] = []
    for group, rows in (("building_blocks", results.building_blocks), ("dloq", results.dloq)):
        for row in rows:
            if row.score is None:
                continue
            peer = row.comparison.peer
            measure_return = row.key == "meten_resultaten" and row.score <= LOW_SCORE
            if measure_return:
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
            if peer.classification not in (CLEARLY_LOWER, SOMEWHAT_LOWER):
                continue
            priority = P_CLEARLY_LOWER if peer.classification == CLEARLY_LOWER else P_SOMEWHAT_LOWER
            reason = _(
                "Your organisation scores %(score)s on “%(label)s”; %(group)s score %(peer)s on "
                "average."
            ) % {
                "score": _n(row.score),
                "label": row.label,
                "group": peer.label,
                "peer": _n(peer.value),
            }
            fitting = [i for i in library if row.key in getattr(i, group)]
            for rank, instrument in enumerate(_ordered(fitting, unused)[:PER_SPOT]):
                if measure_return and instrument.key == "rendement_meten":
                    continue  # it already quotes this score, as the monitor's weakest point
                practice = set(instrument.instruments_in_use) & unused
                bonus = BONUS_UNUSED if practice else 0
                candidates.append(
                    Candidate(
                        instrument.key, priority + bonus - rank * STEP_DOWN, reason, "weak_spot"
                    )
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


def _figure_sentence(row: FactRow) -> str:
    peer = row.comparison.peer
    return _(TRAINING_SENTENCES[row.question.key]) % {
        "value": _num(row.value),
        "group": peer.phrase,
        "peer": _n(peer.value),
    }


def _training_gaps(results: Results) -> list[FactRow]:
    """The training figures the employer gave that compare worse with the closest group."""
    gaps = []
    for row in results.training:
        if row.value is None or row.comparison is None or row.question.key == REPAYMENT:
            continue
        if row.question.key in TRAINING_SENTENCES and row.comparison.peer.classification in (
            TRAINING_GAP
        ):
            gaps.append(row)
    return gaps


def _training_candidates(
    results: Results, library: list[InstrumentLike], firm: Firm
) -> list[Candidate]:
    gaps = _training_gaps(results)
    gap_keys = {row.question.key for row in gaps}
    candidates = []
    for row in gaps:
        key = row.question.key
        priority = (
            P_TRAINING_CLEARLY
            if row.comparison.peer.classification == CLEARLY_LOWER
            else P_TRAINING_SOMEWHAT
        )
        fitting = sorted(
            (i for i in library if key in i.indicators),
            # The instruments that answer most of the firm's training gaps first.
            key=lambda i: (
                -len(gap_keys & set(i.indicators)),
                not set(i.instruments_in_use) & firm.not_in_use,
                i.position,
            ),
        )
        reason = _figure_sentence(row)
        for rank, instrument in enumerate(fitting[:PER_TRAINING]):
            candidates.append(
                Candidate(instrument.key, priority - rank * STEP_DOWN, reason, "training")
            )
    return candidates


def _repayment_high(results: Results) -> FactRow | None:
    """The repayment-clause figure when it is high against the closest group."""
    row = next((r for r in results.training if r.question.key == REPAYMENT), None)
    if row is None or row.value is None or row.comparison is None:
        return None
    return row if row.comparison.peer.classification in REPAYMENT_CLAUSE_HIGH else None


def _repayment_law() -> str:
    return _(
        "Please note: since 1 August 2022, training that you must offer by law or under the "
        "collective agreement (cao) for the job is free for the employee. It takes place in "
        "working time where possible, and it may not carry a repayment clause (art. 7:611a BW). "
        "For other training a repayment clause is still allowed. Check which of your training "
        "this applies to."
    )


def _repayment_candidates(results: Results, library: list[InstrumentLike]) -> list[Candidate]:
    row = _repayment_high(results)
    if row is None:
        return []
    priority = P_REPAYMENT + (
        STEP_DOWN if row.comparison.peer.classification == CLEARLY_HIGHER else 0
    )
    law = _repayment_law()
    candidates = []
    for instrument in [i for i in library if REPAYMENT in i.indicators][:PER_TRAINING]:
        for reason in (_figure_sentence(row), law):
            candidates.append(Candidate(instrument.key, priority, reason, "repayment_clause"))
    return candidates


def _obstacle_candidates(
    results: Results, library: list[InstrumentLike], firm: Firm
) -> list[Candidate]:
    candidates = []
    bonus = BONUS_SMALL_NO_HR if firm.small_without_hr else 0
    for obstacle in results.obstacles:
        value = obstacle.value
        if value is None or value < OBSTACLE_AGREES:
            continue
        priority = P_OBSTACLE + bonus + int(value - OBSTACLE_AGREES) * STEP_DOWN
        reason = _("You say: “%(label)s” (%(value)s of 6).") % {
            "label": obstacle.label.rstrip("."),
            "value": _n(value),
        }
        fitting = [i for i in library if obstacle.key in i.obstacles]
        for rank, instrument in enumerate(_ordered(fitting, firm.not_in_use)[:PER_OBSTACLE]):
            candidates.append(
                Candidate(instrument.key, priority - rank * STEP_DOWN, reason, "obstacle")
            )
    return candidates


def _no_hr_reason(firm: Firm) -> str:
    if firm.is_small:
        return _(
            "You have no HR department, like most small organisations in the monitor: just "
            "under a quarter of the organisations with 5 to 24 employees has one. Help from "
            "outside makes a start easier."
        )
    if firm.employees is not None and firm.employees >= LARGE_FIRM_FROM:
        return _(
            "You have no HR department, while in the monitor almost every large organisation "
            "has one. Help from outside can take on part of that work."
        )
    return _("You have no HR department. Help from outside makes a start easier.")


def _no_hr_instruments(library: list[InstrumentLike], firm: Firm) -> list[InstrumentLike]:
    """The outside support the no_hr rule names, best first."""
    if firm.has_hr_department is not False:
        return []
    external = [
        i
        for i in library
        if i.external_support and (i.key != SECTOR_FUND_INSTRUMENT or firm.sector_funds)
    ]
    if firm.small_without_hr:
        external = [i for i in external if i.key in OUTSIDE_SUPPORT_FIRST]
    return external[:PER_NO_HR]


def _no_hr_candidates(library: list[InstrumentLike], firm: Firm) -> list[Candidate]:
    external = _no_hr_instruments(library, firm)
    priority = P_NO_HR_SMALL if firm.small_without_hr else P_NO_HR
    reason = _no_hr_reason(firm)
    return [
        Candidate(i.key, priority - rank * STEP_DOWN, reason, "no_hr")
        for rank, i in enumerate(external)
    ]


def _varied(reasons: list[tuple[str, str]]) -> list[str]:
    """Reasons (text, rule), strongest first: the first of each rule, then the rest."""
    first, seen = [], set()
    for text, rule in reasons:
        if rule not in seen:
            seen.add(rule)
            first.append(text)
    return first + [text for text, _rule in reasons if text not in first]


def _merge(candidates: list[Candidate], by_key: dict[str, InstrumentLike]) -> list[Recommendation]:
    merged: dict[str, Recommendation] = {}
    reasons: dict[str, list[tuple[str, str]]] = {}
    for c in sorted(candidates, key=lambda c: -c.priority):
        if c.key not in by_key:
            continue  # an instrument the library does not (yet) have, or one that does not fit
        rec = merged.setdefault(c.key, Recommendation(by_key[c.key], c.priority))
        given = reasons.setdefault(c.key, [])
        if all(c.reason != text for text, _rule in given):
            given.append((c.reason, c.rule))
        if c.rule not in rec.rules:
            rec.rules.append(c.rule)
    for key, rec in merged.items():
        rec.reasons = _varied(reasons[key])
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


def _fallback(
    effort: str, results: Results, library: list[InstrumentLike], have: set[str]
) -> Recommendation | None:
    """The first instrument of this effort that fits the weakest part of the scan."""
    weakest = _weakest_row(results)
    if weakest is None:
        return None
    group = "dloq" if weakest in results.dloq else "building_blocks"
    instrument = next(
        (
            i
            for i in library
            if i.effort == effort and weakest.key in getattr(i, group) and i.key not in have
        ),
        None,
    )
    if instrument is None:
        return None
    reason = _(
        "A step that supports “%(label)s”, your relatively weakest point "
        "(%(score)s; %(group)s: %(peer)s)."
    ) % {
        "label": weakest.label,
        "score": _n(weakest.score),
        "group": weakest.comparison.peer.label,
        "peer": _n(weakest.comparison.peer.value),
    }
    return Recommendation(instrument, 0, [reason], ["balance"])


Need = Callable[[Recommendation], bool]


def _needs(library: list[InstrumentLike], firm: Firm) -> list[tuple[str, Need]]:
    """What the list must hold: in a small firm without an HR department the outside support
    the no_hr rule names, and a quick win and a structural step."""
    needs: list[tuple[str, Need]] = []
    if firm.small_without_hr:
        for instrument in _no_hr_instruments(library, firm):
            needs.append((instrument.key, lambda r, key=instrument.key: r.instrument.key == key))
    needs.append((QUICK_WIN, lambda r: r.instrument.effort == QUICK_WIN))
    needs.append((STRUCTURAL, lambda r: r.instrument.effort == STRUCTURAL))
    return needs


def _balance(
    chosen: list[Recommendation],
    spares: list[Recommendation],
    results: Results,
    library: list[InstrumentLike],
    firm: Firm,
) -> list[Recommendation]:
    """Meet every need of _needs: the best spare that meets a missing one takes the place of the
    lowest recommendation that no other need depends on (or is added while there is room)."""
    needs = _needs(library, firm)
    for name, need in needs:
        if any(need(r) for r in chosen):
            continue
        have = {r.instrument.key for r in chosen}
        spare = next((r for r in spares if need(r) and r.instrument.key not in have), None)
        if spare is None and name in (QUICK_WIN, STRUCTURAL):
            spare = _fallback(name, results, library, have)
        if spare is None:
            continue
        if len(chosen) >= ADVICE_MAX:
            for index in range(len(chosen) - 1, -1, -1):
                rest = chosen[:index] + chosen[index + 1 :]
                if all(any(n(r) for r in rest) for _name, n in needs if any(n(r) for r in chosen)):
                    chosen = rest
                    break
            else:
                continue
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


def _support_for(results: Results, support: list[SupportLike]) -> list[SupportLike]:
    """The support entries for the firm's province (or everyone) and its sector's funds."""
    province = results.profile.province or ELSEWHERE
    sbi = results.sbi_code or ""
    chosen = []
    for entry in sorted(support, key=lambda s: s.position):
        if entry.provinces and province not in entry.provinces:
            continue
        if entry.kind == "sector_fund" and not any(sbi.startswith(p) for p in entry.sbi_prefixes):
            continue
        chosen.append(entry)
    return chosen


def _name_the_fund(recommendations: list[Recommendation], funds: list[SupportLike]) -> None:
    """The O&O-fonds recommendation names the sector's fund, as its second reason."""
    if not funds:
        return
    english = (get_language() or "nl").startswith("en")
    names = [f.name_en if english else f.name_nl for f in funds]
    if len(names) == 1:
        reason = _(
            "Your sector has a fund for training: %(fund)s. See “Support in the region”."
        ) % {"fund": names[0]}
    else:
        reason = _(
            "Your sector has funds for training: %(funds)s or %(last)s. Your collective labour "
            "agreement (cao) says which one is yours. See “Support in the region”."
        ) % {"funds": ", ".join(names[:-1]), "last": names[-1]}
    for rec in recommendations:
        if rec.instrument.key == SECTOR_FUND_INSTRUMENT and reason not in rec.reasons:
            rec.reasons.insert(1, reason)


# The sectors where the monitor finds relatively more training mandatory (section 4.3): Landbouw,
# Industrie & Nijverheid and Niet-commerciële dienstverlening.
MORE_MANDATORY_SECTORS = ("lin", "ncd")


def _mandatory_training(results: Results) -> MandatoryTraining | None:
    """The monitor on mandatory training (its sentence of section 4.3; for the two sectors it
    names, that sentence too; the employees who took a short course because it was mandatory,
    the second Tabel 3.2) and the rule of art. 7:611a BW. None for a set without the sentence."""
    sentence = results.sentences.get("verplichte_scholing")
    if not sentence:
        return None
    monitor = [sentence]
    sectors = results.sentences.get("verplichte_scholing_sectoren")
    if sectors and results.profile.sector in MORE_MANDATORY_SECTORS:
        monitor.append(sectors)
    mandatory = results.employee_learning and results.employee_learning.figure("kort_verplicht")
    if mandatory:
        monitor.append(
            _(
                "Of the employees in Noord-Nederland who took a short course, %(pct)s%% did so "
                "because it was mandatory (the monitor's table of reasons for short education, "
                "its second Tabel 3.2)."
            )
            % {"pct": _n(mandatory.value)}
        )
    law = _(
        "What the law says (art. 7:611a BW): you must enable your employees to take the "
        "training they need to do their job. Is a training mandatory for the job by law or "
        "regulation, or under your collective agreement (cao)? Then, since 1 August 2022, the "
        "employee gets it free of charge, the time spent on it counts as working time, and it "
        "takes place during working hours where reasonably possible. You may not make the "
        "employee pay back its costs: a study-cost repayment clause for such training is void."
    )
    source = _(
        "Source: Burgerlijk Wetboek, Book 7, article 611a, paragraphs 1, 2 and 4; paragraphs 2 "
        "and 4 apply since 1 August 2022 (the Dutch implementation of EU Directive 2019/1152 on "
        "transparent and predictable working conditions). General information, not legal advice: "
        "your collective agreement may say more."
    )
    return MandatoryTraining(monitor=monitor, law=law, source=source)


def advise(
    *,
    results: Results,
    library: list[InstrumentLike],
    support: list[SupportLike] | None = None,
) -> Advice:
    """Select and rank HR instruments for a finished scan's comparisons, and the regional
    support that applies to the firm."""
    applicable = _support_for(results, support or [])
    firm = Firm(
        employees=results.employees,
        has_hr_department=results.has_hr_department,
        in_use=frozenset(row.key for row in results.instruments if row.chosen is True),
        not_in_use=frozenset(row.key for row in results.instruments if row.chosen is False),
        has_arrangements=frozenset(row.key for row in results.arrangements if row.has is True),
        sector_funds=tuple(s for s in applicable if s.kind == "sector_fund"),
    )
    library = [i for i in library if firm.fits(i)]
    by_key = {i.key: i for i in library}
    candidates = [
        *_spot_candidates(results, library, firm),
        *_arrangement_candidates(results, library),
        *_training_candidates(results, library, firm),
        *_repayment_candidates(results, library),
        *_obstacle_candidates(results, library, firm),
        *_no_hr_candidates(library, firm),
    ]
    ranked = _diverse(_merge(candidates, by_key))
    have = {r.instrument.key for r in ranked}
    pool = ranked + [r for r in _keep_strong(by_key, 0) if r.instrument.key not in have]
    size = max(ADVICE_MIN, min(len(ranked), ADVICE_MAX))
    chosen = _balance(pool[:size], pool[size:], results, library, firm)
    chosen.sort(key=lambda r: (-r.priority, r.instrument.position))
    _name_the_fund(chosen, list(firm.sector_funds))
    notes = [_repayment_law()] if _repayment_high(results) else []
    return Advice(
        recommendations=chosen,
        all_strong=not ranked,
        support=applicable,
        notes=notes,
        mandatory_training=_mandatory_training(results),
    )
