"""Language-aware listing: each item once, in the requested language where it can be."""

from django.db.models import Exists, OuterRef

from cms.versions import shown_now

from .context import mark


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


class Window:
    """A page of a list: ``totalCount`` over the whole filtered set, ``items`` for this page.

    ``totals`` is what the total is counted on when that differs from the items' queryset
    (``ShownVersion`` rows: an index-only count, no page rows read)."""

    def __init__(self, queryset, limit, offset, locale_code, prepare=None, totals=None):
        self.queryset = queryset
        self.totals = queryset if totals is None else totals
        self.limit = limit
        self.offset = offset
        self.locale_code = locale_code
        self.prepare = prepare
        self._items = None

    @property
    def total_count(self):
        return self.totals.count()

    @property
    def items(self):
        if self._items is None:
            if self.limit == 0:
                self._items = []
            else:
                items = list(self.queryset[self.offset : self.offset + self.limit])
                if self.prepare:
                    items = self.prepare(items)
                self._items = mark(items, self.locale_code)
        return self._items
