"""Keeping the search index current: what text a page contributes, and writing it.

Each page is indexed with the text-search configuration of its own language
(``CMS_SEARCH["CONFIGS"]``), so Swedish pages are stemmed as Swedish and English pages as
English. Called on publish (signals in ``search.signals``) and by ``rebuild_search_index``.
"""

import re
from html import unescape

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from wagtail.models import Page

from cms import page_types
from cms.versions import lock_groups

from .models import SearchDocument, SearchDocumentTopic, SearchFacetSet

TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")


def configs():
    """Language code -> PostgreSQL text search configuration (the setting, written once)."""
    return settings.CMS_SEARCH["CONFIGS"]


def is_indexed(page):
    """Whether readers search pages of this type (``cms.page_types``: ``searchable``)."""
    entry = page_types.entry_for(page)
    return entry is not None and entry.searchable


def plain(html):
    return SPACE.sub(" ", unescape(TAG.sub(" ", html or ""))).strip()


def block_text(raw_blocks):
    """The readable text of a StreamField body (stored JSON), in reading order."""
    parts = []
    for block in raw_blocks:
        value = block.get("value")
        kind = block.get("type")
        if kind == "paragraph":
            parts.append(plain(value))
        elif isinstance(value, dict):
            for key in ("text", "quote", "attribution", "title", "caption", "alt_text", "heading"):
                if isinstance(value.get(key), str):
                    parts.append(plain(value[key]) if key == "text" else value[key])
            if isinstance(value.get("body"), str):
                parts.append(plain(value["body"]))
            for item in value.get("to_report") or []:
                parts.append(item.get("value", "") if isinstance(item, dict) else str(item))
    return " ".join(part for part in parts if part)


def document_for(page, codes):
    """(SearchDocument, topic keys) for one specific page instance."""
    code = codes[page.locale_id]
    body = [block_text(page.body.raw_data) if hasattr(page, "body") else ""]
    if getattr(page, "hero_caption", ""):
        body.insert(0, page.hero_caption)
    entry = page_types.entry_for(page)
    if entry.search_text is not None:
        body.append(entry.search_text(page, code))
    date = getattr(page, "date", None)
    document = SearchDocument(
        page_id=page.pk,
        locale_id=page.locale_id,
        translation_key=page.translation_key,
        page_type=type(page).__name__,
        config=configs().get(code, "simple"),
        title=page.title,
        lead=getattr(page, "intro", "") or "",
        body=" ".join(part for part in body if part),
        year=date.year if date else None,
    )
    topic_keys = set()
    if hasattr(page, "article_topics"):
        topic_keys = {link.topic.translation_key for link in page.article_topics.all()}
    document.topic_keys = " ".join(sorted(str(key) for key in topic_keys))
    return document, topic_keys


def prefetch(queryset):
    """The relations the page type's index text reads, loaded for all pages at once."""
    entry = page_types.entry_for(queryset.model)
    if entry is not None and entry.search_prefetch:
        queryset = queryset.prefetch_related(*entry.search_prefetch)
    return queryset


def indexed_querysets():
    """One queryset per searchable page type, each holding the live pages whose own type
    that is (a grant announcement is indexed as one, with its grants, not as an article)."""
    by_entry = {}
    for model in apps.get_models():
        entry = page_types.entry_for(model) if issubclass(model, Page) else None
        if entry is not None and entry.searchable:
            by_entry.setdefault(entry.model, []).append(model)
    return [
        prefetch(
            entry.model.objects.live()
            .filter(
                content_type__in=ContentType.objects.get_for_models(*by_entry[entry.model]).values()
            )
            .order_by("pk")
        )
        for entry in page_types.searchable()
        if entry.model in by_entry
    ]


@transaction.atomic
def index_pages(pages):
    """Write the documents of these specific, live pages (replacing older ones)."""
    from wagtail.models import Locale

    pages = [page for page in pages if is_indexed(page) and page.live]
    if not pages:
        return 0
    # The documents' ``shown_in`` is read from their groups' ``ShownVersion`` rows: no
    # refresh of those rows may commit between that read and this transaction's end.
    lock_groups({page.translation_key for page in pages})
    codes = dict(Locale.objects.values_list("pk", "language_code"))
    built = [document_for(page, codes) for page in pages]
    ids = [document.page_id for document, _ in built]
    attach_facet_sets([document for document, _ in built])
    SearchDocument.objects.filter(page_id__in=ids).delete()
    if connection.vendor == "postgresql":
        insert_postgres([document for document, _ in built])
    else:
        SearchDocument.objects.bulk_create([document for document, _ in built])
    SearchDocumentTopic.objects.bulk_create(
        [
            SearchDocumentTopic(document_id=document.page_id, topic_key=key)
            for document, keys in built
            for key in keys
        ]
    )
    return len(ids)


