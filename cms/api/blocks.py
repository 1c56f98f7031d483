"""StreamField bodies as typed blocks, built from the stored JSON for a whole batch at once.

Working from ``raw_data`` (not Wagtail's lazily converted values) lets us collect every
image and page a batch of bodies refers to and fetch them with one query each, so a list of
100 articles with bodies costs the same number of queries as one.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from wagtail.embeds.finders import get_finders

from cms.models import CustomImage

from .context import localize_pages
from .richtext import RichTextResolver
from .sanitize import safe_url


@dataclass
class ImageUse:
    """An image as used in one place: the photo plus this use's alt text and caption."""

    image: CustomImage
    alt_text: str = ""
    caption: str = ""

    @property
    def alt(self):
        return self.alt_text or self.image.default_alt_text


@dataclass
class Block:
    id: str
    block_type: str


@dataclass
class HeadingValue(Block):
    text: str = ""
    level: str = "h2"


@dataclass
class ParagraphValue(Block):
    html: str = ""


@dataclass
class ImageValue(Block):
    image: ImageUse | None = None


@dataclass
class QuoteValue(Block):
    quote: str = ""
    attribution: str = ""


@dataclass
class EmbedValue(Block):
    url: str = ""


@dataclass
class CallToActionValue(Block):
    text: str = ""
    url: str | None = None
    page: object = None


@dataclass
class FactBoxValue(Block):
    title: str = ""
    html: str = ""


@dataclass
class CommitmentValue(Block):
    heading: str = ""
    html: str = ""
    to_report: list = field(default_factory=list)


@lru_cache(maxsize=1024)
def embeddable(url):
    """True if one of Wagtail's embed finders (``WAGTAILEMBEDS_FINDERS``, oEmbed by default)
    accepts this http(s) URL, as the editor's embed block requires. Matching only (no request):
    a URL stored some other way (``javascript:``, an arbitrary page) is never passed on."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return False
    return any(finder.accept(url) for finder in get_finders())


def _items(value):
    """ListBlock values: the current ``[{"type": "item", "value": ...}]`` or a plain list."""
    return [
        item["value"] if isinstance(item, dict) and "value" in item else item
        for item in value or []
    ]


def load_bodies(nodes, context, field_name="body"):
    """page id -> list of block values, for every page of a batch (a few queries in all);
    links in the language each page was asked for."""
    raw = {
        node.page.pk: list(getattr(node.page, field_name).raw_data)
        for node in nodes
        if hasattr(node.page, field_name)
    }
    by_locale = {}
    image_ids, page_ids = set(), set()
    for node in nodes:
        by_locale.setdefault(node.locale_code, RichTextResolver(context, node.locale_code))
    for node in nodes:
        resolver = by_locale[node.locale_code]
        for block in raw.get(node.page.pk, []):
            value = block.get("value")
            kind = block.get("type")
            if kind == "image" and isinstance(value, dict) and value.get("image"):
                image_ids.add(value["image"])
            elif kind == "call_to_action" and isinstance(value, dict) and value.get("page"):
                page_ids.add(value["page"])
            elif kind == "paragraph":
                resolver.collect(value)
            elif kind in ("fact_box",) and isinstance(value, dict):
                resolver.collect(value.get("body"))
            elif kind == "commitment" and isinstance(value, dict):
                resolver.collect(value.get("text"))

    images = CustomImage.objects.in_bulk(image_ids) if image_ids else {}
    for image in images.values():
        context.track(image)
    links = {}
    for code in by_locale:
        links[code] = localize_pages(page_ids, code, context) if page_ids else {}

    result = {}
    for node in nodes:
        code = node.locale_code
        blocks = []
        for block in raw.get(node.page.pk, []):
            built = build_block(block, images, links[code], by_locale[code])
            if built is not None:
                blocks.append(built)
        result[node.page.pk] = blocks
    return result


def build_block(block, images, links, resolver):
    kind = block.get("type")
    value = block.get("value")
    block_id = str(block.get("id") or "")
    if kind == "heading":
        return HeadingValue(
            block_id, kind, text=value.get("text", ""), level=value.get("level", "h2")
        )
    if kind == "paragraph":
        return ParagraphValue(block_id, kind, html=resolver.render(value))
    if kind == "image":
        image = images.get(value.get("image"))
        if image is None:
            return None  # the image was deleted
        use = ImageUse(image, value.get("alt_text") or "", value.get("caption") or "")
        return ImageValue(block_id, kind, image=use)
    if kind == "quote":
        return QuoteValue(
            block_id, kind, quote=value.get("quote", ""), attribution=value.get("attribution") or ""
        )
    if kind == "embed":
        url = value if isinstance(value, str) else (value or {}).get("url", "")
        if not embeddable(url or ""):
            return None  # only what an embed finder accepts; never stored HTML
        return EmbedValue(block_id, kind, url=url)
    if kind == "call_to_action":
        target = links.get(value.get("page")) if value.get("page") else None
        if value.get("page") and target is None:
            return None  # links to a page the public may not see
        url = safe_url(value.get("url"))
        if target is None and url is None:
            return None  # no page, and no URL a browser may follow
        return CallToActionValue(block_id, kind, text=value.get("text", ""), url=url, page=target)
    if kind == "fact_box":
        return FactBoxValue(
            block_id, kind, title=value.get("title", ""), html=resolver.render(value.get("body"))
        )
    if kind == "commitment":
        return CommitmentValue(
            block_id,
            kind,
            heading=value.get("heading", ""),
            html=resolver.render(value.get("text")),
            to_report=[item for item in _items(value.get("to_report")) if item],
        )
    return None
