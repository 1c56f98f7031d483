"""GraphQL types of grants: grant rows with their recipients and partners, grant
announcement pages, and the grant list with its count and sum."""

from collections import defaultdict
from functools import cached_property

import graphene
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F
from django.utils.translation import override

from cms.api import tags as cache_tags
from cms.api.context import (
    ApiContext,
    batch_of,
    mark,
    selects,
)
from cms.api.lists import Window
from cms.api.types import Page, choice_enum, register_page_type
from cms.locales import default_language
from topics.models import TopicPage

from ..models import (
    Grant,
    GrantAnnouncementPage,
    Programme,
    Recipient,
    RecipientKind,
)
from .articles import Article, ProgrammeEnum, label, topic_page_type

RecipientKindEnum = choice_enum("RecipientKind", RecipientKind, "A municipality or a region.")


class RecipientType(graphene.ObjectType):
    """A Swedish municipality or region receiving grants."""

    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    kind = graphene.Field(RecipientKindEnum, required=True)
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
        with override(getattr(partner, "_api_locale", None) or default_language()):
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
    programme = graphene.Field(ProgrammeEnum, description="Null when the grant has none.")
    programme_label = graphene.String(required=True)
    year = graphene.Int(required=True)
    end_year = graphene.Int()
    topic = graphene.Field(lambda: topic_page_type())
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
    def resolve_programme(grant, info):
        return grant.programme or None

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
    if pages and batch_of(pages[0]).in_memory:  # a preview: the form's grants, unsaved
        rows = []
        for page in pages:
            for grant in page.grants.all():
                grant.page_id = page.pk  # 0 for a page not created yet (PreviewSnapshot)
                rows.append(grant)
        recipients = Recipient.objects.in_bulk({grant.recipient_id for grant in rows})
        rows = [grant for grant in rows if grant.recipient_id in recipients]
        for grant in rows:
            grant.recipient = recipients[grant.recipient_id]
    else:
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
        context.tag(cache_tags.snippet("recipient", grant.recipient_id))
        context.tag(
            *(cache_tags.snippet("partner", partner.pk) for partner in grant.partners.all())
        )
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

    announced_total = graphene.Field(
        graphene.BigInt,
        description='The total the announcement gives, in SEK (e.g. 18000000 for "more than '
        '18 million kronor"); null when it gives none. Its grant rows never add up to more.',
    )
    total_amount = graphene.Field(
        graphene.BigInt,
        description="The announced total in SEK.",
        deprecation_reason="Use `announcedTotal`: the same value, named for what it is.",
    )
    grants = graphene.List(graphene.NonNull(GrantType), required=True)

    class Meta:
        name = "GrantAnnouncementPage"
        interfaces = (Page, Article)

    @staticmethod
    def resolve_announced_total(page, info):
        return page.total_amount

    @staticmethod
    def resolve_grants(page, info):
        return batch_of(page).load("grants", load_grants, ApiContext.of(info)).get(page.pk, [])


GRANT_TOTALS_SQL = """
SELECT COUNT(*), SUM(grants.amount), COUNT(grants.amount)
FROM ({grants}) AS grants JOIN ({shown}) AS shown ON shown.page_id = grants.page_id
"""


def grant_totals(grants, shown_rows):
    """(count, sum of amounts or None, how many have an amount) of these grants whose
    announcement is among the shown
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
        return 0, None, 0
    sql = GRANT_TOTALS_SQL.format(grants=grants_sql, shown=shown_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*grants_params, *shown_params])
        count, total, with_amount = cursor.fetchone()
    return count, total, with_amount


class GrantWindow(Window):
    """A page of grants, and the count and sum of all of them (one query for both)."""

    def __init__(self, queryset, limit, offset, locale_code, grants, shown_rows):
        super().__init__(queryset, limit, offset, locale_code)
        self._grants = grants
        self._shown_rows = shown_rows

    @cached_property
    def totals(self):
        return grant_totals(self._grants, self._shown_rows)


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
        description="SEK: the sum of the amounts of the matching grants that give one; null "
        "when none does (many announcements give only their total: see `announcedTotal`). "
        "Compare `grantsWithAmount` with `totalCount` before calling it the whole."
    )
    grants_with_amount = graphene.Int(
        required=True, description="How many of the matching grants give an amount."
    )
    items = graphene.List(graphene.NonNull(GrantType), required=True)

    @staticmethod
    def resolve_total_count(window, info):
        return window.totals[0]

    @staticmethod
    def resolve_total_amount(window, info):
        return window.totals[1]

    @staticmethod
    def resolve_grants_with_amount(window, info):
        return window.totals[2]

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
            context.tag(cache_tags.snippet("recipient", grant.recipient_id))
            context.tag(
                *(cache_tags.snippet("partner", partner.pk) for partner in grant.partners.all())
            )
        return grants
