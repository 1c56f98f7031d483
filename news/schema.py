"""GraphQL types of news articles and grants, and ``NewsQueries``."""

from collections import defaultdict
from functools import cached_property, partial

import graphene
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Q
from django.utils.translation import override

from cms.api.arguments import check_choice, check_window, check_year, resolve_locale
from cms.api.context import (
    ApiContext,
    PageBatch,
    as_subclass,
    batch_of,
    has_subclass_columns,
    mark,
    selects,
    with_subclass_columns,
    without_streamfields,
)
from cms.api.lists import Window, count_shown, shown, with_fallback
from cms.api.types import Image, Page, body_field, hero_image, register_page_type
from cms.graphql_errors import UserInputError
from topics.models import TopicPage

from .models import (
    ArticleKind,
    ArticleTopic,
    Grant,
    GrantAnnouncementPage,
    NewsArticlePage,
    NewsIndexPage,
    PartnerOrganisation,
    Programme,
    RecipientKind,
)


def load_topics(pages, context, defer_streamfields=False):
    """article id -> its live topic pages, each in the reader's language where translated."""
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
    wanted = {p.pk: context.locale_ids.get(getattr(p, "_api_locale", None)) for p in pages}
    own = {p.pk: p.locale_id for p in pages}
    result = defaultdict(list)
    chosen_all = []
    for page_id, key in links:
        versions = by_key.get(key)
        if not versions:
            continue
        topic = (
            versions.get(wanted[page_id])
            or versions.get(own[page_id])
            or next(iter(versions.values()))
        )
        if topic not in result[page_id]:
            result[page_id].append(topic)
            chosen_all.append(topic)
    context.tag_pages(chosen_all)
    # Links to topics not visible now must update when such a topic is published.
    context.tag(*(f"g{key}" for key in keys))
    for topic in chosen_all:
        if not hasattr(topic, "_api_locale"):
            topic._api_locale = context.locale_code(topic)
    # The topics handed out form one batch, so their own relations load together too.
    unbatched = [topic for topic in chosen_all if getattr(topic, "_api_batch", None) is None]
    if unbatched:
        PageBatch([]).add(unbatched)
    return result


def resolve_topics(page, info):
    # Topic bodies are read only when the query asks for them (then for every topic at once).
    body = selects(info, "body")
    loader = partial(load_topics, defer_streamfields=not body)
    return batch_of(page).load(("topics", body), loader, ApiContext.of(info)).get(page.pk, [])


def label(choices, value, info, page=None):
    code = getattr(page, "_api_locale", None) if page is not None else None
    with override(code or "sv"):
        return str(dict(choices.choices).get(value, value)) if value else ""


class Article(Page):
    """What every article has, grant announcements included: list items are Articles, so a
    frontend reads ``intro date heroImage topics`` without a fragment per page type."""

    intro = graphene.String(required=True)
    date = graphene.Date(required=True, description="The publication date readers see.")
    kind = graphene.String(
        required=True, description="news, grant_announcement, research or event."
    )
    kind_label = graphene.String(required=True)
    programme = graphene.String(required=True, description="Empty, or a programme value.")
    programme_label = graphene.String(required=True)
    hero_image = graphene.Field(Image, resolver=hero_image)
    topics = graphene.List(
        graphene.NonNull(lambda: _topic_type()), required=True, resolver=resolve_topics
    )
    body = body_field()

    class Meta:
        interfaces = (Page,)

    @staticmethod
    def resolve_kind_label(page, info):
        return label(ArticleKind, page.kind, info, page)

    @staticmethod
    def resolve_programme_label(page, info):
        return label(Programme, page.programme, info, page)


def _topic_type():
    from topics.schema import TopicPageType

    return TopicPageType


@register_page_type(NewsArticlePage)
class NewsArticlePageType(graphene.ObjectType):
    """A news item, research story or event."""

    class Meta:
        name = "NewsArticlePage"
        interfaces = (Page, Article)


