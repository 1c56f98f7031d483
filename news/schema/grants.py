"""GraphQL types of grants: grant rows with their recipients and partners, grant
announcement pages, and the grant list with its count and sum."""

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import graphene
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F
from django.utils.translation import override

from cms.api import tags as cache_tags
from cms.api.context import ApiContext, localize_pages, selects
from cms.api.lists import Window
from cms.api.nodes import Node, PageNode, node_field, wrap_pages
from cms.api.types import Page, PageNodeType, choice_enum, register_page_type
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
        default_resolver = node_field  # a Node: the recipient in the page's language

    @staticmethod
    def resolve_kind_label(node, info):
        return label(RecipientKind, node.obj.kind, node.locale_code)


class PartnerType(graphene.ObjectType):
    """A partner organisation abroad; ``country`` is an ISO 3166-1 alpha-2 code."""

    name = graphene.String(required=True)
    city = graphene.String(required=True)
    country = graphene.String(required=True)
    country_name = graphene.String(required=True, description="In the requested language.")

    class Meta:
        name = "Partner"
        default_resolver = node_field  # a Node: the partner in the page's language

    @staticmethod
    def resolve_country(node, info):
        return node.obj.country.code

    @staticmethod
    def resolve_country_name(node, info):
        with override(node.locale_code):
            return str(node.obj.country.name)


@dataclass(frozen=True, eq=False)
class GrantNode:
    """A grant as one request shows it: with the node of its announcement, whose requested
    language its labels, partners' country names and theme topic follow, and that topic's
    node (None when it has none readers may see)."""

    grant: Grant
    page: PageNode
    topic: PageNode | None

    @property
    def obj(self):
        return self.grant

    @property
    def locale_code(self):
        return self.page.locale_code


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
        default_resolver = node_field  # a GrantNode

    @staticmethod
    def resolve_recipient(node, info):
        return Node(node.grant.recipient, node.locale_code)

    @staticmethod
    def resolve_partners(node, info):
        # Prefetched with the grants.
        return [Node(partner, node.locale_code) for partner in node.grant.partners.all()]

    @staticmethod
    def resolve_programme(node, info):
        return node.grant.programme or None

    @staticmethod
    def resolve_programme_label(node, info):
        return label(Programme, node.grant.programme, node.locale_code)

    @staticmethod
    def resolve_topic(node, info):
        return node.topic

    @staticmethod
    def resolve_announcement(node, info):
        return node.page


def load_grants(nodes, context):
    """announcement id -> its grants' nodes, with recipients and partners (three queries)."""
    grants = defaultdict(list)
    pages = [node.page for node in nodes]
    if nodes and nodes[0].batch.in_memory:  # a preview: the form's grants, unsaved
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
        context.tag(cache_tags.snippet("recipient", grant.recipient_id))
        context.tag(
            *(cache_tags.snippet("partner", partner.pk) for partner in grant.partners.all())
        )
    for node in grant_nodes(rows, {node.page.pk: node for node in nodes}, context):
        grants[node.grant.page_id].append(node)
    return grants


def grant_nodes(grants, page_nodes, context):
    """Nodes of ``grants`` on their pages' nodes (``page_nodes``: page id -> node), each
    with its theme topic in its page's requested language (a query or two per language)."""
    by_code = defaultdict(set)
    for grant in grants:
        if grant.topic_id:
            by_code[page_nodes[grant.page_id].locale_code].add(grant.topic_id)
    topics = {}  # (language, topic id) -> the topic's node in that language
    for code, ids in by_code.items():
        found = localize_pages(ids, code, context)
        specific = TopicPage.objects.filter(pk__in=[p.pk for p in found.values()])
        nodes = {node.page.pk: node for node in wrap_pages(list(specific), code)}
        for topic_id, target in found.items():
            topics[(code, topic_id)] = nodes.get(target.pk)
    result = []
    for grant in grants:
        page = page_nodes[grant.page_id]
        result.append(GrantNode(grant, page, topics.get((page.locale_code, grant.topic_id))))
    return result


@register_page_type(GrantAnnouncementPage)
class GrantAnnouncementPageType(PageNodeType):
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
    def resolve_announced_total(node, info):
        return node.page.total_amount

    @staticmethod
    def resolve_grants(node, info):
        loaded = node.batch.load("grants", load_grants, ApiContext.of(info))
        return loaded.get(node.page.pk, [])


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
        nodes = wrap_pages(list(pages.values()), window.locale_code)
        for grant in grants:
            context.tag(cache_tags.snippet("recipient", grant.recipient_id))
            context.tag(
                *(cache_tags.snippet("partner", partner.pk) for partner in grant.partners.all())
            )
        return grant_nodes(grants, {node.page.pk: node for node in nodes}, context)
