"""What the public API may show: live, public pages, and nothing else.

Every query the API makes for pages goes through ``visible_pages`` (or ``visible_q``). A page
is visible when it is live, not expired, not scheduled for later, and not hidden.

Hidden is one rule, applied until nothing more changes (``hidden_closure``):

- a page with a view restriction (password, login, groups) is hidden, and so is the page it
  is an alias of (and that page's original, up the chain): restricting an alias means its
  content;
- a hidden page hides its subpages, its translations and its aliases (at any depth of
  aliasing), so an alias of an alias of a page in a private section is hidden, as is an
  alias of the English translation of a page under a login-protected section;
- an alias merely *placed* in a private section is hidden, its original is not (the same
  content is also published elsewhere on purpose), while a translation placed in a private
  section hides its whole group (an editor who makes a page private means every language).

A page is also not visible when it is a **translation stand-in**: an alias of a page in
another language, which wagtail-localize's locale synchronisation creates for every page not
yet translated. It carries the source's text under the other language's address; serving it
would publish untranslated text as a translation. Readers of that language get the original,
flagged ``isFallback``, until a translator's translation replaces the stand-in. (An alias in
the same language, placed in a second section, is ordinary content.)

The rule is computed per request as a short list of tree paths (``restricted_roots``):
every page at or under one of them is hidden. A site with no restriction pays one query; a
few private sections cost two or three small index queries more.
``tests/cms/test_visibility_properties.py`` compares every API answer with a plain
reference implementation of the same rule on randomly built trees.
"""

from django.db.models import F, Q
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction


def restricted_roots():
    """Paths of the hidden sections (``hidden_closure`` of the restricted pages); () when
    nothing is private, after one query on the (small) restriction table."""
    seeds = list(
        PageViewRestriction.objects.order_by().values_list("page__path", flat=True).distinct()
    )
    if not seeds:
        return ()
    return hidden_closure(with_originals(seeds))


def with_originals(paths):
    """These paths and those of the pages they are aliases of, up each alias chain (one
    query per step; aliases of aliases are rare)."""
    found, frontier = set(paths), list(paths)
    while frontier:
        frontier = [
            path
            for path in Page.objects.filter(
                pk__in=Page.objects.filter(path__in=frontier, alias_of__isnull=False).values(
                    "alias_of_id"
                )
            ).values_list("path", flat=True)
            if path not in found
        ]
        found.update(frontier)
    return sorted(found)


def hidden_closure(paths):
    """The outermost paths of every page hidden when the pages at ``paths`` are: their
    subtrees, translations and aliases, repeated until nothing new is found. Also tells
    which pages a change at ``paths`` can hide or reveal (``cms.versions``).

    One query per round; a round finds the related pages outside the sections found so far,
    so rounds are as many as the longest chain of alias/translation hops that leaves a
    section (usually one or two)."""
    roots = outermost(paths)
    while roots:
        found = _related_outside(roots)
        if not found:
            break
        roots = outermost([*roots, *found])
    return tuple(roots)


def outermost(paths):
    """Sorted paths without those under another of them (a subtree is covered once)."""
    kept = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def _related_outside(roots):
    """Paths of pages outside ``roots`` that share a translation group with, or are an
    alias of, a page under ``roots`` (one query; each part an index join from the pages
    under the roots)."""
    under = Page.objects.filter(_under_roots_q(roots)).order_by()
    outside = ~_under_roots_q(roots)
    parts = [
        Page.objects.filter(outside, translation_key__in=under.values("translation_key")),
        Page.objects.filter(outside, alias_of_id__in=under.values("pk")),
    ]
    parts = [part.order_by().values_list("path", flat=True) for part in parts]
    return list(parts[0].union(*parts[1:]))


def _under_roots_q(roots, prefix=""):
    q = Q()
    for path in roots:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def under_roots(path, roots):
    """Whether the page at tree ``path`` is hidden by these roots."""
    return any(path.startswith(root) for root in roots)


def visible_q(roots, prefix="", timeless=False):
    """A Q for visible pages; ``prefix`` (e.g. ``"page__"``) applies it across a relation.

    ``timeless`` leaves out the go-live and expiry times (``cms.versions`` turns them into
    time windows of its own)."""
    p = prefix
    q = Q(**{f"{p}live": True, f"{p}expired": False})
    # A stand-in is no language version: readers of its language get the original, flagged
    # as a fallback (``translation_stand_in``).
    q &= Q(**{f"{p}alias_of__isnull": True}) | Q(**{f"{p}alias_of__locale_id": F(f"{p}locale_id")})
    if not timeless:
        now = timezone.now()
        q &= (Q(**{f"{p}expire_at__isnull": True}) | Q(**{f"{p}expire_at__gt": now})) & (
            Q(**{f"{p}go_live_at__isnull": True}) | Q(**{f"{p}go_live_at__lte": now})
        )
    if roots:
        q &= ~_under_roots_q(roots, prefix)
    return q


def visible_pages(queryset, roots, timeless=False):
    """Filter a page queryset down to what the public may see. (A page whose translation
    is hidden is itself under ``roots``: the closure took the whole group.)"""
    return queryset.filter(visible_q(roots, timeless=timeless))
