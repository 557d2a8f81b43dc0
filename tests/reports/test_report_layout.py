"""The PDF report as a director holds it: nothing printed over anything else, no near-empty
pages, a running header that names the section on the page, room to write in the action plan.

The reports of the three personas (Anna, Baukje's bakery, Martin's metal firm) are rendered once
per language for the whole session: a render takes about a second, and every test here only reads
the PDF bytes, which depend on nothing but the persona's answers. The database rows behind them
live in the transaction of the first test that asks, like any other fixture's.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pdfplumber
import pytest
from django.utils import translation

from leerscan.reports.pdf import report_html, report_render_pdf
from leerscan.reports.services import report_context
from leerscan.scans import services
from tests import personas_more

pytestmark = pytest.mark.django_db

# Baukje's bakery and Martin's metal firm, as fixtures of this module.
bakery_scan = personas_more.bakery_scan
metal_scan = personas_more.metal_scan

MM = 72 / 25.4  # PDF points per millimetre
# The page margins of static/reports/report.css (@page): top, right, bottom, left.
MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM = 22 * MM, 18 * MM, 20 * MM
H2_SIZE = 14  # points: the chapter headings (h2) that name the running header
# Two boxes count as overlapping when they share more than this in both directions (points):
# glyph boxes of neighbouring letters touch by kerning, not by a visible overlap.
TOLERANCE = 0.5
# How far down the page its content must reach, as a share of the body's height. The tallest
# block that must not be split (the difference chart, about 14 of the 25.5 cm) can push at most
# about 55% of a page onto the next, so a page filled less than 40% is a break gone wrong.
MIN_FILL = 0.40
WRITING_ROOM = 25 * MM  # the action plan's "who" and "when" columns, to write in by hand

PERSONAS = ("anna", "bakery", "metal")
LANGUAGES = ("nl", "en")
CASES = [(p, lang) for p in PERSONAS for lang in LANGUAGES]


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: list[dict]
    graphics: list[dict]  # lines, rectangles and curves (table rules, charts)

    @property
    def body(self) -> list[dict]:
        """Words between the page margins (not the running header or footer)."""
        return [w for w in self.words if MARGIN_TOP <= w["top"] < self.height - MARGIN_BOTTOM]

    @property
    def header(self) -> str:
        """The right-hand running header."""
        return " ".join(
            w["text"] for w in self.words if w["bottom"] < MARGIN_TOP and w["x0"] > self.width / 2
        )

    def headings(self) -> list[str]:
        """The chapter headings (h2) on the page, in order; a two-line heading joined."""
        lines: list[tuple[float, list[str]]] = []
        for w in self.body:
            if abs(w["size"] - H2_SIZE) > 0.1:
                continue
            if lines and abs(lines[-1][0] - w["top"]) < 1:
                lines[-1][1].append(w["text"])
            elif lines and w["top"] - lines[-1][0] < 2 * H2_SIZE:
                lines[-1] = (w["top"], lines[-1][1] + [w["text"]])
            else:
                lines.append((w["top"], [w["text"]]))
        return [" ".join(words) for _top, words in lines]

    def starts_with_heading(self) -> bool:
        first = min(self.body, key=lambda w: (w["top"], w["x0"]))
        return abs(first["size"] - H2_SIZE) <= 0.1


def pages_of(content: bytes) -> list[Page]:
    pages = []
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            # In the order drawn: two texts printed over each other stay two words.
            words = page.extract_words(use_text_flow=True, extra_attrs=["size"])
            graphics = [*page.lines, *page.rects, *page.curves]
            pages.append(Page(page.page_number, page.width, page.height, words, graphics))
    return pages


_rendered: dict[tuple[str, str], list[Page]] = {}


def report(request, persona: str, language: str) -> list[Page]:
    """The pages of the persona's report in a language, rendered and read on first use in this
    session (reading a PDF's words takes longer than rendering it)."""
    key = (persona, language)
    if key not in _rendered:
        scan = request.getfixturevalue(f"{persona}_scan")
        if not scan.is_finished:
            scan = services.scan_finish(scan=scan)
        with translation.override(language):
            html = report_html(context=report_context(scan=scan))
            _rendered[key] = pages_of(report_render_pdf(html=html))
    return _rendered[key]


def overlaps(a: dict, b: dict) -> bool:
    return (
        min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > TOLERANCE
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > TOLERANCE
    )


def overlapping_words(page: Page) -> list[tuple[str, str]]:
    """Pairs of words on the page whose boxes overlap (a sweep down the page)."""
    words = sorted(page.words, key=lambda w: w["top"])
    found = []
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            if b["top"] >= a["bottom"]:
                break
            if overlaps(a, b):
                found.append((a["text"], b["text"]))
    return found


@pytest.mark.parametrize(("persona", "language"), CASES)
def test_it_prints_no_word_over_another(request, persona, language) -> None:
    for page in report(request, persona, language):
        assert overlapping_words(page) == [], f"page {page.number}"


@pytest.mark.parametrize(("persona", "language"), CASES)
def test_it_leaves_no_page_nearly_empty(request, persona, language) -> None:
    # The measure is how far down the body the content reaches (words, table rules and charts),
    # not a word count: a page that holds a chart is full with few words, and a page that holds
    # three lines spilled from the page before is empty whatever those lines say.
    pages = report(request, persona, language)
    for page in pages[:-1]:
        body_height = page.height - MARGIN_TOP - MARGIN_BOTTOM
        bottoms = [w["bottom"] for w in page.body] + [
            g["bottom"] for g in page.graphics if g["bottom"] < page.height - MARGIN_BOTTOM
        ]
        fill = (max(bottoms) - MARGIN_TOP) / body_height
        assert fill >= MIN_FILL, f"page {page.number} is {fill:.0%} full"


@pytest.mark.parametrize(("persona", "language"), CASES)
def test_it_heads_each_page_with_the_section_on_it(request, persona, language) -> None:
    # The section a page begins with: the heading at its top, or the one still running on from
    # the page before.
    pages = report(request, persona, language)
    assert pages[0].header == ""  # the cover
    running = None
    for page in pages[1:]:
        headings = page.headings()
        expected = headings[0] if page.starts_with_heading() else running
        assert expected, f"page {page.number} has no section"
        assert page.header == expected, f"page {page.number}"
        running = headings[-1] if headings else running


@pytest.mark.parametrize(("persona", "language"), CASES)
def test_it_leaves_room_to_write_who_and_when(request, persona, language) -> None:
    who, when = ("Wie", "Wanneer") if language == "nl" else ("Who", "When")
    cell_padding = 1.5 * MM
    for page in report(request, persona, language):
        heads = {w["text"]: w for w in page.body if w["text"] in (who, when)}
        if who in heads and when in heads and abs(heads[who]["top"] - heads[when]["top"]) < 1:
            table_right = page.width - MARGIN_RIGHT
            assert heads[when]["x0"] - heads[who]["x0"] >= WRITING_ROOM
            assert table_right - (heads[when]["x0"] - cell_padding) >= WRITING_ROOM
            return
    pytest.fail("no action plan with who and when columns")
