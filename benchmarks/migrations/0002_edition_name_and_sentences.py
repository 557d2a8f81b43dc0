# The edition's human name and the monitor's sentences live on the set (from sets.json);
# loaded_at follows benchmarks.versioned.VersionedData: when the version was first loaded.

from django.db import migrations, models
from django.db.models import F


def name_from_title(apps, schema_editor):
    # Until the next benchmark_set_load fills in the short name, show the title, never nothing.
    apps.get_model("benchmarks", "BenchmarkSet").objects.update(name=F("title"))


class Migration(migrations.Migration):
    dependencies = [
        ("benchmarks", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="benchmarkset",
            name="name",
            field=models.CharField(default="", max_length=200, verbose_name="name"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="benchmarkset",
            name="sentences",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="sentences of the monitor"
            ),
        ),
        migrations.AlterField(
            model_name="benchmarkset",
            name="loaded_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="loaded at"),
        ),
        migrations.RunPython(name_from_title, migrations.RunPython.noop),
    ]
