"""Read-only admin pages to browse the benchmark sets and their values."""

from __future__ import annotations

from django.contrib import admin

from benchmarks.models import BenchmarkSet, BenchmarkValue


class ReadOnlyAdmin(admin.ModelAdmin):
    """Benchmarks come from the monitor's files (benchmark_set_load); the admin only shows them."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BenchmarkSet)
class BenchmarkSetAdmin(ReadOnlyAdmin):
    list_display = ["slug", "name", "year", "loaded_at"]


@admin.register(BenchmarkValue)
class BenchmarkValueAdmin(ReadOnlyAdmin):
    list_display = ["table", "indicator", "group_kind", "group", "n", "value", "unit"]
    list_filter = ["benchmark_set", "table", "group_kind", "unit"]
    search_fields = ["indicator", "group", "source"]
    list_select_related = ["benchmark_set"]
    list_per_page = 100
