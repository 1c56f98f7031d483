"""Running a search: matching, ranking, highlighting and facets.

PostgreSQL: each document is matched with the tsquery of its own language's configuration
(a Swedish page with ``to_tsquery('swedish', ...)``, an English one with 'english'), as an OR
of constant queries so the GIN index is used. Terms are ANDed and prefix-matched after
stemming, so 'kommun' finds 'kommunerna' and 'jämställdhet' finds 'jämställdhetsnätverk'.
Rank is ``ts_rank_cd`` over title (A) > lead (B) > body (C), with the requested language's
pages ahead of fallbacks at equal relevance. Highlights come from ``ts_headline`` over
HTML-escaped text with ``<mark>``.

Elsewhere (SQLite): every term must occur (case-insensitively) in the title, lead or body;
the score counts where; highlights are cut in Python. Same results shape, no stemming.
"""

import re
from dataclasses import dataclass, field
from html import escape

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from wagtail.models import Page

from cms.api.lists import with_fallback

from .indexing import configs
from .models import SearchDocument, SearchDocumentTopic

WORD = re.compile(r"\w+", re.UNICODE)
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_TERMS = 12


def terms_of(query):
    """The words of a query: letters and digits only (å, ä, ö included)."""
    return [word for word in WORD.findall(CONTROL.sub(" ", query)) if word.strip("_")][:MAX_TERMS]


def tsquery_text(terms):
    """``'kommun':* & 'zambia':*``: ANDed, each term prefix-matched after stemming."""
    return " & ".join(f"'{term.lower()}':*" for term in terms)


@dataclass
class SearchHitValue:
    page_id: int
    score: float
    highlight: str = ""
    page: object = None


@dataclass
class SearchOutcome:
    total: int
    hits: list
    facets: dict = field(default_factory=dict)


def documents(context, locale_id, fallback, types, topic_keys, year):
    """Documents of visible pages, one version per translation group, filtered."""
    visible = context.visible(Page.objects.filter(search_document__isnull=False))
    pages = with_fallback(visible, locale_id, fallback, group=visible)
    docs = SearchDocument.objects.filter(page_id__in=pages.values("pk"))
    if types:
        docs = docs.filter(page_type__in=types)
    if topic_keys is not None:
        docs = docs.filter(
            page_id__in=SearchDocumentTopic.objects.filter(topic_key__in=topic_keys).values(
                "document_id"
            )
        )
    if year is not None:
        docs = docs.filter(year=year)
    return docs


def match_postgres(docs, terms, locale_id):
    text = tsquery_text(terms)
    matches = Q()
    for config in sorted(set(configs().values())):
        query = SearchQuery(text, config=config, search_type="raw")
        matches |= Q(config=config, vector=query)
    rank = SearchRank(
        F("vector"),
        SearchQuery(text, config=F("config"), search_type="raw"),
        cover_density=True,
        normalization=1,
    )
    boost = Case(When(locale_id=locale_id, then=Value(1.0)), default=Value(0.8))
    return docs.filter(matches).annotate(score=rank * boost).order_by("-score", "page_id")


def match_fallback(docs, terms, locale_id):
    score = Value(0, output_field=IntegerField())
    for term in terms:
        docs = docs.filter(
            Q(title__icontains=term) | Q(lead__icontains=term) | Q(body__icontains=term)
        )
        score = (
            score
            + Case(When(title__icontains=term, then=Value(4)), default=Value(0))
            + Case(When(lead__icontains=term, then=Value(2)), default=Value(0))
            + Case(When(body__icontains=term, then=Value(1)), default=Value(0))
        )
    boost = Case(When(locale_id=locale_id, then=Value(1.0)), default=Value(0.8))
    return docs.annotate(score=score * boost).order_by("-score", "page_id")