class RecipientType(graphene.ObjectType):
    """A Swedish municipality or region receiving grants."""

    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    kind = graphene.String(required=True, description="municipality or region")
    kind_label = graphene.String(required=True)

    class Meta:
        name = "Recipient"

    @staticmethod
    def resolve_kind_label(recipient, info):
        return label(RecipientKind, recipient.kind, info, getattr(recipient, "_api_page", None))


class PartnerType(graphene.ObjectType):
    """A partner organisation abroad; ``country`` is an ISO 3166-1 alpha-2 code."""

    name = graphene.String(required=True)
    city = graphene.String(required=True)
    country = graphene.String(required=True)
    country_name = graphene.String(required=True, description="In the requested language.")

    class Meta:
        name = "Partner"

    @staticmethod
    def resolve_country(partner, info):
        return partner.country.code

    @staticmethod
    def resolve_country_name(partner, info):
        with override(getattr(partner, "_api_locale", None) or "sv"):
            return str(partner.country.name)


class GrantType(graphene.ObjectType):
    """One grant: structured, so frontends can list, filter and sum grants."""

    id = graphene.ID(required=True)
    recipient = graphene.Field(RecipientType, required=True)
    partners = graphene.List(graphene.NonNull(PartnerType), required=True)
    project_title = graphene.String(required=True)
    amount = graphene.Field(
        graphene.BigInt, description="SEK; null when the announcement gives only a total."
    )
    programme = graphene.String(required=True)
    programme_label = graphene.String(required=True)
    year = graphene.Int(required=True)
    end_year = graphene.Int()
    topic = graphene.Field(lambda: _topic_type())
    announcement = graphene.Field(lambda: GrantAnnouncementPageType, required=True)

    class Meta:
        name = "Grant"

    @staticmethod
    def resolve_recipient(grant, info):
        recipient = grant.recipient
        recipient._api_page = grant.page
        return recipient

    @staticmethod
    def resolve_partners(grant, info):
        partners = list(grant.partners.all())  # prefetched
        for partner in partners:
            partner._api_locale = getattr(grant.page, "_api_locale", None)
        return partners

    @staticmethod
    def resolve_programme_label(grant, info):
        return label(Programme, grant.programme, info, grant.page)

    @staticmethod
    def resolve_topic(grant, info):
        return getattr(grant, "_api_topic", None)

    @staticmethod
    def resolve_announcement(grant, info):
        return grant.page


def load_grants(pages, context):
    """announcement id -> its grants, with recipients and partners (three queries)."""
    grants = defaultdict(list)
    rows = list(
        Grant.objects.filter(page_id__in=[p.pk for p in pages])
        .select_related("recipient")
        .prefetch_related("partners")
        .order_by("sort_order", "pk")
    )
    pages_by_id = {p.pk: p for p in pages}
    for grant in rows:
        grant.page = pages_by_id[grant.page_id]
        grants[grant.page_id].append(grant)
        context.tag(f"s-recipient-{grant.recipient_id}")
        context.tag(*(f"s-partner-{partner.pk}" for partner in grant.partners.all()))
    attach_grant_topics(rows, context)
    return grants


def attach_grant_topics(grants, context):
    """Give each grant its theme topic in the reader's language (one query)."""
    topic_ids = {g.topic_id for g in grants if g.topic_id}
    if not topic_ids:
        return
    from cms.api.context import localize_pages

    by_code = defaultdict(set)
    for grant in grants:
        if grant.topic_id:
            by_code[
                getattr(grant.page, "_api_locale", None) or context.locale_code(grant.page)
            ].add(grant.topic_id)
    for code, ids in by_code.items():
        found = localize_pages(ids, code, context)
        specific = {
            t.pk: t for t in TopicPage.objects.filter(pk__in=[p.pk for p in found.values()])
        }
        mark(list(specific.values()), code)
        for grant in grants:
            if (
                grant.topic_id in ids
                and (getattr(grant.page, "_api_locale", None) or context.locale_code(grant.page))
                == code
            ):
                target = found.get(grant.topic_id)
                grant._api_topic = specific.get(target.pk) if target else None


