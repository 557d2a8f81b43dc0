"""Named constants with a meaning in the domain, kept in one place.

Scale bounds, the thresholds that turn a difference into words, and the minimum group size
below which a benchmark group is flagged as small. Other modules import these; nothing here
imports from the project.
"""

from __future__ import annotations

from decimal import Decimal

# Units in which the monitor reports a number, with the range a value in that unit can take.
SCALE_1_6 = "scale_1_6"
SCALE_1_10 = "scale_1_10"
PERCENT = "percent"
HOURS = "hours"
UNIT_RANGES: dict[str, tuple[Decimal, Decimal]] = {
    SCALE_1_6: (Decimal(1), Decimal(6)),
    SCALE_1_10: (Decimal(1), Decimal(10)),
    PERCENT: (Decimal(0), Decimal(100)),
    HOURS: (Decimal(0), Decimal(2000)),
}

# Thresholds for classifying a difference (own value minus group value), per unit, as
# (somewhat, clearly): |d| < somewhat is "comparable", somewhat <= |d| < clearly is "somewhat
# higher/lower", |d| >= clearly is "clearly higher/lower". They apply to the difference as shown
# (rounded to one decimal), so the words never contradict the number next to them.
#
# - 1-6 scales: 0.2 and 0.5 (DESIGN.md section 3). The monitor publishes no standard deviations;
#   its regression table B.4 implies a spread of about one scale point, so 0.5 is half an SD.
# - 1-10 scales: the same steps in standard deviations, stretched to the longer scale
#   (9 instead of 5 scale points: 0.2 * 9/5 = 0.36 and 0.5 * 9/5 = 0.9), rounded to 0.4 and 1.0.
# - Percentages (of employees, of costs, of training): percentage points. A share that varies
#   between firms from 0 to 100 has a spread of roughly 40-50 points, so 10 and 25 points are
#   again about 0.2 and 0.5 of a standard deviation.
# - Hours: relative to the group value (the spread of hours grows with the mean), 20% and 50%.
DIFFERENCE_THRESHOLDS: dict[str, tuple[Decimal, Decimal]] = {
    SCALE_1_6: (Decimal("0.2"), Decimal("0.5")),
    SCALE_1_10: (Decimal("0.4"), Decimal("1.0")),
    PERCENT: (Decimal("10"), Decimal("25")),
    HOURS: (Decimal("0.20"), Decimal("0.50")),
}
RELATIVE_THRESHOLD_UNITS = frozenset({HOURS})

# A benchmark group with fewer respondents than this carries a "small group" note.
SMALL_GROUP_N = 50

# The survey covered organisations with at least this many employees.
MIN_SURVEYED_EMPLOYEES = 5
MAX_EMPLOYEES = 1_000_000

# Scans not changed for this long are deleted (privacy page; delete_stale_scans).
SCAN_RETENTION_DAYS = 365

# Advice (leerscan/reports/advice.py).
ADVICE_MIN, ADVICE_MAX = 3, 6
# A statement scored at or below this (the "disagree" half of 1-6) is low in absolute terms.
LOW_SCORE = Decimal(3)
# An obstacle the employer agrees with (4-6 on 1-6) is treated as real.
OBSTACLE_AGREES = Decimal(4)
# "Most of your size class has it": more than half.
MAJORITY_PERCENT = Decimal(50)
