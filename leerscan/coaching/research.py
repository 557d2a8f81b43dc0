"""The anonymised research export of a coaching organisation (issue 11, docs/research-export.md).

Which scans. The finished scans of the organisation's clients whose owner allowed research use
(Scan.research_consent_at, set and withdrawn on /scan/<token>/onderzoek/), every round. A scan
without that consent, or whose consent was withdrawn, is not in the file.

What a row holds. A client pseudonym, random for each export (the same client's t0 and t1 share
it, so a file links rounds, but no two exports share pseudonyms and nothing links one to the
client); the round (0 = intake); the month the scan was finished (never the day or the time); the
monitor's sector group, size class and province (never the SBI code or section, the head count,
the name, the contact, e-mail, token, the coach's notes or the client's training questions); the
item bank and benchmark set; every statement (1-6 or "nvt"); every fact as a code or number
(the codebook lists them); the scores per building block and DLOQ statement. No free text: the
scan asks none, and the client's training questions stay on the coach's cohort page.

The file is always Dutch (the statements are the monitor's Dutch) and made for Dutch Excel, as the
leertafel export (leerscan/advisers/exports.py, whose CSV writer and formula guard it uses).
Its XLSX is written by openpyxl's write-only mode, not through pandas: 10,000 scans are some
800,000 cells, which took pandas' writer four times as long (docs/performance.md).

Where it is kept. A research export is made by the task worker (leerscan/coaching/tasks.py) and
kept in Django's cache, the store every app server and worker share (the database table in
production), like the group report (leerscan/advisers/report.py), for RESEARCH_EXPORT_KEEP_SECONDS:
an export is a snapshot asked for by a coach who downloads it at once, and a file of consented
answers should not outlive a withdrawn consent by more than that. No model, no migration.
"""

from __future__ import annotations

import io
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from benchmarks.models import BenchmarkSet
from benchmarks.profiles import SECTOR_OF_SECTION, size_class
from benchmarks.vocabulary import (
    BUILDING_BLOCKS,
    DLOQ_STATEMENTS,
    ELSEWHERE,
    GROUPS,
    MIN_SURVEYED_EMPLOYEES,
    PROVINCE,
    SECTOR,
    SIZE,
    indicator_label,
)
from leerscan.advisers.exports import (
    ExportTable,
    cell_safe,
    export_codebook_csv,
    export_csv,
)
from leerscan.advisers.models import Organisation
from leerscan.coaching.models import Measurement
from leerscan.constants import REPORT_RENDER_STALE_SECONDS, RESEARCH_EXPORT_KEEP_SECONDS
from leerscan.scans.facts import FactValue
from leerscan.scans.models import FactAnswer, Item, ItemAnswer, ItemBank, Scan
from leerscan.scans.questions import (
    AGREEMENT_SCALE,
    CHOICE,
    DONT_KNOW_LABEL,
    FACT_QUESTIONS,
    MULTI,
    NOT_APPLICABLE,
    NOT_APPLICABLE_LABEL,
    NUMBER,
    SCALE6,
    SCALE10,
)
from leerscan.scans.scores import scores_from_answers

EXPORT_LANGUAGE = "nl"
DONT_KNOW = "weet_niet"
SCORE_PREFIX = "score_"
BELOW_SURVEYED = "1-4"
CODEBOOK_HEADER = ("variable", "label", "values")
# Scans read and turned into rows at a time: the answers of a batch are one query each.
BATCH = 500

QUEUED, RUNNING, DONE, FAILED, MISSING = "queued", "running", "done", "failed", "missing"
KINDS = ("csv", "xlsx", "codebook")


# The table


def research_measurements(*, organisation: Organisation):
    """The rounds of the organisation's clients whose finished scan may be used for research."""
    return (
        Measurement.objects.filter(
            client__organisation=organisation,
            scan__finished_at__isnull=False,
            scan__research_consent_at__isnull=False,
        )
        .select_related("scan", "scan__benchmark_set", "scan__item_bank")
        .only(
            "pk",
            "client_id",
            "round",
            "scan__id",
            "scan__finished_at",
            "scan__sbi_section",
            "scan__employees",
            "scan__province",
            "scan__item_bank__version",
            "scan__benchmark_set__slug",
        )
        .order_by("client_id", "round")
    )


def research_scan_count(*, organisation: Organisation) -> int:
    """How many scans the research export of the organisation holds now."""
    return research_measurements(organisation=organisation).count()


def _scale_values() -> str:
    anchors = "; ".join(f"{value} = {label}" for value, label in AGREEMENT_SCALE)
    return f"{anchors}; {NOT_APPLICABLE} = {NOT_APPLICABLE_LABEL}"


