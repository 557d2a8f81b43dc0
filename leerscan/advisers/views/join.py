"""Joining a leertafel: a participant types the code (or scans the QR code) and starts the scan.

The scan is the ordinary self-scan (same steps, private link, results and PDF), started in the
leertafel's context and, for a short session, with the core statements only. The leertafel sees
it in aggregate; by name only when the participant allows it (anonymous by default).
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from leerscan.advisers.models import Leertafel
from leerscan.advisers.services import join_code_normalise, leertafel_join
from leerscan.constants import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from leerscan.scans.resume import remember_scan
from leerscan.scans.views import scan_start_refused


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six characters your adviser shows, for example K7M4QX."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = join_code_normalise(self.cleaned_data["code"])
        if len(code) != JOIN_CODE_LENGTH or any(ch not in JOIN_CODE_ALPHABET for ch in code):
            raise forms.ValidationError(
                _("A code has six letters and digits, for example K7M4QX. Check what you typed.")
            )
        if not Leertafel.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("There is no leertafel with this code. Check the code with your adviser.")
            )
        return code


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """The page with the field "Code"."""
    form = JoinCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("advisers:join_code", form.cleaned_data["code"])
    status = 400 if form.errors else 200
    return render(request, "advisers/join.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def join_code(request: HttpRequest, code: str) -> HttpResponse:
    """Which session this is and who runs it; "Start" begins the participant's scan."""
    normalised = join_code_normalise(code)
    leertafel = (
        Leertafel.objects.select_related("organisation", "created_by__user")
        .filter(code=normalised)
        .first()
    )
    if leertafel is None:
        form = JoinCodeForm(initial={"code": code[:20]})
        form.fields["code"].widget.attrs["aria-invalid"] = "true"
        return render(
            request, "advisers/join.html", {"form": form, "unknown_code": True}, status=404
        )
    if normalised != code:
        return redirect("advisers:join_code", normalised)
    if request.method == "POST" and leertafel.is_open:
        refused = scan_start_refused(request)
        if refused:
            return refused
        participant = leertafel_join(leertafel=leertafel)
        response = redirect(reverse("scans:step", args=[participant.scan.token, 1]) + "?nieuw=1")
        remember_scan(response, participant.scan)
        return response
    status = 200 if leertafel.is_open or request.method == "GET" else 409
    return render(request, "advisers/join_code.html", {"leertafel": leertafel}, status=status)