def highlights_postgres(page_ids, terms):
    if not page_ids:
        return {}
    escaped = "replace(replace(replace({}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
    text = escaped.format("(search_searchdocument.lead || ' … ' || search_searchdocument.body)")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT page_id, ts_headline(config::regconfig, {text},
                to_tsquery(config::regconfig, %s),
                'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=12, MaxFragments=2,
                 FragmentDelimiter=" … "')
            FROM search_searchdocument WHERE page_id = ANY(%s)
            """,  # noqa: S608 (no client text is formatted into the SQL)
            [tsquery_text(terms), list(page_ids)],
        )
        return dict(cursor.fetchall())


def highlight_plain(text, terms, width=160):
    """An excerpt around the first match, HTML-escaped, with the terms in <mark>."""
    lowered = text.lower()
    positions = [lowered.find(term.lower()) for term in terms if lowered.find(term.lower()) >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    excerpt = text[start : start + width]
    result = escape(excerpt)
    for term in sorted(set(terms), key=len, reverse=True):
        result = re.sub(
            f"({re.escape(escape(term))})", r"<mark>\1</mark>", result, flags=re.IGNORECASE
        )
    prefix = "… " if start else ""
    suffix = " …" if start + width < len(text) else ""
    return f"{prefix}{result}{suffix}"


def facet_counts(docs, context, code):
    types = list(
        docs.order_by()
        .values("page_type")
        .annotate(count=Count("pk"))
        .order_by("-count", "page_type")
    )
    years = list(
        docs.exclude(year=None)
        .order_by()
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("-year")
    )
    topic_rows = list(
        SearchDocumentTopic.objects.filter(document_id__in=docs.values("pk"))
        .values("topic_key")
        .annotate(count=Count("document_id", distinct=True))
        .order_by("-count")
    )
    topics = []
    if topic_rows:
        from topics.models import TopicPage

        wanted = context.locale_ids[code]
        names = {}
        for topic in context.visible(
            TopicPage.objects.filter(translation_key__in=[row["topic_key"] for row in topic_rows])
        ).only("slug", "title", "translation_key", "locale_id"):
            if topic.translation_key not in names or topic.locale_id == wanted:
                names[topic.translation_key] = topic
        for row in topic_rows:
            topic = names.get(row["topic_key"])
            if topic is not None:
                topics.append({"value": topic.slug, "label": topic.title, "count": row["count"]})
    return {
        "types": [
            {"value": r["page_type"], "label": r["page_type"], "count": r["count"]} for r in types
        ],
        "years": [
            {"value": str(r["year"]), "label": str(r["year"]), "count": r["count"]} for r in years
        ],
        "topics": topics,
    }


def run_search(context, query, code, fallback, types, topic_keys, year, limit, offset):
    terms = terms_of(query)
    locale_id = context.locale_ids[code]
    docs = documents(context, locale_id, fallback, types, topic_keys, year)
    if not terms:
        return SearchOutcome(0, [], {"types": [], "years": [], "topics": []})
    postgres = connection.vendor == "postgresql"
    matched = (match_postgres if postgres else match_fallback)(docs, terms, locale_id)
    total = matched.count()
    rows = (
        list(matched.values_list("page_id", "score", "lead", "body")[offset : offset + limit])
        if limit
        else []
    )
    if postgres:
        marks = highlights_postgres([row[0] for row in rows], terms)
    else:
        marks = {row[0]: highlight_plain(f"{row[2]} … {row[3]}".strip(" …"), terms) for row in rows}
    hits = [SearchHitValue(row[0], float(row[1] or 0), marks.get(row[0], "")) for row in rows]
    base = SearchDocument.objects.filter(pk__in=matched.order_by().values("pk"))
    facets = (
        facet_counts(base, context, code)
        if total
        else {
            "types": [],
            "years": [],
            "topics": [],
        }
    )
    return SearchOutcome(total, hits, facets)


def suggestions(context, prefix, code, limit):
    """Titles starting with the prefix (or with a word starting with it), no stemming."""
    locale_id = context.locale_ids[code]
    visible = context.visible(Page.objects.filter(search_document__isnull=False))
    pages = with_fallback(visible, locale_id, True, group=visible)
    docs = (
        SearchDocument.objects.filter(page_id__in=pages.values("pk"))
        .filter(Q(title__istartswith=prefix) | Q(title__icontains=f" {prefix}"))
        .annotate(
            own=Case(When(locale_id=locale_id, then=Value(0)), default=Value(1)),
            starts=Case(When(title__istartswith=prefix, then=Value(0)), default=Value(1)),
        )
        .order_by("own", "starts", F("title").asc(), "page_id")
    )
    return list(docs.values_list("page_id", flat=True)[:limit])
