"""Keeps ``ShownVersion`` current: which version of each translation group a list shows.

The rule (the API's language fallback): readers of a language see a group's public version
in their language, else the group's earliest-created public version. Public means what
``cms.visibility`` says; its go-live and expiry times become time windows here, so a
version that expires hands over to the next one at that moment without anyone saving.

Kept by signals, inside the editor's transaction, so a list never sees a half-made change:
saving a page (publish, unpublish, translate, alias, a copy) and deleting one recompute
its group; moving a page or changing a view restriction recomputes the groups whose
visibility the change can reach (the section, its translations and aliases: see
``cms.visibility.hidden_closure``); a new page in a private section also recomputes the
pages it is a translation or alias of, and deleting a page those it was linked to by alias;
adding or removing a language recomputes everything. Data written
behind the signals' back (``QuerySet.update``, bulk imports) needs
``manage.py refresh_shown_versions``, which ``generate_bench_data`` runs itself; so does
turning an alias into an ordinary page by setting ``alias_of`` in code. A stale table can
miscount or leave out a page, but never shows a hidden one: every row a list hands out is
checked against the visibility rules again.
"""

from itertools import groupby
from operator import attrgetter

from django.db import connection, transaction
from django.db.models import Count, Min, Q, Sum
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import Locale, Page, PageViewRestriction
from wagtail.signals import post_page_move

from .locales import preferred_version
from .models import ShownTotal, ShownVersion
from .signals import shown_versions_changed
from .visibility import (
    hidden_closure,
    restricted_roots,
    under_roots,
    visible_pages,
    with_originals,
)

#: Saves touching only other fields (a draft revision, a lock) leave the table alone.
VISIBILITY_FIELDS = {
    "live",
    "expired",
    "go_live_at",
    "expire_at",
    "locale",
    "locale_id",
    "translation_key",
    "path",
    "depth",
    "url_path",
    "alias_of",
    "alias_of_id",
    "content_type",
    "content_type_id",
}
CHUNK = 500
BATCH = 5000
_ALL = 0x5EED  # advisory lock id of the whole table (shared by group refreshes)
_TOTALS = 0x5EEE  # advisory lock id of ShownTotal (taken last, so no lock cycle)


class Candidate:
    __slots__ = ("pk", "translation_key", "locale_id", "content_type_id", "go_live_at", "expire_at")

    def __init__(self, row):
        for name, value in zip(self.__slots__, row, strict=True):
            setattr(self, name, value)

    def valid_at(self, moment):
        """Public at ``moment`` (None: before every go-live or expiry time of the group)."""
        if moment is None:
            return self.go_live_at is None
        return (self.go_live_at is None or self.go_live_at <= moment) and (
            self.expire_at is None or self.expire_at > moment
        )


def schedule(candidates, locale_id, now):
    """[(candidate, shown_from, shown_until)] for readers of ``locale_id``: who is shown in
    each window between the group's go-live and expiry times (None: open-ended). Windows
    that ended before ``now`` are left out."""
    candidates = list(candidates)
    moments = sorted({t for c in candidates for t in (c.go_live_at, c.expire_at) if t is not None})
    if not moments:
        return [(preferred_version(candidates, locale_id), None, None)]
    edges = [None, *moments, None]
    windows = []
    for start, end in zip(edges, edges[1:], strict=False):
        if end is not None and end <= now:
            continue
        shown = preferred_version([c for c in candidates if c.valid_at(start)], locale_id)
        if shown is None:
            continue
        if windows and windows[-1][0] is shown and windows[-1][2] == start:
            windows[-1] = (shown, windows[-1][1], end)
        else:
            windows.append((shown, start, end))
    return windows


