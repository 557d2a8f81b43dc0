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
Its XLSX is written as XML directly (xlsx_workbook below), not through pandas or openpyxl: 10,000
scans are some 860,000 cells, which cost openpyxl 14 s of CPU (docs/performance.md).

Where it is kept. A research export is made by the task worker as an output of the background
layer (leerscan/background, kind "research"): a database row that belongs to the coaching
organisation and goes with it, kept RESEARCH_EXPORT_KEEP_SECONDS (an export is a snapshot asked
for by a coach who downloads it at once, and a file of consented answers should not outlive a
withdrawn consent by more than that); a newer export replaces the one before.
"""

from __future__ import annotations

import io
import math
import re
import secrets
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple
from xml.sax.saxutils import escape

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
from leerscan.background.kinds import Kind, Made
from leerscan.background.services import (
    ANY_LANGUAGE,
    OutputStatus,
    output_file,
    output_latest_key,
    output_status,
)
from leerscan.background.tasks import output_queue
from leerscan.coaching.models import Measurement
from leerscan.constants import RESEARCH_EXPORT_KEEP_SECONDS
from leerscan.scans.facts import FactValue
from leerscan.scans.models import Item, ItemBank, Scan
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
from leerscan.scans.scores import Scores
from leerscan.scans.selectors import ScanAnswers, scan_scores_many
from leerscan.scans.services import scan_consent_set

EXPORT_LANGUAGE = "nl"
DONT_KNOW = "weet_niet"
SCORE_PREFIX = "score_"
SCORE_COLUMNS = (*BUILDING_BLOCKS, *DLOQ_STATEMENTS)
BELOW_SURVEYED = "1-4"
# The codebook's last column: a variable's name in the SPSS and Stata files, where the CSV's name
# is too long for Stata (32 characters) or not a name there (name_for_stat_files below).
CODEBOOK_HEADER = ("variable", "label", "values", "spss_stata")
# Scans read and turned into rows at a time: the answers of a batch are one query each.
BATCH = 500

KINDS = ("csv", "xlsx", "codebook", "sav", "dta")


# The table


def research_measurements(*, organisation: Organisation):
    """The rounds of the organisation's clients whose finished scan may be used for research."""
    return Measurement.objects.filter(
        client__organisation=organisation,
        scan__finished_at__isnull=False,
        scan__research_consent_at__isnull=False,
    ).order_by("client_id", "round")


