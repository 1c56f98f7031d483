"""Keep the index current: publishing (and translating, which publishes) reindexes a page,
making a live alias indexes it, unpublishing removes it, deleting cascades. Privacy, expiry
and moves need no reindex: which version of a group readers see is ``ShownVersion``'s, which
each document copies into ``shown_in`` whenever those rows change. Renaming a grant
recipient or partner reindexes the grant announcements that name them."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from cms.signals import shown_versions_changed

from . import indexing


@receiver(page_published)
def index_published_page(sender, instance, **kwargs):
    indexing.index_page(instance)


@receiver(post_save)
def index_new_alias(sender, instance, created=False, raw=False, **kwargs):
    """Wagtail sends ``page_published`` for an alias when its original is published again,
    but not when the alias is made: a live alias is searchable at once, as it is listed."""
    if (
        created
        and not raw
        and isinstance(instance, Page)
        and instance.alias_of_id
        and instance.live
    ):
        indexing.index_page(instance)


@receiver(page_unpublished)
def remove_unpublished_page(sender, instance, **kwargs):
    indexing.remove_pages([instance.pk])


def reindex_announcements(grant_filter):
    from news.models import Grant, GrantAnnouncementPage

    page_ids = Grant.objects.filter(**grant_filter).values("page_id")
    pages = indexing.prefetch(GrantAnnouncementPage.objects.live().filter(pk__in=page_ids))
    indexing.index_pages(list(pages))


@receiver(post_save, sender="news.Recipient")
def recipient_changed(sender, instance, created, **kwargs):
    if not created:
        transaction.on_commit(lambda: reindex_announcements({"recipient": instance}))


@receiver(post_save, sender="news.PartnerOrganisation")
def partner_changed(sender, instance, created, **kwargs):
    if not created:
        transaction.on_commit(lambda: reindex_announcements({"partners": instance}))


@receiver(shown_versions_changed)
def copy_shown_versions(sender, keys, **kwargs):
    """Documents keep where their pages are shown (``shown_in``): search filters on that
    column of the rows it matches instead of joining ``ShownVersion`` for every match."""
    indexing.update_shown_in(keys)
