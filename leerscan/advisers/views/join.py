"""Joining a leertafel: a participant types the code (or scans the QR code) and starts the scan.

The scan is the ordinary self-scan (same steps, private link, results and PDF), started in the
leertafel's context and, for a short session, with the core statements only. The leertafel sees
it in aggregate; by name only when the participant allows it (anonymous by default).

Whatever arrives as a code (typed, or in the URL from a QR code or a mistyped link) is first
normalised and checked against the code's format; only a well-formed code reaches the database,
so that nonsense (a NUL byte, which PostgreSQL refuses, ten thousand characters, emoji) is
answered with the same plain message next to the field as a typo.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from leerscan import ratelimit
from leerscan.advisers.forms import code_field, code_shown
from leerscan.advisers.models import Leertafel, Participant
from leerscan.advisers.services import join_code_normalise, leertafel_join
from leerscan.constants import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from leerscan.scans.models import Scan
from leerscan.scans.resume import remember_scan, remembered_scan

# Longer input is cut off before it is shown again in the field (a code has six characters).
FORMAT_MESSAGE = _("A code has six letters and digits, for example K7M4QX. Check what you typed.")
UNKNOWN_MESSAGE = _("There is no leertafel with this code. Check the code with your adviser.")


def code_is_well_formed(code: str) -> bool:
    """Whether a normalised code has the length and the characters of a join code."""
    return len(code) == JOIN_CODE_LENGTH and all(ch in JOIN_CODE_ALPHABET for ch in code)


def leertafel_by_code(code: str) -> Leertafel | None:
    """The leertafel of a normalised, well-formed code (with who runs it), or None."""
    return (
        Leertafel.objects.select_related("organisation", "created_by__user")
        .filter(code=code)
        .first()
    )


class JoinCodeForm(forms.Form):
    code = code_field(
        label=_("Code"),
        help_text=_("The six characters your adviser shows, for example K7M4QX."),
        required_message=_("Fill in the code your adviser shows."),
        format_message=FORMAT_MESSAGE,
    )

    def clean_code(self) -> str:
        code = join_code_normalise(self.cleaned_data["code"])
        if not code_is_well_formed(code):
            raise forms.ValidationError(FORMAT_MESSAGE, code="format")
        if leertafel_by_code(code) is None:
            raise forms.ValidationError(UNKNOWN_MESSAGE, code="unknown")
        return code


def _refuse_code(request: HttpRequest, raw: str) -> HttpResponse:
    """The code page again, with what was typed and why it does not work next to the field."""
    form = JoinCodeForm({"code": code_shown(raw)})
    form.is_valid()
    status = 404 if form.has_error("code", "unknown") else 400
    return render(request, "advisers/join.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """The page with the field "Code"."""
    if request.method == "POST":
        form = JoinCodeForm(request.POST)
        if form.is_valid():
            return redirect("advisers:join_code", form.cleaned_data["code"])
        return render(request, "advisers/join.html", {"form": form}, status=400)
    return render(request, "advisers/join.html", {"form": JoinCodeForm()})


def _already_joined(request: HttpRequest, leertafel: Leertafel) -> Participant | None:
    """This device's scan, when it already joined this leertafel (the QR code scanned twice)."""
    scan = remembered_scan(request)
    if scan is None or scan.context != Scan.Context.LEERTAFEL:
        return None
    return Participant.objects.filter(scan=scan, leertafel=leertafel).select_related("scan").first()


def _join_refused(request: HttpRequest, leertafel: Leertafel) -> HttpResponse | None:
    """Count a join: per leertafel and client address (a whole table joins from the venue's one
    Wi-Fi address within a minute, which the self-scan's 20 a minute would refuse), and against the
    day's scans per address, like any scan started. The 429 page when too many, else None."""
    address = ratelimit.client_address(request) or "unknown"
    return ratelimit.check(
        request,
        ratelimit.limit("leertafel_join"),
        ratelimit.limit("scan_start_daily"),
        subjects={"leertafel_join": f"{leertafel.pk}:{address}"},
        message=_(
            "Many people joined this leertafel from your network in a short time. To keep "
            "Leerscan quick for everyone, there is a limit. Try again in a few minutes, or "
            "use your phone's mobile data."
        ),
    )


@require_http_methods(["GET", "POST"])
def join_code(request: HttpRequest, code: str) -> HttpResponse:
    """Which session this is and who runs it; "Start the scan" begins the participant's scan."""
    normalised = join_code_normalise(code)
    leertafel = leertafel_by_code(normalised) if code_is_well_formed(normalised) else None
    if leertafel is None:
        return _refuse_code(request, code)
    if normalised != code:
        # "k7m4-qx" from a hand-typed link: show the code as the adviser does.
        return redirect("advisers:join_code", normalised)
    if request.method == "POST" and leertafel.is_open:
        refused = _join_refused(request, leertafel)
        if refused:
            return refused
        participant = leertafel_join(leertafel=leertafel)
        response = redirect(reverse("scans:step", args=[participant.scan.token, 1]) + "?nieuw=1")
        remember_scan(response, participant.scan)
        return response
    # A closed leertafel still says which one it is, but starts nothing: 409 on a POST.
    status = 409 if request.method == "POST" else 200
    return render(
        request,
        "advisers/join_code.html",
        {"leertafel": leertafel, "joined": _already_joined(request, leertafel)},
        status=status,
    )