def lock_groups(keys):
    """Serialise work on the same translation groups until the transaction ends (PostgreSQL;
    SQLite has one writer anyway): refreshes of their rows, and writers of copies of them
    (the search index's ``shown_in``). ``keys=None``: every group (exclusive); otherwise a
    shared lock on the whole plus one lock per group, taken in one statement, in order."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if keys is None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ALL])
            return
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [_ALL])
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(key, 0)) "
            "FROM unnest(%s::text[]) AS key",  # in the order given: sorted
            [sorted({str(key) for key in keys})],
        )


def refresh(keys=None, progress=None):
    """Recompute the rows of these translation groups (all groups when ``keys`` is None).

    Returns the number of groups seen. ``progress(done)`` is called as groups are written.
    """
    with transaction.atomic():
        if keys is None:
            groups = _refresh(None, progress)
        else:
            keys = list(dict.fromkeys(keys))
            groups = 0
            for start in range(0, len(keys), CHUNK):
                groups += _refresh(keys[start : start + CHUNK], progress)
        recount()  # once, after every chunk (about 16 ms at 100,000 pages)
    return groups


def _refresh(keys, progress):
    now = timezone.now()
    with transaction.atomic():
        lock_groups(keys)
        old = ShownVersion.objects.all()
        pages = Page.objects.all()
        if keys is not None:
            old = old.filter(translation_key__in=keys)
            pages = pages.filter(translation_key__in=keys)
        old._raw_delete(old.db)
        locale_ids = list(Locale.objects.order_by("pk").values_list("pk", flat=True))
        rows = (
            visible_pages(pages, restricted_roots(), timeless=True)
            .order_by("translation_key", "pk")
            .values_list(*Candidate.__slots__)
        )
        batch, groups = [], 0
        candidates = map(Candidate, rows.iterator(BATCH))
        for key, members in groupby(candidates, attrgetter("translation_key")):
            members = list(members)
            groups += 1
            for locale_id in locale_ids:
                for shown, start, end in schedule(members, locale_id, now):
                    batch.append(
                        ShownVersion(
                            locale_id=locale_id,
                            translation_key=key,
                            page_id=shown.pk,
                            content_type_id=shown.content_type_id,
                            is_fallback=shown.locale_id != locale_id,
                            shown_from=start,
                            shown_until=end,
                        )
                    )
            if len(batch) >= BATCH:
                ShownVersion.objects.bulk_create(batch)
                batch = []
                if progress:
                    progress(groups)
        ShownVersion.objects.bulk_create(batch)
        if progress:
            progress(groups)
        if keys is None and connection.vendor == "postgresql":
            # Fresh statistics, or the planner may scan the table instead of probing it.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {ShownVersion._meta.db_table}")
        shown_versions_changed.send(sender=ShownVersion, keys=keys)
    return groups


def recount():
    """Recompute ``ShownTotal`` from ``ShownVersion`` (one grouped index scan).

    Runs once at the end of every ``refresh``, in its transaction. On PostgreSQL an exclusive lock
    makes concurrent refreshes recount one after the other, each counting after the
    previous one committed, so the last recount always sees every committed row.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_TOTALS])
    rows = (
        ShownVersion.objects.filter(shown_from__isnull=True, shown_until__isnull=True)
        .values_list("locale_id", "content_type_id", "is_fallback")
        .annotate(n=Count("id"))
        .order_by()
    )
    totals = [
        ShownTotal(locale_id=locale, content_type_id=kind, is_fallback=fallback, count=n)
        for locale, kind, fallback, n in rows
    ]
    old = ShownTotal.objects.all()
    old._raw_delete(old.db)
    ShownTotal.objects.bulk_create(totals)


def shown_total(locale_id, fallback, content_type_ids):
    """How many groups readers of ``locale_id`` see now among these page types (one query):
    the kept total of rows without a time window, plus the windowed rows valid now."""
    fixed = ShownTotal.objects.filter(locale_id=locale_id, content_type_id__in=content_type_ids)
    windowed = (
        shown_now(locale_id, fallback)
        .filter(content_type_id__in=content_type_ids)
        .filter(Q(shown_from__isnull=False) | Q(shown_until__isnull=False))
    )
    if not fallback:
        fixed = fixed.filter(is_fallback=False)
    parts = fixed.values("locale_id").annotate(n=Sum("count")).values_list("n")
    parts = parts.union(
        windowed.values("locale_id").annotate(n=Count("id")).values_list("n"), all=True
    )
    return sum(n for (n,) in parts)


