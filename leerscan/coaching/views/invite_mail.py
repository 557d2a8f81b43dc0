"""The coach mails a round's invitation to the client's contact address, and later a reminder:
POST /coaching/klanten/<id>/ronde/<n>/uitnodiging-mailen/.

Only while the round is not answered (a finished round gets no reminder; a round the owner shared
has no invitation), only to the address on the client record, at most once per
COACH_INVITATION_MAIL_INTERVAL_HOURS per round and within the coach's `coach_mail` limit. The mail
is in Dutch, from the site's sender with the coach's address as Reply-To, and holds the invitation
link (a key, so it is never logged: a failing server is logged with the round's id and the kind of
error only). The first mail is the invitation, every later one a reminder.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.mail import EmailMessage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerscan import ratelimit
from leerscan.advisers.models import Adviser
from leerscan.coaching.access import client_for_coach
from leerscan.coaching.models import Client, Measurement
from leerscan.coaching.selectors import DONE, invite_mail_next, measurement_status
from leerscan.coaching.services import measurement_invite_mailed
from leerscan.coaching.views.clients import client_page, invitation_text, invite_url
from leerscan.coaching.views.rounds import round_of
from leerscan.mail import MAIL_LANGUAGE, MailFailed, mails_send

logger = logging.getLogger(__name__)


def _message(request: HttpRequest, adviser: Adviser, client: Client, measurement: Measurement):
    url = invite_url(request, measurement)
    with translation.override(MAIL_LANGUAGE):
        subject, body = invitation_text(client, url, client.organisation.name)
        if measurement.invite_mailed_at is not None:
            subject = _("Reminder: invitation to the Leerscan")
            body = (
                _(
                    "A reminder: you have not finished the Leerscan yet. If you started it "
                    "already, continue on the device where you started, or with the private link "
                    "of your scan."
                )
                + "\n\n"
                + body
            )
    reply_to = [adviser.user.email] if adviser.user.email else []
    return EmailMessage(
        subject=str(subject), body=body + "\n", to=[client.contact_email], reply_to=reply_to
    )


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
    if measurement.shared_by_owner or measurement_status(measurement=measurement).key == DONE:
        return _refused(
            request,
            adviser,
            client,
            _("This round has been answered: Leerscan sends no invitation or reminder for it."),
            409,
        )
    if not client.contact_email:
        return _refused(
            request,
            adviser,
            client,
            _("The client has no e-mail address. Add one with “Change details” first."),
            409,
        )
    following = invite_mail_next(measurement=measurement)
    if following is not None:
        response = _refused(
            request,
            adviser,
            client,
            _("The invitation was mailed less than a day ago. Try again from %(date)s.")
            % {"date": date_format(timezone.localtime(following), "j F Y, H:i")},
            429,
        )
        response["Retry-After"] = str(max(1, int((following - timezone.now()).total_seconds())))
        return response
    refused = ratelimit.check(
        request,
        ratelimit.limit("coach_mail"),
        subjects={"coach_mail": f"adviser:{adviser.pk}"},
        message=_("You sent many e-mails in a short time. Try again later."),
        back_url=back,
        back_label=_("Back to the client"),
    )
    if refused:
        return refused
    try:
        mails_send([_message(request, adviser, client, measurement)])
    except MailFailed as failed:
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
    if measurement_invite_mailed(measurement=measurement):
        messages.success(
            request, _("The reminder has been sent to %(email)s.") % {"email": client.contact_email}
        )
    else:
        messages.success(
            request,
            _("The invitation has been sent to %(email)s.") % {"email": client.contact_email},
        )
    return redirect(back)
