"""What the public API may show: live, public pages, and nothing else.

Every query the API makes for pages goes through ``visible_pages`` (or ``visible_q``). A page
is visible when it is live, not expired, not scheduled for later, and not under a view
restriction. A restriction covers the restricted page, its subpages, and also the
restricted page's translations and aliases and their subpages, whenever those were made: an
editor who makes an article private means it in every language. On top of that, a page is
hidden when any page of its translation group sits in a restricted section.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction


def restricted_roots():
    """Paths of the pages whose sections are private: restricted pages, their translations
    and their aliases. One query on the (small) restriction table when nothing is private;
    otherwise two more, each an index lookup, so the cost does not grow with the site."""
    restricted = list(
        PageViewRestriction.objects.order_by().values_list("page_id", flat=True).distinct()
    )
    if not restricted:
        return ()
    rows = list(
        Page.objects.filter(pk__in=restricted).values_list("path", "translation_key", "alias_of_id")
    )
    keys = {key for _, key, _ in rows}
    originals = {alias_of for _, _, alias_of in rows if alias_of is not None}
    related = Page.objects.filter(
        Q(translation_key__in=keys) | Q(alias_of_id__in=restricted) | Q(pk__in=originals)
    ).values_list("path", flat=True)
    return tuple(sorted({path for path, _, _ in rows} | set(related)))


def _under_roots_q(roots, prefix=""):
    q = Q()
    for path in roots:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def visible_q(roots, prefix="", timeless=False):
    """A Q for visible pages; ``prefix`` (e.g. ``"page__"``) applies it across a relation.

    ``timeless`` leaves out the go-live and expiry times (``cms.versions`` turns them into
    time windows of its own)."""
    p = prefix
    q = Q(**{f"{p}live": True, f"{p}expired": False})
    if not timeless:
        now = timezone.now()
        q &= (Q(**{f"{p}expire_at__isnull": True}) | Q(**{f"{p}expire_at__gt": now})) & (
            Q(**{f"{p}go_live_at__isnull": True}) | Q(**{f"{p}go_live_at__lte": now})
        )
    if roots:
        q &= ~_under_roots_q(roots, prefix)
    return q


def hidden_translation_exists(roots, outer_ref="translation_key"):
    """An Exists() that is true when some page of the row's translation group is private."""
    return Exists(
        Page.objects.filter(translation_key=OuterRef(outer_ref)).filter(_under_roots_q(roots))
    )


def visible_pages(queryset, roots, timeless=False):
    """Filter a page queryset down to what the public may see."""
    queryset = queryset.filter(visible_q(roots, timeless=timeless))
    if roots:
        queryset = queryset.exclude(hidden_translation_exists(roots))
    return queryset
