"""The bilingual search index: one row per page, analysed in the page's own language."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """A page's searchable text and facets, rebuilt whenever the page is published.

    Visibility is not stored here: every search keeps the documents of the pages that
    ``cms.models.ShownVersion`` (kept from the API's visibility rules) shows in the reader's
    language, and checks the hits it returns against those rules once more, so unpublishing,
    expiry or a new view restriction take effect at once.
    ``vector`` (PostgreSQL only) holds the weighted tsvector: title (A) above lead (B) above
    body (C), built with the text-search configuration of the page's language
    (``config``: 'swedish', 'english'). On SQLite it stays empty and search falls back to
    plain substring matching.
    """

    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.CASCADE, related_name="+")
    translation_key = models.UUIDField(db_index=True)
    page_type = models.CharField(max_length=100, db_index=True)
    config = models.CharField(max_length=32)
    title = models.TextField()
    lead = models.TextField(blank=True)
    body = models.TextField(blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    vector = SearchVectorField(null=True, editable=False)
    #: Title (A) and lead (B) only: ranking reads this small vector, so ranking thousands
    #: of matches stays cheap; a body-only match ranks below any title or lead match.
    head = SearchVectorField(null=True, editable=False)
    #: The translation keys of the page's topics, space-separated: the topic facet is
    #: counted from the matched rows themselves (``SearchDocumentTopic`` serves filtering).
    topic_keys = models.TextField(blank=True, default="", editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return self.title


class SearchDocumentTopic(models.Model):
    """A topic of a document, by the topic's translation key (the same in every language)."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="topics")
    topic_key = models.UUIDField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "topic_key"], name="unique_document_topic")
        ]
