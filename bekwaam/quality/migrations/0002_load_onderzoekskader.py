"""Load the shipped onderzoekskader (quality/defaults/onderzoekskader.json); the operator edits it later.

The loader takes the model classes, so it runs here on the historical models; bekwaam.quality.defaults
imports no models. Reversing leaves the rows: they may be referred to by then, and the reverse of
0001 drops the tables anyway.
"""

from django.db import migrations


def load(apps, schema_editor):
    from bekwaam.quality.defaults import onderzoekskader_load

    onderzoekskader_load(
        framework_model=apps.get_model("quality", "InspectionFramework"),
        area_model=apps.get_model("quality", "QualityArea"),
        standard_model=apps.get_model("quality", "Standard"),
    )


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
