"""The root GraphQL schema, composed from each app's query class."""

import graphene
from django.conf import settings
from wagtail.models import Locale

from .graphql_errors import UserInputError


class LocaleType(graphene.ObjectType):
    """A content language the site publishes in."""

    code = graphene.String(required=True, description="Language code, e.g. 'sv'.")
    name = graphene.String(required=True, description="The language's own name, e.g. 'Svenska'.")
    is_default = graphene.Boolean(required=True)


class SiteType(graphene.ObjectType):
    """Site-wide facts a frontend needs before it renders any page."""

    locale = graphene.String(required=True)
    locales = graphene.List(graphene.NonNull(LocaleType), required=True)


def available_locales():
    """The configured content languages that exist as Wagtail locales, default first."""
    names = dict(settings.WAGTAIL_CONTENT_LANGUAGES)
    codes = set(Locale.objects.values_list("language_code", flat=True))
    return [
        LocaleType(code=code, name=names[code], is_default=code == settings.LANGUAGE_CODE)
        for code in names
        if code in codes
    ]


def resolve_locale_code(locale):
    """Validate a client-supplied language code; omitted means the default language."""
    if locale is None:
        return settings.LANGUAGE_CODE
    codes = [item.code for item in available_locales()]
    if locale not in codes:
        raise UserInputError(f"Unknown locale {locale!r}. Available locales: {', '.join(codes)}.")
    return locale


class CmsQueries(graphene.ObjectType):
    site = graphene.Field(SiteType, required=True, locale=graphene.String())

    def resolve_site(root, info, locale=None):
        return SiteType(locale=resolve_locale_code(locale), locales=available_locales())


class Query(CmsQueries, graphene.ObjectType):
    """Root query type."""


schema = graphene.Schema(query=Query)
