"""The team scan's background work: sending the reminder an employer claimed (POST action=remind
on the invitations page), run by the task worker (`manage.py report_worker`, docs/background.md).

Why in the background. Sent in the request, the reminder's answer took longer the more
invitations were still unused (one SMTP transaction each), so timing the request told whether one
person had answered: an employer who mailed one address could tell it from the time alone. Now
the request only claims the reminder (team_reminder_claim: counted, by one conditional update)
and queues this task in the same transaction; its answer, and how long it takes, are the same
however many are still unused. The task carries the team scan's id and the site's address for the
links only: no address and no link is written into the task table.

When the mail server fails (docs/team-scan.md, "Sent in the background"):

- before the connection is made (the server down, the login refused): nobody got anything, and
  it would have failed the same with nobody to remind. The claim is given back
  (team_reminder_give_back): the count and the last reminder's date as they were, and the page
  says that the last reminder could not be sent, so the employer can send it again at once.
- after it (the server refused a message): that can happen only when someone was still to be
  reminded, so telling the employer, or giving the reminder back, would tell them that someone
  had not answered. The reminder counts as sent, as far as it got; the log says so to whoever runs
  the site, who can see to the mail server. The next reminder reaches whoever is still unused.

Either way the log names the team scan's id and the kind of error, never an address or a link
(leerscan/mail.py), and the task returns nothing: no count of mails is stored with its result.

A task run twice (its worker died and the supervisor queued it again) sends once: it takes the
queued reminder first (team_reminder_take). A worker that dies between taking and sending loses
that reminder; it still counts (at most once, never twice).
"""

from __future__ import annotations

import logging

from django_tasks import task

from leerscan.mail import MailFailed, mails_send
from leerscan.teams.mail import team_invitation_link, team_invitation_message
from leerscan.teams.services import (
    team_reminder_give_back,
    team_reminder_recipients,
    team_reminder_take,
)

logger = logging.getLogger(__name__)


@task()
def team_reminder_send(survey_id: int, site_url: str) -> None:
    """Mail the team scan's claimed reminder to each unused invitation that still has an address
    (team_reminder_recipients), each to its own address with its own link built on `site_url`."""
    survey = team_reminder_take(survey_id=survey_id)
    if survey is None:
        return
    mails = [
        team_invitation_message(
            scan=survey.scan,
            address=invitation.email,
            link=team_invitation_link(site_url=site_url, token=invitation.token),
            reminder=True,
        )
        for invitation in team_reminder_recipients(survey=survey)
    ]
    try:
        mails_send(mails)
    except MailFailed as failed:
        if failed.connected:
            logger.error(
                "Team reminder of team scan %s failed while sending (%s): it counts as sent",
                survey_id,
                failed.kind,
            )
        else:
            team_reminder_give_back(survey=survey)
            logger.warning(
                "Team reminder of team scan %s not sent: no connection to the mail server (%s); "
                "given back to the employer",
                survey_id,
                failed.kind,
            )
