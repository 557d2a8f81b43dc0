"""Who may see a scan: whoever holds its private token. One decorator resolves it for every view.

Every view under /scan/<token>/ takes the scan from here, never from its own lookup, so that the
adviser permissions of later stages have one place to join.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from leerscan.scans.models import Scan
from leerscan.scans.selectors import scan_get

ScanView = Callable[..., HttpResponse]


def scan_from_token(*, finished: bool = False) -> Callable[[ScanView], ScanView]:
    """Resolve the URL's token to its scan (a 404 when unknown) and pass the scan to the view.

    With finished=True, a scan that is not finished yet is sent to its review page instead.
    """

    def decorator(view: ScanView) -> ScanView:
        @wraps(view)
        def wrapper(request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
            scan: Scan = scan_get(token=token)
            if finished and not scan.is_finished:
                return redirect("scans:review", scan.token)
            return view(request, scan, *args, **kwargs)

        # Outer decorators (require_GET, ...) copy this flag, so a test can see every token
        # view goes through here.
        wrapper.resolves_scan_from_token = True
        return wrapper

    return decorator
