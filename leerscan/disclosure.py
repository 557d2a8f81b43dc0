"""The batch rule of every group figure that people join one by one (the team scan's employees,
the living benchmark's organisations): nothing below a minimum, then figures of the first
`minimum`, `minimum + step`, ... members only, so that two views never differ by one member
(docs/team-scan.md, "Batches"). Imports nothing from the project."""

from __future__ import annotations


def batch_released(count: int, *, minimum: int, step: int) -> int:
    """How many of `count` members the figures are made of: 0 below the minimum, then the
    minimum and each `step` more."""
    if count < minimum:
        return 0
    return minimum + (count - minimum) // step * step
