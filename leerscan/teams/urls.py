"""URLs of the teams app. Each part has its own block, added by whoever builds that part."""

from __future__ import annotations

app_name = "teams"

urlpatterns: list = []