# What a row reads of a round and its scan (plain values: no model instances for 10,000 rows).
ROW_FIELDS = (
    "client_id",
    "round",
    "scan_id",
    "scan__finished_at",
    "scan__sbi_section",
    "scan__employees",
    "scan__province",
    "scan__item_bank_id",
    "scan__item_bank__version",
    "scan__benchmark_set__slug",
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
    items: list[Item]  # one column per item key
    facts: list[tuple[str, str, str, object]]
    fact_kinds: dict[str, str]


class _ScanRef(NamedTuple):
    """What scan_scores_many reads of a scan, from a round's plain values."""

    pk: int
    item_bank_id: int


def _score_cells(scores: Scores) -> list[object]:
    """The results page's scores (scan_scores_many) per score column; empty without a score."""
    cells: list[object] = []
    for column in SCORE_COLUMNS:
        score = scores.building_blocks.get(column, scores.dloq.get(column))
        cells.append("" if score is None else score)
    return cells


def _row(fields: tuple, pseudonym: str, source: _Source, read: ScanAnswers) -> list[object]:
    (_client, number, _scan, finished, section, employees, province, _bank_id, bank, slug) = fields
    row: list[object] = [
        pseudonym,
        number,
        timezone.localtime(finished).strftime("%Y-%m"),
        SECTOR_OF_SECTION.get(section, ""),
        (size_class(employees) or BELOW_SURVEYED) if employees else "",
        province,
        bank,
        slug,
    ]
    values, skipped, facts = read.item_values, read.not_applicable_items, read.facts
    for item in source.items:
        row.append(NOT_APPLICABLE if item.key in skipped else values.get(item.key, ""))
    for _column, _label, _values, (key, option) in source.facts:
        row.append(_fact_cell(facts.get(key), source.fact_kinds[key], option))
    row += _score_cells(read.scores)
    # No cell_safe here: every cell is a number or a code of ours, nothing anyone typed.
    return row


def research_export_table(
    *, organisation: Organisation, progress: Callable[[int], None] | None = None
) -> ExportTable:
    """The organisation's consented scans as anonymised rows with their codebook, in Dutch;
    reports its progress (0-100) while it reads the answers batch by batch."""
    with translation.override(EXPORT_LANGUAGE):
        return _table(organisation, progress or (lambda _percent: None))


def _table(organisation: Organisation, progress: Callable[[int], None]) -> ExportTable:
    rounds = list(research_measurements(organisation=organisation).values_list(*ROW_FIELDS))
    bank_ids = {fields[7] for fields in rounds}
    items = list(Item.objects.filter(bank_id__in=bank_ids).order_by("bank_id", "position"))
    columns_by_key: dict[str, Item] = {}
    for item in items:
        columns_by_key[item.key] = item
    source = _Source(
        items=list(columns_by_key.values()),
        facts=_fact_columns(),
        fact_kinds={q.key: q.kind for q in FACT_QUESTIONS},
    )
    newest_bank = ItemBank.objects.filter(pk__in=bank_ids).order_by("-loaded_at", "-pk").first()
    set_slugs = {fields[9] for fields in rounds}
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
        for key in SCORE_COLUMNS
    ]

    # A pseudonym per client, random for this export: the clients in a shuffled order, numbered.
    clients = sorted({fields[0] for fields in rounds})
    secrets.SystemRandom().shuffle(clients)
    width = max(4, len(str(len(clients))))
    pseudonyms = {client: f"K{n:0{width}d}" for n, client in enumerate(clients, start=1)}

    rows: list[list[object]] = []
    total = len(rounds) or 1
    for start in range(0, len(rounds), BATCH):
        batch = rounds[start : start + BATCH]
        read = scan_scores_many(scans=[_ScanRef(fields[2], fields[7]) for fields in batch])
        for fields in batch:
            rows.append(_row(fields, pseudonyms[fields[0]], source, read[fields[2]]))
        progress(5 + 65 * min(start + BATCH, total) // total)
    # Sorted by pseudonym and round: the order of the rows tells nothing about the clients.
    rows.sort(key=lambda row: (row[0], row[1]))
    columns = [entry[0] for entry in codebook]
    names = stat_file_names(columns)
    return ExportTable(
        columns=columns,
        rows=rows,
        codebook=[
            tuple(cell_safe(cell) for cell in (*entry, name))
            for entry, name in zip(codebook, names, strict=True)
        ],
        codebook_header=CODEBOOK_HEADER,
    )


# The workbook is written as its XML parts directly: openpyxl (also in its write-only mode) spends
# about 16 microseconds of CPU a cell, 14 s for the 860,000 cells of 10,000 scans, where these
# few string joins take a small fraction of that (docs/performance.md). The result is a plain
# Office Open XML workbook: inline strings, numbers, a frozen header row, column widths.
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# XML 1.0 allows no control characters but tab, newline and carriage return.
_NOT_XML = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(reference: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int | float | Decimal):
        return f'<c r="{reference}"><v>{value}</v></c>'
    text = escape(str(value).translate(_NOT_XML))
    return f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet(rows: list[list[object]], widths: dict[int, int], freeze: bool) -> str:
    width = max((len(row) for row in rows), default=0)
    columns = [_column(i) for i in range(width)]
    view = (
        '<sheetViews><sheetView workbookViewId="0"><pane xSplit="1" ySplit="1" topLeftCell="B2" '
        'activePane="bottomRight" state="frozen"/></sheetView></sheetViews>'
        if freeze
        else ""
    )
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>'
        for i, w in sorted(widths.items())
    )
    parts = [f'{_XML_HEAD}<worksheet xmlns="{_MAIN}">{view}']
    if cols:
        parts.append(f"<cols>{cols}</cols>")
    parts.append("<sheetData>")
    for number, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{columns[i]}{number}", value) for i, value in enumerate(row))
        parts.append(f'<row r="{number}">{cells}</row>')
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def xlsx_workbook(sheets: list[tuple[str, list[list[object]], dict[int, int], bool]]) -> bytes:
    """A workbook of (name, rows, column widths, freeze the first row and column) sheets."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    files = {
        "[Content_Types].xml": (
            f'{_XML_HEAD}<Types xmlns="{_PKG}/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            f'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'{_XML_HEAD}<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{_XML_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            + "".join(
                f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
                for n, (name, _rows, _widths, _freeze) in enumerate(sheets, start=1)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_XML_HEAD}<Relationships xmlns="{_PKG}/relationships">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" '
                f'Target="worksheets/sheet{n}.xml"/>'
                for n in range(1, len(sheets) + 1)
            )
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/styles" '
            'Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": (
            f'{_XML_HEAD}<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/>'
            '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill '
            'patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
            '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
            '</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
            'borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" '
            'fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle '
            'name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
        ),
    }
    for n, (_name, rows, widths, freeze) in enumerate(sheets, start=1):
        files[f"xl/worksheets/sheet{n}.xml"] = _sheet(rows, widths, freeze)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


def research_xlsx(*, table: ExportTable) -> bytes:
    """The rows and the codebook as a workbook: sheets "antwoorden" and "codeboek"."""
    codebook = [list(table.codebook_header), *table.codebook]
    return xlsx_workbook(
        [
            ("antwoorden", [table.columns, *table.rows], {}, True),
            ("codeboek", codebook, {0: 30, 1: 80, 2: 80}, False),
        ]
    )


# SPSS (.sav) and Stata (.dta), written by pyreadstat: the same rows as the CSV, every variable
# with its codebook text as its label, every coded variable as numbers with value labels.
#
# - Codes that are words in the CSV (sector, size class, province, a choice) are numbered 1..n in
#   the codebook's order (the size classes from small to large); a statement and a 1-6 fact keep
#   1-6, a 1-10 scale its number, a multiple choice option 0/1; the labels are the words.
# - "weet_niet" and "nvt" are missing values with a label, never numbers a mean could take in: in
#   SPSS the user-missing values -1 and -2, in Stata the extended missing values .d and .n. An
#   unanswered cell is the system missing value (SPSS sysmis, Stata ".").
# - Numbers are numeric (a score or a percentage with decimals a double), the pseudonym, month
#   and versions text.
# - Names: Stata allows 32 characters (letters, digits, underscore), 30 here (stat_file_names): a
#   longer name is cut, and the codebook's column "spss_stata" says each variable's name in these
#   files. Stata's variable
#   labels hold 80 characters: a longer text is cut at a word with "…" (the codebook holds it
#   whole); SPSS gets the whole text (up to its 256).
STATA_NAME_MAX = 32
STATA_LABEL_MAX = 80
SPSS_LABEL_MAX = 256
STATA_VERSION = 14  # format 118: UTF-8, read by Stata 14 and later
SPSS_MISSING = {DONT_KNOW: -1, NOT_APPLICABLE: -2}
STATA_MISSING = {DONT_KNOW: "d", NOT_APPLICABLE: "n"}
TEXT_COLUMNS = ("client", "month", "item_bank", "benchmark_set")
# Words neither program takes as a variable's name (Stata's reserved names, SPSS's keywords).
RESERVED_NAMES = frozenset(
    ("_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long", "_n")
    + ("_pi", "_pred", "_rc", "_skip", "str", "strl", "using", "with")
    + ("all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to")
)
_NOT_A_NAME = re.compile(r"[^A-Za-z0-9_]")


@dataclass(frozen=True)
class StatVariable:
    """How a column of the table is kept in the SPSS and Stata files."""

    column: str  # its name in the CSV
    name: str  # its name in the .sav and .dta
    label: str  # the codebook's text
    numbers: dict[object, int] = field(default_factory=dict)  # a word code -> its number
    value_labels: dict[int, str] = field(default_factory=dict)  # number -> words
    measure: str = "nominal"  # SPSS: nominal, ordinal or scale
    text: bool = False  # the pseudonym, the month, the versions
    missing: bool = False  # may be "weet_niet" or "nvt"


def stat_file_names(columns: list[str]) -> list[str]:
    """Each column's name in the SPSS and Stata files: letters, digits and underscores, unique
    also when case is ignored (SPSS), and short enough for Stata: pyreadstat names a variable's
    value labels after it with a number (1-86 today), and that name too may have 32 characters,
    so a name has 30 while the table has fewer than 100 columns."""
    limit = STATA_NAME_MAX - len(str(len(columns)))
    names: list[str] = []
    taken: set[str] = set()
    for column in columns:
        name = _NOT_A_NAME.sub("_", column)
        if not name or name[0].isdigit():
            name = f"v_{name}"
        name = name[:limit].rstrip("_") or "v"
        if name.lower() in RESERVED_NAMES:
            name = f"{name}_"
        candidate, n = name, 1
        while candidate.lower() in taken:
            n += 1
            suffix = f"_{n}"
            candidate = name[: limit - len(suffix)] + suffix
        taken.add(candidate.lower())
        names.append(candidate)
    return names


def stata_label(text: str) -> str:
    """A variable label as Stata holds it: at most 80 characters, a longer one cut at a word."""
    if len(text) <= STATA_LABEL_MAX:
        return text
    cut = text[: STATA_LABEL_MAX - 1]
    if " " in cut[STATA_LABEL_MAX // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def _numbered(codes: list[tuple[str, object]]) -> dict:
    numbers = {code: n for n, (code, _words) in enumerate(codes, start=1)}
    return {"numbers": numbers, "value_labels": {numbers[c]: str(w) for c, w in codes}}


def _codings() -> dict[str, dict]:
    """StatVariable's fields per column but the statements (1-6), in the current language."""
    scale = {value: str(words) for value, words in AGREEMENT_SCALE}
    sizes = [(BELOW_SURVEYED, _("fewer than %(n)s employees") % {"n": MIN_SURVEYED_EMPLOYEES})]
    elsewhere = (ELSEWHERE, _("Elsewhere in the Netherlands"))
    codings: dict[str, dict] = {
        "round": {"measure": "ordinal"},
        "sector": _numbered(list(GROUPS[SECTOR].items())),
        "size_class": {**_numbered(sizes + list(GROUPS[SIZE].items())), "measure": "ordinal"},
        "province": _numbered([*GROUPS[PROVINCE].items(), elsewhere]),
    }
    for q in FACT_QUESTIONS:
        if q.kind == MULTI:
            chosen = {1: _("chosen"), 0: _("not chosen")}
            for option, _words in q.choices:
                codings[f"{q.key}__{option}"] = {"value_labels": chosen, "missing": True}
            continue
        if q.kind == CHOICE:
            coding = _numbered(list(q.choices))
        elif q.kind == SCALE6:
            coding = {"value_labels": scale, "measure": "ordinal"}
        elif q.kind == SCALE10:
            ends = {1: str(q.ends[0]), 10: str(q.ends[1])} if q.ends else {}
            coding = {"value_labels": ends, "measure": "ordinal"}
        else:
            coding = {"measure": "scale"}
        codings[q.key] = {**coding, "missing": True}
    for key in SCORE_COLUMNS:
        codings[f"{SCORE_PREFIX}{key}"] = {"measure": "scale"}
    return codings


