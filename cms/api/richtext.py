"""Rich text for frontends: Wagtail's stored HTML with its internal references resolved.

Internal page links become the linked page's frontend path in the reader's language (or
the page's own language when it has no translation); links to pages the public may not see,
and to documents in private collections, are removed, keeping their text. Image embeds
become ``<figure>`` elements with the image's alt text and photo credit. Everything is
resolved in bulk for all texts of a batch.

The resolved HTML is then sanitised (``sanitize.clean_html``): what an editor cannot write
(scripts, event handlers, ``javascript:`` links, iframes, media embeds...) is removed, however
it got into the database, and external links get ``rel="noopener noreferrer"``. Every HTML
field of the API (paragraphs, fact boxes, commitments, the footer) goes through ``render``.
"""

import re
from html import escape

from wagtail.documents import get_document_model
from wagtail.models import CollectionViewRestriction

from cms.models import CustomImage

from .context import localize_pages
from .images import PRESETS, load_renditions
from .sanitize import clean_html

PAGE_LINK = re.compile(r'<a\s+(?=[^>]*linktype="page")[^>]*?id="(\d+)"[^>]*>(.*?)</a>', re.S)
DOC_LINK = re.compile(r'<a\s+(?=[^>]*linktype="document")[^>]*?id="(\d+)"[^>]*>', re.S)
IMAGE_EMBED = re.compile(r'<embed\s+(?=[^>]*embedtype="image")[^>]*/?>', re.S)
ATTR = re.compile(r'([\w-]+)="([^"]*)"')

EMBED_PRESETS = {"left": "CONTENT", "right": "CONTENT", "fullwidth": "HERO"}


def references(html):
    """Ids of pages, documents and images a rich text refers to."""
    return (
        {int(match[0]) for match in PAGE_LINK.findall(html)},
        {int(pk) for pk in DOC_LINK.findall(html)},
        {int(dict(ATTR.findall(tag)).get("id", 0)) for tag in IMAGE_EMBED.findall(html)},
    )


def public_documents(ids):
    """id -> document, for the documents the public may download: a document in a collection
    with a view restriction (or under one) is left out, so a link to it keeps its text and
    loses its address (which carries the file name). Two queries."""
    restricted = list(
        CollectionViewRestriction.objects.order_by()
        .values_list("collection__path", flat=True)
        .distinct()
    )
    documents = get_document_model().objects.filter(pk__in=ids)
    for path in restricted:
        documents = documents.exclude(collection__path__startswith=path)
    return documents.in_bulk()


class RichTextResolver:
    """Resolves the references of many rich texts with a fixed number of queries."""

    def __init__(self, context, locale_code):
        self.context = context
        self.locale_code = locale_code
        self.page_ids, self.doc_ids, self.image_ids = set(), set(), set()
        self.pages = self.documents = self.images = None

    def collect(self, html):
        pages, docs, images = references(html or "")
        self.page_ids |= pages
        self.doc_ids |= docs
        self.image_ids |= images

    def _load(self):
        if self.pages is not None:
            return
        self.pages = localize_pages(self.page_ids, self.locale_code, self.context)
        self.documents = public_documents(self.doc_ids) if self.doc_ids else {}
        self.images = CustomImage.objects.in_bulk(self.image_ids) if self.image_ids else {}
        for image in self.images.values():
            self.context.track(image)
        if self.images:
            load_renditions(self.images.values(), ["CONTENT", "HERO"])

    def render(self, html):
        self._load()
        html = html or ""

        def page_link(match):
            page = self.pages.get(int(match.group(1)))
            text = match.group(2)
            if page is None:
                return text
            return f'<a href="{escape(self.context.url(page))}">{text}</a>'

        def doc_link(match):
            document = self.documents.get(int(match.group(1)))
            if document is None:
                return "<a>"
            return f'<a href="{escape(document.url)}">'

        def image_embed(match):
            attrs = dict(ATTR.findall(match.group(0)))
            image = self.images.get(int(attrs.get("id", 0)))
            if image is None:
                return ""
            preset = PRESETS[EMBED_PRESETS.get(attrs.get("format"), "CONTENT")]
            rendition = image.get_rendition(preset.base)
            alt = attrs.get("alt") or image.default_alt_text
            credit = (
                f'<figcaption class="credit">{escape(image.credit)}</figcaption>'
                if image.credit
                else ""
            )
            return (
                f'<figure class="image image--{escape(attrs.get("format", ""))}">'
                f'<img src="{escape(rendition.url)}" width="{rendition.width}" '
                f'height="{rendition.height}" alt="{escape(alt)}" '
                f'data-credit="{escape(image.credit)}">{credit}</figure>'
            )

        html = PAGE_LINK.sub(page_link, html)
        html = DOC_LINK.sub(doc_link, html)
        # Sanitised after resolving: our own markup is kept, anything stored is cleaned.
        return clean_html(IMAGE_EMBED.sub(image_embed, html))
