"""The root GraphQL schema, composed from each app's query class, and the shared queries:
one page by path or id, and the site (languages, menu, footer)."""

from urllib.parse import unquote

import graphene
from django.conf import settings
from django.utils import timezone
from wagtail.models import Page as WagtailPage

from news.schema import NewsQueries
from search.schema import SearchQueries
from topics.schema import TopicsQueries

from .api import tags as cache_tags
from .api.arguments import resolve_locale
from .api.context import ApiContext, localize_pages
from .api.nodes import wrap_pages
from .api.pages import PageQueries
from .api.preview import page_from_preview_token
from .api.sanitize import safe_url
from .api.types import (
    ALL_BLOCK_TYPES,
    Image,
    Page,
    PageLink,
    PageNodeType,
    all_api_types,
    api_type_of,
    body_field,
    hero_image,
    register_page_type,
)
from .graphql_errors import UserInputError
from .locales import default_language, preferred_version
from .models import HomePage, SiteSettings, StandardPage


@register_page_type(HomePage)
class HomePageType(PageNodeType):
    """The start page of one language."""

    intro = graphene.String(required=True)
    body = body_field()

    class Meta:
        name = "HomePage"
        interfaces = (Page,)


@register_page_type(StandardPage)
class StandardPageType(PageNodeType):
    """A page such as 'Om ICLD', whose body may hold commitment blocks."""

    intro = graphene.String(required=True)
    hero_image = graphene.Field(Image, resolver=hero_image)
    body = body_field()

    class Meta:
        name = "StandardPage"
        interfaces = (Page,)


class LocaleType(graphene.ObjectType):
    """A content language the site publishes in."""

    code = graphene.String(required=True, description="Language code, e.g. 'sv'.")
    name = graphene.String(required=True, description="The language's own name, e.g. 'Svenska'.")
    is_default = graphene.Boolean(required=True)


class MenuItem(graphene.ObjectType):
    """A navigation link: a live page in the reader's language, or an external URL."""

    title = graphene.String(required=True)
    url = graphene.String(required=True)
    page = graphene.Field(PageLink)


class SocialLink(graphene.ObjectType):
    service = graphene.String(required=True)
    url = graphene.String(required=True)


class Footer(graphene.ObjectType):
    """Footer and contact details of one language."""

    html = graphene.String(required=True)
    email = graphene.String(required=True)
    phone = graphene.String(required=True)
    address = graphene.String(required=True)
    links = graphene.List(graphene.NonNull(MenuItem), required=True)
    social = graphene.List(graphene.NonNull(SocialLink), required=True)


class SiteType(graphene.ObjectType):
    """Site-wide facts a frontend needs before it renders any page."""

    locale = graphene.String(required=True)
    name = graphene.String(required=True)
    locales = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Language codes the site publishes in, the default first.",
    )
    languages = graphene.List(
        graphene.NonNull(LocaleType), required=True, description="The same, with names."
    )
    menu = graphene.List(graphene.NonNull(MenuItem), required=True)
    footer = graphene.Field(Footer, required=True)

    class Meta:
        name = "Site"


def site_for(info, code):
    """The published site settings of a language, else of the default language."""
    from .api.richtext import RichTextResolver

    context = ApiContext.of(info)
    context.tag(cache_tags.SITE)
    candidates = {
        s.locale_id: s
        for s in SiteSettings.objects.filter(
            live=True,
            expired=False,
            locale_id__in=[context.locale_ids[code], context.locale_ids[default_language()]],
        ).exclude(expire_at__lte=timezone.now())
    }
    chosen = candidates.get(context.locale_ids[code]) or candidates.get(
        context.locale_ids[default_language()]
    )
    names = dict(settings.LANGUAGES)  # each language in its own name
    locales = [
        LocaleType(code=c, name=names[c], is_default=c == default_language())
        for c in context.available_codes()
    ]
    if chosen is None:
        return SiteType(
            locale=code,
            name=settings.WAGTAIL_SITE_NAME,
            locales=[item.code for item in locales],
            languages=locales,
            menu=[],
            footer=Footer(html="", email="", phone="", address="", links=[], social=[]),
        )
    context.tag(cache_tags.snippet("sitesettings", chosen.pk))
    menu_raw = list(chosen.menu.raw_data)
    links_raw = list(chosen.footer_links.raw_data)
    page_ids = {b["value"].get("page") for b in menu_raw + links_raw if b["value"].get("page")}
    pages = localize_pages(page_ids, code, context)
    resolver = RichTextResolver(context, code)
    resolver.collect(chosen.footer_text)

    def items(raw):
        result = []
        for block in raw:
            value = block["value"]
            if value.get("page"):
                page = pages.get(value["page"])
                if page is None:
                    continue  # not live or not public: never linked
                result.append(
                    MenuItem(
                        title=value.get("title") or page.title, url=context.url(page), page=page
                    )
                )
            elif url := safe_url(value.get("url")):
                result.append(MenuItem(title=value.get("title") or url, url=url))
        return result

    return SiteType(
        locale=code,
        name=chosen.organisation_name,
        locales=[item.code for item in locales],
        languages=locales,
        menu=items(menu_raw),
        footer=Footer(
            html=resolver.render(chosen.footer_text),
            email=chosen.contact_email,
            phone=chosen.contact_phone,
            address=chosen.address,
            links=items(links_raw),
            social=[
                SocialLink(service=b["value"]["service"], url=url)
                for b in chosen.social_links.raw_data
                if (url := safe_url(b["value"].get("url")))
            ],
        ),
    )


