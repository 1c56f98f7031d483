"""Signals of the content core.

``content_changed`` is sent once for every change readers can see (a page published,
unpublished, deleted, moved or made private; an image or a snippet changed), after the
change has committed, by ``cms.api.invalidation`` (which first records and reserves the
change's cache tags in the editor's transaction, and stamps them after the receivers ran).
Receivers get keyword arguments:

- ``event``: ``page.published``, ``page.unpublished``, ``page.deleted``, ``page.moved``,
  ``page.privacy_changed``, ``image.changed``, ``image.deleted`` or ``snippet.changed``;
- ``page``: the Wagtail page, or None for images and snippets;
- ``tags``: the set of cache tags the change reaches (vocabulary: ``cms.api.tags``);
- ``extra``: ``old_url`` / ``new_url`` of a page, ``image_id`` of an image.

Each receiver runs on its own (``send_robust``): one that fails is logged and does not stop
the others or the invalidation. Webhooks (``webhooks.dispatch``) are one receiver.

``shown_versions_changed`` is sent by ``cms.versions`` when it has rewritten the
``ShownVersion`` rows of some translation groups (``keys``: their translation keys, or None
for all), inside the transaction that wrote them and holding their locks
(``cms.versions.lock_groups``), so a receiver that keeps a copy of those rows (the search
index's ``shown_in``) updates it in the same transaction.
"""

from django.dispatch import Signal

content_changed = Signal()
shown_versions_changed = Signal()
