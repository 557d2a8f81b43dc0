"""Admin for the item bank: texts are editable, what ties an item to the monitor is not."""

from __future__ import annotations

from django.contrib import admin

from leerscan.scans.models import Item, ItemBank


class ItemInline(admin.TabularInline):
    model = Item
    fields = ["position", "key", "block", "role", "provenance", "text_nl"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ItemBank)
class ItemBankAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "loaded_at"]
    readonly_fields = ["version", "loaded_at"]
    inlines = [ItemInline]

    def has_add_permission(self, request) -> bool:
        return False  # a new version comes from the data file (item_bank_load)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["key", "bank", "group", "block", "role", "provenance", "text_nl"]
    list_filter = ["bank", "group", "role", "provenance", "block"]
    search_fields = ["key", "text_nl", "text_en"]
    list_select_related = ["bank"]
    # Texts and source may be corrected; key, block, role and indicator decide what is compared
    # with the monitor, so they only change through a new item bank version.
    fields = [
        "bank",
        "key",
        "position",
        "group",
        "block",
        "role",
        "provenance",
        "indicator",
        "scale",
        "text_nl",
        "text_en",
        "example_nl",
        "example_en",
        "source",
        "monitor_head",
        "allows_not_applicable",
    ]
    # The column head and "n.v.t." belong with the provenance and the answers: a new version.
    readonly_fields = [
        "bank",
        "key",
        "group",
        "block",
        "role",
        "provenance",
        "indicator",
        "scale",
        "monitor_head",
        "allows_not_applicable",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
