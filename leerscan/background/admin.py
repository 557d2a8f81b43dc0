from django.contrib import admin

from leerscan.background.models import Output


@admin.register(Output)
class OutputAdmin(admin.ModelAdmin):
    """What the background layer made or is making: read-only (a failed one shows here)."""

    list_display = ("kind", "subject", "key", "language", "state", "progress", "updated_at")
    list_filter = ("kind", "state", "language")
    exclude = ("content", "params")

    def get_queryset(self, request):
        # A list of reports must not read every report's bytes.
        return super().get_queryset(request).defer("content")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
