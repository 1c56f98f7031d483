"""Language-aware listing: each item once, in the requested language where it can be."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef

from cms.versions import shown_now, shown_total

from .nodes import wrap_pages


def content_type_ids(model):
    """Ids of the content types of ``model`` and its concrete subclasses (cached by Django)."""
    from django.apps import apps

    models = [m for m in apps.get_models() if issubclass(m, model) and not m._meta.proxy]
    return sorted(ct.pk for ct in ContentType.objects.get_for_models(*models).values())


def shown(locale_id, fallback, model=None):
    """The ``ShownVersion`` rows a list in this language shows now, optionally of one model."""
    rows = shown_now(locale_id, fallback)
    if model is not None:
        rows = rows.filter(content_type_id__in=content_type_ids(model))
    return rows


def with_fallback(queryset, locale_id, fallback, field="pk"):
    """Restrict a (visible, filtered) queryset to one version per translation group.

    ``fallback=False``: only the requested language. ``fallback=True``: the requested
    language's version where one is visible, otherwise the group's earliest-created
    visible version (its source language). The choice comes from ``ShownVersion`` (kept by
    ``cms.versions``), probed row by row through its index, so the cost does not grow with
    the number of translations. ``field`` names the page id when the rows are not pages.
    """
    if not fallback:
        return queryset.filter(locale_id=locale_id)
    return queryset.filter(Exists(shown_now(locale_id).filter(page_id=OuterRef(field))))


def count_shown(locale_id, fallback, model, queryset=None):
    """How many groups a list of ``model`` in this language shows (the list's totalCount):
    unfiltered, the kept ``ShownTotal`` (constant time); ``queryset`` (unfiltered by
    visibility) narrows it by the list's own filters, an index-only count of
    ``ShownVersion``."""
    if queryset is None:
        return shown_total(locale_id, fallback, content_type_ids(model))
    rows = shown(locale_id, fallback, model)
    return rows.filter(page_id__in=queryset.values("pk")).count()


class Window:
    """A page of a list: ``totalCount`` over the whole filtered set, ``items`` for this page
    (``PageNode`` items of one batch, asked for in ``locale_code``)."""

    def __init__(self, queryset, limit, offset, locale_code, prepare=None, count=None):
        self.queryset = queryset
        self.count = count
        self.limit = limit
        self.offset = offset
        self.locale_code = locale_code
        self.prepare = prepare
        self._items = None

    @property
    def total_count(self):
        return self.count() if self.count is not None else self.queryset.count()

    @property
    def items(self):
        if self._items is None:
            if self.limit == 0:
                self._items = []
            else:
                items = list(self.queryset[self.offset : self.offset + self.limit])
                if self.prepare:
                    items = self.prepare(items)
                self._items = wrap_pages(items, self.locale_code)
        return self._items
