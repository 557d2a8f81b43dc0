"""Who may see what of the advisers' side: one decorator per kind of page.

An adviser sees only the leertafels of their own organisation. Every adviser view resolves its
leertafel here, never by its own lookup, so the organisation check cannot be forgotten: a
leertafel of another organisation is a 404, exactly like one that does not exist (so an adviser
cannot even learn that a code is in use elsewhere). Adviser pages are private (no-store).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from leerscan import ratelimit
from leerscan.advisers.models import Adviser, Leertafel
from leerscan.scans.access import mark_private

AdviserView = Callable[..., HttpResponse]


def current_adviser(request: HttpRequest) -> Adviser | None:
    """The adviser logged in on this request, or None (anonymous, or a user without adviser)."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return None
    try:
        return user.adviser
    except Adviser.DoesNotExist:
        return None


def adviser_required(view: AdviserView) -> AdviserView:
    """Only a logged-in adviser gets in (others go to the login page); the view gets the adviser."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        adviser = current_adviser(request)
        if adviser is None:
            htmx = getattr(request, "htmx", None)
            if htmx:
                # A page that refreshes itself (htmx) after the session expired: send the whole
                # page to the login, back to that page afterwards, instead of showing the login
                # form inside the refreshed part.
                back = htmx.current_url_abs_path or request.get_full_path()
                login = redirect_to_login(back)["Location"]
                return mark_private(HttpResponseClientRedirect(login))
            return mark_private(redirect_to_login(request.get_full_path()))
        request.adviser = adviser
        return mark_private(view(request, adviser, *args, **kwargs))

    wrapper.checks_adviser = True
    return wrapper


def leertafel_for_adviser(view: AdviserView) -> AdviserView:
    """Resolve the URL's leertafel among the adviser's organisation's own (a 404 otherwise) and
    pass the adviser and the leertafel to the view."""

    @adviser_required
    @wraps(view)
    def wrapper(request: HttpRequest, adviser: Adviser, pk: int, *args, **kwargs) -> HttpResponse:
        try:
            leertafel = Leertafel.objects.select_related("organisation").get(
                pk=pk, organisation_id=adviser.organisation_id
            )
        except Leertafel.DoesNotExist:
            raise Http404 from None
        return view(request, adviser, leertafel, *args, **kwargs)

    wrapper.checks_leertafel = True
    return wrapper


def download_refused(request: HttpRequest) -> HttpResponse | None:
    """Count a download (or the start of a background export) against the logged-in user's limit
    (settings.LEERSCAN_RATE_LIMITS "adviser_download"): the 429 page when too many, else None."""
    coaching = request.path.startswith("/coaching/")
    return ratelimit.check(
        request,
        ratelimit.limit("adviser_download"),
        subjects={"adviser_download": f"user:{request.user.pk}"},
        message=_(
            "You downloaded many files in a short time. To keep Leerscan quick for everyone, "
            "there is a limit."
        ),
        back_url=reverse("coaching:clients" if coaching else "advisers:dashboard"),
        back_label=_("Back to the overview"),
    )


def download_limited(view: AdviserView) -> AdviserView:
    """Limit a download view per user (`download_refused`). Put it below the decorator that
    checks the adviser, so that only an allowed download counts."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refused = download_refused(request)
        if refused:
            return refused
        return view(request, *args, **kwargs)

    wrapper.limits_downloads = True
    return wrapper
