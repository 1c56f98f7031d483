"""What a whole site needs from the API: every page (``pages``, for static builds), the
sitemap (``sitemap``, with ``hreflang`` alternates) and moved pages' redirects
(``redirect(path)`` and ``redirects``, from Wagtail's redirects app).

The same rules as every other list: ``ShownVersion`` decides which version of a translation
group readers of a language see, the visibility rule checks every page handed out, and the
number of SQL queries does not grow with the number of pages asked for."""

from collections import defaultdict

import graphene
from django.db.models import Q
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page as WagtailPage
from wagtail.models import Site

from cms import page_types
from cms.graphql_errors import UserInputError
from cms.versions import shown_now, shown_total

from . import tags as cache_tags
from .arguments import check_window, language_arguments, resolve_locale, window_arguments
from .context import LINK_FIELDS, ApiContext, alternates_of, load_specific
from .lists import Window, content_type_ids
from .nodes import PageBatch, node_field
from .sanitize import safe_url
from .types import Alternate, Choice, Page, choices_in

PageType = graphene.Enum(
    "PageType",
    [(entry.name, entry.name) for entry in page_types.registered()],
    description="A page type, as `__typename` names it: for the `types` filter of lists.",
)


class PageList(graphene.ObjectType):
    """A page of pages of any type and the size of the whole filtered list."""

    total_count = graphene.Int(required=True)
    items = graphene.List(graphene.NonNull(Page), required=True)


class SitemapEntry(graphene.ObjectType):
    """One address of a language's sitemap, with its other languages' addresses."""

    url = graphene.String(required=True, description="Frontend path, with the language prefix.")
    last_published_at = graphene.DateTime()
    alternates = graphene.List(graphene.NonNull(Alternate), required=True)

    class Meta:
        default_resolver = node_field  # its items are the pages' nodes

    @staticmethod
    def resolve_url(node, info):
        return ApiContext.of(info).url(node.page)

    @staticmethod
    def resolve_alternates(node, info):
        return alternates_of(node, ApiContext.of(info))


class Sitemap(graphene.ObjectType):
    """A page of a language's sitemap (the protocol allows 50,000 addresses per file: page
    through with `limit` and `offset`)."""

    total_count = graphene.Int(required=True)
    items = graphene.List(graphene.NonNull(SitemapEntry), required=True)


class RedirectType(graphene.ObjectType):
    """Where an old address now leads: a page moved or renamed in the admin (recorded by
    Wagtail's redirects app as it happens) or a redirect an editor made."""

    old_path = graphene.String(required=True, description="The old path, without a trailing slash.")
    to = graphene.String(
        required=True, description="Frontend path of the page it leads to, or an absolute URL."
    )
    is_permanent = graphene.Boolean(
        required=True, description="301/308 when true (the move is for good), else 302/307."
    )
    page = graphene.Field(Page, description="The page it leads to, when it leads to a page.")

    class Meta:
        name = "Redirect"


class RedirectList(graphene.ObjectType):
    """A page of the site's redirects, for a frontend's build-time redirect table."""

    total_count = graphene.Int(required=True)
    items = graphene.List(graphene.NonNull(RedirectType), required=True)


def selected_type_ids(types):
    """Content type ids of the page types asked for (all registered ones when None)."""
    entries = page_types.registered()
    if types is not None:
        names = {getattr(t, "value", t) for t in types}
        entries = [entry for entry in entries if entry.name in names]
    return sorted({pk for entry in entries for pk in content_type_ids(entry.model)})


def shown_pages(info, *, locale, fallback, types, limit, offset, load):
    """A window over the pages readers of a language see, oldest first (a page's id never
    changes, so paging through stays stable while pages are added); ``load(context, ids)``
    reads the window's pages, each checked against the visibility rule."""
    context = ApiContext.of(info)
    code = resolve_locale(info, locale)
    limit, offset = check_window(limit, offset)
    context.tag(cache_tags.PAGES)
    locale_id = context.locale_ids[code]
    type_ids = selected_type_ids(types)
    rows = shown_now(locale_id, fallback).filter(content_type_id__in=type_ids)
    return Window(
        rows.order_by("page_id").values_list("page_id", flat=True),
        limit,
        offset,
        code,
        prepare=lambda ids: load(context, ids),
        count=lambda: shown_total(locale_id, fallback, type_ids),
    )


def specific_pages(context, ids):
    """``pages``: every field of every page type may be asked for."""
    return load_specific(ids, defer_streamfields=True, visible=context.visible)


def link_pages(context, ids):
    """``sitemap``: an address, its date and its alternates need no page type's own fields."""
    pages = context.visible(WagtailPage.objects.filter(pk__in=ids)).only(
        *LINK_FIELDS, "last_published_at"
    )
    found = {page.pk: page for page in pages}
    return [found[pk] for pk in ids if pk in found]


