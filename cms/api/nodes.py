"""What resolvers hand to the GraphQL types: a model instance together with the state of
the request it was resolved in (as saleor's ``ChannelContext`` carries a node and its
channel).

A page alone does not say how to show it: in which language it was asked for (so whether
it is a fallback, and in which language its labels, links and topics come) and which other
pages its relations load with (its ``PageBatch``: one query for a list, not one per page).
That state rides in a ``PageNode`` beside the page, never on the ORM instance, which may be
shared (Wagtail's caches, a grant's page, a topic under several articles). The page types
read their fields through the node (``register_page_type`` makes ``node_field`` their
default resolver), and ``Page.resolve_type`` refuses anything else: a resolver that hands
out a bare page fails at once in every test instead of silently serving a fallback as if
it were a translation, or loading relations page by page.

A list makes its nodes with ``PageBatch.wrap`` (``wrap_pages`` when the pages are a batch
of their own); loaders of a batch receive its nodes and key their results by page id.
"""

from dataclasses import dataclass
from typing import Any

from graphene.types.resolver import default_resolver

from .context import ApiContext


class PageBatch:
    """Pages resolved together (one list, or a single page); loads relations for all.

    ``in_memory``: the pages are previews (a snapshot of the admin form, a revision) whose
    child rows (grants, topic links) are in the instances, not in the database; loaders
    read them from there."""

    def __init__(self, in_memory=False):
        self.nodes = []
        self.in_memory = in_memory
        self._loaded = {}

    def wrap(self, pages, locale_code):
        """Nodes of these pages, asked for in ``locale_code``, in this batch; the pages are
        tagged on the request's answer (``ApiContext.tag_pages``)."""
        nodes = [PageNode(page, locale_code, self) for page in pages]
        self.nodes.extend(nodes)
        context = ApiContext.current()
        if context is not None:
            context.tag_pages(pages)
        return nodes

    def load(self, key, loader, context):
        """``loader(nodes, context)`` once for the whole batch, then its remembered result."""
        if key not in self._loaded:
            self._loaded[key] = loader(self.nodes, context)
        return self._loaded[key]

    def once(self, key):
        """True the first time ``key`` is asked for in this batch (a one-off side effect)."""
        if key in self._loaded:
            return False
        self._loaded[key] = True
        return True


def wrap_pages(pages, locale_code, in_memory=False):
    """Nodes of pages that form a batch of their own, asked for in ``locale_code``."""
    return PageBatch(in_memory=in_memory).wrap(pages, locale_code)


@dataclass(frozen=True, eq=False)
class PageNode:
    """A page as one request shows it: the language it was asked for (``locale_code``; the
    page's own differs for a fallback) and the batch its relations load with."""

    page: Any
    locale_code: str
    batch: PageBatch

    @property
    def obj(self):
        return self.page


@dataclass(frozen=True, eq=False)
class Node:
    """A model instance shown in a language (a recipient's kind, a partner's country name,
    a grant's labels): the language of the page it is shown on."""

    obj: Any
    locale_code: str


def node_field(attname, default_value, root, info, **args):
    """Default resolver of the types that receive nodes: the wrapped instance's field."""
    return default_resolver(attname, default_value, root.obj, info, **args)
