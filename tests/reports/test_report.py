"""The PDF advice report: what it says, how it is cached, and what happens when rendering fails."""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader
from weasyprint.urls import FatalURLFetchingError

from leerscan.background.models import Output
from leerscan.reports import pdf
from leerscan.reports import services as report_services
from leerscan.reports.pdf import BASE_URL, StaticFileFetcher, report_html
from leerscan.reports.results import scan_results_for
from leerscan.reports.services import report_context
from leerscan.scans.models import Item, Scan
from tests import personas_more
from tests.personas import answer_items

pytestmark = pytest.mark.django_db

# Baukje's bakery and Martin's metal firm, as fixtures of this module.
bakery_scan = personas_more.bakery_scan
metal_scan = personas_more.metal_scan


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_report_holds_every_section_and_annas_numbers(client, finished) -> None:
    response = client.get(reverse("reports:report", args=[finished.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    today = date.today().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="leerscan-adviesrapport-{today}.pdf"'
    )
    text = pdf_text(response.content)
    for section in (
        "Adviesrapport",
        "Samenvatting",
        "Profiel en vergelijkingsgroepen",
        "Leercultuur: zes bouwstenen",
        "Leren als organisatie",
        "Scholing in cijfers",
        "Regelingen en HR-instrumenten",
        "Belemmeringen voor scholing",
        "Personeel",
        "Actieplan",
        "Ondersteuning in de regio",
        "Verantwoording",
    ):
        assert section in text, section
    assert "Annas Adviesbureau" in text
    assert "Inhoud van het werk" in text
    assert "n=786" in text  # Tabel 4.5, Noord-Nederland
    assert "4,6" in text  # the estimate for Anna on Inhoud van het werk
    assert "74,8%" in text  # 5-24 pp with a performance review arrangement
    assert "gereconstrueerd" in text.lower()
    assert "Wie" in text and "Wanneer" in text


def test_the_report_names_the_recommended_instruments(client, finished) -> None:
    from leerscan.reports.selectors import scan_advice
    from tests.reports.conftest import results_of

    advice = scan_advice(results=results_of(finished))
    text = pdf_text(client.get(reverse("reports:report", args=[finished.token])).content)
    flat = " ".join(text.split())
    for rec in advice.recommendations:
        assert " ".join(rec.instrument.name_nl.split()) in flat


def test_the_pdf_has_a_title_a_language_and_tags(client, finished) -> None:
    content = client.get(reverse("reports:report", args=[finished.token])).content
    reader = PdfReader(io.BytesIO(content))
    assert reader.metadata.title.startswith("Leerscan adviesrapport")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root


def test_the_second_download_comes_from_the_cache(client, finished, monkeypatch) -> None:
    url = reverse("reports:report", args=[finished.token])
    first = client.get(url).content

    def must_not_render(**kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(report_services, "report_render_pdf", must_not_render)
    assert client.get(url).content == first
    assert Output.objects.filter(kind="report", scan=finished, state=Output.State.DONE).count() == 1


def test_changing_an_answer_makes_a_new_report(client, finished) -> None:
    url = reverse("reports:report", args=[finished.token])
    client.get(url)
    answer_items(finished, {"taken_kern": 6})
    text = pdf_text(client.get(url).content)
    assert "+1,4" in text  # 6 - 4.6
    versions = [key.split(":")[0] for key in Output.objects.values_list("key", flat=True)]
    assert versions == [str(Scan.objects.get(pk=finished.pk).answers_version)]


def test_a_failed_rendering_shows_a_friendly_page_and_loses_nothing(client, finished, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("layout engine fell over")

    monkeypatch.setattr(report_services, "report_render_pdf", broken)
    response = client.get(reverse("reports:report", args=[finished.token]))
    assert response.status_code == 503
    html = response.content.decode()
    assert "Probeer het opnieuw" in html
    assert reverse("reports:report", args=[finished.token]) in html
    assert Scan.objects.get(pk=finished.pk).is_finished
    assert not Output.objects.filter(kind="report", state=Output.State.DONE).exists()


def test_an_unfinished_scan_has_no_report_yet(client, anna_scan) -> None:
    response = client.get(reverse("reports:report", args=[anna_scan.token]))
    assert response.status_code == 302
    assert response["Location"] == reverse("scans:review", args=[anna_scan.token])


def test_an_unknown_token_has_no_report(client, scan_data) -> None:
    assert client.get(f"/scan/{'B' * 32}/adviesrapport.pdf").status_code == 404


def test_the_report_speaks_english_when_asked(client, finished, settings) -> None:
    # English is chosen with the language switch, which sets the language cookie.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("reports:report", args=[finished.token]))
    text = pdf_text(response.content)
    assert "Recommended actions" in text
    assert "Accountability" in text


def test_the_renderer_reads_static_files_from_disk_and_nothing_else() -> None:
    fetcher = StaticFileFetcher()
    response = fetcher.fetch(BASE_URL + "static/fonts/DejaVuSans.ttf")
    assert response is not None
    for url in ("https://cdn.example.org/font.ttf", "file:///etc/passwd", BASE_URL + "beheer/"):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)


def test_the_renderer_finds_collected_files_with_hashed_names(tmp_path, settings) -> None:
    # In production {% static %} gives hashed names that exist only in STATIC_ROOT.
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "report.0123abcd.css").write_text("html { color: black; }")
    settings.STATIC_ROOT = str(tmp_path)
    fetcher = StaticFileFetcher()
    assert fetcher.fetch(BASE_URL + "static/reports/report.0123abcd.css") is not None
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch(BASE_URL + "static/../../etc/passwd")


def test_a_refused_address_in_the_report_shows_the_retry_page(client, finished, monkeypatch):
    # WeasyPrint's FatalURLFetchingError derives from BaseException, not Exception: it used to
    # escape the view as a bare server error.
    html = report_html

    def with_a_foreign_stylesheet(*, context):
        return html(context=context).replace(
            "</head>", '<link rel="stylesheet" href="https://cdn.example.org/x.css"></head>'
        )

    monkeypatch.setattr(report_services, "report_html", with_a_foreign_stylesheet)
    response = client.get(reverse("reports:report", args=[finished.token]))
    assert response.status_code == 503
    assert "Probeer het opnieuw" in response.content.decode()
    assert not Output.objects.filter(kind="report", state=Output.State.DONE).exists()


def test_a_fatal_fetching_error_anywhere_in_the_rendering_shows_the_retry_page(
    client, finished, monkeypatch
):
    def fatal(**kwargs):
        raise FatalURLFetchingError("the report may only use its own static files")

    monkeypatch.setattr(report_services, "report_render_pdf", fatal)
    response = client.get(reverse("reports:report", args=[finished.token]))
    assert response.status_code == 503
    assert reverse("reports:report", args=[finished.token]) in response.content.decode()
    assert Scan.objects.get(pk=finished.pk).is_finished


def test_every_render_of_a_process_shares_one_font_configuration(monkeypatch) -> None:
    # A new FontConfiguration per render grew each worker by about 0.3 MB a render (issue 9).
    made = []

    class Counted(pdf.FontConfiguration):
        def __init__(self):
            super().__init__()
            made.append(self)

    monkeypatch.setattr(pdf, "FontConfiguration", Counted)
    monkeypatch.setattr(pdf, "_font_config", None)
    html = '<html lang="nl"><head><title>t</title></head><body><p>Leerscan</p></body></html>'
    first = pdf.report_render_pdf(html=html)
    second = pdf.report_render_pdf(html=html)
    assert first.startswith(b"%PDF") and second.startswith(b"%PDF")
    assert len(made) == 1


def test_two_renders_at_once_in_one_process_both_succeed() -> None:
    # Gunicorn's threaded workers may render two reports at once; they take turns on the shared
    # font configuration.
    html = (
        '<html lang="nl"><head><title>t</title><link rel="stylesheet" '
        'href="/static/reports/report.css"></head><body><p>Leerscan</p></body></html>'
    )
    with ThreadPoolExecutor(max_workers=2) as pool:
        pdfs = list(pool.map(lambda _: pdf.report_render_pdf(html=html), range(4)))
    assert all(content.startswith(b"%PDF") for content in pdfs)
    assert all("Leerscan" in pdf_text(content) for content in pdfs)


def report_text(scan: Scan, language: str = "nl") -> str:
    """The report's words in a language, as one line (its HTML, before layout: fast, and free of
    the hyphens that table columns add)."""
    with translation.override(language):
        html = report_html(context=report_context(scan=scan))
    body = html.split("<body>", 1)[1]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_the_report_shows_obstacles_and_staff(bakery_scan) -> None:
    text = report_text(bakery_scan)
    assert "Belemmeringen voor scholing" in text
    assert "Medewerkers kunnen niet gemist worden op het werk. 6,0" in text
    assert "Medewerkers kunnen scholing niet combineren met hun privésituatie. weet ik niet" in text
    assert "Manieren om personeel te vinden" in text
    assert "Uitzendkrachten nee 57,0%" in text  # Tabel 4.2, the estimate for the bakery
    assert "Problemen bij het vinden van personeel (1-10): 8,0" in text


def test_the_summary_says_plainly_when_nothing_scores_higher(bakery_scan) -> None:
    # Baukje scores below similar organisations on every point: no strength is made up.
    text = report_text(bakery_scan)
    assert "Op geen enkel punt scoort u hoger dan de organisaties waarmee u" in text


def test_the_english_report_translates_the_statements_and_keeps_the_dutch_originals(
    finished,
) -> None:
    text = report_text(finished, "en")
    item = Item.objects.get(bank=finished.item_bank, key="taken_kern")
    assert item.text_en in text
    accountability = text.split("Accountability", 1)[1]
    assert f"{item.text_en} {item.text_nl}" in accountability
    assert "Learning is seen as essential for improving the organisation" in text


def test_the_accountability_shows_adapted_statements_beside_their_column_head(finished) -> None:
    if not hasattr(Item, "monitor_head"):
        pytest.skip("the item bank has no Tabel 4.6 column heads yet (Item.monitor_head)")
    text = report_text(finished, "en")
    verbatim = text.split("Verbatim from the monitor:", 1)[1].split("Adapted:", 1)[0]
    adapted_sentence = "Leren wordt gezien als essentieel voor het verbeteren van de organisatie"
    assert adapted_sentence not in verbatim
    assert "Feedback en zelfreflectie zijn onderdeel van alle routines" in verbatim
    adapted = text.split("Adapted:", 1)[1].split("Reconstructed", 1)[0]
    assert "“Leren wordt gezien als essentieel voor verbeteren organisatie”" in adapted
    assert "“Wij meten de resultaten van tijd en geld gespendeerd aan scholing”" in adapted


def test_the_accountability_names_leerscans_own_assumptions(finished) -> None:
    text = report_text(finished, "en")
    assert "How Leerscan groups the SBI sections into them is its own assumption" in text
    assert "Non-commercial Services O–U" in text
    assert "Culture, sports and recreation; Other services" in text
    assert "one or two statements per building block" in text


def test_the_report_says_where_the_monitor_found_no_differences(metal_scan) -> None:
    results = scan_results_for(scan=metal_scan)
    notes = {
        results.building_blocks[0].no_group_differences,
        results.dloq[0].no_group_differences,
        next(r for r in results.training if r.no_group_differences).no_group_differences,
    }
    text = report_text(metal_scan)
    for note in notes:
        assert note and note in text
    assert "We vinden bij dit onderdeel geen verschillen tussen provincies" in text


def test_the_report_still_draws_its_radar_and_difference_bars(finished) -> None:
    # matplotlib draws the PDF's charts while the report is rendered (the results page draws its
    # own from the template); both are embedded as SVG data URIs.
    html = report_html(context=report_context(scan=finished))
    uris = re.findall(r'src="(data:image/svg\+xml;base64,[^"]+)"', html)
    assert len(uris) == 2
    assert not Output.objects.filter(scan=finished).exists()  # nothing stored for them