def attach_facet_sets(documents):
    """Point each document at the ``SearchFacetSet`` of its type, year and topics, creating
    the sets not seen before (one query when they all exist, three otherwise; a set made
    meanwhile by another process is taken as it is)."""
    by_key = {}
    for document in documents:
        key = SearchFacetSet.key_of(document.page_type, document.year, document.topic_keys)
        by_key.setdefault(key, []).append(document)
    ids = dict(SearchFacetSet.objects.filter(key__in=by_key).values_list("key", "pk"))
    missing = [key for key in by_key if key not in ids]
    if missing:
        SearchFacetSet.objects.bulk_create(
            [
                SearchFacetSet(
                    key=key,
                    page_type=by_key[key][0].page_type,
                    year=by_key[key][0].year,
                    topic_keys=by_key[key][0].topic_keys,
                )
                for key in missing
            ],
            ignore_conflicts=True,
        )
        ids.update(SearchFacetSet.objects.filter(key__in=missing).values_list("key", "pk"))
    for key, members in by_key.items():
        for document in members:
            document.facet_set_id = ids[key]


def shown_in_sql(page_id):
    """The languages whose readers see the page ``page_id`` (an SQL expression) at any
    time: the locales of its ``ShownVersion`` rows without a time window (rows with one are
    probed when searching)."""
    return f"""COALESCE((
        SELECT array_agg(s.locale_id ORDER BY s.locale_id) FROM cms_shownversion AS s
        WHERE s.page_id = {page_id} AND s.shown_from IS NULL AND s.shown_until IS NULL
    ), '{{}}')"""  # noqa: S608 - an SQL expression given by this module


#: (column, array type) of what ``insert_postgres`` sends; the rest is computed in SQL.
SENT = (
    ("page_id", "integer"),
    ("locale_id", "integer"),
    ("translation_key", "uuid"),
    ("page_type", "text"),
    ("config", "text"),
    ("title", "text"),
    ("lead", "text"),
    ("body", "text"),
    ("year", "smallint"),
    ("topic_keys", "text"),
    ("facet_set_id", "integer"),
)
HEAD_SQL = (
    "setweight(to_tsvector(d.config::regconfig, d.title), 'A')"
    " || setweight(to_tsvector(d.config::regconfig, d.lead), 'B')"
)
INSERT_SQL = f"""
INSERT INTO search_searchdocument ({", ".join(c for c, _ in SENT)}, updated_at, head, vector,
    shown_in)
SELECT d.*, now(), {HEAD_SQL},
    {HEAD_SQL} || setweight(to_tsvector(d.config::regconfig, d.body), 'C'),
    {shown_in_sql("d.page_id")}
FROM unnest({", ".join(f"%s::{t}[]" for _, t in SENT)}) AS d({", ".join(c for c, _ in SENT)})
"""  # noqa: S608 - constant SQL, values as parameters


def insert_postgres(documents):
    """Write the documents in one statement, each row complete: the weighted tsvectors
    built with its page's configuration (title A, lead B, body C; ``head`` without the
    body, for ranking) and its copy of where its page is shown (``shown_in``). One row
    version per document: rows written and then updated left the table twice its size
    after a rebuild, and a broad search reads the rows' pages."""
    with connection.cursor() as cursor:
        cursor.execute(
            INSERT_SQL,
            [[getattr(document, column) for document in documents] for column, _ in SENT],
        )


def update_shown_in(keys):
    """Copy the ``ShownVersion`` rows of these translation groups (None: all) into their
    documents' ``shown_in`` (PostgreSQL). Called in the transaction that rewrote the rows,
    under their groups' locks (``cms.signals.shown_versions_changed``)."""
    if connection.vendor != "postgresql":
        return
    shown_in = shown_in_sql("search_searchdocument.page_id")
    sql = (
        f"UPDATE search_searchdocument SET shown_in = {shown_in} "  # noqa: S608
        f"WHERE shown_in IS DISTINCT FROM {shown_in}"
    )
    params = []
    if keys is not None:
        sql += " AND translation_key = ANY(%s::uuid[])"
        params = [[str(key) for key in keys]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def index_page(page):
    """Index one page (any page instance) if it is of a searched type and live."""
    page = page.specific
    if not is_indexed(page):
        return 0
    model = type(page)
    fresh = prefetch(model.objects.filter(pk=page.pk)).first()
    if fresh is None or not fresh.live:
        remove_pages([page.pk])
        return 0
    return index_pages([fresh])


def remove_pages(page_ids):
    SearchDocument.objects.filter(page_id__in=list(page_ids)).delete()


def rebuild(progress=None, chunk_size=500):
    """Rebuild the whole index; ``progress(done, total)`` is called after each chunk."""
    querysets = indexed_querysets()
    total = sum(queryset.count() for queryset in querysets)
    SearchDocument.objects.all().delete()
    done = 0
    if progress:
        progress(done, total)
    for queryset in querysets:
        ids = list(queryset.values_list("pk", flat=True))
        for start in range(0, len(ids), chunk_size):
            chunk = list(queryset.filter(pk__in=ids[start : start + chunk_size]))
            done += index_pages(chunk)
            if progress:
                progress(done, total)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # statistics for the rebuilt tables
            cursor.execute("ANALYZE search_searchdocument, search_searchdocumenttopic")
    return done
