"""Running a search: matching, ranking, highlighting and facets.

PostgreSQL: each document is matched with the tsquery of its own language's configuration
(a Swedish page with ``to_tsquery('swedish', ...)``, an English one with 'english'), as an OR
of constant queries so the GIN index is used. Terms are ANDed and prefix-matched after
stemming, so 'kommun' finds 'kommunerna' and 'jämställdhet' finds 'jämställdhetsnätverk'.
Rank is ``ts_rank`` over the title (A) and lead (B) vector, so a title match ranks above a
lead match above a body-only match, with the requested language's pages ahead of
fallbacks at equal relevance. Highlights come from ``ts_headline`` over
HTML-escaped text with ``<mark>``.

Elsewhere (SQLite): every term must occur (case-insensitively) in the title, lead or body;
the score counts where; highlights are cut in Python. Same results shape, no stemming.
"""

import re
import unicodedata
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils.translation import override

from cms import page_types
from cms.versions import shown_now

from .indexing import configs
from .models import SearchDocument, SearchDocumentTopic

WORD = re.compile(r"\w+", re.UNICODE)
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_TERMS = 12


def terms_of(query):
    """The words of a query: letters and digits only (å, ä, ö included), in composed
    Unicode form so that a decomposed 'Ä' matches the stored one."""
    query = unicodedata.normalize("NFC", CONTROL.sub(" ", query))
    return [word for word in WORD.findall(query) if word.strip("_")][:MAX_TERMS]


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
    """Documents of the pages readers of this language see (one version per translation
    group), filtered. Which pages those are comes from ``ShownVersion``, which the
    visibility rules keep (``cms.versions``). On PostgreSQL each document carries a copy of
    its page's rows without a time window (``shown_in``, kept in the same transactions), so
    the thousands of matches a common word has are kept or dropped by a column of the rows
    the match reads anyway; rows with a window are few and probed through their index.
    Elsewhere the rows are probed for every document. The hits handed out are checked
    against the visibility rules once more where their pages are loaded
    (``resolve_search``)."""
    shown = shown_now(locale_id, fallback).filter(page_id=OuterRef("page_id"))
    if connection.vendor == "postgresql":
        always = RawSQL("shown_in @> ARRAY[%s]::integer[]", [locale_id], BooleanField())
        windowed = shown.filter(Q(shown_from__isnull=False) | Q(shown_until__isnull=False))
        own = Q() if fallback else Q(locale_id=locale_id)
        docs = SearchDocument.objects.alias(always=always).filter(
            (Q(always=True) & own) | Exists(windowed)
        )
    else:
        docs = SearchDocument.objects.filter(Exists(shown))
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
    """The documents matching every term in their own language, scored, best first."""
    text = tsquery_text(terms)
    matches = Q()
    ranks = []
    for config in sorted(set(configs().values())):
        query = SearchQuery(text, config=config, search_type="raw")
        matches |= Q(config=config, vector=query)
        # A constant tsquery per configuration (parsed once, not per row), ranked on the
        # small title+lead vector; every match gets a floor so body-only matches count.
        ranks.append(When(config=config, then=SearchRank(F("head"), query, normalization=1)))
    rank = Case(*ranks, default=Value(0.0), output_field=FloatField()) + Value(0.01)
    boost = Case(When(locale_id=locale_id, then=Value(1.0)), default=Value(0.8))
    return docs.filter(matches).annotate(score=rank * boost).order_by("-score", "page_id")


class Casefold(Func):
    """Unicode case folding on SQLite (whose LOWER and LIKE fold ASCII only), through a
    Python function registered on each SQLite connection (``search.apps``)."""

    function = "cms_casefold"
    output_field = TextField()


def folded(field):
    return Casefold(F(field))


