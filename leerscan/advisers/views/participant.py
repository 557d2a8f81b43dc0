"""The participant's page of a leertafel, under the scan's private link: which leertafel, who
runs it, and whether the table may see the organisation's name next to the scores.

Anonymous by default (Participant.show_name); the participant changes it here at any time, before
or after finishing the scan. Whoever holds the scan's link is the participant: the page goes
through the same access decorator as every other page of the scan.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from leerscan.advisers.models import Participant
from leerscan.advisers.services import participant_set_show_name
from leerscan.scans.access import scan_from_token
from leerscan.scans.models import Scan


class ShowNameForm(forms.Form):
    # An unticked box is not posted at all: saving without it means "anonymous", the safe side.
    show_name = forms.BooleanField(
        label=gettext_lazy("The table may see my organisation's name next to my scores"),
        required=False,
    )


def participant_of(scan: Scan) -> Participant:
    """The scan's participation in a leertafel, with the leertafel and who runs it; a 404 for a
    scan that joined none."""
    participant = (
        Participant.objects.select_related("leertafel__organisation", "leertafel__created_by__user")
        .filter(scan=scan)
        .first()
    )
    if participant is None:
        raise Http404("not a leertafel participant")
    return participant


@require_http_methods(["GET", "POST"])
@scan_from_token()
def participant(request: HttpRequest, scan: Scan) -> HttpResponse:
    """Which leertafel the scan belongs to, and the consent to be named at the table."""
    joined = participant_of(scan)
    if request.method == "POST":
        form = ShowNameForm(request.POST)
        if form.is_valid():
            show_name = form.cleaned_data["show_name"]
            participant_set_show_name(participant=joined, show_name=show_name)
            if show_name:
                messages.success(request, _("Saved: the table may see your organisation's name."))
            else:
                messages.success(
                    request, _("Saved: the table does not see your organisation's name.")
                )
            return redirect("advisers:participant", scan.token)
    else:
        form = ShowNameForm(initial={"show_name": joined.show_name})
    return render(
        request,
        "advisers/participant.html",
        {"scan": scan, "participant": joined, "leertafel": joined.leertafel, "form": form},
    )
