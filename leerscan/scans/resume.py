"""Not losing the private link: remember it on this device, show it as a QR code, mail it.

The token is a bearer credential (whoever has the link has the scan), so each of the three ways
carries the resume link `/scan/<token>/` and nothing else:

- This device remembers the last scan opened through its link in an HttpOnly, SameSite=Lax cookie
  (Secure whenever the session cookie is), so the landing page can offer "Verder met uw scan".
  "Vergeet dit apparaat" (a POST) deletes it; a cookie naming no scan is ignored and dropped.
- The resume-link partial shows the link as a QR code, drawn here by segno as inline SVG.
- "Stuur mij de link" mails the link to an address that is used for that one message: it is not
  stored, not put in a message or the cache, and not logged. One mail per scan per
  RESUME_MAIL_INTERVAL_SECONDS (a cheap cache-based limit; general rate limiting is separate).
"""

from __future__ import annotations

import logging
import re
import smtplib
from functools import lru_cache

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from leerscan.constants import REMEMBER_SCAN_DAYS, RESUME_MAIL_INTERVAL_SECONDS
from leerscan.scans.access import scan_from_token
from leerscan.scans.models import TOKEN_PATTERN, Scan
from leerscan.scans.selectors import scan_get

logger = logging.getLogger(__name__)

REMEMBER_COOKIE = "leerscan_scan"


def _resume_url(request: HttpRequest, scan: Scan) -> str:
    return request.build_absolute_uri(reverse("scans:resume", args=[scan.token]))


# --- Remembering the scan on this device ---------------------------------------------------------


def remember_scan(response: HttpResponse, scan: Scan) -> None:
    """Let this device remember the scan: the token in an HttpOnly, SameSite=Lax cookie."""
    response.set_cookie(
        REMEMBER_COOKIE,
        scan.token,
        max_age=REMEMBER_SCAN_DAYS * 24 * 60 * 60,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def forget_scan(response: HttpResponse) -> None:
    """Make this device forget its scan (the scan itself stays)."""
    response.delete_cookie(REMEMBER_COOKIE, path="/", samesite="Lax")


def remembered_scan(request: HttpRequest) -> Scan | None:
    """The scan this device remembers, or None when there is none or it no longer exists."""
    token = request.COOKIES.get(REMEMBER_COOKIE, "")
    if not re.fullmatch(TOKEN_PATTERN, token):
        return None
    try:
        return scan_get(token=token)
    except Http404:
        return None


def landing_offer(request: HttpRequest, response: HttpResponse, scan: Scan | None) -> None:
    """Finish a landing page that may offer a remembered scan.

    A cookie that names no scan (deleted, expired or made up) is dropped; a page that carries a
    token is kept out of shared caches.
    """
    if scan is not None:
        patch_cache_control(response, private=True, no_store=True)
    elif REMEMBER_COOKIE in request.COOKIES:
        forget_scan(response)


@require_POST
def forget_device(request: HttpRequest) -> HttpResponse:
    response = redirect("scans:landing")
    forget_scan(response)
    messages.success(
        request,
        _(
            "This device no longer remembers your scan. The scan itself still exists: "
            "open it with your private link."
        ),
    )
    return response


# --- The QR code ---------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def resume_qr_svg(url: str) -> str:
    """The resume link as a QR code: inline SVG, black on white, with its quiet zone.

    Cached per link because choosing the mask costs about 10 ms and the link never changes.
    """
    code = segno.make(url, error="m", micro=False)
    return code.svg_inline(scale=4, border=4, dark="#000", light="#fff", svgclass="qr-code")


# --- Sending the link by e-mail ------------------------------------------------------------------


class SendLinkForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Fill in your e-mail address."),
            "invalid": gettext_lazy(
                "This is not an e-mail address. Check it, for example: name@company.nl"
            ),
            "max_length": gettext_lazy(
                "This is not an e-mail address. Check it, for example: name@company.nl"
            ),
            "null_characters_not_allowed": gettext_lazy(
                "This is not an e-mail address. Check it, for example: name@company.nl"
            ),
        },
    )


def _next_page(request: HttpRequest, scan: Scan) -> str:
    """Where to go after sending: the page the form was on, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("scans:resume", args=[scan.token])


def _mail_key(scan: Scan) -> str:
    # The scan's id, not its token: the token stays out of the cache.
    return f"leerscan:resume-mail:{scan.pk}"


def _send_link(request: HttpRequest, scan: Scan, address: str) -> None:
    body = render_to_string("scans/resume_link_email.txt", {"link": _resume_url(request, scan)})
    send_mail(_("Your link to the Leerscan"), body.strip() + "\n", None, [address])


@require_http_methods(["GET", "POST"])
@scan_from_token()
def send_link(request: HttpRequest, scan: Scan) -> HttpResponse:
    form = SendLinkForm(request.POST if request.method == "POST" else None)
    status, problem = 200, ""
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif not cache.add(_mail_key(scan), True, timeout=RESUME_MAIL_INTERVAL_SECONDS):
            status = 429
            problem = _(
                "The link was sent to you only a moment ago. Look in your inbox (and your spam "
                "folder), or try again in a few minutes."
            )
        else:
            try:
                _send_link(request, scan, form.cleaned_data["email"])
            except (smtplib.SMTPException, OSError) as exc:
                # The exception's text may hold the address: log its kind only.
                logger.warning(
                    "Sending the resume link of scan %s failed (%s)", scan.pk, type(exc).__name__
                )
                cache.delete(_mail_key(scan))
                status = 503
                problem = _(
                    "The e-mail could not be sent just now. Try again later, or copy the link "
                    "and keep it somewhere safe."
                )
            else:
                messages.success(
                    request,
                    _(
                        "We have sent the link. Did it not arrive within a few minutes? "
                        "Look in your spam folder."
                    ),
                )
                return redirect(_next_page(request, scan))
    return render(
        request,
        "scans/send_link.html",
        {
            "scan": scan,
            "send_link_form": form,
            "send_link_next": _next_page(request, scan),
            "send_link_problem": problem,
        },
        status=status,
    )
