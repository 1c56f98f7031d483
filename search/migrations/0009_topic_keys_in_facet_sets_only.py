"""A document's topic keys live in its facet set only (``SearchFacetSet.topic_keys``): since
0006 the facets are counted from the sets on every database, and the copy on each document
was derivable state that nothing read."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0008_topic_keys_out_of_row'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='searchdocument',
            name='topic_keys',
        ),
    ]
