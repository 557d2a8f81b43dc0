"""The team scan's tests use the coaching personas: Anna's firm as Bram's client."""

from tests.coaching.conftest import (  # noqa: F401 (fixtures shared with the coaching tests)
    anna_company,
    anna_intake,
    bram,
    bram_client,
)
