"""The one registry of the page types readers can reach.

Each app registers its own page types, next to their models::

    @page_types.register(lists=("articles",), searchable=True)
    class NewsArticlePage(BasePage): ...

and everything that must know the page types reads this registry: the API (each entry's
GraphQL type, set by ``cms.api.types.register_page_type``; an unregistered model has none),
search indexing (``searchable``, ``search_text``, ``search_prefetch``), cache invalidation
(``lists``) and page listings. Adding a page type therefore touches its own app only
(``tests/cms/test_page_type_registry.py`` proves it with a page type of a test app).

``lists`` names the public lists that hold pages of the type (``articles``, ``topics``,
``grants``); ``mentioned_in`` those that show something of them without holding them (a
topic's title in article lists). Every type is in ``pages`` (``page(path)``, links), and a
searchable one in ``search``. Publishing, unpublishing or moving a page invalidates the
cached answers of exactly its lists and those it is mentioned in (``reaches``; the list tags
of ``cms.api.tags``).

A model that is not registered itself takes the entry of its nearest registered base class
(``entry_for``). The registry is filled at import time of the models, so it is complete once
Django's app registry is ready.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.text import capfirst

#: Lists a page type can name; ``pages`` and ``search`` follow from the rest.
LISTS = frozenset({"articles", "topics", "grants"})
ALWAYS = frozenset({"pages"})


@dataclass
class PageType:
    """What the rest of the system needs to know about one page model."""

    model: type
    lists: frozenset
    mentioned_in: frozenset = frozenset()
    searchable: bool = False
    #: ``search_text(page, language_code)``: more text the search index holds for a page.
    search_text: Callable[[Any, str], str] | None = None
    #: Relations the indexer prefetches (``search_text`` and topics read them).
    search_prefetch: tuple = ()
    #: The GraphQL object type (``cms.api.types.register_page_type``); opaque here.
    api_type: Any = None

    @property
    def name(self):
        return self.model.__name__

    @property
    def label(self):
        """The type's name for readers, in the active language ("Nyhetsartikel")."""
        return capfirst(self.model._meta.verbose_name)

    @property
    def reaches(self):
        """The lists whose answers a change of such a page can alter."""
        return self.lists | self.mentioned_in


_registry = {}  # model -> PageType, in registration order


def register(*, lists=(), mentioned_in=(), searchable=False, search_text=None, search_prefetch=()):
    """Class decorator registering a page model (again: replaces its entry)."""
    unknown = (set(lists) | set(mentioned_in)) - LISTS
    if unknown:
        raise ValueError(f"Unknown list {sorted(unknown)[0]!r} for a page type.")

    def decorator(model):
        lists_of_type = ALWAYS | frozenset(lists) | ({"search"} if searchable else frozenset())
        previous = _registry.get(model)
        _registry[model] = PageType(
            model=model,
            lists=lists_of_type,
            mentioned_in=frozenset(mentioned_in),
            searchable=searchable,
            search_text=search_text,
            search_prefetch=tuple(search_prefetch),
            api_type=previous.api_type if previous else None,
        )
        return model

    return decorator


def unregister(model):
    """For tests that add a page type of their own and take it away again."""
    _registry.pop(model, None)


def registered():
    """Every entry, in registration order (apps in ``INSTALLED_APPS`` order)."""
    return list(_registry.values())


def entry_for(model):
    """The entry of ``model`` (a class or an instance) or of its nearest registered base;
    None for a page type nobody registered (readers never see one)."""
    if not isinstance(model, type):
        model = type(model)
    for klass in model.__mro__:
        if klass in _registry:
            return _registry[klass]
    return None


def named(name):
    """The entry whose ``name`` (its model's class name, the GraphQL type's) is ``name``."""
    return next((entry for entry in _registry.values() if entry.name == name), None)


def searchable():
    """Entries of the page types readers search, in registration order."""
    return [entry for entry in _registry.values() if entry.searchable]


def in_list(name):
    """Models of the page types shown in list ``name`` (``articles``, ``topics``, ...)."""
    return [entry.model for entry in _registry.values() if name in entry.lists]
