"""A coach's invitation to a client: the text for the coach's own mail program (a mailto link on
the client page) and the mail Leerscan sends on the coach's request, first the invitation, later a
reminder of it (leerscan/coaching/views/invite_mail.py).

Leerscan's mail is in Dutch (MAIL_LANGUAGE, whatever the coach reads), to the client's contact
address alone, from the site's sender with the coach's address as Reply-To. The invitation link is
a key: it is in the body only, never in a subject or a log line.
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from leerscan.coaching.models import Client
from leerscan.mail import MAIL_LANGUAGE


def invitation_text(client: Client, url: str, organisation: str) -> tuple[str, str]:
    """The invitation's subject and body, in the active language: for the coach's own mail
    program (mailto) and, in Dutch, for the mail Leerscan sends (invite_mail_message)."""
    subject = _("Invitation to the Leerscan")
    body = _(
        "Hello %(name)s,\n\n%(organisation)s invites you to do the Leerscan, a scan of your "
        "organisation's learning culture. Start it with this link:\n\n%(url)s\n\nIt takes about "
        "15 minutes."
    ) % {"name": client.contact_name or client.name, "organisation": organisation, "url": url}
    return subject, body


def invite_mail_message(*, client: Client, url: str, reply_to: str, reminder: bool) -> EmailMessage:
    """The mail with the round's invitation link `url` (or, `reminder`, a short reminder above
    it), in Dutch, to the client's contact address alone, answered to `reply_to` (the coach's
    address; none when empty)."""
    with translation.override(MAIL_LANGUAGE):
        subject, body = invitation_text(client, url, client.organisation.name)
        if reminder:
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
    return EmailMessage(
        subject=str(subject),
        body=body + "\n",
        to=[client.contact_email],
        reply_to=[reply_to] if reply_to else [],
    )
