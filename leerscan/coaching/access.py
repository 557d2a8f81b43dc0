"""Who may see what of the coaching side: one decorator per kind of page.

A coach is an adviser (leerscan/advisers); they see only the clients of their own organisation.
Every coach view that works on a client resolves it here, never by its own lookup, so the
organisation check cannot be forgotten: a client of another organisation is a 404, exactly like
one that does not exist. Coach pages are private (no-store, through adviser_required).
"""

from __future__ import annotations

from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse

from leerscan.advisers.access import AdviserView, adviser_required
from leerscan.advisers.models import Adviser
from leerscan.coaching.models import Client


def client_for_coach(view: AdviserView) -> AdviserView:
    """Resolve the URL's client (kwarg `client_id`) among the coach's organisation's own (a 404
    otherwise) and pass the adviser and the client to the view."""

    @adviser_required
    @wraps(view)
    def wrapper(
        request: HttpRequest, adviser: Adviser, client_id: int, *args, **kwargs
    ) -> HttpResponse:
        try:
            client = Client.objects.select_related("organisation").get(
                pk=client_id, organisation_id=adviser.organisation_id
            )
        except Client.DoesNotExist:
            raise Http404 from None
        return view(request, adviser, client, *args, **kwargs)

    wrapper.checks_client = True
    return wrapper