def research_stat_variables(*, table: ExportTable) -> list[StatVariable]:
    """The table's columns as SPSS and Stata variables (names, labels, codes), in Dutch; a column
    that is no profile, fact or score column is a statement (1-6 or nvt)."""
    with translation.override(EXPORT_LANGUAGE):
        codings = _codings()
        statement = {
            "value_labels": {value: str(words) for value, words in AGREEMENT_SCALE},
            "measure": "ordinal",
            "missing": True,
        }
    variables = []
    for column, label, _values, name in table.codebook:
        # The label went through cell_safe for the spreadsheets; no label starts like a formula.
        if column in TEXT_COLUMNS:
            variables.append(StatVariable(column, name, str(label), text=True))
        else:
            variables.append(
                StatVariable(column, name, str(label), **codings.get(column, statement))
            )
    return variables


def _stat_frame(table: ExportTable, variables: list[StatVariable], missing: dict[str, object]):
    """The rows as a data frame of the files' names: numbers, the missing codes, text."""
    import pandas as pd

    data = {}
    for index, variable in enumerate(variables):
        cells = [row[index] for row in table.rows]
        if variable.text:
            data[variable.name] = pd.Series([str(cell) for cell in cells], dtype=object)
            continue
        numbers = variable.numbers
        values: list[object] = []
        for cell in cells:
            if cell == "" or cell is None:
                values.append(math.nan)
            elif cell in missing:
                values.append(missing[cell])
            elif numbers:
                values.append(numbers[cell])
            else:
                values.append(float(cell))
        # Stata's missing codes are letters among the numbers: such a column is of objects.
        letters = any(isinstance(value, str) for value in values)
        data[variable.name] = pd.Series(values, dtype=object if letters else float)
    return pd.DataFrame(data)


