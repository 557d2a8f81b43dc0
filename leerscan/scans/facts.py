"""A fact answer (steps 4-6) as one typed value, with its conversions beside it.

The same value travels from the form to the database and from the database to the scores: a
number, one choice, several choices, "I don't know" or "not applicable" (n.v.t., offered where a
question may not fit the firm). It is never passed around as a dict. "I don't know" and "n.v.t."
are different answers, stored apart, and both are left out of every score and comparison.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol


class StoredFact(Protocol):
    """The model fields a fact answer is stored in (models.FactAnswer)."""

    number: Any
    choice: str
    choices: Any
    dont_know: bool
    not_applicable: bool


@dataclass(frozen=True)
class FactValue:
    number: Decimal | None = None
    choice: str = ""
    choices: tuple[str, ...] = ()
    dont_know: bool = False
    not_applicable: bool = False

    def __post_init__(self) -> None:
        # One spelling per answer, so that "unchanged" is a plain equality: the number as a
        # Decimal (a database may hand back a float or a string), the choices sorted.
        if self.number is not None and not isinstance(self.number, Decimal):
            object.__setattr__(self, "number", Decimal(str(self.number)))
        object.__setattr__(self, "choices", tuple(sorted(self.choices)))

    @classmethod
    def of(cls, stored: StoredFact) -> FactValue:
        """The value of a stored answer."""
        return cls(
            number=stored.number,
            choice=stored.choice or "",
            choices=tuple(stored.choices or ()),
            dont_know=stored.dont_know,
            not_applicable=stored.not_applicable,
        )

    def store_on(self, stored: StoredFact) -> None:
        """Copy the value onto a model instance (the caller validates and saves it)."""
        stored.number = self.number
        stored.choice = self.choice
        stored.choices = list(self.choices)
        stored.dont_know = self.dont_know
        stored.not_applicable = self.not_applicable

    @property
    def left_out(self) -> bool:
        """ "I don't know" or "n.v.t.": an answer, but no value to score or compare."""
        return self.dont_know or self.not_applicable

    def numeric(self) -> Decimal | None:
        """The number, or None when not given, "I don't know" or "n.v.t."."""
        return None if self.left_out else self.number

    def chosen(self) -> str | None:
        """The one option chosen, or None when not given, "I don't know" or "n.v.t."."""
        return None if self.left_out or not self.choice else self.choice

    def chosen_many(self) -> list[str] | None:
        """The options chosen, [] for none, None for "I don't know" or "n.v.t."."""
        return None if self.left_out else list(self.choices)
