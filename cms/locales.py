"""The site's languages, as every layer reads them: locale ids to language codes, cached
per process (locales change about never; any change of one clears the cache)."""

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
