"""GraphQL types of news articles and grants (``articles``, ``grants``), and ``NewsQueries``."""

import graphene
from django.db.models import Q

from cms.api import tags as cache_tags
from cms.api.arguments import (
    check_window,
    check_year,
    language_arguments,
    resolve_locale,
    window_arguments,
)
from cms.api.context import ApiContext, selects, without_streamfields
from cms.api.lists import Window, count_shown, shown, with_fallback
from cms.api.types import Choice, choices_in
from cms.graphql_errors import UserInputError
from topics.models import TopicPage

from ..models import (
    ArticleKind,
    ArticleTopic,
    Grant,
    GrantAnnouncementPage,
    NewsArticlePage,
    PartnerOrganisation,
    Programme,
)
from .articles import (
    ARTICLE_ORDER,
    Article,
    ArticleKindEnum,
    ArticleList,
    NewsOrdering,
    ProgrammeEnum,
    specific_articles,
    with_grant_columns,
)
from .grants import GRANT_ORDER, GrantList, GrantOrdering, GrantWindow
from .topics import TopicArticles

#: ``TopicArticles``: importing it adds ``articles`` to the topic page type (``.topics``).
__all__ = ["Article", "NewsQueries", "TopicArticles"]


def topic_keys(context, slug):
    """Translation keys of the topic pages with this slug (in any language)."""
    if len(slug) > 255:
        raise UserInputError("topic must be a topic page's slug.")
    return TopicPage.objects.filter(slug=slug).values("translation_key")


class NewsQueries(graphene.ObjectType):
    news_articles = graphene.Field(
        ArticleList,
        required=True,
        **language_arguments(),
        topic=graphene.String(description="A topic page's slug, in any language."),
        programme=ProgrammeEnum(),
        kind=ArticleKindEnum(),
        year=graphene.Int(),
        order=NewsOrdering(default_value="date_desc"),
        **window_arguments(),
        description="Live articles, newest publication date first; each article once.",
    )
    grants = graphene.Field(
        GrantList,
        required=True,
        **language_arguments(),
        recipient=graphene.String(description="A recipient's slug, e.g. 'region-gotland'."),
        country=graphene.String(description="A partner's ISO 3166-1 alpha-2 code, e.g. 'ZM'."),
        programme=ProgrammeEnum(),
        year=graphene.Int(description="Grants running in this year."),
        order=GrantOrdering(default_value="date_desc"),
        **window_arguments(),
    )

    article_kinds = graphene.List(
        graphene.NonNull(Choice),
        required=True,
        locale=graphene.String(),
        description="Every `ArticleKind` with its label in the language asked for.",
    )
    programmes = graphene.List(
        graphene.NonNull(Choice),
        required=True,
        locale=graphene.String(),
        description="Every `Programme` with its label in the language asked for.",
    )

    @staticmethod
    def resolve_article_kinds(root, info, locale=None):
        return choices_in(ArticleKind.choices, resolve_locale(info, locale))

    @staticmethod
    def resolve_programmes(root, info, locale=None):
        return choices_in(Programme.choices, resolve_locale(info, locale))

    @staticmethod
    def resolve_news_articles(
        root,
        info,
        *,
        fallback,
        order,
        limit,
        offset,
        locale=None,
        topic=None,
        programme=None,
        kind=None,
        year=None,
    ):
        context = ApiContext.of(info)
        code = resolve_locale(info, locale)
        limit, offset = check_window(limit, offset)
        context.tag(cache_tags.ARTICLES)
        queryset = NewsArticlePage.objects.all()
        if programme is not None:
            queryset = queryset.filter(programme=programme.value)
        if kind is not None:
            queryset = queryset.filter(kind=kind.value)
        if check_year(year):
            queryset = queryset.filter(date__year=year)
        if topic is not None:
            queryset = queryset.filter(
                pk__in=ArticleTopic.objects.filter(
                    topic__translation_key__in=topic_keys(context, topic)
                ).values("page_id")
            )
        locale_id = context.locale_ids[code]
        filters = queryset if queryset.query.has_filters() else None
        queryset = with_fallback(context.visible(queryset), locale_id, fallback)
        order = getattr(order, "value", order)
        queryset = with_grant_columns(queryset.select_related("hero_image")).order_by(
            *ARTICLE_ORDER[order]
        )
        defer = not selects(info, "body")
        return Window(
            without_streamfields(queryset, defer),
            limit,
            offset,
            code,
            prepare=specific_articles,
            count=lambda: count_shown(locale_id, fallback, NewsArticlePage, filters),
        )

    @staticmethod
    def resolve_grants(
        root,
        info,
        *,
        fallback,
        order,
        limit,
        offset,
        locale=None,
        recipient=None,
        country=None,
        programme=None,
        year=None,
    ):
        context = ApiContext.of(info)
        code = resolve_locale(info, locale)
        limit, offset = check_window(limit, offset)
        context.tag(cache_tags.GRANTS)
        queryset = Grant.objects.all()
        if recipient is not None:
            queryset = queryset.filter(recipient__slug=recipient[:255])
        if country is not None:
            if len(country) != 2 or not country.isalpha():
                raise UserInputError(
                    f"country must be an ISO 3166-1 alpha-2 code, e.g. 'ZM', not {country!r}."
                )
            queryset = queryset.filter(
                pk__in=PartnerOrganisation.grants.through.objects.filter(
                    partnerorganisation__country=country.upper()
                ).values("grant_id")
            )
        if programme is not None:
            queryset = queryset.filter(programme=programme.value)
        if check_year(year):
            queryset = queryset.filter(Q(year=year) | Q(year__lte=year, end_year__gte=year))
        locale_id = context.locale_ids[code]
        # Totals over ShownVersion alone (no page rows read); the items are also checked
        # against the visibility rules.
        shown_rows = shown(locale_id, fallback, GrantAnnouncementPage)
        announcements = context.visible(GrantAnnouncementPage.objects.all()).values("pk")
        listed = with_fallback(
            queryset.filter(page_id__in=announcements), locale_id, fallback, field="page_id"
        )
        order = getattr(order, "value", order)
        return GrantWindow(
            listed.order_by(*GRANT_ORDER[order]), limit, offset, code, queryset, shown_rows
        )
