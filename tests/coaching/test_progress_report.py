"""The progress report (PDF) of Anna's IT firm after its first follow-up: downloaded by Bram, kept
per version, made again when a new round finishes, and laid out without a word over another."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from django.urls import reverse

from leerscan.coaching.progress_report import progress_report_pdf, progress_report_version
from tests.coaching import test_progress
from tests.coaching.test_progress import ANNA_T1_ITEMS, finish_followup

pytestmark = pytest.mark.django_db

anna_t1 = test_progress.anna_t1  # the fixture: Anna's intake and first follow-up, finished

TOLERANCE = 0.5  # points: glyphs of neighbouring letters touch by kerning, not visibly


def words_per_page(content: bytes) -> list[list[dict]]:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return [page.extract_words(use_text_flow=True) for page in pdf.pages]


def text_of(content: bytes) -> str:
    return " ".join(w["text"] for words in words_per_page(content) for w in words)


def test_it_downloads_the_report_and_makes_a_new_one_when_a_round_finishes(bram_client, anna_t1):
    company = anna_t1.client
    url = reverse("coaching:progress_report", args=[company.pk])
    response = bram_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = text_of(response.content)
    assert "Anna IT" in text and "t1" in text and "+1,0" in text
    assert "t2" not in text
    version = progress_report_version(client=company)
    assert bram_client.get(url).content == response.content  # kept, not made again

    finish_followup(company, ANNA_T1_ITEMS | {"samenwerken": 5})
    assert progress_report_version(client=company) != version
    again = bram_client.get(url).content
    assert "t2" in text_of(again)
    assert "+2,0" in text_of(again)  # samenwerken 3 -> 5


def test_it_prints_no_word_over_another_and_no_near_empty_page(anna_t1):
    pages = words_per_page(progress_report_pdf(client=anna_t1.client))
    assert len(pages) <= 4
    for number, words in enumerate(pages, start=1):
        clashes = [
            (a["text"], b["text"])
            for i, a in enumerate(words)
            for b in words[i + 1 :]
            if min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > TOLERANCE
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > TOLERANCE
        ]
        assert not clashes, f"page {number}: {clashes[:5]}"
        # Header and footer are about ten words; a page with little more is a page wasted.
        assert len(words) > 40, f"page {number} is nearly empty"