@register_page_type(GrantAnnouncementPage)
class GrantAnnouncementPageType(graphene.ObjectType):
    """An article announcing grants, with the grants as data."""

    total_amount = graphene.Field(graphene.BigInt, description="The announced total in SEK.")
    grants = graphene.List(graphene.NonNull(GrantType), required=True)

    class Meta:
        name = "GrantAnnouncementPage"
        interfaces = (Page, Article)

    @staticmethod
    def resolve_grants(page, info):
        return batch_of(page).load("grants", load_grants, ApiContext.of(info)).get(page.pk, [])


@register_page_type(NewsIndexPage)
class NewsIndexPageType(graphene.ObjectType):
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


def specific_articles(items, defer_streamfields=False):
    """Replace grant announcements in a NewsArticlePage list by their specific instances.

    Rows read through ``with_grant_columns`` already hold every column of the subclass:
    the instances are built from them (no query). Otherwise one query reads them, only
    when there are any.
    """
    from django.contrib.contenttypes.models import ContentType

    grant_type = ContentType.objects.get_for_model(GrantAnnouncementPage)
    grants = [item for item in items if item.content_type_id == grant_type.pk]
    if not grants:
        return items
    if all(has_subclass_columns(item, GrantAnnouncementPage) for item in grants):
        specific = {item.pk: as_subclass(item, GrantAnnouncementPage) for item in grants}
    else:
        specific = without_streamfields(
            GrantAnnouncementPage.objects.select_related("hero_image"), defer_streamfields
        ).in_bulk([item.pk for item in grants])
    return [specific.get(item.pk, item) for item in items]


GRANT_TOTALS_SQL = """
SELECT COUNT(*), SUM(grants.amount)
FROM ({grants}) AS grants JOIN ({shown}) AS shown ON shown.page_id = grants.page_id
"""


def grant_totals(grants, shown_rows):
    """(count, sum of amounts) of these grants whose announcement is among the shown
    ``ShownVersion`` rows (one query, no page rows read).

    Written as a join rather than ``page_id IN (shown rows)``: PostgreSQL misjudges how
    many grants that semi-join keeps and checked every grant against the shown rows before
    applying the list's own filters (a country, say). A join is exact here, because a page
    is shown at most once per language at any time.
    """
    try:
        grants_sql, grants_params = (
            grants.order_by().values("page_id", "amount").query.sql_with_params()
        )
        shown_sql, shown_params = shown_rows.order_by().values("page_id").query.sql_with_params()
    except EmptyResultSet:  # a filter that cannot match
        return 0, 0
    sql = GRANT_TOTALS_SQL.format(grants=grants_sql, shown=shown_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*grants_params, *shown_params])
        count, total = cursor.fetchone()
    return count, total or 0


class GrantWindow(Window):
    """A page of grants, and the count and sum of all of them (one query for both)."""

    def __init__(self, queryset, limit, offset, locale_code, grants, shown_rows):
        super().__init__(queryset, limit, offset, locale_code)
        self._grants = grants
        self._shown_rows = shown_rows

    @cached_property
    def totals(self):
        return grant_totals(self._grants, self._shown_rows)


class ArticleList(graphene.ObjectType):
    """A page of articles and the size of the whole filtered list."""

    total_count = graphene.Int(required=True)
    items = graphene.List(graphene.NonNull(Article), required=True)


class GrantOrdering(graphene.Enum):
    DATE_DESC = "date_desc"
    AMOUNT_DESC = "amount_desc"
    RECIPIENT_ASC = "recipient_asc"


GRANT_ORDER = {
    "date_desc": ("-page__date", "page_id", "sort_order", "pk"),
    "amount_desc": (F("amount").desc(nulls_last=True), "pk"),
    "recipient_asc": ("recipient__name", "year", "pk"),
}


