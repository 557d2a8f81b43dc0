"""The coach mails a round's invitation to the client's contact address, and later a reminder:
POST /coaching/klanten/<id>/ronde/<n>/uitnodiging-mailen/.

The rules (only while the round is not answered, only to the address on the client record, at
most once per COACH_INVITATION_MAIL_INTERVAL_HOURS per round) are the service's
(measurement_invite_mail_claim), which claims the mail before it is sent: a double click mails
once. Within the coach's `coach_mail` limit; a mail that is not sent (the limit, a failing mail
server) gives the claim back. The message is leerscan/coaching/mail.py's; it holds the invitation
link (a key, so it is never logged: a failing server is logged with the round's id and the kind
of error only). The first mail is the invitation, every later one a reminder. Sent in the request:
it goes to the client's own contact, and its time tells the coach nothing they do not know.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerscan import ratelimit
from leerscan.advisers.models import Adviser
from leerscan.coaching.access import client_for_coach
from leerscan.coaching.mail import invite_mail_message
from leerscan.coaching.models import Client
from leerscan.coaching.services import (
    InviteMailRefused,
    measurement_invite_mail_claim,
    measurement_invite_mail_give_back,
)
from leerscan.coaching.views.clients import client_page, invite_url
from leerscan.coaching.views.rounds import round_of
from leerscan.mail import MailFailed, mails_send

logger = logging.getLogger(__name__)


def _refused(request, adviser, client, message: str, status: int) -> HttpResponse:
    messages.error(request, message)
    return client_page(request, adviser, client, status=status)


@require_POST
@client_for_coach
def round_invite_mail(
    request: HttpRequest, adviser: Adviser, client: Client, number: int
) -> HttpResponse:
    """Mail the round's invitation (or a reminder of it) to the client's contact address."""
    measurement = round_of(client, number)
    back = reverse("coaching:client", args=[client.pk]) + "#kop-rondes"
    try:
        claim = measurement_invite_mail_claim(measurement=measurement)
    except InviteMailRefused as refusal:
        response = _refused(request, adviser, client, refusal.message, refusal.status)
        if refusal.again is not None:
            wait = (refusal.again - timezone.now()).total_seconds()
            response["Retry-After"] = str(max(1, int(wait)))
        return response
    limited = ratelimit.check(
        request,
        ratelimit.limit("coach_mail"),
        subjects={"coach_mail": f"adviser:{adviser.pk}"},
        message=_("You sent many e-mails in a short time. Try again later."),
        back_url=back,
        back_label=_("Back to the client"),
    )
    if limited:
        measurement_invite_mail_give_back(measurement=measurement, claim=claim)
        return limited
    message = invite_mail_message(
        client=client,
        url=invite_url(request, measurement),
        reply_to=adviser.user.email,
        reminder=claim.reminder,
    )
    try:
        mails_send([message])
    except MailFailed as failed:
        measurement_invite_mail_give_back(measurement=measurement, claim=claim)
        logger.warning(
            "Mailing the invitation of round %s failed (%s)", measurement.pk, failed.kind
        )
        return _refused(
            request,
            adviser,
            client,
            _("The e-mail could not be sent just now. Try again later, or copy the link."),
            503,
        )
    if claim.reminder:
        messages.success(
            request, _("The reminder has been sent to %(email)s.") % {"email": client.contact_email}
        )
    else:
        messages.success(
            request,
            _("The invitation has been sent to %(email)s.") % {"email": client.contact_email},
        )
    return redirect(back)
