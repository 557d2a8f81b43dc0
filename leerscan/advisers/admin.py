from __future__ import annotations

from django.contrib import admin

from leerscan.advisers.models import Adviser, Leertafel, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "created_at"]
    search_fields = ["name"]


@admin.register(Adviser)
class AdviserAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "is_organisation_admin"]
    list_filter = ["organisation"]
    search_fields = ["user__email"]


@admin.register(Leertafel)
class LeertafelAdmin(admin.ModelAdmin):
    # Organisation, date and size only: what participants answered stays out of the admin.
    list_display = ["name", "organisation", "date", "approach", "code", "is_open"]
    list_filter = ["organisation", "approach"]
    readonly_fields = ["code"]
