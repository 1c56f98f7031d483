"""Language-aware listing: each item once, in the requested language where it can be."""

from django.db.models import Exists, OuterRef, Q

from .context import mark


def with_fallback(queryset, locale_id, fallback):
    """Restrict a (visible, filtered) page queryset to one version per translation group.

    ``fallback=False``: only pages in the requested language. ``fallback=True``: the
    requested language's version where one is in the queryset, otherwise the group's
    earliest-created version (its source language). Both are one SQL query's WHERE clause.
    """
    if not fallback:
        return queryset.filter(locale_id=locale_id)
    group = queryset.model.objects.filter(
        pk__in=queryset.values("pk"), translation_key=OuterRef("translation_key")
    )
    return queryset.filter(
        Q(locale_id=locale_id)
        | (
            ~Exists(group.filter(locale_id=locale_id))
            & ~Exists(group.filter(pk__lt=OuterRef("pk")))
        )
    )


class Window:
    """A page of a list: ``totalCount`` over the whole filtered set, ``items`` for this page."""

    def __init__(self, queryset, limit, offset, locale_code, prepare=None):
        self.queryset = queryset
        self.limit = limit
        self.offset = offset
        self.locale_code = locale_code
        self.prepare = prepare
        self._items = None

    @property
    def total_count(self):
        return self.queryset.count()

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
