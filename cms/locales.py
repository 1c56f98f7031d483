"""The site's languages, as every layer reads them: locale ids to language codes (cached
per process: locales change about never; any change of one clears the cache), the default
language, and the language-fallback rule (``preferred_version``)."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Locale

_LOCALES = {}


def cached_locales():
    """Locale id -> language code, read once per process, again after any change."""
    if "map" not in _LOCALES:
        _LOCALES["map"] = dict(Locale.objects.values_list("pk", "language_code"))
    return _LOCALES["map"]


@receiver([post_save, post_delete], sender=Locale)
def forget_locales(**kwargs):
    _LOCALES.clear()


def default_language():
    """The language readers get when they ask for none: the site's first content language
    (``LANGUAGE_CODE``, Swedish for the demo), never a code written into the API."""
    return settings.LANGUAGE_CODE


def preferred_version(versions, *locale_ids, any_version=True):
    """The language-fallback rule, written once: which of a translation group's versions a
    reader gets. ``versions`` are those the reader may see (``cms.visibility``).

    The version in the first of ``locale_ids`` that has one (the reader's language first,
    then any the caller names: the language of the page a path, id or link named, or of the
    article a topic is shown with); else, unless the caller named a page that is not
    visible (``any_version=False``), the earliest created version: the source translators
    started from. None when no version fits.

    Lists and search apply it through ``cms.versions`` (which stores its answer per language
    and time window); ``page``, links, and an article's topics call it directly.
    """
    versions = list(versions)
    for locale_id in locale_ids:
        in_language = [version for version in versions if version.locale_id == locale_id]
        if locale_id is not None and in_language:
            return min(in_language, key=lambda version: version.pk)
    if not any_version:
        return None
    return min(versions, key=lambda version: version.pk, default=None)
