"""The team scan's e-mails: an employee's own invitation, and the reminder to an invitation that was
not used yet. Always in Dutch (the employer's page may be in English; the employees are Dutch
first, like the site), each to one address, never with another recipient in To, Cc or Bcc.

The text says what the employee needs and nothing about anyone else: no count, no "others have
answered", no name but the organisation's (when the employer gave it in their scan), so that it is
recognisable and not taken for phishing. The link is the employee's key: it is in the body only,
never in a subject or a log line.
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from leerscan.constants import TEAM_EMAIL_KEEP_DAYS, TEAM_MIN_RESPONSES, TEAM_REMINDERS_MAX
from leerscan.mail import MAIL_LANGUAGE
from leerscan.scans.models import Scan


def team_invitation_link(*, site_url: str, token: str) -> str:
    """An invitation's address, absolute: the site's own (scheme and host, as the request that
    asked for the mail came in) and the form's path. The key it is; only ever in a mail's body."""
    return site_url.rstrip("/") + reverse("teams:form", args=[token])


def _who(scan: Scan) -> str:
    return scan.organisation_name.strip() or _("Your employer")


def team_invitation_message(*, scan: Scan, address: str, link: str, reminder: bool) -> EmailMessage:
    """The e-mail with one employee's invitation link (or the reminder of it), to that address
    only, in Dutch."""
    with translation.override(MAIL_LANGUAGE):
        values = {
            "who": _who(scan),
            "link": link,
            "minimum": TEAM_MIN_RESPONSES,
            "days": TEAM_EMAIL_KEEP_DAYS,
            "reminders": TEAM_REMINDERS_MAX,
        }
        if reminder:
            subject = _("Reminder: how do you learn at work?")
            opening = (
                _(
                    "A reminder: %(who)s asked you how you learn at work, in 14 short statements, "
                    "anonymously, in about 5 minutes. Your own link still works:"
                )
                % values
            )
        else:
            subject = _("How do you learn at work? An invitation from %(who)s") % values
            opening = (
                _(
                    "%(who)s asks you how you learn at work: 14 short statements, anonymously, in "
                    "about 5 minutes. This is your own link:"
                )
                % values
            )
        paragraphs = [
            _("Hello,"),
            opening + "\n" + link,
            _("The link is for you alone: do not pass it on. It can be used once."),
            _(
                "Your answers are stored without your name, your e-mail address or the time. "
                "Your employer sees only the team's averages, from %(minimum)s answers on, never "
                "who answered or what one person answered."
            )
            % values,
            _(
                "Leerscan got your e-mail address from your employer, only to send you this link. "
                "It is deleted as soon as you have answered, when the team scan closes, and at the "
                "latest %(days)s days after it was given. Until then you get at most %(reminders)s "
                "reminders."
            )
            % values,
            _("Answering is voluntary. If you would rather not, ignore this e-mail."),
            "Leerscan",
        ]
        body = "\n\n".join(str(p) for p in paragraphs) + "\n"
    return EmailMessage(subject=str(subject), body=body, to=[address])
