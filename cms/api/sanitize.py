"""The last step of every HTML string the API returns: an allow-list sanitiser (nh3, in Rust).

Rich text is stored as HTML, and HTML set outside the editor (an import, a migration, the
shell) is stored as given: ``<script>``, ``onerror``, ``javascript:`` links and all. The API
therefore cleans on output, after our own references are resolved (see ``richtext.py``), so
that the markup we generate is kept and anything stored is cleaned.

The allow-list is what the editors configured in this project can produce (``FEATURE_TAGS``
for the features in ``cms.blocks`` and the footer field), plus the ``<figure>`` the resolver
makes of an image embed:

* tags: ``p`` and ``br`` (every editor), ``b``/``strong`` (bold), ``i``/``em`` (italic),
  ``a`` (link, document-link), ``ol``/``ul``/``li``, ``h3``/``h4`` (the heading levels the
  body editor offers; ``h2`` is the heading block's own level), ``figure``/``img``/
  ``figcaption`` (image). A tag outside the list is removed and its text kept; the content of
  ``script``, ``style``, ``iframe``, ``object``, ``svg`` etc. is removed with it.
* attributes: ``a[href]``; ``img[src width height alt data-credit]``; ``class`` only with the
  values the resolver writes (``figure.image image--<format>``, ``figcaption.credit``).
  Nothing else: no ``on*``, no ``style``, no ``target``, no stored ``rel``, no ``id``, no
  ``data-block-key`` (the editor's internal block ids mean nothing to a frontend).
* URLs (``href``, ``src``): ``http``, ``https``, ``mailto``, ``tel`` and relative URLs (our
  frontend paths ``/sv/...``, ``#anchors``); anything else (``javascript:``, ``vbscript:``,
  ``data:``, however encoded or spaced, or hidden behind a character that makes it look
  relative) is removed, keeping the link's text.
* ``rel="noopener noreferrer"`` on external links only: absolute ``http(s)`` URLs and
  scheme-relative ones (``//host``), i.e. every link that can leave the frontend's host (our
  own links are always paths). nh3's ``link_rel`` would put it on every link, internal frontend
  paths too; those stay exactly as the resolver writes them.
"""

import re
from functools import cache
from html import unescape

import nh3

#: The tags each editor feature can produce. A feature missing here allows nothing: its
#: markup is stripped to text (``tests/cms/test_api_html_safety.py`` fails for it, so a new
#: feature is added here on purpose). ``embed`` (media) is deliberately absent: a media embed
#: would have to be resolved through ``wagtail.embeds`` finders, never passed on as stored.
FEATURE_TAGS = {
    "bold": {"b", "strong"},
    "italic": {"i", "em"},
    "link": {"a"},
    "document-link": {"a"},
    "image": {"figure", "img", "figcaption"},
    "ol": {"ol", "li"},
    "ul": {"ul", "li"},
    "h2": {"h2"},
    "h3": {"h3"},
    "h4": {"h4"},
    "hr": {"hr"},
}
#: Every editor writes paragraphs, and soft line breaks (shift+enter) as ``<br>``.
BASE_TAGS = {"p", "br"}

ATTRIBUTES = {"a": {"href"}, "img": {"src", "width", "height", "alt", "data-credit"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
#: Removed with their content (not just the tags): their text is code, not prose.
CLEAN_CONTENT_TAGS = {
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "applet",
    "noscript",
    "noembed",
    "noframes",
    "template",
    "textarea",
    "title",
    "xmp",
    "svg",
    "math",
}
EXTERNAL_REL = "noopener noreferrer"

#: nh3 writes every attribute as ``name="value"`` with ``"`` escaped, and allows ``a`` only
#: ``href``: so an opening ``a`` tag of its output is exactly ``<a>`` or this.
LINK = re.compile(r'<a href="([^"]*)">')
#: Browsers drop these anywhere in a URL (tab, newline) or around it (controls and spaces).
URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
FIRST_SEGMENT = re.compile(r"[^/?#]*")


def editor_features():
    """The rich text features of every editor whose HTML the API returns."""
    from cms.blocks import BODY_FEATURES, SHORT_FEATURES
    from cms.models import SiteSettings

    footer = SiteSettings._meta.get_field("footer_text").features or []
    return set(BODY_FEATURES) | set(SHORT_FEATURES) | set(footer)


def allowed_tags():
    tags = set(BASE_TAGS)
    for feature in editor_features():
        tags |= FEATURE_TAGS.get(feature, set())
    return tags


def _relative_url(url):
    """Relative URLs are kept (our frontend paths, ``#anchors``) unless their first segment
    holds a colon (a NUL or a backtick before ``javascript:``): never a path we write, and one
    that some URL parsers read as a scheme."""
    first = FIRST_SEGMENT.match(URL_NOISE.sub("", url))[0]
    return None if ":" in first else url


@cache
def cleaner():
    """The one nh3 cleaner (built on first use, when the image formats are registered)."""
    from wagtail.images.formats import get_image_formats

    formats = {"", *(image_format.name for image_format in get_image_formats())}
    return nh3.Cleaner(
        tags=allowed_tags(),
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ATTRIBUTES,
        allowed_classes={
            "figure": {"image", *(f"image--{name}" for name in formats)},
            "figcaption": {"credit"},
        },
        url_schemes=URL_SCHEMES,
        url_relative=_relative_url,
        link_rel=None,  # set below, on external links only
        strip_comments=True,
    )


def safe_url(url):
    """A stored URL (call to action, menu and footer links, social media) as the API may
    hand it to a frontend's ``href``: absolute with a scheme of ``URL_SCHEMES``, or relative
    (the rule the sanitiser applies to links in rich text); None for anything else, such as
    ``javascript:`` written by an import or the shell past the admin's URL validation."""
    if not url or not isinstance(url, str):
        return None
    bare = URL_NOISE.sub("", url)
    first = FIRST_SEGMENT.match(bare)[0]
    if ":" not in first:
        # A character reference there (``javascript&colon;``) becomes a scheme wherever a
        # frontend writes the URL into HTML unescaped; no path of ours has one.
        return url if "&" not in first and _relative_url(url) is not None else None
    scheme = first.split(":", 1)[0].lower()
    return url.strip() if scheme in URL_SCHEMES and bare == url.strip() else None


def is_external(href):
    """True for a link that leaves the frontend's host: absolute http(s), or ``//host``
    (browsers read ``\\`` as ``/`` there). ``href`` is as written in HTML (entities encoded)."""
    if href[:1] == "#" or (href[:1] == "/" and href[1:2].isalnum()):
        return False  # the common case: a frontend path (/sv/...) or an anchor
    url = URL_NOISE.sub("", unescape(href)).replace("\\", "/").lower()
    return url.startswith(("http://", "https://", "//"))


def _link(match):
    if is_external(match.group(1)):
        return f'<a href="{match.group(1)}" rel="{EXTERNAL_REL}">'
    return match.group(0)


def clean_html(html):
    """``html`` with everything outside the allow-list removed, and ``rel`` on external links."""
    if not html:
        return ""
    cleaned = cleaner().clean(html)
    if "<a " in cleaned:
        cleaned = LINK.sub(_link, cleaned)
    return cleaned
