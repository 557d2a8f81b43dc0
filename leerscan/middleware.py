"""The database out of reach: a friendly 503 page instead of a bare server error.

Every service that changes a scan runs in one transaction, so a step whose save fails this way is
rolled back whole: the steps saved before stay as they were, and the person can send the same step
again once the database answers. The connection that failed is closed at the end of the request
(Django checks its health), so the next request opens a new one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

# What the page and the Retry-After header suggest; a restart of the database takes about this.
RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Turn a lost or refused database connection in a view into the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # The path may hold a scan's private token: log the kind of failure, not the request.
        logger.error("Database unavailable (%s): answered 503", type(exception).__name__)
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        patch_cache_control(response, private=True, no_store=True)
        return response
