"""GraphQL types of news articles: the ``Article`` interface, article pages, the news
index, and the article list with its ordering."""

from collections import defaultdict
from functools import partial

import graphene
from django.utils.translation import override

from cms.api import tags as cache_tags
from cms.api.context import (
    ApiContext,
    as_subclass,
    selects,
    with_subclass_columns,
    without_streamfields,
)
from cms.api.nodes import PageBatch
from cms.api.types import (
    Image,
    Page,
    PageNodeType,
    body_field,
    choice_enum,
    hero_image,
    register_page_type,
)
from cms.locales import preferred_version
from topics.models import TopicPage

from ..models import (
    ArticleKind,
    ArticleTopic,
    GrantAnnouncementPage,
    NewsArticlePage,
    NewsIndexPage,
    Programme,
)


def load_topics(nodes, context, defer_streamfields=False):
    """article id -> nodes of its live topic pages, each in the reader's language where
    translated."""
    pages = [node.page for node in nodes]
    if nodes and nodes[0].batch.in_memory:  # a preview: the form's links, unsaved
        by_topic = [(p.pk, link.topic_id) for p in pages for link in p.article_topics.all()]
        keys_of = dict(
            TopicPage.objects.filter(pk__in={t for _, t in by_topic}).values_list(
                "pk", "translation_key"
            )
        )
        links = [(page_id, keys_of[t]) for page_id, t in by_topic if t in keys_of]
    else:
        links = list(
            ArticleTopic.objects.filter(page_id__in=[p.pk for p in pages])
            .order_by("sort_order", "pk")
            .values_list("page_id", "topic__translation_key")
        )
    keys = {key for _, key in links}
    by_key = defaultdict(dict)
    if keys:
        topics = without_streamfields(
            context.visible(TopicPage.objects.filter(translation_key__in=keys)),
            defer_streamfields,
        ).select_related("hero_image")
        for topic in topics:
            by_key[topic.translation_key][topic.locale_id] = topic
    wanted = {node.page.pk: context.locale_ids.get(node.locale_code) for node in nodes}
    own = {p.pk: p.locale_id for p in pages}
    result = defaultdict(list)
    chosen_all = {}
    for page_id, key in links:
        versions = by_key.get(key)
        if not versions:
            continue
        topic = preferred_version(versions.values(), wanted[page_id], own[page_id])
        if topic not in result[page_id]:
            result[page_id].append(topic)
            chosen_all[topic.pk] = topic
    context.tag_pages(chosen_all.values())
    # Links to topics not visible now must update when such a topic is published: tagged
    # coarsely (every page change), as a hidden topic's key must not reach the headers.
    context.tag(*(cache_tags.translation_group(key) for key in by_key))
    if len(by_key) < len(keys):
        context.tag(cache_tags.PAGES)
    # The topics handed out form one batch, so their own relations load together too; each
    # is shown in its own language (the article's language chose it).
    batch = PageBatch()
    topic_nodes = {}
    for topic in chosen_all.values():
        topic_nodes[topic.pk] = batch.wrap([topic], context.locale_code(topic))[0]
    return {
        page_id: [topic_nodes[topic.pk] for topic in topics] for page_id, topics in result.items()
    }


def resolve_topics(node, info):
    # Topic bodies are read only when the query asks for them (then for every topic at once).
    body = selects(info, "body")
    loader = partial(load_topics, defer_streamfields=not body)
    loaded = node.batch.load(("topics", body), loader, ApiContext.of(info))
    return loaded.get(node.page.pk, [])


def label(choices, value, code):
    """The label of a choice in language ``code`` (the page's requested language)."""
    with override(code):
        return str(dict(choices.choices).get(value, value)) if value else ""


ArticleKindEnum = choice_enum(
    "ArticleKind", ArticleKind, "What an article is; labels: `articleKinds(locale)`."
)
ProgrammeEnum = choice_enum(
    "Programme", Programme, "The organisation's lines of work; labels: `programmes(locale)`."
)


class Article(Page):
    """What every article has, grant announcements included: list items are Articles, so a
    frontend reads ``intro date heroImage topics`` without a fragment per page type."""

    intro = graphene.String(required=True)
    date = graphene.Date(required=True, description="The publication date readers see.")
    kind = graphene.Field(ArticleKindEnum, required=True)
    kind_label = graphene.String(required=True, description="`kind` in the page's language.")
    programme = graphene.Field(ProgrammeEnum, description="Null when the article has none.")
    programme_label = graphene.String(
        required=True, description="`programme` in the page's language; empty when it has none."
    )
    hero_image = graphene.Field(Image, resolver=hero_image)
    topics = graphene.List(
        graphene.NonNull(lambda: topic_page_type()), required=True, resolver=resolve_topics
    )
    body = body_field()

    class Meta:
        interfaces = (Page,)

    @staticmethod
    def resolve_programme(node, info):
        return node.page.programme or None

    @staticmethod
    def resolve_kind_label(node, info):
        return label(ArticleKind, node.page.kind, node.locale_code)

    @staticmethod
    def resolve_programme_label(node, info):
        return label(Programme, node.page.programme, node.locale_code)


def topic_page_type():
    """Imported when the schema is built: the schema lists news types before topics'."""
    from topics.schema import TopicPageType

    return TopicPageType


@register_page_type(NewsArticlePage)
class NewsArticlePageType(PageNodeType):
    """A news item, research story or event."""

    class Meta:
        name = "NewsArticlePage"
        interfaces = (Page, Article)


@register_page_type(NewsIndexPage)
class NewsIndexPageType(PageNodeType):
    """The news listing page of one language (list its articles with ``newsArticles``)."""

    intro = graphene.String(required=True)

    class Meta:
        name = "NewsIndexPage"
        interfaces = (Page,)


class NewsOrdering(graphene.Enum):
    """Allowed orderings of article lists."""

    DATE_DESC = "date_desc"
    DATE_ASC = "date_asc"
    TITLE_ASC = "title_asc"


ARTICLE_ORDER = {
    "date_desc": ("-date", "-pk"),
    "date_asc": ("date", "pk"),
    "title_asc": ("title", "pk"),
}


def with_grant_columns(queryset):
    """A NewsArticlePage queryset that also reads the grant announcements' own columns (a
    left join), so that ``specific_articles`` builds them without a second query."""
    return with_subclass_columns(queryset, GrantAnnouncementPage)


def specific_articles(items):
    """Grant announcements in a NewsArticlePage list, read through ``with_grant_columns``,
    replaced by their specific instances (built from the rows: no query)."""
    from django.contrib.contenttypes.models import ContentType

    grant_type = ContentType.objects.get_for_model(GrantAnnouncementPage).pk
    return [
        as_subclass(item, GrantAnnouncementPage) if item.content_type_id == grant_type else item
        for item in items
    ]


class ArticleList(graphene.ObjectType):
    """A page of articles and the size of the whole filtered list."""

    total_count = graphene.Int(required=True)
    items = graphene.List(graphene.NonNull(Article), required=True)
