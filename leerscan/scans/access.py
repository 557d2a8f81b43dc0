"""Who may see a scan: whoever holds its private token. One decorator resolves it for every view.

Every view under /scan/<token>/ takes the scan from here, never from its own lookup, so that the
adviser permissions of later stages have one place to join. For the same reason every such page
(and the PDF) leaves here marked private: `Cache-Control: private, no-store`, so that no browser or
proxy keeps the answers after the scan is deleted, and `X-Robots-Tag: noindex`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control

from leerscan.scans.models import Scan
from leerscan.scans.selectors import scan_get

ScanView = Callable[..., HttpResponse]


def mark_private(response: HttpResponse) -> HttpResponse:
    """Keep a response that shows or leads to a scan out of every cache and search engine."""
    patch_cache_control(response, private=True, no_store=True)
    response.headers.setdefault("X-Robots-Tag", "noindex, nofollow")
    return response


def scan_from_token(*, finished: bool = False) -> Callable[[ScanView], ScanView]:
    """Resolve the URL's token to its scan (a 404 when unknown) and pass the scan to the view;
    whatever the view answers is marked private (see mark_private).

    With finished=True, a scan that is not finished yet is sent to its review page instead.
    """

    def decorator(view: ScanView) -> ScanView:
        @wraps(view)
        def wrapper(request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
            scan: Scan = scan_get(token=token)
            if finished and not scan.is_finished:
                return mark_private(redirect("scans:review", scan.token))
            return mark_private(view(request, scan, *args, **kwargs))

        # Outer decorators (require_GET, ...) copy this flag, so a test can see every token
        # view goes through here.
        wrapper.resolves_scan_from_token = True
        return wrapper

    return decorator
