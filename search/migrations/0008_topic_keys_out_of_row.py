"""The documents' topic keys leave the rows a match reads (``STORAGE EXTENDED`` again, as
before 0005): PostgreSQL counts the topic facet from ``SearchFacetSet`` since 0006, so no
search reads them from a document, and the 90 bytes they took of every row (a tenth) were
read by every broad match. Rows move as they are written again
(``manage.py rebuild_search_index``)."""

from django.db import migrations


def storage(kind):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE search_searchdocument ALTER COLUMN topic_keys SET STORAGE {kind}"
            )

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0007_document_shown_in"),
    ]

    operations = [migrations.RunPython(storage("EXTENDED"), storage("MAIN"))]
