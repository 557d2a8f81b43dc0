"""Advice -> report: the PDF, rendered by WeasyPrint from its own template, offline and sealed.

Nothing is fetched over the network: the URL fetcher serves the project's static files (fonts,
the report's stylesheet) from disk, lets inline data: URIs (the charts) through, and refuses any
other address, which fails the rendering instead of silently leaving something out. A static
path is resolved (percent-escapes, "..", symlinks) and served only when the file really lies
inside the collected static root or a staticfiles finder's folder: "/static//etc/passwd" or
"/static/../../db.sqlite3" must never put a file of the server into a report.

One FontConfiguration serves every render of a process. A new one per render leaked about
0.3 MB each time (the Pango font map and the fontconfig set it loads are never given back to the
system); the shared one holds the report's few @font-face fonts once. WeasyPrint does not
promise that a font configuration may be used by two renders at once, so renders in one process
take turns (a lock); processes, the usual way to scale, each have their own. What a process
still gains per render is inside Pango (docs/performance.md, "Memory over 1,000 renders").
"""

from __future__ import annotations

import atexit
import mimetypes
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# A base URL that no network resolves; static files under it are read from disk.
BASE_URL = "https://leerscan.invalid/"
PDF_VARIANT = "pdf/ua-1"

_render_lock = threading.Lock()
_font_config: FontConfiguration | None = None


def _static_roots() -> list[Path]:
    """The folders a static file may come from: the collected root and the finders' folders."""
    roots = [Path(settings.STATIC_ROOT)] if settings.STATIC_ROOT else []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    return [root.resolve() for root in roots]


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path.is_relative_to(root) for root in roots)


def _static_path(name: str) -> Path | None:
    """The file behind a static URL's path: collected (hashed names in production) or in the
    sources, and only when it resolves to a file inside one of the static folders."""
    name = unquote(name)
    # An absolute part would replace the root when joined; a NUL byte is never a file name.
    if not name or name.startswith(("/", "\\")) or "\x00" in name:
        return None
    roots = _static_roots()
    candidates = []
    if settings.STATIC_ROOT:
        candidates.append(Path(settings.STATIC_ROOT) / name)
    try:
        found = finders.find(name)
    except Exception:  # noqa: BLE001 - a finder refusing a name (SuspiciousFileOperation) is a no
        found = None
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_file() and _inside(resolved, roots):
            return resolved
    return None


class StaticFileFetcher(URLFetcher):
    """Serve /static/... from the static folders; allow data: URIs; refuse everything else."""

    def fetch(self, url: str, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
        if url.startswith(prefix):
            path = _static_path(urlsplit(url[len(prefix) :]).path)
            if path:
                body = path.read_bytes()
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})
        raise FatalURLFetchingError(f"The report may only use its own static files, not {url}")


def report_html(*, context: dict) -> str:
    """The report's HTML (template reports/report.html)."""
    return render_to_string("reports/report.html", context)


def _shared_font_config() -> FontConfiguration:
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
        # Its fonts are copied into a temporary folder that it removes when it is dropped.
        atexit.register(_drop_font_config)
    return _font_config


def _drop_font_config() -> None:
    global _font_config
    _font_config = None


def report_render_pdf(*, html: str, progress: Callable[[int], None] | None = None) -> bytes:
    """Lay out the report's HTML as a tagged A4 PDF; `progress` hears the percentage done after
    the layout (the longest step)."""
    with _render_lock:
        fonts = _shared_font_config()
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFileFetcher()).render(
            font_config=fonts, pdf_variant=PDF_VARIANT
        )
        if progress:
            progress(80)
        return document.write_pdf(pdf_variant=PDF_VARIANT)
