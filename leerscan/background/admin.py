from django.contrib import admin

from leerscan.background.models import Output, TaskWorker


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


@admin.register(TaskWorker)
class TaskWorkerAdmin(admin.ModelAdmin):
    """The task workers alive now, with their heartbeat (leerscan/background/worker.py); a task
    given up because its worker died is in the task list (Task results) as failed."""

    list_display = ["worker_id", "host", "pid", "started_at", "seen_at"]
    readonly_fields = list_display

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
