"""The cache-tag vocabulary: every tag a response, an invalidation or a webhook names.

A response is tagged with what it was made of (``cms.api.cache``); a change invalidates the
tags it reaches (``cms.api.invalidation``) and webhook payloads list them for CDNs that
purge by tag. Tags are built here and nowhere else, so the three always agree:

========================  ==========================================================
``p<page id>``            one page (an alias, a translation: each its own id)
``g<translation key>``    a translation group: the language switcher and fallbacks
``i<image id>``           one image and its renditions
``s-<model>-<id>``        one snippet: ``s-sitesettings-1``, ``s-recipient-7``
``l-<list>``              a list: which pages it holds changes when any page of its
                          kind is published, unpublished, moved or made private
========================  ==========================================================

The lists (``LISTS``): ``l-articles`` (news and grant announcements, topic pages' article
lists), ``l-topics``, ``l-grants``, ``l-search`` (search, suggest, and snippets named in
search text), ``l-pages`` (any page: ``page(path)`` of a page not yet published, links to
hidden pages, ``pages`` and ``sitemap``), ``l-site`` (menus and footer) and ``l-redirects``
(``redirect`` and ``redirects``: any redirect saved or deleted, in the admin or by a move).
Which lists a page type belongs to is said where the type registers itself
(``cms.page_types``).
"""


def listing(name):
    """The tag of list ``name`` (``articles``, ``search``: the names ``cms.page_types`` uses)."""
    return f"l-{name}"


ARTICLES = listing("articles")
TOPICS = listing("topics")
GRANTS = listing("grants")
SEARCH = listing("search")
PAGES = listing("pages")
SITE = listing("site")
REDIRECTS = listing("redirects")

#: Every list tag: a change whose reach cannot be told (a section moved with its
#: subpages of every kind) invalidates them all.
LISTS = (ARTICLES, TOPICS, GRANTS, SEARCH, PAGES, SITE, REDIRECTS)
#: Lists whose members change on a schedule (go-live and expiry times): an answer tagged
#: with one is kept no longer than the next such moment (``cms.versions.next_change``).
SCHEDULED_LISTS = frozenset(LISTS) - {SITE, REDIRECTS}


def page(pk):
    return f"p{pk}"


def translation_group(key):
    return f"g{key}"


def image(pk):
    return f"i{pk}"


def snippet(model_name, pk):
    """``model_name`` is the model's lower-case name (``Model._meta.model_name``)."""
    return f"s-{model_name}-{pk}"


def is_list(tag):
    """CDN headers put list tags first: they are the ones cut last."""
    return tag.startswith("l-")
