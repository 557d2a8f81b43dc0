"""The interface language: Dutch unless the person chose English with the switch.

Django's LocaleMiddleware follows the browser's Accept-Language header. Leerscan is for Dutch
employers, and an English-language browser on a Dutch owner's laptop is common, so the browser is
ignored: only the language cookie that Django's set_language view (/i18n/setlang/, the switch in
the footer) writes counts, and without it the page is in LANGUAGE_CODE.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request: HttpRequest) -> str:
    """The language of the cookie when it names one of LANGUAGES, else the default (Dutch)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
    try:
        # "en-gb" is English; anything unknown or malformed raises LookupError.
        return translation.get_supported_language_variant(chosen)
    except LookupError:
        return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    """Activate the chosen language for the request; in place of Django's LocaleMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The page depends on the language cookie, not on Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
