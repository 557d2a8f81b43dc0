"""The one model of the background layer (leerscan/background/services.py): an output that takes
seconds to make (a PDF, an export, a cohort's figures), its state while it is made, and its file.

A row belongs to what it is made of (a scan, a leertafel, a client, an organisation) and is
deleted with it: nothing made of someone's answers outlives them in a cache. One row per kind,
subject, key (a version, or an export's id) and language; the row is also the claim that keeps two
processes from making the same output at once.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SUBJECTS = ("scan", "leertafel", "client", "organisation")


def _exactly_one_subject() -> Q:
    condition = Q()
    for subject in SUBJECTS:
        condition |= Q(**{f"{other}__isnull": other != subject for other in SUBJECTS})
    return condition


class Output(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being made")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=40)
    # "leertafel:12", "client:3", "organisation:5": with key and language, what the row is.
    subject = models.CharField(_("subject"), max_length=60)
    key = models.CharField(_("key"), max_length=64)
    language = models.CharField(_("language"), max_length=8)
    # What it is made of; exactly one is set, and the row goes with it.
    scan = models.ForeignKey(
        "scans.Scan", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    leertafel = models.ForeignKey(
        "advisers.Leertafel", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    client = models.ForeignKey(
        "coaching.Client", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "advisers.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Plain values the make function needs besides its subject (an export's filters).
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices)
    progress = models.PositiveSmallIntegerField(default=0)  # percent, a step-wise estimate
    # What the finished output holds (scans, reports) and what could not be put in it.
    count = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Moved on at every step: a row that stops moving was abandoned (the stale rule).
    updated_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("background output")
        verbose_name_plural = _("background outputs")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "key", "language"], name="output_once"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed"]),
                name="output_state_known",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="output_progress_percent"),
            models.CheckConstraint(condition=_exactly_one_subject(), name="output_one_subject"),
        ]
        indexes = [models.Index(fields=["kind", "subject", "language"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} {self.key} {self.language}: {self.state}"


class TaskWorker(models.Model):
    """A task worker process (`manage.py db_worker`) that `manage.py report_worker` runs, with
    its heartbeat: written before the process starts, `seen_at` renewed while it lives, deleted
    when it stops. A task whose worker has no fresh row is left by a dead worker and is queued
    again (leerscan/background/worker.py)."""

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    host = models.CharField(_("machine"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    seen_at = models.DateTimeField(_("last seen at"), default=timezone.now)

    class Meta:
        # Kept under the app it was first made in: moving the model changed no table.
        db_table = "reports_taskworker"
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")
        ordering = ["host", "started_at"]

    def __str__(self) -> str:
        return self.worker_id
