"""Joining a leertafel: a participant types the code (or scans the QR code) and starts the scan.

The scan is the ordinary self-scan (same steps, private link, results and PDF), started in the
leertafel's context and, for a short session, with the core statements only. The leertafel sees
it in aggregate; by name only when the participant allows it (anonymous by default).

Whatever arrives as a code (typed, or in the URL from a QR code or a mistyped link) is first
normalised and checked against the code's format; only a well-formed code reaches the database,
so that nonsense (a NUL byte, which PostgreSQL refuses, ten thousand characters, emoji) is
answered with the same plain message next to the field as a typo.

Guessing codes is limited (`_lookup`): a well-formed code that matches no leertafel counts as a
failed lookup, per client address and over all addresses together (settings.LEERSCAN_RATE_LIMITS
"join_code_failed" and "join_code_failed_global"). A correct code never counts, so a venue whose
thirty phones type or scan the right code is never refused. An address over its own limit is
refused every lookup, right or wrong (else a refusal would tell a hit from a miss); while the
global cap is reached, so is every address that has a failed lookup of its own in the window:
a botnet gets one guess per address, a venue that typed right goes on. The refusal is the code
page with the reason next to the field, 429 with Retry-After.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_cache_control
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
ADDRESS_REFUSED_MESSAGE = _(
    "Too many codes that do not exist were tried from your network. Check the code with your "
    "adviser and try again at %(time)s, or use your phone's mobile data."
)
EVERYONE_REFUSED_MESSAGE = _(
    "Leerscan is receiving very many codes that do not exist at the moment, and one came from "
    "your network. Check the code with your adviser and try again at %(time)s, or use your "
    "phone's mobile data."
)
# The subject of the global count of failed lookups: all addresses together.
EVERYONE = "everyone"


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
        # The format only: the lookup is the view's, which counts failed ones (`_lookup`).
        code = join_code_normalise(self.cleaned_data["code"])
        if not code_is_well_formed(code):
            raise forms.ValidationError(FORMAT_MESSAGE, code="format")
        return code


@dataclasses.dataclass(frozen=True)
class Refused:
    """Why a lookup was not made, and in how many seconds it may be tried again."""

    message: str
    wait: int


def _lookup_refused(address: str) -> Refused | None:
    """Whether this address may look a code up now (nothing is counted here)."""
    per_address = ratelimit.limit("join_code_failed")
    wait = ratelimit.peek(per_address, address)
    if wait is not None:
        return Refused(str(ADDRESS_REFUSED_MESSAGE), wait)
    wait_everyone = ratelimit.peek(ratelimit.limit("join_code_failed_global"), EVERYONE)
    if wait_everyone is None or per_address.off:
        return None
    # The global cap is reached: an address may look up only without a failure of its own in
    # the window (the same counts, allowing one).
    wait_own = ratelimit.peek(dataclasses.replace(per_address, count=1), address)
    if wait_own is None:
        return None
    return Refused(str(EVERYONE_REFUSED_MESSAGE), min(wait_everyone, wait_own))


def _lookup(request: HttpRequest, code: str) -> Leertafel | Refused | None:
    """The leertafel of a well-formed code, None when there is none (a failed lookup, counted
    per address and for everyone), or why this lookup is refused."""
    address = ratelimit.client_address(request) or "unknown"
    refused = _lookup_refused(address)
    if refused is not None:
        return refused
    leertafel = leertafel_by_code(code)
    if leertafel is None:
        ratelimit.hit(ratelimit.limit("join_code_failed"), address)
        ratelimit.hit(ratelimit.limit("join_code_failed_global"), EVERYONE)
    return leertafel


def _code_page(
    request: HttpRequest, form: JoinCodeForm, status: int, refused: Refused | None = None
) -> HttpResponse:
    """The code page with the form as it is; a refused lookup with its reason at the field."""
    if refused is None:
        return render(request, "advisers/join.html", {"form": form}, status=status)
    again = timezone.localtime() + timedelta(seconds=refused.wait)
    form.add_error("code", refused.message % {"time": formats.time_format(again, "H:i")})
    response = render(request, "advisers/join.html", {"form": form}, status=429)
    response["Retry-After"] = str(refused.wait)
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """The page with the field "Code"."""
    if request.method != "POST":
        return render(request, "advisers/join.html", {"form": JoinCodeForm()})
    form = JoinCodeForm(request.POST)
    if not form.is_valid():
        return _code_page(request, form, 400)
    found = _lookup(request, form.cleaned_data["code"])
    if isinstance(found, Leertafel):
        return redirect("advisers:join_code", found.code)
    if found is None:
        form.add_error("code", forms.ValidationError(UNKNOWN_MESSAGE, code="unknown"))
        return _code_page(request, form, 400)
    return _code_page(request, form, 429, found)


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
    form = JoinCodeForm({"code": code_shown(code)})
    if not code_is_well_formed(normalised):
        form.is_valid()
        return _code_page(request, form, 400)
    leertafel = _lookup(request, normalised)
    if not isinstance(leertafel, Leertafel):
        # The code page again, with what was in the address and why it does not work.
        form.is_valid()
        if leertafel is None:
            form.add_error("code", forms.ValidationError(UNKNOWN_MESSAGE, code="unknown"))
            return _code_page(request, form, 404)
        return _code_page(request, form, 429, leertafel)
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
