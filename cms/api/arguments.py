"""Validation of client arguments; every rejection is a ``UserInputError`` (HTTP 400)."""

from django.conf import settings

from cms.graphql_errors import UserInputError
from cms.locales import default_language

from .context import ApiContext


def api_setting(name, default):
    return getattr(settings, "CMS_API", {}).get(name, default)


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
    max_limit = api_setting("MAX_LIMIT", 100)
    max_offset = api_setting("MAX_OFFSET", 10_000)
    if limit is None:
        limit = 20
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
