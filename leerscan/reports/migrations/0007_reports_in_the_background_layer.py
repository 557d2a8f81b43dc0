# The owner's report is an output of the background layer (leerscan/background): its stored PDFs
# and render rows go; a report is made again when it is next asked for.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_drop_stored_charts"),
    ]

    operations = [
        migrations.DeleteModel(name="RenderedArtefact"),
        migrations.DeleteModel(name="ReportRender"),
    ]
