"""GraphQL search: ``search`` (ranked pages with highlights and facets) and ``suggest``."""

import graphene

from cms import page_types
from cms.api import tags as cache_tags
from cms.api.arguments import (
    check_window,
    check_year,
    language_arguments,
    resolve_locale,
    window_arguments,
)
from cms.api.context import ApiContext, load_specific, selects
from cms.api.nodes import wrap_pages
from cms.api.pages import PageType
from cms.api.types import Page
from cms.graphql_errors import UserInputError

from .query import CONTROL, run_search, suggestions

MAX_QUERY_LENGTH = 200


class FacetValue(graphene.ObjectType):
    """One value of a facet and how many results have it (visibility rules applied)."""

    value = graphene.String(required=True)
    label = graphene.String(required=True)
    count = graphene.Int(required=True)


class SearchFacets(graphene.ObjectType):
    """Counts over the whole result set, for filters: page types, topics (by slug), years."""

    types = graphene.List(graphene.NonNull(FacetValue), required=True)
    topics = graphene.List(graphene.NonNull(FacetValue), required=True)
    years = graphene.List(graphene.NonNull(FacetValue), required=True)


class SearchHit(graphene.ObjectType):
    """A result: the page, its relevance, and an HTML-safe excerpt with <mark>ed words."""

    score = graphene.Float(required=True)
    highlight = graphene.String(required=True)
    page = graphene.Field(Page, required=True)


class SearchResults(graphene.ObjectType):
    total_count = graphene.Int(required=True)
    items = graphene.List(graphene.NonNull(SearchHit), required=True)
    facets = graphene.Field(SearchFacets, required=True)


class Suggestion(graphene.ObjectType):
    """A page title that starts with (a word starting with) what the reader typed."""

    title = graphene.String(required=True)
    url = graphene.String(required=True)
    locale = graphene.String(required=True)
    is_fallback = graphene.Boolean(required=True)


def clean_query(query, name="query"):
    """Trimmed, without control characters (PostgreSQL refuses NUL); empty is an error."""
    query = CONTROL.sub(" ", query or "")
    if not query.strip():
        raise UserInputError(f"{name} must not be empty.")
    if len(query) > MAX_QUERY_LENGTH:
        raise UserInputError(f"{name} must be at most {MAX_QUERY_LENGTH} characters.")
    return query.strip()


class SearchQueries(graphene.ObjectType):
    search = graphene.Field(
        SearchResults,
        required=True,
        query=graphene.String(required=True),
        **language_arguments(),
        types=graphene.List(
            graphene.NonNull(PageType), description="Only these (searchable) page types."
        ),
        topic=graphene.String(description="A topic page's slug, in any language."),
        year=graphene.Int(),
        **window_arguments(),
        description="Pages matching the query, analysed in each page's own language.",
    )
    suggest = graphene.List(
        graphene.NonNull(Suggestion),
        required=True,
        prefix=graphene.String(required=True),
        locale=graphene.String(),
        limit=graphene.Int(default_value=8),
    )

    @staticmethod
    def resolve_search(
        root,
        info,
        query,
        *,
        fallback,
        limit,
        offset,
        locale=None,
        types=None,
        topic=None,
        year=None,
    ):
        from topics.models import TopicPage

        context = ApiContext.of(info)
        code = resolve_locale(info, locale)
        context.tag(cache_tags.SEARCH)
        query = clean_query(query)
        limit, offset = check_window(limit, offset)
        check_year(year)
        if types is not None:
            types = [getattr(t, "value", t) for t in types]
            searchable = [entry.name for entry in page_types.searchable()]
            unknown = [t for t in types if t not in searchable]
            if unknown:
                raise UserInputError(
                    f"Unknown type {unknown[0]!r}. Allowed: {', '.join(searchable)}."
                )
        topic_keys = None
        if topic is not None:
            topic = CONTROL.sub("", topic)
            topic_keys = list(
                TopicPage.objects.filter(slug=topic[:255]).values_list("translation_key", flat=True)
            )
        outcome = run_search(context, query, code, fallback, types, topic_keys, year, limit, offset)
        ids = [hit.page_id for hit in outcome.hits]
        # Every hit is checked against the visibility rules here, where its page is loaded.
        specific = load_specific(ids, not selects(info, "body"), visible=context.visible)
        pages = {node.page.pk: node for node in wrap_pages(specific, code)}
        hits = []
        for hit in outcome.hits:
            if hit.page_id in pages:
                hit.page = pages[hit.page_id]
                hits.append(hit)
        facets = SearchFacets(
            **{
                name: [FacetValue(**value) for value in values]
                for name, values in outcome.facets.items()
            }
        )
        return SearchResults(total_count=outcome.total, items=hits, facets=facets)

    @staticmethod
    def resolve_suggest(root, info, prefix, *, limit, locale=None):
        context = ApiContext.of(info)
        code = resolve_locale(info, locale)
        context.tag(cache_tags.SEARCH)
        prefix = clean_query(prefix, "prefix")
        if limit < 0 or limit > 20:
            raise UserInputError(f"limit must be between 0 and 20, not {limit}.")
        from wagtail.models import Page as WagtailPage

        ids = suggestions(context, prefix, code, limit)
        pages = context.visible(WagtailPage.objects.filter(pk__in=ids)).in_bulk()
        result = []
        for pk in ids:
            page = pages.get(pk)
            if page is None:
                continue
            page_code = context.locale_code(page)
            result.append(
                Suggestion(
                    title=page.title,
                    url=context.url(page),
                    locale=page_code,
                    is_fallback=page_code != code,
                )
            )
        return result
