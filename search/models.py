"""The bilingual search index: one row per page, analysed in the page's own language."""

import hashlib

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
    #: The document's (type, year, topics) as one small integer: PostgreSQL counts the
    #: facets by grouping the matches on it (``search.query``).
    facet_set = models.ForeignKey(
        "SearchFacetSet",
        on_delete=models.PROTECT,
        editable=False,
        related_name="+",
        db_index=False,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return self.title


class SearchFacetSet(models.Model):
    """One combination of facet values (page type, year, topics) that documents share.

    A common word matches tens of thousands of documents, and the facets count them all
    exactly. Grouping those matches by their type, year and topic keys (text, about 100
    bytes a row) cost a broad search at 100,000 pages a fifth of its time; grouped by this
    row's id (four bytes), the few hundred groups are then joined to their values here.
    Rows are shared, created as documents need them (``search.indexing``), never changed
    and never deleted (one per combination in use: hundreds, not thousands, so removing
    unused ones would only race with indexing); ``key`` is the MD5 of the three values.
    """

    id = models.AutoField(primary_key=True)  # four bytes in every match row, not eight
    key = models.CharField(max_length=32, unique=True)
    page_type = models.CharField(max_length=100)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    topic_keys = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("search facet set")
        verbose_name_plural = _("search facet sets")

    def __str__(self):
        return f"{self.page_type} {self.year or ''} {self.topic_keys}".strip()

    @staticmethod
    def key_of(page_type, year, topic_keys):
        """The MD5 of ``page_type\\nyear\\ntopic_keys`` (PostgreSQL's ``md5()`` of the same
        text gives the same digest: the migration fills existing documents in SQL)."""
        text = f"{page_type}\n{'' if year is None else year}\n{topic_keys}"
        return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


class SearchDocumentTopic(models.Model):
    """A topic of a document, by the topic's translation key (the same in every language)."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="topics")
    topic_key = models.UUIDField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "topic_key"], name="unique_document_topic")
        ]
