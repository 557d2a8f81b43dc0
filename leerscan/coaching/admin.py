"""The coaching models in the admin: names, organisations and states; notes and answers stay out
of the lists (a note is opened one at a time, when support really needs it)."""

from __future__ import annotations

from django.contrib import admin

from leerscan.coaching.models import ActionItem, Client, CoachNote, Measurement, ShareCode


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0
    fields = ["round", "scan", "shared_by_owner", "created_at"]
    readonly_fields = ["scan", "created_at"]


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "sbi_section", "employees", "province", "created_at"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    inlines = [MeasurementInline]


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ["client", "round", "shared_by_owner", "created_at"]
    list_filter = ["shared_by_owner"]
    readonly_fields = ["invite_token", "scan"]


@admin.register(ShareCode)
class ShareCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "adviser"]
    search_fields = ["code", "adviser__user__email"]


@admin.register(CoachNote)
class CoachNoteAdmin(admin.ModelAdmin):
    list_display = ["client", "author", "created_at"]
    list_filter = ["client__organisation"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["what", "client", "status", "due"]
    list_filter = ["status"]
