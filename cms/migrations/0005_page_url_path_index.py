"""An index on ``wagtailcore_page.url_path``, which Wagtail does not index.

The API finds a page by its frontend path (``page(path: ...)``), which resolves to the
page's ``url_path``; without an index that lookup reads every page of the language
(about 40 ms at 100,000 pages, growing with the site).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_shown_version"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS cms_page_url_path_idx ON wagtailcore_page (url_path)",
            "DROP INDEX IF EXISTS cms_page_url_path_idx",
        ),
    ]
