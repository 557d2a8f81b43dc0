"""The background layer's tests use the coaching personas: Bram's organisation and Anna's firm."""

from tests.coaching.conftest import (  # noqa: F401 (fixtures shared with the coaching tests)
    anna_company,
    anna_intake,
    bram,
    bram_client,
)
