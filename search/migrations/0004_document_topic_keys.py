"""Documents carry their topics' translation keys, so facets come from the matched rows."""

from itertools import groupby

from django.db import migrations, models


def fill_topic_keys(apps, schema_editor):
    SearchDocument = apps.get_model("search", "SearchDocument")
    SearchDocumentTopic = apps.get_model("search", "SearchDocumentTopic")
    rows = SearchDocumentTopic.objects.order_by("document_id", "topic_key").values_list(
        "document_id", "topic_key"
    )
    batch = []
    for document_id, links in groupby(rows.iterator(5000), key=lambda row: row[0]):
        keys = " ".join(sorted(str(key) for _, key in links))
        batch.append(SearchDocument(page_id=document_id, topic_keys=keys))
        if len(batch) >= 2000:
            SearchDocument.objects.bulk_update(batch, ["topic_keys"])
            batch = []
    SearchDocument.objects.bulk_update(batch, ["topic_keys"])


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_head_vector"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="topic_keys",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_topic_keys, migrations.RunPython.noop),
    ]
