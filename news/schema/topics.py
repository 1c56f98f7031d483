"""The articles of a topic page: ``TopicPage.articles``.

Topics know nothing of news; news, which tags articles with topics, adds the field to the
topic page's GraphQL type (``cms.api.types.add_fields``), so the two apps depend on each
other one way only.
"""

import uuid
from collections import defaultdict

import graphene
from django.db import connection
from django.db.models import Case, CharField, Count, F, Value, When, Window
from django.db.models.functions import DenseRank

from cms.api import tags as cache_tags
from cms.api.arguments import check_window, window_arguments
from cms.api.context import ApiContext, selects, without_streamfields
from cms.api.lists import shown, with_fallback
from cms.api.nodes import wrap_pages
from cms.api.types import add_fields
from topics.models import TopicPage
from topics.schema import TopicPageType

from ..models import ArticleTopic, NewsArticlePage
from .articles import Article, specific_articles, with_grant_columns


def load_topic_articles(limit, offset, defer_streamfields=False):
    """topic translation key -> (total, articles) for a batch of topics, each topic's
    articles in the language it was asked in: a constant number of queries, whatever the
    number of topics."""

    def loader(topics, context):
        result = {}
        by_code = defaultdict(set)
        for topic in topics:
            by_code[topic.locale_code].add(topic.page.translation_key)
        versions = defaultdict(list)  # every version of the topics, public or not: links
        for pk, key in TopicPage.objects.filter(
            translation_key__in=set().union(*by_code.values())
        ).values_list("pk", "translation_key"):
            versions[key].append(pk)
        for code, keys in by_code.items():
            locale_id = context.locale_ids[code]
            keys = [key for key in keys if versions.get(key)]
            totals = topic_totals(keys, versions, locale_id)
            rows = topic_pages(context, keys, versions, locale_id, limit, offset)
            pages = without_streamfields(
                with_grant_columns(NewsArticlePage.objects.select_related("hero_image")),
                defer_streamfields,
            ).in_bulk({page_id for _, page_id in rows})
            nodes = wrap_pages(specific_articles(list(pages.values())), code)
            pages = {node.page.pk: node for node in nodes}
            grouped = defaultdict(list)
            for key, page_id in rows:
                if page_id in pages and pages[page_id] not in grouped[key]:
                    grouped[key].append(pages[page_id])
            for key in by_code[code]:
                result[(code, key)] = (totals.get(key, 0), grouped.get(key, []))
        return result

    return loader


def _links(ids):
    return ArticleTopic.objects.filter(topic_id__in=ids)


def _key_of_link(keys, versions):
    """The topic translation key of a link row, as an SQL expression (an article linked to
    both language versions of a topic counts, and is listed, once)."""
    return Case(
        *[When(topic_id__in=versions[key], then=Value(str(key))) for key in keys],
        output_field=CharField(),
    )


def topic_totals(keys, versions, locale_id):
    """key -> how many articles readers of this language see under the topic (one query,
    on ShownVersion: no page rows are read)."""
    if not keys:
        return {}
    shown_articles = shown(locale_id, True, NewsArticlePage)
    if len(keys) == 1:
        # A topic page: count the shown rows that have a link (a semi-join both sides of
        # which are index-only scans), rather than the distinct linked pages.
        links = _links(versions[keys[0]]).values("page_id")
        return {keys[0]: shown_articles.filter(page_id__in=links).count()}
    # Several topics: one grouped pass over their links, not one count per topic.
    ids = [pk for key in keys for pk in versions[key]]
    rows = (
        _links(ids)
        .filter(page_id__in=shown_articles.values("page_id"))
        .annotate(key=_key_of_link(keys, versions))
        .values("key")
        .annotate(n=Count("page_id", distinct=True))
        .values_list("key", "n")
    )
    return {uuid.UUID(key): n for key, n in rows}


def topic_pages(context, keys, versions, locale_id, limit, offset):
    """[(key, article id)] of each topic's page of articles, newest first (one query).

    Per topic, the newest visible articles walk the date index and stop after the page;
    several topics are one UNION ALL of those. Databases that cannot slice inside a UNION
    (SQLite) rank all of a topic's links instead, which is fine at their sizes.
    """
    if not limit or not keys:
        return []
    articles = with_fallback(context.visible(NewsArticlePage.objects.all()), locale_id, True)
    if len(keys) == 1 or connection.features.supports_slicing_ordering_in_compound:
        parts = [
            articles.filter(pk__in=_links(versions[key]).values("page_id"))
            .annotate(key=Value(str(key), output_field=CharField()))
            .order_by("-date", "-pk")
            .values_list("key", "pk", "date")[offset : offset + limit]
            for key in keys
        ]
        query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        # A UNION keeps no order: sort again, newest first within each topic.
        rows = sorted(query, key=lambda row: (row[2], row[1]), reverse=True)
        return [(uuid.UUID(key), page_id) for key, page_id, _ in rows]
    ids = [pk for key in keys for pk in versions[key]]
    ranked = (
        _links(ids)
        .filter(page_id__in=articles.values("pk"))
        .annotate(
            key=_key_of_link(keys, versions),
            # DENSE_RANK: an article linked to both language versions of a topic gets one
            # rank, so it takes one place in the page, not two.
            rank=Window(
                DenseRank(),
                partition_by=[_key_of_link(keys, versions)],
                order_by=[F("page__date").desc(), F("page_id").desc()],
            ),
        )
        .filter(rank__gt=offset, rank__lte=offset + limit)
        .values_list("key", "page_id", "rank")
    )
    return [(uuid.UUID(key), page_id) for key, page_id, _ in sorted(ranked, key=lambda r: r[2])]


class TopicArticles(graphene.ObjectType):
    """The live articles tagged with a topic (derived from the articles, never hand-kept)."""

    total_count = graphene.Int(required=True)
    items = graphene.List(graphene.NonNull(Article), required=True)


def resolve_topic_articles(topic, info, *, limit, offset):
    limit, offset = check_window(limit, offset)
    context = ApiContext.of(info)
    context.tag(cache_tags.ARTICLES)
    defer = not selects(info, "body")
    loaded = topic.batch.load(
        ("articles", limit, offset, defer), load_topic_articles(limit, offset, defer), context
    )
    total, items = loaded.get((topic.locale_code, topic.page.translation_key), (0, []))
    return TopicArticles(total_count=total, items=items)


add_fields(
    TopicPageType,
    articles=graphene.Field(
        TopicArticles,
        required=True,
        **window_arguments(),
        description="Newest first; in the topic's requested language, with fallback.",
        resolver=resolve_topic_articles,
    ),
)
