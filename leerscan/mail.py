"""Sending Leerscan's own e-mails (team invitations and reminders, a coach's invitation to a
client): each message to one recipient, over one connection of Django's mail backend.

Django's settings choose the backend (console in development, SMTP in production,
docs/configuration.md "E-mail"); tests use the locmem backend. Every message here carries a key
(an invitation link), so nothing here logs a message, an address or an exception's text: an
SMTP error can quote the recipient. The caller logs the kind of error with an id.
"""

from __future__ import annotations

import contextlib
import smtplib
from collections.abc import Sequence

from django.core.mail import EmailMessage, get_connection

# The language of every mail Leerscan sends (team invitations and reminders, a coach's invitation):
# Dutch, whatever the language of the page that asked for it. The people who get them (employees,
# a coach's client) are Dutch first, like the site; the employer or coach may read in English.
MAIL_LANGUAGE = "nl"


class MailFailed(Exception):
    """The mail server refused or failed: `sent` messages went out before it did; `kind` is the
    exception's class name (its text may hold an address, so it is not kept); `connected` whether
    the connection was made. A failure before it was made (the server down, the login refused)
    comes whatever the messages are; one after it only when there was a message to send."""

    def __init__(self, *, sent: int, kind: str, connected: bool = True) -> None:
        super().__init__(f"mail failed after {sent} sent ({kind})")
        self.sent = sent
        self.kind = kind
        self.connected = connected


def mails_send(messages: Sequence[EmailMessage]) -> int:
    """Send each message on its own over one connection; how many were sent. The connection is
    opened even when there is nothing to send, so a failing server fails the same whether or not
    anyone is left to mail. Raises MailFailed, with the number sent before the failure and whether
    the connection was made."""
    connection = get_connection()
    sent = 0
    connected = False
    try:
        connection.open()
        connected = True
        for message in messages:
            sent += connection.send_messages([message]) or 0
    except (smtplib.SMTPException, OSError) as exc:
        raise MailFailed(sent=sent, kind=type(exc).__name__, connected=connected) from None
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()
    return sent