def redirects_of_site():
    """The redirects that apply to the site the API serves (the default site), and those
    made for every site."""
    site = Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()
    return Redirect.objects.filter(Q(site__isnull=True) | Q(site_id=site))


def resolved(info, redirects):
    """``Redirect`` rows as the API shows them; one leading to a page readers cannot see
    (unpublished, private) is left out: its address would tell what is hidden."""
    context = ApiContext.of(info)
    context.tag(cache_tags.REDIRECTS)
    redirects = list(redirects)
    ids = list(dict.fromkeys(r.redirect_page_id for r in redirects if r.redirect_page_id))
    pages = {
        page.pk: page
        for page in load_specific(ids, defer_streamfields=True, visible=context.visible)
    }
    by_language = defaultdict(list)
    for page in pages.values():
        by_language[context.locale_code(page)].append(page)
    batch = PageBatch()  # one batch: relations load once for every target page
    nodes = {}
    for code, same_language in by_language.items():
        # Each in its own language: no fallback.
        nodes.update((node.page.pk, node) for node in batch.wrap(same_language, code))
    result = []
    for redirect in redirects:
        if redirect.redirect_page_id:
            page = nodes.get(redirect.redirect_page_id)
            if page is None:
                context.tag(cache_tags.PAGES)  # published later, it must appear here
                continue
            target = context.url(page.page)
        else:
            page, target = None, safe_url(redirect.redirect_link)
        if target:
            result.append(
                RedirectType(
                    old_path=redirect.old_path,
                    to=target,
                    is_permanent=redirect.is_permanent,
                    page=page,
                )
            )
    return result


def find_redirect(info, path):
    """``redirect(path)``: where an old address leads now, or null."""
    if len(path) > 2000 or not path.startswith("/"):
        raise UserInputError("path must be a URL path starting with '/', e.g. '/sv/nyheter/'.")
    candidates = {Redirect.normalise_path(path), Redirect.normalise_path(path, False)}
    rows = redirects_of_site().filter(old_path__in=candidates).order_by("site_id")[:1]
    found = resolved(info, rows)
    return found[0] if found else None


class RedirectWindow:
    """``redirects``: a page of them, oldest first."""

    def __init__(self, info, limit, offset):
        self.info = info
        self.queryset = redirects_of_site().order_by("pk")
        self.limit, self.offset = limit, offset

    @property
    def total_count(self):
        return self.queryset.count()

    @property
    def items(self):
        window = self.queryset[self.offset : self.offset + self.limit] if self.limit else []
        return resolved(self.info, window)


class PageQueries(graphene.ObjectType):
    pages = graphene.Field(
        PageList,
        required=True,
        **language_arguments(),
        types=graphene.List(graphene.NonNull(PageType), description="Only these page types."),
        **window_arguments(),
        description="Every live, public page, each translation group once (in the language "
        "asked for where it has one, else flagged `isFallback`), oldest first: for static "
        "builds and indexes of the whole site.",
    )
    sitemap = graphene.Field(
        Sitemap,
        required=True,
        locale=graphene.String(description="Language code; omitted: the default language."),
        **window_arguments(),
        description="The public addresses in one language, with `hreflang` alternates.",
    )
    redirect = graphene.Field(
        RedirectType,
        path=graphene.String(required=True, description="An old path, e.g. '/sv/gammal-sida/'."),
        description="Where an old address leads now (a moved or renamed page), or null.",
    )
    page_types = graphene.List(
        graphene.NonNull(Choice),
        required=True,
        locale=graphene.String(),
        description="Every `PageType` with its name for readers in the language asked for.",
    )
    redirects = graphene.Field(
        RedirectList,
        required=True,
        **window_arguments(),
        description="Every redirect, for a frontend's build-time redirect table.",
    )

    @staticmethod
    def resolve_pages(root, info, *, fallback, limit, offset, locale=None, types=None):
        return shown_pages(
            info,
            locale=locale,
            fallback=fallback,
            types=types,
            limit=limit,
            offset=offset,
            load=specific_pages,
        )

    @staticmethod
    def resolve_sitemap(root, info, *, limit, offset, locale=None):
        """The addresses in one language only: a page shown in another language as a
        fallback is in that language's sitemap."""
        return shown_pages(
            info,
            locale=locale,
            fallback=False,
            types=None,
            limit=limit,
            offset=offset,
            load=link_pages,
        )

    @staticmethod
    def resolve_page_types(root, info, locale=None):
        entries = page_types.registered()
        return choices_in(
            [(entry.name, entry.label) for entry in entries], resolve_locale(info, locale)
        )

    @staticmethod
    def resolve_redirect(root, info, *, path):
        return find_redirect(info, path)

    @staticmethod
    def resolve_redirects(root, info, *, limit, offset):
        limit, offset = check_window(limit, offset)
        return RedirectWindow(info, limit, offset)
