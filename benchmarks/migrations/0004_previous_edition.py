# What an edition says of the edition before it, as data (sets.json "previous"); its figures move
# from indicators named "..._2021" in table "text" to table "previous" at the next
# benchmark_set_load, which updates the set in place.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("benchmarks", "0003_employment_group_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="benchmarkset",
            name="previous",
            field=models.JSONField(blank=True, default=dict, verbose_name="the previous edition"),
        ),
    ]
