"""Whether a translation keeps up with its source: one rule for the API and the admin.

wagtail-localize keeps, per translated object, a frozen copy of its source
(``TranslationSource``, refreshed when a translator syncs: "Sync translated pages") and, per
target language, a ``Translation``. A translated page **may be out of date** when its source
page was published after either

- the source was last synced for translation (the translator has not been given the new
  text), or
- the translated page was last published (the translator has not published what they made
  of it).

The rule errs towards "may be out of date" (a republished source with no changes counts), which
is what a reader's note says ("this English version may be out of date; read the Swedish
original"). A page with no ``TranslationSource`` (written by hand in each language, or the
source itself) is never out of date: there is no source to keep up with.
"""

from dataclasses import dataclass
from datetime import datetime

from wagtail_localize.models import Translation


@dataclass(frozen=True)
class SyncState:
    """The source a language version of a page is translated from, and when it was synced."""

    source_locale_id: int
    synced_at: datetime


def sync_states(translation_keys):
    """(translation key, target locale id) -> ``SyncState`` for every enabled translation of
    these translation groups. One query, whatever the number of keys."""
    rows = Translation.objects.filter(
        enabled=True, source__object_id__in=set(translation_keys)
    ).values_list(
        "source__object_id", "target_locale_id", "source__locale_id", "source__last_updated_at"
    )
    return {
        (key, target): SyncState(source_locale_id=source_locale, synced_at=synced_at)
        for key, target, source_locale, synced_at in rows
    }


def is_outdated(page, source_page, state):
    """The rule of the module docstring. ``page`` and ``source_page`` need
    ``last_published_at``; ``source_page`` is None when readers cannot see the source (then
    nothing is compared: its dates are not the reader's business)."""
    if state is None or source_page is None or source_page.pk == page.pk:
        return False
    source_published = source_page.last_published_at
    if source_published is None or page.last_published_at is None:
        return False
    return source_published > page.last_published_at or source_published > state.synced_at


def outdated_in_group(page, group, states):
    """``is_outdated`` for ``page`` among ``group`` (the versions of its translation group a
    reader may see, ``page`` included or not) with ``states`` from ``sync_states``."""
    state = states.get((page.translation_key, page.locale_id))
    if state is None:
        return False
    source_page = next((p for p in group if p.locale_id == state.source_locale_id), None)
    return is_outdated(page, source_page, state)
