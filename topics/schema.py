"""GraphQL types of topic pages, and ``TopicsQueries``."""

import graphene

from cms.api import tags as cache_tags
from cms.api.arguments import language_arguments, resolve_locale
from cms.api.context import ApiContext
from cms.api.lists import with_fallback
from cms.api.nodes import wrap_pages
from cms.api.types import Image, Page, PageNodeType, body_field, hero_image, register_page_type
from cms.collation import collation_key

from .models import TopicIndexPage, TopicPage


@register_page_type(TopicPage)
class TopicPageType(PageNodeType):
    """A theme the organisation works on, with its articles."""

    intro = graphene.String(required=True)
    hero_image = graphene.Field(Image, resolver=hero_image, description="The topic's image.")
    body = body_field()

    class Meta:
        name = "TopicPage"
        interfaces = (Page,)


@register_page_type(TopicIndexPage)
class TopicIndexPageType(PageNodeType):
    """The list page of topics (list them with ``topics``)."""

    intro = graphene.String(required=True)

    class Meta:
        name = "TopicIndexPage"
        interfaces = (Page,)


class TopicsQueries(graphene.ObjectType):
    topics = graphene.List(
        graphene.NonNull(TopicPageType),
        required=True,
        **language_arguments(),
        description="All live topic pages, alphabetically, each once.",
    )

    @staticmethod
    def resolve_topics(root, info, *, fallback, locale=None):
        context = ApiContext.of(info)
        code = resolve_locale(info, locale)
        context.tag(cache_tags.TOPICS)
        visible = context.visible(TopicPage.objects.all())
        queryset = with_fallback(visible, context.locale_ids[code], fallback)
        topics = list(queryset.select_related("hero_image")[:500])
        topics.sort(key=lambda topic: (collation_key(topic.title, code), topic.pk))
        return wrap_pages(topics, code)