def _missing_labels() -> dict[str, str]:
    with translation.override(EXPORT_LANGUAGE):
        return {DONT_KNOW: str(DONT_KNOW_LABEL), NOT_APPLICABLE: str(NOT_APPLICABLE_LABEL)}


def _file_label(limit: int) -> str:
    with translation.override(EXPORT_LANGUAGE):
        return _("Leerscan research export; the whole texts are in the codebook")[:limit]


def _written(write, frame, **options) -> bytes:
    # pyreadstat writes to a path, not to a buffer.
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/export"
        write(frame, path, **options)
        with open(path, "rb") as file:
            return file.read()


def _value_labels(numeric: list[StatVariable], missing: dict) -> dict[str, dict]:
    """Per numeric variable its value labels, with the labels of the missing codes where it
    has them (SPSS's and Stata's codes differ, their words do not)."""
    return {
        v.name: {**v.value_labels, **(missing if v.missing else {})}
        for v in numeric
        if v.value_labels or v.missing
    }


def research_sav(*, table: ExportTable) -> bytes:
    """The rows as an SPSS file: variable and value labels, "weet_niet" and "nvt" user-missing
    (-1 and -2)."""
    import pyreadstat

    variables = research_stat_variables(table=table)
    words = _missing_labels()
    missing = {SPSS_MISSING[code]: words[code] for code in SPSS_MISSING}
    numeric = [v for v in variables if not v.text]
    frame = _stat_frame(table, variables, SPSS_MISSING)
    return _written(
        pyreadstat.write_sav,
        frame,
        file_label=_file_label(64),
        column_labels=[v.label[:SPSS_LABEL_MAX] for v in variables],
        variable_value_labels=_value_labels(numeric, missing),
        missing_ranges={v.name: list(missing) for v in numeric if v.missing},
        variable_measure={v.name: v.measure for v in numeric},
    )