def shown_now(locale_id, fallback=True):
    """The rows readers of ``locale_id`` see now (``fallback=False``: their language only)."""
    now = timezone.now()
    rows = ShownVersion.objects.filter(locale_id=locale_id).filter(
        Q(shown_from__isnull=True) | Q(shown_from__lte=now),
        Q(shown_until__isnull=True) | Q(shown_until__gt=now),
    )
    if not fallback:
        rows = rows.filter(is_fallback=False)
    return rows


def next_change(now=None):
    """The next moment a list can change without anyone saving: the earliest start or end
    of a ``ShownVersion`` time window after ``now`` (None: no window ahead).

    Answers made from lists (items, counts, sums, facets, suggestions) are kept by the
    response cache and by CDNs no longer than this, so a page that goes live or expires on
    its schedule is counted, suggested and listed from that moment (``publish_scheduled``
    also sends signals when it runs, but a cron job may run minutes later, and an expiry
    of a page that is only counted would send none). One query, over the few rows that
    have a window (their partial index)."""
    now = now or timezone.now()
    edges = ShownVersion.objects.filter(
        Q(shown_from__isnull=False) | Q(shown_until__isnull=False)
    ).aggregate(
        start=Min("shown_from", filter=Q(shown_from__gt=now)),
        end=Min("shown_until", filter=Q(shown_until__gt=now)),
    )
    moments = [moment for moment in edges.values() if moment is not None]
    return min(moments) if moments else None


def keys_under(paths):
    """Translation keys of the pages at or under these tree paths."""
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    if not condition:
        return []
    return list(Page.objects.filter(condition).values_list("translation_key", flat=True).distinct())


def keys_related(paths):
    """Translation keys of every page whose visibility a change at these tree paths can
    change: the pages under them, their translations and aliases, and so on
    (``hidden_closure``)."""
    return keys_under(hidden_closure(paths)) if paths else []


def _privacy_matters():
    return PageViewRestriction.objects.exists()


@receiver(post_save)
def on_page_saved(sender, instance, raw=False, update_fields=None, created=False, **kwargs):
    if raw or not isinstance(instance, Page):
        return
    if update_fields is not None and not VISIBILITY_FIELDS.intersection(update_fields):
        return
    keys = [instance.translation_key]
    # A new page (a translation, an alias, a copy) in a private section makes the pages it
    # is a translation or an alias of private too: their groups change with it.
    if created and _privacy_matters() and under_roots(instance.path, restricted_roots()):
        keys += keys_related([instance.path])
    refresh(keys)


@receiver(pre_delete, sender=Page)
def remember_links(sender, instance, **kwargs):
    """Before a page goes: the pages it links by alias (its originals, its aliases), whose
    visibility may have depended on it (a restricted alias hides its original)."""
    if _privacy_matters():
        aliases = Page.objects.filter(alias_of_id=instance.pk).values_list("path", flat=True)
        instance._linked_paths = [*with_originals([instance.path]), *aliases]


@receiver(post_delete, sender=Page)
def on_page_deleted(sender, instance, **kwargs):
    # Sent once the page rows of the deletion are gone, so the group's other versions take
    # over; rows pointing at the deleted pages went with them (cascade).
    linked = [path for path in getattr(instance, "_linked_paths", ()) if path]
    survivors = Page.objects.filter(path__in=linked).values_list("path", flat=True)
    refresh([instance.translation_key, *keys_related(list(survivors))])


@receiver(post_page_move)
def on_page_moved(sender, instance, **kwargs):
    # A move can take a subtree into or out of a private section, and with it the pages
    # that are translations or aliases of its pages.
    if _privacy_matters():
        refresh(keys_related([instance.path]))
    else:
        refresh(keys_under([instance.path]))


@receiver([post_save, post_delete], sender=PageViewRestriction)
def on_privacy_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).only("path").first()
    if page is None:
        return
    refresh(keys_related(with_originals([page.path])))


@receiver([post_save, post_delete], sender=Locale)
def on_locale_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh()


@receiver(post_migrate)
def fill_after_migrate(sender, app_config=None, using="default", **kwargs):
    """Fill the table on a database whose pages came from migrations (or predate it)."""
    if app_config is None or app_config.label != "cms":
        return
    if not ShownVersion.objects.using(using).exists() and Page.objects.using(using).exists():
        refresh()
