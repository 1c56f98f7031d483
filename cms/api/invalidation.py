"""What an editor's change affects: the cache tags of a page, image or snippet event.

Used twice: to invalidate exactly those cached API responses (``cms.api.cache``) and to
tell frontends in webhook payloads which tags to purge. Handlers run after the
transaction commits, so no reader can re-cache the old state in between.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from cms import page_types
from cms.locales import cached_locales
from cms.signals import content_changed
from cms.visibility import hidden_closure, with_originals

from . import cache
from . import tags as cache_tags

logger = logging.getLogger("cms.api")


def page_tags(page, descendants=False):
    """Tags of a page, its translations (the language switcher and fallbacks show them),
    and, when the change reaches them (unpublish, move, privacy), their subpages."""
    group = Page.objects.filter(translation_key=page.translation_key)
    condition = Q(pk__in=group.values("pk"))
    if descendants:
        for path in group.values_list("path", flat=True):
            condition |= Q(path__startswith=path)
    rows = list(
        Page.objects.filter(condition).values_list("pk", "translation_key", "content_type_id")
    )
    tags = {cache_tags.page(pk) for pk, _, _ in rows}
    tags |= {cache_tags.translation_group(key) for _, key, _ in rows}
    tags.add(cache_tags.page(page.pk))
    tags.add(cache_tags.translation_group(page.translation_key))
    models = {ContentType.objects.get_for_id(ct).model_class() for _, _, ct in rows}
    models.add(page.specific_class)
    if descendants and len(rows) > len(set(group.values_list("pk", flat=True))):
        tags.update(cache_tags.LISTS)
    else:
        tags.add(cache_tags.PAGES)
        for model in models:
            entry = page_types.entry_for(model) if model is not None else None
            tags.update(cache_tags.listing(name) for name in (entry.reaches if entry else ()))
    return tags


def reach_tags(page, restricted=False):
    """Tags of every page whose visibility a privacy change or a move of ``page`` can reach:
    its subtree, translations, aliases and theirs (``visibility.hidden_closure``), and for a
    restriction the originals it is an alias of. A cached
    answer showing an alias of a page in a section made private goes too."""
    paths = with_originals([page.path]) if restricted else [page.path]
    roots = hidden_closure(paths)
    condition = Q()
    for path in roots:
        condition |= Q(path__startswith=path)
    rows = Page.objects.filter(condition).values_list("pk", "translation_key")
    return {cache_tags.page(pk) for pk, _ in rows} | {
        cache_tags.translation_group(key) for _, key in rows
    }


def emit(event, tags, page=None, extra=None):
    """Invalidate the change's tags and send ``content_changed``, in three steps that
    together never leave a stale answer (``docs/caching.md``):

    1. now, in the editor's transaction: the tags are recorded (``PendingInvalidation``) and
       reserved in the cache; if the cache does not take the reservation,
       ``CacheUnavailable`` rolls the change back (the editor is told to try again);
    2. after the commit, ``content_changed`` goes to its receivers (webhooks), each on its
       own: one failing does not stop the others or the invalidation;
    3. then the tags get their final stamp and the record goes; if the cache fails now, the
       tags stay reserved (misses, not stale answers) and the record waits for the next
       change or ``flush_invalidations``.
    """
    from cms.models import PendingInvalidation

    tags = set(tags)
    record = PendingInvalidation.objects.create(tags=sorted(tags))
    try:
        cache.reserve(tags)
    except cache.CacheUnavailable:
        if transaction.get_connection().in_atomic_block:
            raise  # the change rolls back with its record
        # Committed already (code outside a transaction): nothing to refuse; the record
        # stays pending for flush_invalidations.
        logger.error("Change committed while the cache was unavailable; invalidation pending")

    def run():
        responses = content_changed.send_robust(
            sender=None, event=event, page=page, tags=tags, extra=extra or {}
        )
        for receiver_function, response in responses:
            if isinstance(response, Exception):
                logger.error(
                    "Receiver %r of content_changed failed for %s",
                    receiver_function,
                    event,
                    exc_info=response,
                )
        flush_pending(first=record.pk)

    transaction.on_commit(run)


def flush_pending(first=None):
    """Give every pending invalidation its final stamp (``first``'s own first), deleting
    each record whose tags the cache took. Returns how many are still pending."""
    from cms.models import PendingInvalidation

    records = list(PendingInvalidation.objects.order_by("pk"))
    records.sort(key=lambda record: record.pk != first)
    for record in records:
        try:
            cache.invalidate(record.tags)
        except Exception:  # noqa: BLE001 - the cache is down: the tags stay reserved
            cache.mark_down()
            logger.warning(
                "Cache invalidation pending (%s tags); answers using them are not cached "
                "until it is applied",
                len(record.tags),
                exc_info=True,
            )
            return PendingInvalidation.objects.count()
        PendingInvalidation.objects.filter(pk=record.pk).delete()
    return 0


def url_of(page):
    """The page's path (``/sv/nyheter/x/``), also when "View live" opens a frontend."""
    try:
        parts = page.get_url_parts()
    except Exception:  # noqa: BLE001 - a page outside any site has no URL
        return None
    return parts[2] if parts else None


@receiver(page_published)
def on_publish(sender, instance, **kwargs):
    emit(
        "page.published",
        page_tags(instance, descendants=instance.numchild > 0),
        instance,
        {"new_url": url_of(instance)},
    )


@receiver(page_unpublished)
def on_unpublish(sender, instance, **kwargs):
    emit(
        "page.unpublished",
        page_tags(instance, descendants=True),
        instance,
        {"old_url": url_of(instance)},
    )


@receiver(pre_delete, sender=Page)
def on_delete(sender, instance, **kwargs):
    # Tags are computed before the rows go; sent after commit.
    emit(
        "page.deleted",
        page_tags(instance, descendants=True),
        instance,
        {"old_url": url_of(instance)},
    )


@receiver(post_page_move)
def on_move(sender, instance, url_path_before, url_path_after, **kwargs):
    if url_path_before == url_path_after:
        return
    emit(
        "page.moved",
        page_tags(instance, descendants=True) | reach_tags(instance),
        instance,
        {"old_url": _url_from_path(instance, url_path_before), "new_url": url_of(instance)},
    )


def _url_from_path(page, url_path):
    from wagtail.models import Site

    code = cached_locales().get(page.locale_id, "")
    for root in Site.get_site_root_paths():
        if root.language_code == code and url_path.startswith(root.root_path):
            return f"/{code}/{url_path[len(root.root_path) :]}"
    return None


@receiver([post_save, post_delete], sender=PageViewRestriction)
def on_privacy_change(sender, instance, **kwargs):
    try:
        page = Page.objects.get(pk=instance.page_id)
    except Page.DoesNotExist:
        return
    tags = (
        page_tags(page, descendants=True)
        | reach_tags(page, restricted=True)
        | set(cache_tags.LISTS)
    )
    emit("page.privacy_changed", tags, page, {})


@receiver([post_save, post_delete], sender="cms.CustomImage")
def on_image_change(sender, instance, **kwargs):
    event = "image.deleted" if kwargs.get("signal") is post_delete else "image.changed"
    emit(event, {cache_tags.image(instance.pk)}, None, {"image_id": instance.pk})


@receiver([published, unpublished])
def on_snippet_publish(sender, instance, **kwargs):
    from cms.models import SiteSettings

    if isinstance(instance, SiteSettings):
        emit("snippet.changed", {cache_tags.snippet("sitesettings", instance.pk), cache_tags.SITE})


@receiver(post_delete, sender="cms.SiteSettings")
def on_site_settings_delete(sender, instance, **kwargs):
    emit("snippet.changed", {cache_tags.snippet("sitesettings", instance.pk), cache_tags.SITE})


@receiver([post_save, post_delete], sender="wagtailredirects.Redirect")
def on_redirect_change(sender, instance, **kwargs):
    """A redirect made, changed or deleted in the admin, or made by a page's move."""
    emit("redirect.changed", {cache_tags.REDIRECTS})


def snippet_changed(name, pk, *lists):
    """For an app's own snippets: answers showing snippet ``name``/``pk`` (tagged with
    ``cache_tags.snippet(name, pk)``) and the given list tags are invalidated."""
    emit("snippet.changed", {cache_tags.snippet(name, pk), *lists})