def _fact_columns() -> list[tuple[str, str, str, object]]:
    """(column, label, values, how to read it) per fact column; a multiple choice is one 0/1
    column per option."""
    left_out = f"{DONT_KNOW} = {DONT_KNOW_LABEL}; {NOT_APPLICABLE} = {NOT_APPLICABLE_LABEL}"
    columns = []
    for q in FACT_QUESTIONS:
        label = str(q.label)
        if q.kind == MULTI:
            for option, option_label in q.choices:
                columns.append(
                    (
                        f"{q.key}__{option}",
                        f"{label} {option_label}",
                        f"1 = {_('chosen')}; 0 = {_('not chosen')}; {left_out}",
                        (q.key, option),
                    )
                )
            continue
        if q.kind == CHOICE:
            values = "; ".join(f"{key} = {text}" for key, text in q.choices)
        elif q.kind == SCALE6:
            values = "; ".join(f"{value} = {text}" for value, text in AGREEMENT_SCALE)
        elif q.kind == SCALE10 and q.ends:
            values = f"1 = {q.ends[0]}; 10 = {q.ends[1]}"
        elif q.kind in (NUMBER, SCALE10):
            unit = f" {q.unit}" if q.unit else ""
            values = f"{q.minimum}–{q.maximum}{unit}"
        else:
            values = ""
        columns.append((q.key, label, f"{values}; {left_out}", (q.key, None)))
    return columns


def _fact_cell(answer: FactValue | None, kind: str, option: str | None) -> object:
    if answer is None:
        return ""
    if answer.dont_know:
        return DONT_KNOW
    if answer.not_applicable:
        return NOT_APPLICABLE
    if option is not None:
        return 1 if option in answer.choices else 0
    if kind == CHOICE:
        return answer.choice
    return "" if answer.number is None else answer.number


def _profile_codebook(bank: ItemBank | None, sets: list[BenchmarkSet]) -> list[tuple]:
    sectors = "; ".join(f"{k} = {v}" for k, v in GROUPS[SECTOR].items())
    sizes = "; ".join(f"{k} = {v}" for k, v in GROUPS[SIZE].items())
    provinces = "; ".join(f"{k} = {v}" for k, v in GROUPS[PROVINCE].items())
    bank_values = f"{bank.version} = {bank.title}" if bank else ""
    set_values = "; ".join(f"{s.slug} = {s.name}" for s in sets)
    return [
        (
            "client",
            _("Client pseudonym: random for this file; the same for every round of one client"),
            "",
        ),
        ("round", _("Measurement round: 0 = intake, 1 = first follow-up, and so on"), ""),
        ("month", _("Month in which the scan was finished (year-month)"), ""),
        ("sector", _("Sector group of the monitor"), sectors),
        (
            "size_class",
            _("Size class (number of employees)"),
            f"{sizes}; {BELOW_SURVEYED} = "
            + _("fewer than %(n)s employees") % {"n": MIN_SURVEYED_EMPLOYEES},
        ),
        (
            "province",
            _("Province"),
            f"{provinces}; {ELSEWHERE} = {_('Elsewhere in the Netherlands')}",
        ),
        ("item_bank", _("Version of the statements (item bank)"), bank_values),
        ("benchmark_set", _("Benchmark set the scan was compared with"), set_values),
    ]


@dataclass(frozen=True)
class _Source:
    items: list[Item]
    bank_items: dict[int, list[Item]]
    facts: list[tuple[str, str, str, object]]


def _row(m: Measurement, pseudonym: str, source: _Source, values, skipped, facts) -> list:
    scan = m.scan
    section = scan.sbi_section
    row: list[object] = [
        pseudonym,
        m.round,
        timezone.localtime(scan.finished_at).strftime("%Y-%m"),
        SECTOR_OF_SECTION.get(section, ""),
        (size_class(scan.employees) or BELOW_SURVEYED) if scan.employees else "",
        scan.province,
        scan.item_bank.version,
        scan.benchmark_set.slug,
    ]
    for item in source.items:
        if item.key in skipped:
            row.append(NOT_APPLICABLE)
        else:
            row.append(values.get(item.key, ""))
    kinds = {q.key: q.kind for q in FACT_QUESTIONS}
    for _column, _label, _values, (key, option) in source.facts:
        row.append(_fact_cell(facts.get(key), kinds[key], option))
    scores = scores_from_answers(
        items=source.bank_items.get(scan.item_bank_id, []),
        item_values=values,
        facts={},
        not_applicable_items=skipped,
    )
    for block in BUILDING_BLOCKS:
        score = scores.building_blocks.get(block)
        row.append("" if score is None else score)
    for statement in DLOQ_STATEMENTS:
        score = scores.dloq.get(statement)
        row.append("" if score is None else score)
    return [cell_safe(value) for value in row]


