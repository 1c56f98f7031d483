"""The tree's root page is titled "Root" (English, stored by Wagtail's initial migration),
and the admin shows that title where it shows the root: the first step of the page
chooser's and the explorer's breadcrumbs, and the explorer's top level. Wagtail reads it
from the page itself (``get_admin_display_title``), not through a translatable string, so
no catalogue can translate it; the root is no content (readers and the API never see it),
so it is renamed in Swedish, the organisation's working language, after the sidebar's
"Sidor", which opens the same level. As with the default workflow (0010), a root someone
has already renamed is left alone."""

from django.db import migrations

ENGLISH = "Root"
SWEDISH = "Sidor"


def rename(apps, old, new):
    apps.get_model("wagtailcore", "Page").objects.filter(depth=1, title=old).update(
        title=new, draft_title=new
    )


def to_swedish(apps, schema_editor):
    rename(apps, ENGLISH, SWEDISH)


def to_english(apps, schema_editor):
    rename(apps, SWEDISH, ENGLISH)


class Migration(migrations.Migration):
    dependencies = [("cms", "0010_swedish_default_workflow")]  # after Wagtail's tree

    operations = [migrations.RunPython(to_swedish, to_english)]
