"""Create both content languages and a home page for each, replacing Wagtail's welcome page.

A fresh install then serves /sv/ and /en/ straight after ``migrate``. The English home page
is a translation of the Swedish one (same ``translation_key``), exactly as wagtail-localize
would have made it.
"""

import uuid

from django.db import migrations

HOME_PAGES = [
    # (language, path, slug, title)
    ("sv", "00010001", "hem", "Startsida"),
    ("en", "00010002", "home", "Home"),
]


def create_locales_and_home_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("cms.HomePage")

    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("sv", "en")}

    root = Page.objects.filter(depth=1).first()
    if root is None or HomePage.objects.exists():
        return
    page_type = ContentType.objects.get_for_model(Page)
    welcome = Page.objects.filter(depth=2, content_type=page_type, numchild=0)
    Site.objects.filter(root_page__in=welcome).delete()
    welcome.delete()
    if Page.objects.filter(depth=2).exists():
        return  # An existing site: leave its tree alone.

    home_type, _ = ContentType.objects.get_or_create(app_label="cms", model="homepage")
    translation_key = uuid.uuid4()
    homes = {}
    for code, path, slug, title in HOME_PAGES:
        homes[code] = HomePage.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=home_type,
            path=path,
            depth=2,
            numchild=0,
            url_path=f"/{slug}/",
            locale=locales[code],
            translation_key=translation_key,
            live=True,
            has_unpublished_changes=False,
        )
    root.numchild = len(HOME_PAGES)
    root.save(update_fields=["numchild"])
    Site.objects.create(
        hostname="localhost", port=80, root_page_id=homes["sv"].pk, is_default_site=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(create_locales_and_home_pages, migrations.RunPython.noop),
    ]
