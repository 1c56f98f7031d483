"""Documents point at their (type, year, topics) combination, a ``SearchFacetSet`` row:
PostgreSQL groups a search's matches by that small integer to count the facets
(``search.query``). Existing documents are given theirs here: in SQL on PostgreSQL (a
100,000-page index in seconds), row by row elsewhere (SQLite sites are small)."""

import hashlib

import django.db.models.deletion
from django.db import migrations, models


def key_sql(alias):
    """``SearchFacetSet.key_of`` in SQL, over the columns of the document ``alias``."""
    return (
        f"md5({alias}.page_type || E'\\n' || COALESCE({alias}.year::text, '') || E'\\n' "
        f"|| {alias}.topic_keys)"
    )


def fill(apps, schema_editor):
    SearchDocument = apps.get_model("search", "SearchDocument")
    SearchFacetSet = apps.get_model("search", "SearchFacetSet")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "INSERT INTO search_searchfacetset (key, page_type, year, topic_keys) "
            f"SELECT DISTINCT {key_sql('d')}, page_type, year, topic_keys "
            "FROM search_searchdocument AS d"
        )
        schema_editor.execute(
            "UPDATE search_searchdocument AS d SET facet_set_id = f.id "
            f"FROM search_searchfacetset AS f WHERE f.key = {key_sql('d')}"
        )
        # The foreign key's checks now, not at commit: the column becomes NOT NULL next,
        # and PostgreSQL alters no table with checks pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        return
    combos = SearchDocument.objects.values_list("page_type", "year", "topic_keys").distinct()
    for page_type, year, topic_keys in combos:
        text = f"{page_type}\n{'' if year is None else year}\n{topic_keys}"
        facet_set = SearchFacetSet.objects.create(
            key=hashlib.md5(text.encode(), usedforsecurity=False).hexdigest(),
            page_type=page_type,
            year=year,
            topic_keys=topic_keys,
        )
        SearchDocument.objects.filter(page_type=page_type, year=year, topic_keys=topic_keys).update(
            facet_set=facet_set
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_narrow_match_rows"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchFacetSet",
            fields=[
                ("id", models.AutoField(primary_key=True, serialize=False)),
                ("key", models.CharField(max_length=32, unique=True)),
                ("page_type", models.CharField(max_length=100)),
                ("year", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("topic_keys", models.TextField(blank=True, default="")),
            ],
            options={
                "verbose_name": "search facet set",
                "verbose_name_plural": "search facet sets",
            },
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="facet_set",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="search.searchfacetset",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="searchdocument",
            name="facet_set",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="search.searchfacetset",
            ),
        ),
    ]