def has_graphql_type(page):
    return api_type_of(page) is not None


def split_locale_prefix(path, context):
    segments = [segment for segment in path.split("/") if segment]
    if segments and segments[0] in context.locale_ids:
        return segments[0], segments[1:]
    return None, segments


def decoded_path(path):
    """A path as a browser's address bar or a webhook's ``new_url`` gives it
    (``/sv/nyheter/m%C3%B6te/``) or as written (``/sv/nyheter/möte/``): both name one page.
    Slugs never hold ``%``, so decoding a decoded path changes nothing."""
    if "%" not in path:
        return path
    try:
        return unquote(path, errors="strict")
    except UnicodeDecodeError:
        raise UserInputError(
            "path is percent-encoded but is not UTF-8 once decoded; encode the path's text as "
            "UTF-8, e.g. '/sv/nyheter/m%C3%B6te/'."
        ) from None


def find_page(info, path=None, id=None, locale=None):
    """One visible page by frontend path or id, in the requested language when it has a
    live translation there (else in its own, flagged ``isFallback``)."""
    context = ApiContext.of(info)
    code = resolve_locale(info, locale)
    if path is not None:
        if len(path) > 2000 or not path.startswith("/"):
            raise UserInputError("path must be a URL path starting with '/', e.g. '/sv/nyheter/'.")
        path = decoded_path(path)
        path_code, segments = split_locale_prefix(path, context)
        if locale is None and path_code is not None:
            code = path_code  # '/en/...' asks for English
        path_code = path_code or code
        roots = [r for r in context.site_root_paths if r.language_code == path_code]
        if not roots:
            return None
        url_path = roots[0].root_path + "".join(f"{segment}/" for segment in segments)
        queryset = WagtailPage.objects.filter(
            url_path=url_path, locale_id=context.locale_ids[path_code]
        )
    else:
        try:
            page_id = int(id)
        except (TypeError, ValueError):
            raise UserInputError(f"id must be a page id (an integer), not {id!r}.") from None
        queryset = WagtailPage.objects.filter(pk=page_id)
    page = context.visible(queryset).first()
    if page is None:
        context.tag(cache_tags.PAGES)  # a page published here later must replace this null
        return None
    wanted = context.locale_ids[code]
    if page.locale_id != wanted:
        translations = context.visible(
            WagtailPage.objects.filter(translation_key=page.translation_key, locale_id=wanted)
        )[:1]
        page = preferred_version([page, *translations], wanted, page.locale_id)
    page = page.specific
    if not has_graphql_type(page):
        return None  # e.g. the tree's root: not content
    return wrap_pages([page], code)[0]


class CmsQueries(graphene.ObjectType):
    page = graphene.Field(
        Page,
        path=graphene.String(
            description="Frontend path, e.g. '/sv/nyheter/<slug>/' or '/nyheter/<slug>/'."
        ),
        id=graphene.ID(),
        locale=graphene.String(description="Language code; omitted: the default language."),
        preview_token=graphene.String(description="A token from the admin's preview."),
        description="One live, public page, or a previewed revision with a valid token.",
    )
    site = graphene.Field(SiteType, required=True, locale=graphene.String())

    @staticmethod
    def resolve_page(root, info, path=None, id=None, locale=None, preview_token=None):
        given = [
            name
            for name, value in (("path", path), ("id", id), ("previewToken", preview_token))
            if value is not None
        ]
        if len(given) != 1:
            raise UserInputError("Give exactly one of path, id or previewToken.")
        if preview_token is not None:
            return page_from_preview_token(info, preview_token)
        return find_page(info, path=path, id=id, locale=locale)

    @staticmethod
    def resolve_site(root, info, locale=None):
        return site_for(info, resolve_locale(info, locale))


class Query(
    NewsQueries, TopicsQueries, SearchQueries, CmsQueries, PageQueries, graphene.ObjectType
):
    """Root query type."""


def _all_page_types():
    return all_api_types()


schema = graphene.Schema(query=Query, types=[*_all_page_types(), *ALL_BLOCK_TYPES])
