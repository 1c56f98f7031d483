"""Validation of client arguments; every rejection is a ``UserInputError`` (HTTP 400)."""

import graphene
from django.conf import settings

from cms.graphql_errors import UserInputError
from cms.locales import default_language

from .context import ApiContext
from .defaults import API_DEFAULTS

#: The page size of a paged list when the query gives no ``limit``: the one place it is
#: written (the fields' defaults in the schema, and ``check_window``, read it).
DEFAULT_LIMIT = 20


_FROM_DEFAULTS = object()


def api_setting(name, default=_FROM_DEFAULTS):
    """``CMS_API[name]``; when the setting leaves it out, ``default`` if given (a default
    that depends on other settings, such as ``DEBUG``), else ``API_DEFAULTS[name]``."""
    if default is _FROM_DEFAULTS:
        default = API_DEFAULTS[name]
    return getattr(settings, "CMS_API", {}).get(name, default)


def window_arguments():
    """``limit`` and ``offset`` of a paged list field. Graphene passes their defaults to
    the resolver, so resolvers take them as keyword-only arguments without defaults of
    their own (a default written twice can disagree)."""
    return {
        "limit": graphene.Int(default_value=DEFAULT_LIMIT),
        "offset": graphene.Int(default_value=0),
    }


def language_arguments():
    """``locale`` (omitted: the default language) and ``fallback`` of a list field."""
    return {"locale": graphene.String(), "fallback": graphene.Boolean(default_value=True)}


def resolve_locale(info, locale):
    """A client's language code, checked against the site's languages; omitted: default."""
    context = ApiContext.of(info)
    available = context.available_codes()
    if locale is None:
        locale = default_language()
    elif locale not in available:
        raise UserInputError(
            f"Unknown locale {locale!r}. Available locales: {', '.join(available)}."
        )
    context.language_codes.add(locale)
    return locale


def check_window(limit, offset):
    """Pagination bounds: 0 <= limit <= MAX_LIMIT, 0 <= offset <= MAX_OFFSET."""
    max_limit = api_setting("MAX_LIMIT")
    max_offset = api_setting("MAX_OFFSET")
    if limit is None:
        limit = DEFAULT_LIMIT
    if offset is None:
        offset = 0
    if limit < 0 or limit > max_limit:
        raise UserInputError(f"limit must be between 0 and {max_limit}, not {limit}.")
    if offset < 0 or offset > max_offset:
        raise UserInputError(f"offset must be between 0 and {max_offset}, not {offset}.")
    return limit, offset


def check_choice(name, value, choices):
    """A string argument that must be one of a model's choice values."""
    if value is None:
        return None
    allowed = [str(choice) for choice in choices.values]
    if value not in allowed:
        raise UserInputError(f"Unknown {name} {value!r}. Allowed: {', '.join(allowed)}.")
    return value


def check_year(value):
    if value is None:
        return None
    if not 1900 <= value <= 2200:
        raise UserInputError(f"year must be between 1900 and 2200, not {value}.")
    return value