def research_export_table(
    *, organisation: Organisation, progress: Callable[[int], None] | None = None
) -> ExportTable:
    """The organisation's consented scans as anonymised rows with their codebook, in Dutch;
    reports its progress (0-100) while it reads the answers batch by batch."""
    with translation.override(EXPORT_LANGUAGE):
        return _table(organisation, progress or (lambda _percent: None))


def _table(organisation: Organisation, progress: Callable[[int], None]) -> ExportTable:
    measurements = list(research_measurements(organisation=organisation))
    bank_ids = {m.scan.item_bank_id for m in measurements}
    items = list(Item.objects.filter(bank_id__in=bank_ids).order_by("bank_id", "position"))
    columns_by_key: dict[str, Item] = {}
    bank_items: dict[int, list[Item]] = {}
    for item in items:
        columns_by_key[item.key] = item
        bank_items.setdefault(item.bank_id, []).append(item)
    source = _Source(list(columns_by_key.values()), bank_items, _fact_columns())
    newest_bank = ItemBank.objects.filter(pk__in=bank_ids).order_by("-loaded_at", "-pk").first()
    set_slugs = {m.scan.benchmark_set.slug for m in measurements}
    sets = list(BenchmarkSet.objects.filter(slug__in=set_slugs).order_by("slug"))

    scale = _scale_values()
    codebook = _profile_codebook(newest_bank, sets)
    codebook += [(key, item.text_nl, scale) for key, item in columns_by_key.items()]
    codebook += [(column, label, values) for column, label, values, _how in source.facts]
    score_values = _("mean of its compared statements, 1-6")
    codebook += [
        (
            f"{SCORE_PREFIX}{key}",
            _("Score: %(label)s") % {"label": indicator_label(key)},
            score_values,
        )
        for key in (*BUILDING_BLOCKS, *DLOQ_STATEMENTS)
    ]

    # A pseudonym per client, random for this export: the clients in a shuffled order, numbered.
    clients = sorted({m.client_id for m in measurements})
    secrets.SystemRandom().shuffle(clients)
    width = max(4, len(str(len(clients))))
    pseudonyms = {client: f"K{n:0{width}d}" for n, client in enumerate(clients, start=1)}

    rows: list[list[object]] = []
    total = len(measurements) or 1
    for start in range(0, len(measurements), BATCH):
        batch = measurements[start : start + BATCH]
        scan_ids = [m.scan_id for m in batch]
        values: dict[int, dict[str, int]] = {scan_id: {} for scan_id in scan_ids}
        skipped: dict[int, set[str]] = {scan_id: set() for scan_id in scan_ids}
        answers = ItemAnswer.objects.filter(scan_id__in=scan_ids).values_list(
            "scan_id", "item__key", "value", "not_applicable"
        )
        for scan_id, key, value, is_na in answers:
            if is_na:
                skipped[scan_id].add(key)
            else:
                values[scan_id][key] = value
        facts: dict[int, dict[str, FactValue]] = {scan_id: {} for scan_id in scan_ids}
        for answer in FactAnswer.objects.filter(scan_id__in=scan_ids):
            facts[answer.scan_id][answer.key] = FactValue.of(answer)
        for m in batch:
            sid = m.scan_id
            rows.append(
                _row(m, pseudonyms[m.client_id], source, values[sid], skipped[sid], facts[sid])
            )
        progress(5 + 65 * min(start + BATCH, total) // total)
    # Sorted by pseudonym and round: the order of the rows tells nothing about the clients.
    rows.sort(key=lambda row: (row[0], row[1]))
    return ExportTable(
        columns=[entry[0] for entry in codebook],
        rows=rows,
        codebook=[tuple(cell_safe(cell) for cell in entry) for entry in codebook],
        codebook_header=CODEBOOK_HEADER,
    )


def research_xlsx(*, table: ExportTable) -> bytes:
    """The rows and the codebook as a workbook: sheets "antwoorden" and "codeboek" (openpyxl's
    write-only mode: a fraction of the time pandas' writer takes for thousands of rows)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    answers = workbook.create_sheet("antwoorden")
    answers.freeze_panes = "B2"
    answers.append(table.columns)
    for row in table.rows:
        answers.append(row)
    sheet = workbook.create_sheet("codeboek")
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 80
    sheet.column_dimensions["C"].width = 80
    sheet.append(list(table.codebook_header))
    for entry in table.codebook:
        sheet.append(list(entry))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def research_filename(*, created: str, kind: str) -> str:
    """The file name of a download: no name of the organisation, only the date."""
    part = "codeboek" if kind == "codebook" else "antwoorden"
    extension = "xlsx" if kind == "xlsx" else "csv"
    return f"leerscan-onderzoek-{created}-{part}.{extension}"


# The store (Django's cache) and the background run


@dataclass(frozen=True)
class ResearchExportStatus:
    """How far one research export is."""

    export_id: str
    state: str  # QUEUED, RUNNING, DONE, FAILED or MISSING (unknown or expired)
    progress: int = 0  # percent
    scans: int = 0  # rows in the file, once done
    created: str = ""  # the date it was asked for, YYYY-MM-DD

    @property
    def ready(self) -> bool:
        return self.state == DONE

    @property
    def pending(self) -> bool:
        return self.state in (QUEUED, RUNNING)

    @property
    def failed(self) -> bool:
        return self.state == FAILED


def _key(organisation_id: int, export_id: str) -> str:
    return f"research-export:{organisation_id}:{export_id}"


def _latest_key(organisation_id: int) -> str:
    return f"research-export:{organisation_id}:latest"


def _set_state(key: str, state: str, progress: int = 0, **extra) -> None:
    previous = cache.get(f"{key}:state") or {}
    value = previous | {"state": state, "progress": progress, "at": time.time(), **extra}
    cache.set(f"{key}:state", value, timeout=RESEARCH_EXPORT_KEEP_SECONDS)


def research_export_new(*, organisation: Organisation) -> str:
    """Mark a new export of the organisation as queued: its id (the caller queues the task)."""
    export_id = uuid.uuid4().hex
    key = _key(organisation.pk, export_id)
    _set_state(key, QUEUED, created=timezone.localdate().isoformat())
    cache.set(_latest_key(organisation.pk), export_id, timeout=RESEARCH_EXPORT_KEEP_SECONDS)
    return export_id


def research_export_latest(*, organisation: Organisation) -> str | None:
    """The id of the organisation's last export, while it is kept."""
    return cache.get(_latest_key(organisation.pk))


def research_export_status(*, organisation_id: int, export_id: str) -> ResearchExportStatus:
    """How far an export of this organisation is; MISSING for another organisation's."""
    key = _key(organisation_id, export_id)
    state = cache.get(f"{key}:state")
    if state is None:
        return ResearchExportStatus(export_id, MISSING)
    created = state.get("created", "")
    if state["state"] == DONE and cache.get(f"{key}:csv") is None:
        return ResearchExportStatus(export_id, MISSING, created=created)
    if state["state"] == RUNNING and time.time() - state["at"] > REPORT_RENDER_STALE_SECONDS:
        # Its worker stopped in the middle (a running export reports progress every batch).
        return ResearchExportStatus(export_id, FAILED, created=created)
    return ResearchExportStatus(
        export_id, state["state"], state["progress"], state.get("scans", 0), created
    )


def research_export_file(*, organisation_id: int, export_id: str, kind: str) -> bytes | None:
    """A finished export's file (csv, xlsx or codebook) of this organisation, or None."""
    if kind not in KINDS:
        return None
    return cache.get(f"{_key(organisation_id, export_id)}:{kind}")


def research_export_run(*, organisation_id: int, export_id: str) -> str:
    """Make and keep one export; what happened, in a word (the task's result)."""
    key = _key(organisation_id, export_id)
    state = cache.get(f"{key}:state")
    if state is None:
        return "expired"
    if state["state"] == DONE:
        return "stored"
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return "deleted"

    def progress(percent: int) -> None:
        _set_state(key, RUNNING, percent)

    try:
        progress(1)
        table = research_export_table(organisation=organisation, progress=progress)
        csv = export_csv(table=table)
        progress(75)
        codebook = export_codebook_csv(table=table)
        xlsx = research_xlsx(table=table)
        progress(98)
    except BaseException:
        _set_state(key, FAILED)
        raise
    files = {f"{key}:csv": csv, f"{key}:xlsx": xlsx, f"{key}:codebook": codebook}
    cache.set_many(files, timeout=RESEARCH_EXPORT_KEEP_SECONDS)
    _set_state(key, DONE, 100, scans=len(table.rows))
    return "done"


# Consent


def research_consent_set(*, scan: Scan, allowed: bool) -> None:
    """Allow (keeping the first moment it was allowed) or withdraw research use of a scan."""
    scans = Scan.objects.filter(pk=scan.pk)
    if allowed:
        scans.filter(research_consent_at__isnull=True).update(research_consent_at=timezone.now())
    else:
        scans.update(research_consent_at=None)
    scan.refresh_from_db(fields=["research_consent_at"])
