"""Named constants of the application: retention, the resume link and the advice engine's limits.

What belongs to the monitor itself (units and scale bounds, the thresholds that turn a difference
into words, the small-group N, the provinces) is in benchmarks/vocabulary.py, the bottom layer
that every stage may import. Nothing here imports from the project.
"""

from __future__ import annotations

from decimal import Decimal

# Scans not changed for this long are deleted (privacy page; delete_stale_scans).
SCAN_RETENTION_DAYS = 365
# A scan that never got past step 1 (no consent, so nothing stored but its creation) is deleted
# after this many hours (delete_stale_scans): starting scans must not fill the database.
UNCONSENTED_SCAN_HOURS = 24
# A device remembers the last scan opened through its link for this long after the last visit
# through the link (leerscan/scans/resume.py); shorter than the retention, as the cookie is a key.
REMEMBER_SCAN_DAYS = 90
# "Send me the link" sends at most one e-mail per scan in this many seconds.
RESUME_MAIL_INTERVAL_SECONDS = 5 * 60

# Advice (leerscan/reports/advice.py).
ADVICE_MIN, ADVICE_MAX = 3, 6
# Each action shows up to this many reasons ("why for you").
ADVICE_REASONS_SHOWN = 3
# Measuring the return scored at or below this (the "disagree" half of 1-6) always gets attention.
LOW_SCORE = Decimal(3)
# An obstacle the employer agrees with (4-6 on 1-6) is treated as real.
OBSTACLE_AGREES = Decimal(4)
# "Most of your size class has it": more than half.
MAJORITY_PERCENT = Decimal(50)
# Below this many employees a firm has no departments to rotate between or to second staff to.
DEPARTMENTS_FROM = 10
# Below this many employees (the monitor's smallest size class, 5-24, and smaller firms) "no HR
# department" and strong obstacles weigh more, and outside support always makes the list.
SMALL_FIRM_BELOW = 25
# From this many employees (the monitor's largest size class) almost every organisation has an HR
# department (monitor section 4.5), so "like most small organisations" does not fit.
LARGE_FIRM_FROM = 200
# A training figure (Tabel 4.3, 4.4) drives advice when it compares at least "somewhat" worse with
# the closest group: these are the classifications of benchmarks.selectors, whose sizes are the
# monitor's DIFFERENCE_THRESHOLDS in benchmarks/vocabulary.py (10 percentage points, a fifth of
# the hours, 0.4 on the 1-10 scale).
TRAINING_GAP = ("somewhat_lower", "clearly_lower")
# The share of training under a repayment clause drives advice when it is at least this much higher.
REPAYMENT_CLAUSE_HIGH = ("somewhat_higher", "clearly_higher")

# Every output made in the background (leerscan/background: reports, exports, cohort figures). One
# that has not moved for this long is taken as abandoned (its worker was killed) and may be taken
# over: every make function reports progress far more often.
REPORT_RENDER_STALE_SECONDS = 120
# A download of an output that a worker is making right now waits this long for it before it makes
# the output itself.
REPORT_RENDER_WAIT_SECONDS = 20
# The order in which task workers take queued tasks (django-tasks' priority, -100..100, highest
# first; the database backend's claim orders by it, then by age). A report nobody is looking at yet
# goes after everything else (group reports, exports: 0); one whose results page asks for it
# (the person is waiting) goes before everything.
REPORT_PRIORITY_BACKGROUND = -10
REPORT_PRIORITY_WAITING = 10
# The task worker (leerscan/background/worker.py): `manage.py report_worker` renews a heartbeat for
# the worker process it runs this often; a worker not heard of for WORKER_LOST_SECONDS is dead,
# and a task it left running is queued again, up to TASK_ATTEMPTS_MAX runs, then marked failed.
WORKER_HEARTBEAT_SECONDS = 10
WORKER_LOST_SECONDS = 60
TASK_ATTEMPTS_MAX = 3

