"""Admin for the instrument library: an adviser can correct texts and what an instrument answers,
and the regional support (its texts, source and "last checked" date); the task workers alive."""

from __future__ import annotations

from django.contrib import admin

from leerscan.reports.models import Instrument, InstrumentLibrary, RegionalSupport
from leerscan.reports.services import reports_forget_rendered


@admin.register(InstrumentLibrary)
class InstrumentLibraryAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "loaded_at"]
    readonly_fields = ["version", "loaded_at"]

    def has_add_permission(self, request) -> bool:
        return False  # a new version comes from the data file (instrument_library_load)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "key", "effort", "library", "position"]
    list_filter = ["library", "effort", "external_support"]
    search_fields = ["key", "name_nl", "name_en", "description_nl"]
    list_select_related = ["library"]
    # The key ties the instrument to the advice engine's rules and to cached reports.
    readonly_fields = ["library", "key"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # Any stored report may quote this instrument; the next download renders afresh.
        reports_forget_rendered()


@admin.register(RegionalSupport)
class RegionalSupportAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "kind", "last_checked", "library", "position"]
    list_filter = ["library", "kind"]
    search_fields = ["key", "name_nl", "name_en", "description_nl"]
    list_select_related = ["library"]
    readonly_fields = ["library", "key"]

    def has_add_permission(self, request) -> bool:
        return False  # new entries come from the data file (instrument_library_load)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # A stored report may name this entry; the next download renders afresh.
        reports_forget_rendered()