class GrantList(graphene.ObjectType):
    """A page of grants; ``totalAmount`` sums the whole filtered set, not just this page."""

    total_count = graphene.Int(required=True)
    total_amount = graphene.BigInt(
        required=True, description="SEK, over all matching grants with an amount."
    )
    items = graphene.List(graphene.NonNull(GrantType), required=True)

    @staticmethod
    def resolve_total_count(window, info):
        return window.totals[0]

    @staticmethod
    def resolve_total_amount(window, info):
        return window.totals[1]

    @staticmethod
    def resolve_items(window, info):
        if window.limit == 0:
            return []
        context = ApiContext.of(info)
        # Two steps: the page of ids from the filtered, ordered set, then those rows with
        # their relations. Joining the relations into the filtering query lets PostgreSQL
        # pick nested-loop plans that take seconds on large sets.
        ids = list(
            window.queryset.values_list("pk", flat=True)[
                window.offset : window.offset + window.limit
            ]
        )
        rows = Grant.objects.filter(pk__in=ids).select_related(
            "recipient", "page", "page__hero_image"
        )
        if not selects(info, "body"):
            rows = rows.defer("page__body")  # the announcements' bodies, unless asked for
        rows = rows.prefetch_related("partners").in_bulk()
        grants = [rows[pk] for pk in ids if pk in rows]
        pages = {}
        for grant in grants:
            pages.setdefault(grant.page_id, grant.page)
            grant.page = pages[grant.page_id]
        mark(list(pages.values()), window.locale_code)
        attach_grant_topics(grants, context)
        for grant in grants:
            context.tag(f"s-recipient-{grant.recipient_id}")
            context.tag(*(f"s-partner-{partner.pk}" for partner in grant.partners.all()))
        return grants


def topic_keys(context, slug):
    """Translation keys of the topic pages with this slug (in any language)."""
    if len(slug) > 255:
        raise UserInputError("topic must be a topic page's slug.")
    return TopicPage.objects.filter(slug=slug).values("translation_key")


class NewsQueries(graphene.ObjectType):
    news_articles = graphene.Field(
        ArticleList,
        required=True,
        locale=graphene.String(),
        fallback=graphene.Boolean(default_value=True),
        topic=graphene.String(description="A topic page's slug, in any language."),
        programme=graphene.String(),
        kind=graphene.String(),
        year=graphene.Int(),
        order=NewsOrdering(default_value="date_desc"),
        limit=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        description="Live articles, newest publication date first; each article once.",
    )
    grants = graphene.Field(
        GrantList,
        required=True,
        locale=graphene.String(),
        fallback=graphene.Boolean(default_value=True),
        recipient=graphene.String(description="A recipient's slug, e.g. 'region-gotland'."),
        country=graphene.String(description="A partner's ISO 3166-1 alpha-2 code, e.g. 'ZM'."),
        programme=graphene.String(),
        year=graphene.Int(description="Grants running in this year."),
        order=GrantOrdering(default_value="date_desc"),
        limit=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
    )

    @staticmethod
    def resolve_news_articles(
        root,
        info,
        locale=None,
        fallback=True,
        topic=None,
        programme=None,
        kind=None,
        year=None,
        order="date_desc",
        limit=20,
        offset=0,
    ):
        context = ApiContext.of(info)
        code = resolve_locale(info, locale)
        limit, offset = check_window(limit, offset)
        context.tag("l-articles")
        queryset = NewsArticlePage.objects.all()
        if check_choice("programme", programme, Programme):
            queryset = queryset.filter(programme=programme)
        if check_choice("kind", kind, ArticleKind):
            queryset = queryset.filter(kind=kind)
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
            prepare=lambda items: specific_articles(items, defer),
            count=lambda: count_shown(locale_id, fallback, NewsArticlePage, filters),
        )

    @staticmethod
    def resolve_grants(
        root,
        info,
        locale=None,
        fallback=True,
        recipient=None,
        country=None,
        programme=None,
        year=None,
        order="date_desc",
        limit=20,
        offset=0,
    ):
        context = ApiContext.of(info)
        code = resolve_locale(info, locale)
        limit, offset = check_window(limit, offset)
        context.tag("l-grants")
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
        if check_choice("programme", programme, Programme):
            queryset = queryset.filter(programme=programme)
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