def research_dta(*, table: ExportTable) -> bytes:
    """The rows as a Stata file (version 14): variable labels of at most 80 characters, value
    labels, "weet_niet" and "nvt" as the extended missing values .d and .n."""
    import pyreadstat

    variables = research_stat_variables(table=table)
    words = _missing_labels()
    missing = {STATA_MISSING[code]: words[code] for code in STATA_MISSING}
    frame = _stat_frame(table, variables, STATA_MISSING)
    numeric = [v for v in variables if not v.text]
    return _written(
        pyreadstat.write_dta,
        frame,
        file_label=_file_label(STATA_LABEL_MAX),
        column_labels=[stata_label(v.label) for v in variables],
        version=STATA_VERSION,
        variable_value_labels=_value_labels(numeric, missing),
        missing_user_values={v.name: list(missing) for v in numeric if v.missing},
    )


def research_filename(*, created: str, kind: str) -> str:
    """The file name of a download: no name of the organisation, only the date."""
    part = "codeboek" if kind == "codebook" else "antwoorden"
    extension = kind if kind in ("xlsx", "sav", "dta") else "csv"
    return f"leerscan-onderzoek-{created}-{part}.{extension}"


# The background output (leerscan/background, kind "research"): one per export, the organisation's
# newest replacing the ones before, each kept RESEARCH_EXPORT_KEEP_SECONDS.


def _research_make(organisation: Organisation, _params: dict, progress) -> Made:
    progress(1)
    table = research_export_table(organisation=organisation, progress=progress)
    csv = export_csv(table=table)
    progress(75)
    codebook = export_codebook_csv(table=table)
    xlsx = research_xlsx(table=table)
    progress(85)
    sav, dta = research_sav(table=table), research_dta(table=table)
    progress(98)
    files = {"csv": csv, "xlsx": xlsx, "codebook": codebook, "sav": sav, "dta": dta}
    return Made(files=files, count=len(table.rows))


RESEARCH = Kind(
    "research", make=_research_make, files=KINDS, keep_seconds=RESEARCH_EXPORT_KEEP_SECONDS
)


def _organisation(organisation_id: int) -> Organisation:
    return Organisation(pk=organisation_id)


def research_export_queue(*, organisation: Organisation) -> str:
    """Start a new research export of the organisation: its id."""
    export_id = uuid.uuid4().hex
    output_queue(kind=RESEARCH.name, subject=organisation, key=export_id, language=ANY_LANGUAGE)
    return export_id


def research_export_latest(*, organisation: Organisation) -> str | None:
    """The id of the organisation's last export, while it is kept."""
    latest = output_latest_key(kind=RESEARCH.name, subject=organisation, language=ANY_LANGUAGE)
    return latest or None


def research_export_status(*, organisation_id: int, export_id: str) -> OutputStatus:
    """How far an export of this organisation is (its count: the scans in the file); MISSING for
    another organisation's."""
    return output_status(
        kind=RESEARCH.name,
        subject=_organisation(organisation_id),
        key=export_id,
        language=ANY_LANGUAGE,
    )


def research_export_file(*, organisation_id: int, export_id: str, kind: str) -> bytes | None:
    """A finished export's file (csv, xlsx, codebook, sav or dta) of this organisation, or
    None."""
    return output_file(
        kind=RESEARCH.name,
        subject=_organisation(organisation_id),
        key=export_id,
        language=ANY_LANGUAGE,
        name=kind,
    )


# Consent


def research_consent_set(*, scan: Scan, allowed: bool) -> None:
    """Allow (keeping the first moment it was allowed) or withdraw research use of a scan."""
    scan_consent_set(scan=scan, field="research_consent_at", allowed=allowed)
