"""Advice -> report: the PDF, rendered by WeasyPrint from its own template, offline.

Nothing is fetched over the network: the URL fetcher serves the project's static files (fonts,
the report's stylesheet) from disk, lets inline data: URIs (the charts) through, and refuses any
other address, which fails the rendering instead of silently leaving something out.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# A base URL that no network resolves; static files under it are read from disk.
BASE_URL = "https://leerscan.invalid/"
PDF_VARIANT = "pdf/ua-1"


def _static_path(name: str) -> str | None:
    """The file behind a static URL: collected (hashed names in production) or in the sources."""
    if ".." in Path(name).parts:
        return None
    collected = Path(settings.STATIC_ROOT) / name
    if settings.STATIC_ROOT and collected.is_file():
        return str(collected)
    return finders.find(name)


class StaticFileFetcher(URLFetcher):
    """Serve /static/... from the staticfiles finders; allow data: URIs; refuse everything else."""

    def fetch(self, url: str, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
        if url.startswith(prefix):
            path = _static_path(url[len(prefix) :].split("?")[0])
            if path:
                with open(path, "rb") as handle:
                    body = handle.read()
                mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})
        raise FatalURLFetchingError(f"The report may only use local files, not {url}")


def report_html(*, context: dict) -> str:
    """The report's HTML (template reports/report.html)."""
    return render_to_string("reports/report.html", context)


def report_render_pdf(*, html: str) -> bytes:
    """Lay out the report's HTML as a tagged A4 PDF."""
    fonts = FontConfiguration()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFileFetcher())
    return document.write_pdf(font_config=fonts, pdf_variant=PDF_VARIANT)
