"""GraphQL types of topic pages, and ``TopicsQueries``."""

from collections import defaultdict

import graphene
from django.db.models import Count, F, Window
from django.db.models.functions import DenseRank

from cms.api.arguments import check_window, resolve_locale
from cms.api.context import ApiContext, PageBatch, batch_of, mark
from cms.api.lists import shown, with_fallback
from cms.api.types import Image, Page, body_field, hero_image, register_page_type
from cms.collation import collation_key

from .models import TopicIndexPage, TopicPage


def load_topic_articles(limit, offset):
    """topic translation key -> (total, articles) for a batch of topics, each topic's
    articles in the language it was asked in: three queries, whatever the number of topics."""

    def loader(topics, context):
        from news.models import ArticleTopic, NewsArticlePage
        from news.schema import specific_articles

        result = {}
        by_code = defaultdict(set)
        for topic in topics:
            by_code[getattr(topic, "_api_locale", None) or context.locale_code(topic)].add(
                topic.translation_key
            )
        for code, keys in by_code.items():
            locale_id = context.locale_ids[code]
            articles = with_fallback(
                context.visible(NewsArticlePage.objects.all()), locale_id, True
            )
            links = ArticleTopic.objects.filter(
                page_id__in=articles.values("pk"), topic__translation_key__in=keys
            )
            # Counted on ShownVersion alone (no page rows to read); the items are also
            # checked against the visibility rules.
            totals = dict(
                ArticleTopic.objects.filter(
                    page_id__in=shown(locale_id, True, NewsArticlePage).values("page_id"),
                    topic__translation_key__in=keys,
                )
                .values("topic__translation_key")
                .annotate(n=Count("page_id", distinct=True))
                .values_list("topic__translation_key", "n")
            )
            rows = []
            if limit:
                rows = list(
                    links.annotate(
                        key=F("topic__translation_key"),
                        # DENSE_RANK: an article linked to both language versions of a topic
                        # gets one rank, so it takes one place in the page, not two.
                        rank=Window(
                            DenseRank(),
                            partition_by=[F("topic__translation_key")],
                            order_by=[F("page__date").desc(), F("page_id").desc()],
                        ),
                    )
                    .filter(rank__gt=offset, rank__lte=offset + limit)
                    .values_list("key", "page_id", "rank")
                )
            pages = NewsArticlePage.objects.select_related("hero_image").in_bulk(
                {page_id for _, page_id, _ in rows}
            )
            pages = {p.pk: p for p in specific_articles(list(pages.values()))}
            batch = PageBatch([])
            mark(list(pages.values()), code, batch)
            grouped = defaultdict(list)
            for key, page_id, _rank in sorted(rows, key=lambda row: row[2]):
                if page_id in pages and pages[page_id] not in grouped[key]:
                    grouped[key].append(pages[page_id])
            for key in keys:
                result[(code, key)] = (totals.get(key, 0), grouped.get(key, []))
        return result

    return loader


def _article():
    from news.schema import Article

    return Article


class TopicArticles(graphene.ObjectType):
    """The live articles tagged with a topic (derived from the articles, never hand-kept)."""

    total_count = graphene.Int(required=True)
    items = graphene.List(graphene.NonNull(lambda: _article()), required=True)


@register_page_type(TopicPage)
class TopicPageType(graphene.ObjectType):
    """A theme the organisation works on, with its articles."""

    intro = graphene.String(required=True)
    hero_image = graphene.Field(Image, resolver=hero_image, description="The topic's image.")
    body = body_field()
    articles = graphene.Field(
        TopicArticles,
        required=True,
        limit=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        description="Newest first; in the topic's requested language, with fallback.",
    )

    class Meta:
        name = "TopicPage"
        interfaces = (Page,)

    @staticmethod
    def resolve_articles(topic, info, limit=20, offset=0):
        limit, offset = check_window(limit, offset)
        context = ApiContext.of(info)
        context.tag("l-articles")
        loaded = batch_of(topic).load(
            ("articles", limit, offset), load_topic_articles(limit, offset), context
        )
        code = getattr(topic, "_api_locale", None) or context.locale_code(topic)
        total, items = loaded.get((code, topic.translation_key), (0, []))
        return TopicArticles(total_count=total, items=items)


@register_page_type(TopicIndexPage)
class TopicIndexPageType(graphene.ObjectType):
    """The list page of topics (list them with ``topics``)."""

    intro = graphene.String(required=True)

    class Meta:
        name = "TopicIndexPage"
        interfaces = (Page,)


class TopicsQueries(graphene.ObjectType):
    topics = graphene.List(
        graphene.NonNull(TopicPageType),
        required=True,
        locale=graphene.String(),
        fallback=graphene.Boolean(default_value=True),
        description="All live topic pages, alphabetically, each once.",
    )

    @staticmethod
    def resolve_topics(root, info, locale=None, fallback=True):
        context = ApiContext.of(info)
        code = resolve_locale(info, locale)
        context.tag("l-topics")
        visible = context.visible(TopicPage.objects.all())
        queryset = with_fallback(visible, context.locale_ids[code], fallback)
        topics = list(queryset.select_related("hero_image")[:500])
        topics.sort(key=lambda topic: (collation_key(topic.title, code), topic.pk))
        return mark(topics, code)
