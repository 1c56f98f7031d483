"""The translations report's two columns of ours: how much is translated, and whether the
published translation keeps up with its source (the API's ``isOutdated``, same rule)."""

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from wagtail.models import DraftStateMixin

from cms.translation_status import SyncState, is_outdated

register = template.Library()


@register.simple_tag
def translated_share(translation):
    """ "7 of 10 segments (70%)": what a translator has left, per page and language."""
    total, done = translation.get_progress()
    if not total:
        return _("Nothing to translate")
    return _("%(done)s of %(total)s segments (%(percent)s%%)") % {
        "done": done,
        "total": total,
        "percent": round(100 * done / total),
    }


@register.simple_tag
def publication_state(translation):
    """Draft, may be out of date, or up to date: what readers of that language get."""
    try:
        target = translation.get_target_instance()
        source = translation.source.get_source_instance()
    except ObjectDoesNotExist:
        return _("Not created yet")
    if isinstance(target, DraftStateMixin) and not target.live:
        return _("Draft: readers get the source language")
    state = SyncState(translation.source.locale_id, translation.source.last_updated_at)
    if hasattr(target, "last_published_at") and is_outdated(target, source, state):
        return _("May be out of date: the source has been published since")
    return _("Up to date")