# Leertafels (leerscan/advisers). Group figures (means, spread, koplopers) appear only from this
# many finished participants: with fewer, one person's answers could be read off the group's.
GROUP_MIN_FINISHED = 3
# The code participants type to join: six characters from an alphabet without look-alikes
# (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V), so it can be read off a projector and typed on a phone.
JOIN_CODE_ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
JOIN_CODE_LENGTH = 6
# Koplopers shown per building block (the highest scores among those who allowed their name).
KOPLOPERS_SHOWN = 3
# The wow-how-now-no matrix (leerscan/advisers/ideas.py). Participants add ideas from joining
# until this many days after the session's date, whether or not the table is still open to new
# participants: an adviser closes joining once everyone is in, and that is when the matrix is made.
IDEA_ADD_DAYS_AFTER_SESSION = 7
# Ideas one participant may add to a table: more is a stuck button or a prank on the projector.
IDEAS_PER_PARTICIPANT_MAX = 30
# A leertafel's group report (leerscan/advisers/report.py) is kept in the shared cache this long
# after it was rendered; after that, or once anything it shows changes, it is rendered again.
# Short, because a kept report outlives a participant who deletes their scan until the next
# version replaces it: an adviser downloads the report in the days after the session.
GROUP_REPORT_KEEP_SECONDS = 2 * 24 * 60 * 60

# Coaching (leerscan/coaching). The code an owner enters to share a scan with a coach: eight
# characters from the join-code alphabet (no look-alikes), read off a card or an e-mail.
SHARE_CODE_LENGTH = 8
# A coach mails a round's invitation (or a reminder of it) to the client at most once per this many
# hours per round (leerscan/coaching/views/invite_mail.py).
COACH_INVITATION_MAIL_INTERVAL_HOURS = 24
# The team scan (leerscan/teams): the employees' answers appear, in aggregate only, from this many
# responses (DESIGN §9; never below 3, or one employee's answers could be read off the mean).
TEAM_MIN_RESPONSES = 5
# After the first figures, new figures appear only per this many more responses (at 5, 10, 15, ...)
# and each time from the first responses of that number: two views then differ by a whole group of
# at least the minimum, never by one person (docs/team-scan.md, "Batches"). Never below the minimum.
TEAM_RELEASE_STEP = 5
# Below this many responses in the figures, a mean is shown to half a point and no spread: with five
# answers a one-decimal mean of 6.0 and a spread of 0 would tell that every employee answered 6.
TEAM_EXACT_FROM = 10
# Invitations (one per employee, each answered once): at most this many per team scan, and per
# request.
TEAM_INVITATIONS_MAX = 500
TEAM_INVITATIONS_PER_REQUEST = 200
# Invitations by e-mail (leerscan/teams/mail.py, docs/team-scan.md "Invitations by e-mail"). An
# employee's address is kept on their invitation until it is used, the team scan is closed or this
# many days have passed since it was given (`manage.py delete_team_addresses`, daily): a team scan
# runs for a few weeks, and an address is of no use once its reminders are over.
TEAM_EMAIL_KEEP_DAYS = 30
# A reminder goes to the unused invitations with an address at most once per this many days
# (counted per team scan from the last reminder, and per invitation from its own invitation mail),
# and at most TEAM_REMINDERS_MAX times per team scan: answering is voluntary, a reminder must not
# become pressure.
TEAM_REMINDER_INTERVAL_DAYS = 3
TEAM_REMINDERS_MAX = 3
# The research export (leerscan/coaching/research.py) is kept in the shared cache this long after
# it was made: a coach downloads it at once, and a file of consented answers should not outlive a
# withdrawn consent by more than a day.
RESEARCH_EXPORT_KEEP_SECONDS = 24 * 60 * 60

# The living benchmark (leerscan/reports/living.py): a sector x size x province cell is shown only
# from this many organisations (Effectory's custom benchmarks need 7; we are stricter), and its
# figures are those of the first 10, 15, 20, ... organisations, so one joining or leaving between
# two steps changes nothing that is shown.
LIVING_BENCHMARK_MIN = 10
LIVING_BENCHMARK_STEP = 5
