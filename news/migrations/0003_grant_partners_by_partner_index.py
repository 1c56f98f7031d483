"""An index on the grant-partner links by partner, then grant.

Filtering grants by a partner's country (``grants(country: ...)``) reads the links of that
country's partners; Django's own indexes on the link table either lead with the grant or
need the table rows, so PostgreSQL read all links (about 14 ms at 140,000 links) instead of
the few it needs from the index alone.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0002_article_topic_by_topic_idx"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS news_grant_partners_by_partner_idx "
            "ON news_grant_partners (partnerorganisation_id, grant_id)",
            "DROP INDEX IF EXISTS news_grant_partners_by_partner_idx",
        ),
    ]
