"""Load the shipped professionaliseringsthema's (register/defaults/themes.json); the operator edits them later."""

import json
from pathlib import Path

from django.db import migrations

THEMES_FILE = Path(__file__).resolve().parent.parent / "defaults" / "themes.json"


def load(apps, schema_editor):
    Theme = apps.get_model("register", "Theme")
    data = json.loads(THEMES_FILE.read_text(encoding="utf-8"))
    for row in data["themes"]:
        Theme.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "first_year": row["first_year"],
                "last_year": row.get("last_year"),
                "source": "Schoolleidersregister PO",
            },
        )


def unload(apps, schema_editor):
    Theme = apps.get_model("register", "Theme")
    codes = [row["code"] for row in json.loads(THEMES_FILE.read_text(encoding="utf-8"))["themes"]]
    Theme.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