def match_fallback(docs, terms, locale_id):
    """The same without full text search (SQLite): case-folded substrings, weighted by
    field, best first."""
    docs = docs.annotate(title_cf=folded("title"), lead_cf=folded("lead"), body_cf=folded("body"))
    score = Value(0, output_field=IntegerField())
    for term in (term.casefold() for term in terms):
        docs = docs.filter(
            Q(title_cf__contains=term) | Q(lead_cf__contains=term) | Q(body_cf__contains=term)
        )
        score = (
            score
            + Case(When(title_cf__contains=term, then=Value(4)), default=Value(0))
            + Case(When(lead_cf__contains=term, then=Value(2)), default=Value(0))
            + Case(When(body_cf__contains=term, then=Value(1)), default=Value(0))
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
    """An excerpt around the first match, with the terms in <mark>: matches are found in the
    plain text and every piece is escaped on its own, so the markup stays well formed."""
    pattern = re.compile(
        "|".join(re.escape(term) for term in sorted(set(terms), key=len, reverse=True)),
        re.IGNORECASE,
    )
    first = pattern.search(text)
    start = max(0, first.start() - width // 3) if first else 0
    excerpt = text[start : start + width]
    pieces, position = [], 0
    for match in pattern.finditer(excerpt):
        pieces.append(escape(excerpt[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        position = match.end()
    pieces.append(escape(excerpt[position:]))
    prefix = "… " if start else ""
    suffix = " …" if start + width < len(text) else ""
    return f"{prefix}{''.join(pieces)}{suffix}"


def facet_counts(counts, context, code):
    """Facet values in the reader's language from the counts of ``matches``."""
    types, years, keys = counts["types"], counts["years"], counts["topics"]
    topic_rows = [
        {"topic_key": key, "count": count}
        for key, count in sorted(keys.items(), key=lambda item: (-item[1], item[0]))
    ]
    topics = []
    if topic_rows:
        from topics.models import TopicPage

        wanted = context.locale_ids[code]
        names = {}
        for topic in context.visible(
            TopicPage.objects.filter(translation_key__in=[row["topic_key"] for row in topic_rows])
        ).only("slug", "title", "translation_key", "locale_id"):
            key = str(topic.translation_key)
            if key not in names or topic.locale_id == wanted:
                names[key] = topic
        for row in topic_rows:
            topic = names.get(row["topic_key"])
            if topic is not None:
                topics.append({"value": topic.slug, "label": topic.title, "count": row["count"]})
    with override(code):
        type_labels = {
            name: str(entry.label) for name in types if (entry := page_types.named(name))
        }
    return {
        "types": [
            {"value": name, "label": type_labels.get(name, name), "count": count}
            for name, count in sorted(types.items(), key=lambda item: (-item[1], item[0]))
        ],
        "years": [
            {"value": str(value), "label": str(value), "count": count}
            for value, count in sorted(years.items(), reverse=True)
        ],
        "topics": topics,
    }


@contextmanager
def match_settings():
    """PostgreSQL underrates what testing each (large, compressed) body vector costs and
    scans the whole table when a query matches many pages; the GIN index answers the same
    match several times faster, so table scans are ruled out for the match query. The
    matches of a common word (tens of thousands of rows) are kept in memory, not spilled
    to a temporary file, while the page of hits and the facets are cut from them."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL work_mem = '32MB'")
        yield


# One statement on PostgreSQL: the match is computed once (a materialised CTE), and the
# page of hits and the facet counts are cut from it in SQL, so the thousands of rows a
# common word matches never leave the database. The facets are one grouping of the
# matches by their facet set (a document's type, year and topics as one integer,
# ``SearchFacetSet``): a few hundred groups, joined to their values, which Python adds up
# per type, per year and per topic. One pass over narrow rows (page, score, set) instead
# of one per facet over the text of the topic keys.
MATCHES_SQL = """
WITH m AS MATERIALIZED ({match})
SELECT 'hit', page_id::text, score, 0, NULL::smallint, NULL FROM (
    SELECT page_id, score FROM m ORDER BY score DESC, page_id LIMIT %s OFFSET %s
) AS hits
UNION ALL SELECT 'group', f.page_type, 0, g.n, f.year, f.topic_keys
    FROM (SELECT facet_set_id, COUNT(*) AS n FROM m GROUP BY facet_set_id) AS g
    JOIN search_searchfacetset AS f ON f.id = g.facet_set_id
"""


def matches(ranked, limit, offset):
    """(total, [(page id, score)] of the requested page of hits, facet counters)."""
    counts = {"types": Counter(), "years": Counter(), "topics": Counter()}
    if connection.vendor == "postgresql":
        try:
            sql, params = (
                ranked.values_list("page_id", "score", "facet_set_id")
                .order_by()
                .query.sql_with_params()
            )
        except EmptyResultSet:  # a filter that cannot match (e.g. an unknown topic)
            return 0, [], counts
        with match_settings(), connection.cursor() as cursor:
            cursor.execute(MATCHES_SQL.replace("{match}", sql), [*params, limit, offset])
            rows = cursor.fetchall()
        hits = sorted(
            ((int(value), score) for kind, value, score, *_ in rows if kind == "hit"),
            key=lambda hit: (-hit[1], hit[0]),
        )
        groups = [
            (value, year, keys, count)
            for kind, value, _, count, year, keys in rows
            if kind == "group"
        ]
    else:
        rows = list(ranked.values_list("page_id", "score", "page_type", "year", "topic_keys"))
        hits = [(row[0], row[1]) for row in rows[offset : offset + limit]]
        groups = [(page_type, year, keys, 1) for _, _, page_type, year, keys in rows]
    for page_type, year, keys, count in groups:
        counts["types"][page_type] += count
        if year is not None:
            counts["years"][year] += count
        for key in keys.split():
            counts["topics"][key] += count
    # Every document has a page type: the total is the sum of the type counts.
    return sum(counts["types"].values()), hits, counts


def run_search(context, query, code, fallback, types, topic_keys, year, limit, offset):
    """The match runs once; the total, the facets and the page of hits all come from it."""
    terms = terms_of(query)
    locale_id = context.locale_ids[code]
    empty = {"types": [], "years": [], "topics": []}
    if not terms:
        return SearchOutcome(0, [], empty)
    docs = documents(context, locale_id, fallback, types, topic_keys, year)
    postgres = connection.vendor == "postgresql"
    ranked = (match_postgres if postgres else match_fallback)(docs, terms, locale_id)
    total, window, counts = matches(ranked, limit, offset)
    ids = [page_id for page_id, _ in window]
    if postgres:
        marks = highlights_postgres(ids, terms)
    else:
        texts = {
            pk: f"{lead} … {body}".strip(" …")
            for pk, lead, body in SearchDocument.objects.filter(page_id__in=ids).values_list(
                "page_id", "lead", "body"
            )
        }
        marks = {pk: highlight_plain(texts.get(pk, ""), terms) for pk in ids}
    hits = [SearchHitValue(pk, float(score or 0), marks.get(pk, "")) for pk, score in window]
    facets = facet_counts(counts, context, code) if total else empty
    return SearchOutcome(total, hits, facets)


def suggestions(context, prefix, code, limit):
    """Titles starting with the prefix (or with a word starting with it), no stemming."""
    locale_id = context.locale_ids[code]
    prefix = unicodedata.normalize("NFC", prefix)
    docs = documents(context, locale_id, True, None, None, None)
    if connection.vendor == "postgresql":
        starts = Q(title__istartswith=prefix)
        matches = starts | Q(title__icontains=f" {prefix}")
    else:
        docs = docs.annotate(title_cf=folded("title"))
        starts = Q(title_cf__startswith=prefix.casefold())
        matches = starts | Q(title_cf__contains=f" {prefix.casefold()}")
    docs = (
        docs.filter(matches)
        .annotate(
            own=Case(When(locale_id=locale_id, then=Value(0)), default=Value(1)),
            starts=Case(When(starts, then=Value(0)), default=Value(1)),
        )
        .order_by("own", "starts", F("title").asc(), "page_id")
    )
    return list(docs.values_list("page_id", flat=True)[:limit])
