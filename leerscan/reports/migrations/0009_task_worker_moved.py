# The task workers' heartbeat moved to the background layer (background 0003): only Django's
# record of the model leaves this app; the table reports_taskworker stays, now the layer's.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_living_benchmark"),
        ("background", "0003_task_worker"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="TaskWorker")],
            database_operations=[],
        ),
    ]
