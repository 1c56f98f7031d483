"""``shown_in`` on PostgreSQL: the languages whose readers see the document's page at any
time (the locales of its ``ShownVersion`` rows without a time window), kept by
``search.indexing`` when a document is written and when those rows change
(``cms.signals.shown_versions_changed``).

A search filters its matches on this column of the rows it reads anyway, instead of a
semi-join of every match with ``ShownVersion`` (a fifth of a broad search's time at 100,000
pages). Rows with a time window are still probed in ``ShownVersion`` when searching.

Not a model field: it exists on PostgreSQL only (SQLite searches join ``ShownVersion``), and
nothing but SQL reads or writes it.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE search_searchdocument ADD COLUMN shown_in integer[] NOT NULL DEFAULT '{}'",
    # In the row, as 0005 keeps what a match reads: the rows are wider than the table's
    # toast_tuple_target, and an EXTENDED column would go to TOAST, one more fetch a match.
    "ALTER TABLE search_searchdocument ALTER COLUMN shown_in SET STORAGE MAIN",
    """
    UPDATE search_searchdocument AS d SET shown_in = COALESCE((
        SELECT array_agg(s.locale_id ORDER BY s.locale_id) FROM cms_shownversion AS s
        WHERE s.page_id = d.page_id AND s.shown_from IS NULL AND s.shown_until IS NULL
    ), '{}')
    """,
]
BACKWARD = ["ALTER TABLE search_searchdocument DROP COLUMN shown_in"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_facet_sets"),
        ("cms", "0004_shown_version"),
    ]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
