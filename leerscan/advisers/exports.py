"""A leertafel's answers as a table: one row per finished participant, for CSV and XLSX.

What a row holds, and what it never holds: a participant number (1..n in the order they joined,
not a database id or token), the organisation's name only when the participant allowed the table
to see it, the sector (SBI section and the monitor's sector), the size class (not the number of
employees), the province, every statement answer (1-6, or "n.v.t."), every fact answer in the
words of the review page's summary, and the building blocks' scores. Never tokens, e-mail
addresses, SBI codes or times. Exports exist only from GROUP_MIN_FINISHED finished participants:
rows of one or two participants would be those participants.

The export is always in Dutch (the monitor's statements are Dutch; a column keeps its meaning
across sessions and advisers). Columns are named by their keys; the codebook gives each key's
Dutch text. The CSV is made for Dutch Excel: UTF-8 with a byte order mark, ";" between fields and
a decimal comma (docs/leertafels.md, "Exports").

Every text cell that a spreadsheet would read as a formula (starting with =, +, -, @, a tab or a
carriage return) gets a leading apostrophe: an organisation's name is typed by a participant.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from benchmarks.profiles import SBI_SECTION_LABELS, SECTOR_OF_SECTION, size_class
from benchmarks.vocabulary import BUILDING_BLOCKS, SECTOR, group_label, indicator_label
from leerscan.advisers.models import Leertafel, Participant
from leerscan.scans.models import Item
from leerscan.scans.questions import FACT_QUESTIONS, NOT_APPLICABLE_LABEL
from leerscan.scans.selectors import fact_answer_text, scan_scores_many

# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SCORE_PREFIX = "score_"
EXPORT_LANGUAGE = "nl"


@dataclass(frozen=True)
class ExportTable:
    """The rows of an export and its codebook (column key -> Dutch text), in column order."""

    columns: list[str]
    rows: list[list[object]]
    codebook: list[tuple[str, ...]]
    # The codebook's columns (the research export's codebook also names each variable's values).
    codebook_header: tuple[str, ...] = ("key", "text")


def cell_safe(value: object) -> object:
    """A cell as a spreadsheet may read it: text that would start a formula gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def leertafel_finished_participants(*, leertafel: Leertafel) -> list[Participant]:
    """The leertafel's finished participants in the order they joined, with their scans."""
    return list(
        Participant.objects.filter(leertafel=leertafel, scan__finished_at__isnull=False)
        .select_related("scan")
        .order_by("joined_at", "pk")
    )


def _profile_columns() -> list[tuple[str, str]]:
    return [
        ("participant", _("Participant number (1 to n, in the order of joining)")),
        ("organisation_name", _("Name of the organisation (only if the participant allowed it)")),
        ("sbi_section", _("Sector: SBI section (letter)")),
        ("sbi_section_name", _("Sector: name of the SBI section")),
        ("sector", _("Sector group of the monitor")),
        ("size_class", _("Size class (number of employees)")),
        ("province", _("Province")),
    ]


def leertafel_export_table(*, leertafel: Leertafel) -> ExportTable:
    """The finished participants' answers and scores as rows, in Dutch; a fixed number of queries
    however many participants there are."""
    with translation.override(EXPORT_LANGUAGE):
        return _export_table(leertafel)


def _export_table(leertafel: Leertafel) -> ExportTable:
    participants = leertafel_finished_participants(leertafel=leertafel)
    bank_ids = {p.scan.item_bank_id for p in participants}
    items = list(Item.objects.filter(bank_id__in=bank_ids).order_by("bank_id", "position"))
    # One column per item key, in the order of the newest bank that has it.
    item_columns: dict[str, Item] = {}
    for item in items:
        item_columns[item.key] = item
    answers_of = scan_scores_many(scans=[p.scan for p in participants])

    codebook = _profile_columns()
    codebook += [(key, item.text_nl) for key, item in item_columns.items()]
    codebook += [(q.key, str(q.label)) for q in FACT_QUESTIONS]
    codebook += [
        (
            f"{SCORE_PREFIX}{block}",
            _("Score for the building block “%(block)s” (mean of its core statements, 1-6)")
            % {"block": indicator_label(block)},
        )
        for block in BUILDING_BLOCKS
    ]

    rows: list[list[object]] = []
    for number, participant in enumerate(participants, start=1):
        scan = participant.scan
        read = answers_of[scan.pk]
        section = scan.sbi_section
        row: list[object] = [
            number,
            scan.organisation_name if participant.show_name else "",
            section,
            str(SBI_SECTION_LABELS.get(section, "")) if section else "",
            group_label(SECTOR, SECTOR_OF_SECTION[section]) if section in SECTOR_OF_SECTION else "",
            (size_class(scan.employees) or "1-4") if scan.employees else "",
            scan.get_province_display(),
        ]
        for key in item_columns:
            if key in read.not_applicable_items:
                row.append(str(NOT_APPLICABLE_LABEL))
            else:
                row.append(read.item_values.get(key, ""))
        for question in FACT_QUESTIONS:
            row.append(fact_answer_text(question, read.facts.get(question.key), scan.employees))
        for block in BUILDING_BLOCKS:
            score = read.scores.building_blocks.get(block)
            row.append("" if score is None else score)
        rows.append([cell_safe(value) for value in row])
    return ExportTable(
        columns=[key for key, _text in codebook],
        rows=rows,
        codebook=[(key, cell_safe(text)) for key, text in codebook],
    )


def _frames(table: ExportTable):
    # pandas is imported here, not at module level: it takes a while to load and only the two
    # export views need it.
    import pandas as pd

    data = pd.DataFrame(table.rows, columns=table.columns, dtype=object)
    codebook = pd.DataFrame(table.codebook, columns=list(table.codebook_header), dtype=object)
    return data, codebook


def _dutch_number(value: object) -> object:
    """A score with a decimal comma, as Dutch Excel reads a number from a CSV."""
    if isinstance(value, Decimal | float):
        return format(value, "f").replace(".", ",")
    return value


def export_csv(*, table: ExportTable) -> bytes:
    """The rows as CSV for Dutch Excel: UTF-8 with BOM, ";" separated, decimal comma."""
    data, _codebook = _frames(table)
    data = data.map(_dutch_number)
    return data.to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8-sig")


def export_codebook_csv(*, table: ExportTable) -> bytes:
    """The codebook (column key, Dutch text) as CSV, in the same format as export_csv."""
    _data, codebook = _frames(table)
    return codebook.to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8-sig")


def export_xlsx(*, table: ExportTable) -> bytes:
    """The rows as an Excel workbook: sheet "antwoorden" and sheet "codeboek"."""
    import pandas as pd

    data, codebook = _frames(table)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        data.to_excel(writer, sheet_name="antwoorden", index=False)
        codebook.to_excel(writer, sheet_name="codeboek", index=False)
        answers = writer.sheets["antwoorden"]
        answers.freeze_panes = "B2"
        sheet = writer.sheets["codeboek"]
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 100
    return buffer.getvalue()


def export_filename(*, leertafel: Leertafel, extension: str, part: str = "antwoorden") -> str:
    """A file name that is safe in any header and file system: letters, digits and dashes."""
    name = slugify(leertafel.name)[:50].strip("-") or "leertafel"
    return f"leertafel-{name}-{leertafel.date:%Y-%m-%d}-{part}.{extension}"
