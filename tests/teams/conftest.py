"""The team scan's tests use the coaching personas: Anna's firm as Bram's client; Baukje's bakery
and Martin's metal firm as employers with teams of their own."""

from tests.coaching.conftest import (  # noqa: F401 (fixtures shared with the coaching tests)
    anna_company,
    anna_intake,
    bram,
    bram_client,
)
from tests.personas_more import (  # noqa: F401 (fixtures shared with the other tests)
    bakery_scan,
    metal_scan,
)
