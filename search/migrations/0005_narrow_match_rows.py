"""Keep the rows a search scans narrow: the stored text (lead, body) and the full vector
move out of the table's rows into its TOAST table, while what every match reads stays in
the row: the ranking vector ``head``, the title (``suggest``), type, year, topic keys.

A common word matches half the corpus; counting, ranking and faceting those matches reads
their rows. With the text in the rows (3.7 kB each in the benchmark's corpus) a broad
search at 100,000 pages read 18,500 of the table's 35,000 pages; with
``toast_tuple_target = 256`` and the columns a match reads marked ``MAIN`` (kept in the
row), the table has 8,700 pages (68 MB instead of 277 MB) and the same search reads those. The GIN index still matches on ``vector`` without reading it from the row; lead and
body are read only for the page of hits' highlights.

PostgreSQL only (SQLite has no such storage). Rows are moved as they are written again:
``manage.py rebuild_search_index`` (or ``VACUUM FULL search_searchdocument``) applies it to
an existing index at once.
"""

from django.db import migrations

KEPT_IN_ROW = ("head", "title", "page_type", "config", "topic_keys")

FORWARD = [
    "ALTER TABLE search_searchdocument SET (toast_tuple_target = 256)",
    *(
        f"ALTER TABLE search_searchdocument ALTER COLUMN {column} SET STORAGE MAIN"
        for column in KEPT_IN_ROW
    ),
]
BACKWARD = [
    "ALTER TABLE search_searchdocument RESET (toast_tuple_target)",
    *(
        f"ALTER TABLE search_searchdocument ALTER COLUMN {column} SET STORAGE EXTENDED"
        for column in KEPT_IN_ROW
    ),
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_document_topic_keys"),
    ]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
