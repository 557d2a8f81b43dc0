"""The group report as an adviser holds it after a table of five: nothing printed over anything
else, no names of those who stayed anonymous, every chapter there, in Dutch and in English.

Rendered once per language for the module (a render takes about a second; reading a PDF's words
takes longer), read with pdfplumber like the owner's report (tests/reports/test_report_layout.py).
"""

from __future__ import annotations

import io

import pdfplumber
import pytest
from django.utils import translation

from benchmarks.vocabulary import BUILDING_BLOCKS, DLOQ_STATEMENTS
from leerscan.advisers import ideas
from leerscan.advisers.models import Leertafel, Participant
from leerscan.advisers.report import group_report_context, group_report_html
from leerscan.reports.pdf import report_render_pdf
from tests.advisers.test_exports import ANNA_ITEMS, join_finished
from tests.personas import ANNA_PROFILE
from tests.personas_more import (
    BAKERY_FACTS,
    BAKERY_ITEMS,
    BAKERY_PROFILE,
    METAL_FACTS,
    METAL_PROFILE,
)

pytestmark = pytest.mark.django_db

TOLERANCE = 0.5  # points: glyphs of neighbouring letters touch by kerning, not visibly
LANGUAGES = ("nl", "en")
CARE_PROFILE = {
    "organisation_name": "Zorggroep Het Noorden",
    "sbi_section": "Q",
    "sbi_code": "8710",
    "employees": 60,
    "province": "groningen",
    "respondent_role": "hr",
}
SHOP_PROFILE = {
    "organisation_name": "Fietsenwinkel Assen",
    "sbi_section": "G",
    "sbi_code": "4764",
    "employees": 9,
    "province": "drenthe",
    "respondent_role": "eigenaar",
}
ANONYMOUS = ("Bakkerij De Terp", "Fietsenwinkel Assen")
NAMED = ("Annas Adviesbureau", "Metaalbewerking Drenthe", "Zorggroep Het Noorden")


def table_of_five(leertafel: Leertafel) -> list[Participant]:
    """Five employers at Bram's table: three named, two anonymous; ideas on the matrix."""
    every = [*BUILDING_BLOCKS, *DLOQ_STATEMENTS]
    participants = [
        join_finished(leertafel, ANNA_PROFILE, ANNA_ITEMS, show_name=True),
        join_finished(leertafel, BAKERY_PROFILE, BAKERY_ITEMS, BAKERY_FACTS),
        join_finished(
            leertafel, METAL_PROFILE, dict.fromkeys(every, 5), METAL_FACTS, show_name=True
        ),
        join_finished(
            leertafel, CARE_PROFILE, dict.fromkeys(every, 4) | {"samenwerken": 6}, show_name=True
        ),
        join_finished(leertafel, SHOP_PROFILE, dict.fromkeys(every, 2) | {"taken": 4}),
    ]
    for block, quadrant, text, author in (
        ("samenwerken", "wow", "Leerkoppels van een oude en een nieuwe collega", participants[0]),
        ("samenwerken", "now", "Elke vrijdag een kwartier: wat hebben we geleerd?", None),
        ("leiderschap", "how", "Leidinggevenden krijgen zelf een coach", participants[1]),
        ("externe_omgeving", "no", "Een eigen academie", None),
        ("taken", "wow", "Medewerkers ruilen een dag per maand van taak", participants[3]),
    ):
        ideas.idea_add(
            leertafel=leertafel, block=block, quadrant=quadrant, text=text, author=author
        )
    return participants


_rendered: dict[str, tuple[bytes, list[list[dict]]]] = {}


def rendered(request, language: str) -> tuple[bytes, list[list[dict]]]:
    """The group report of the table of five in a language, and the words of each page."""
    if language not in _rendered:
        leertafel = request.getfixturevalue("leertafel")
        if not leertafel.participants.exists():
            table_of_five(leertafel)
        leertafel = Leertafel.objects.select_related("organisation").get(pk=leertafel.pk)
        with translation.override(language):
            content = report_render_pdf(
                html=group_report_html(context=group_report_context(leertafel=leertafel))
            )
        pages = []
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            for page in pdf.pages:
                pages.append(page.extract_words(use_text_flow=True, extra_attrs=["size"]))
        _rendered[language] = (content, pages)
    return _rendered[language]


def overlaps(a: dict, b: dict) -> bool:
    return (
        min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > TOLERANCE
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > TOLERANCE
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_prints_no_word_over_another(request, language):
    _content, pages = rendered(request, language)
    for number, words in enumerate(pages, start=1):
        clashes = [
            (a["text"], b["text"])
            for i, a in enumerate(words)
            for b in words[i + 1 :]
            if overlaps(a, b)
        ]
        assert not clashes, f"page {number}: {clashes[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_names_only_the_participants_who_allowed_it(request, language):
    _content, pages = rendered(request, language)
    text = " ".join(w["text"] for words in pages for w in words)
    for name in ANONYMOUS:
        assert name.split()[0] not in text
    for name in ("Annas", "Metaalbewerking", "Zorggroep"):
        assert name in text


@pytest.mark.parametrize(
    ("language", "chapters"),
    [
        (
            "nl",
            ("De groep", "Koplopers", "Ideeën", "Vragen voor de tafel", "Verantwoording"),
        ),
        ("en", ("The group", "Koplopers", "Ideas", "Questions for the table", "Accountability")),
    ],
)
def test_it_has_every_chapter(request, language, chapters):
    _content, pages = rendered(request, language)
    text = " ".join(w["text"] for words in pages for w in words)
    for chapter in chapters:
        assert chapter in text
    assert "Leerkoppels" in text  # an idea of the matrix
    assert "Noord-Nederland" in text
