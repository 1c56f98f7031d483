"""Wagtail's default workflow and its task are named "Moderators approval" (English, stored
in the database by Wagtail's migration 0048), and editors meet that name in every page's
status panel. Renamed in Swedish, the organisation's working language, unless someone has
already renamed them."""

from django.db import migrations

ENGLISH = "Moderators approval"
SWEDISH = "Godkännande av moderatorer"


def rename(apps, old, new):
    for model in ("Workflow", "Task"):
        apps.get_model("wagtailcore", model).objects.filter(name=old).update(name=new)


def to_swedish(apps, schema_editor):
    rename(apps, ENGLISH, SWEDISH)


def to_english(apps, schema_editor):
    rename(apps, SWEDISH, ENGLISH)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0009_preview_snapshot"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(to_swedish, to_english)]
