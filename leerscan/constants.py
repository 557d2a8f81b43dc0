"""Named constants of the application: retention, the resume link and the advice engine's limits.

What belongs to the monitor itself (units and scale bounds, the thresholds that turn a difference
into words, the small-group N, the provinces) is in benchmarks/vocabulary.py, the bottom layer
that every stage may import. Nothing here imports from the project.
"""

from __future__ import annotations

from decimal import Decimal

# Scans not changed for this long are deleted (privacy page; delete_stale_scans).
SCAN_RETENTION_DAYS = 365
# A device remembers the last scan opened through its link for this long after the last visit
# through the link (leerscan/scans/resume.py); shorter than the retention, as the cookie is a key.
REMEMBER_SCAN_DAYS = 90
# "Send me the link" sends at most one e-mail per scan in this many seconds.
RESUME_MAIL_INTERVAL_SECONDS = 5 * 60

# Advice (leerscan/reports/advice.py).
ADVICE_MIN, ADVICE_MAX = 3, 6
# A statement scored at or below this (the "disagree" half of 1-6) is low in absolute terms.
LOW_SCORE = Decimal(3)
# An obstacle the employer agrees with (4-6 on 1-6) is treated as real.
OBSTACLE_AGREES = Decimal(4)
# "Most of your size class has it": more than half.
MAJORITY_PERCENT = Decimal(50)
