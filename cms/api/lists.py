"""Language-aware listing: each item once, in the requested language where it can be."""

from django.db.models import Exists, OuterRef, Q

from .context import mark


def with_fallback(queryset, locale_id, fallback, group=None):
    """Restrict a (visible, filtered) queryset to one version per translation group.

    ``fallback=False``: only the requested language. ``fallback=True``: the requested
    language's version where one is visible, otherwise the group's earliest-created
    visible version (its source language). ``group`` is the set the other versions are
    looked up in (default: the queryset itself); passing the plain visible set of the model
    lets the database probe the (translation_key, locale) index row by row instead of
    materialising the filtered set, which keeps large listings fast. Both are one query.
    """
    if not fallback:
        return queryset.filter(locale_id=locale_id)
    if group is None:
        group = queryset.model.objects.filter(pk__in=queryset.values("pk"))
    same = group.filter(translation_key=OuterRef("translation_key"))
    return queryset.filter(
        Q(locale_id=locale_id)
        | (~Exists(same.filter(locale_id=locale_id)) & ~Exists(same.filter(pk__lt=OuterRef("pk"))))
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
