# The task workers' heartbeat moves from the reports app to the background layer, whose worker
# keeps it. Only Django's record of the model moves: the table stays reports_taskworker.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("background", "0002_scan_subject"),
        ("reports", "0008_living_benchmark"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TaskWorker",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("worker_id", models.CharField(max_length=64, unique=True, verbose_name="worker id")),
                        ("host", models.CharField(max_length=255, verbose_name="machine")),
                        ("pid", models.PositiveIntegerField(blank=True, null=True, verbose_name="process id")),
                        (
                            "started_at",
                            models.DateTimeField(default=django.utils.timezone.now, verbose_name="started at"),
                        ),
                        (
                            "seen_at",
                            models.DateTimeField(default=django.utils.timezone.now, verbose_name="last seen at"),
                        ),
                    ],
                    options={
                        "verbose_name": "task worker",
                        "verbose_name_plural": "task workers",
                        "db_table": "reports_taskworker",
                        "ordering": ["host", "started_at"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
