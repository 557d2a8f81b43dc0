"""URLs of the coaching app. Each part has its own block, added by whoever builds that part."""

from __future__ import annotations

app_name = "coaching"

urlpatterns: list = []
