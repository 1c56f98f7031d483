"""PostgreSQL-only indexes: GIN over the tsvector, trigram-free prefix index for suggest."""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS search_document_vector_gin "
    "ON search_searchdocument USING gin (vector)",
    "CREATE INDEX IF NOT EXISTS search_document_title_prefix "
    "ON search_searchdocument (lower(title) text_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "DROP INDEX IF EXISTS search_document_title_prefix",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
