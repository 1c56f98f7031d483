"""GraphQL types shared by every app: the Page interface, images, links and body blocks."""

import graphene
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import override

from cms import page_types
from cms.models import CustomImage

from .blocks import (
    CallToActionValue,
    CommitmentValue,
    EmbedValue,
    FactBoxValue,
    HeadingValue,
    ImageUse,
    ImageValue,
    ParagraphValue,
    QuoteValue,
    load_bodies,
)
from .context import ApiContext, alternates_of, is_outdated, translations_of
from .images import PRESETS, load_renditions, renditions_of, spec_width
from .nodes import PageNode, node_field

OUTDATED_DESCRIPTION = (
    "True when this is a translation whose source page was published after the translation "
    "was last synced from it or last published: the text may lag behind the source. Always "
    "false for the source itself and for pages written separately in each language."
)

#: Page models in the order their GraphQL types were registered: the order of the schema's
#: types (and so of ``schema.graphql``), which is the import order of the apps' schemas.
_API_ORDER = []


def register_page_type(model):
    """Class decorator: ``graphql_type`` is how the API shows pages of ``model``, a page type
    of the registry (``cms.page_types``), which the API reads for every page type. Its
    fields are read from the ``PageNode`` it is given (it subclasses ``PageNodeType``)."""

    def decorator(graphql_type):
        entry = page_types.entry_for(model)
        if entry is None or entry.model is not model:
            raise ImproperlyConfigured(
                f"{model.__name__} is not in cms.page_types: register it with its model."
            )
        if not issubclass(graphql_type, PageNodeType):
            raise ImproperlyConfigured(
                f"{graphql_type.__name__} must subclass cms.api.types.PageNodeType: page "
                "types receive PageNodes."
            )
        entry.api_type = graphql_type
        if model not in _API_ORDER:
            _API_ORDER.append(model)
        return graphql_type

    return decorator


def api_type_of(model):
    """The GraphQL type of a page model (or of its nearest base that has one), or None."""
    if not isinstance(model, type):
        model = type(model)
    for klass in model.__mro__:
        entry = page_types.entry_for(klass)
        if entry is not None and entry.model is klass and entry.api_type is not None:
            return entry.api_type
    return None


def all_api_types():
    """The GraphQL object types of every registered page type (the schema's ``types``)."""
    entries = [page_types.entry_for(model) for model in _API_ORDER]
    return [entry.api_type for entry in entries if entry is not None and entry.api_type]


ImagePreset = graphene.Enum(
    "ImagePreset",
    [(name, name) for name in PRESETS],
    description="Named image sizes. Arbitrary resize specs are not accepted from clients.",
)


class Rendition(graphene.ObjectType):
    """One resized copy of an image, created once and then served from storage."""

    url = graphene.String(required=True)
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)


class FocalPoint(graphene.ObjectType):
    """The part of the photo that crops keep in view, in original-image pixels."""

    x = graphene.Int(required=True)
    y = graphene.Int(required=True)
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)


def _absolute(info, url):
    if url.startswith(("http://", "https://")):
        return url
    return info.context.build_absolute_uri(url)


def _renditions(info, use, preset):
    """Renditions of this preset for this image, loading them for every image of the
    request at once on first use."""
    context = ApiContext.of(info)
    image = use.image
    if "renditions" not in getattr(image, "_prefetched_objects_cache", {}):
        pending = [
            i
            for i in context.images
            if "renditions" not in getattr(i, "_prefetched_objects_cache", {})
        ]
        load_renditions(pending or [image], [preset])
    return renditions_of(image, preset)


class Image(graphene.ObjectType):
    """An image as used in one place: the photo's credit with this use's alt and caption."""

    credit = graphene.String(required=True, description="Photographer or source; may be empty.")
    alt = graphene.String(required=True, description="Alt text of this use, else the image's own.")
    caption = graphene.String(required=True)
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)
    focal_point = graphene.Field(FocalPoint)
    rendition = graphene.Field(Rendition, required=True, preset=ImagePreset(required=True))
    src_set = graphene.String(
        required=True,
        preset=ImagePreset(required=True),
        description="A srcset attribute value: 'url 640w, url 1280w'.",
    )

    @staticmethod
    def resolve_credit(use, info):
        return use.image.credit

    @staticmethod
    def resolve_alt(use, info):
        return use.alt

    @staticmethod
    def resolve_caption(use, info):
        return use.caption

    @staticmethod
    def resolve_width(use, info):
        return use.image.width

    @staticmethod
    def resolve_height(use, info):
        return use.image.height

    @staticmethod
    def resolve_focal_point(use, info):
        image = use.image
        if image.focal_point_x is None:
            return None
        return FocalPoint(
            x=image.focal_point_x,
            y=image.focal_point_y,
            width=image.focal_point_width,
            height=image.focal_point_height,
        )

    @staticmethod
    def resolve_rendition(use, info, preset):
        preset = getattr(preset, "value", preset)
        rendition = _renditions(info, use, preset)[PRESETS[preset].base]
        return Rendition(
            url=_absolute(info, rendition.url), width=rendition.width, height=rendition.height
        )

    @staticmethod
    def resolve_src_set(use, info, preset):
        preset = getattr(preset, "value", preset)
        renditions = _renditions(info, use, preset)
        ordered = sorted(PRESETS[preset].specs, key=spec_width)
        return ", ".join(
            f"{_absolute(info, renditions[spec].url)} {renditions[spec].width}w" for spec in ordered
        )


def image_use(info, image, alt_text="", caption=""):
    if image is None:
        return None
    ApiContext.of(info).track(image)
    return ImageUse(image, alt_text, caption)


def choice_enum(name, choices, description):
    """A GraphQL enum of a model's choices. Its values are the stored values themselves
    (`news`, `municipal_partnership`), so answers read as they did when these fields were
    strings, and a variable's string still fits."""
    return graphene.Enum(
        name, [(value, value) for value in choices.values], description=description
    )


class Choice(graphene.ObjectType):
    """One value of an enum with its label in the language asked for: for filter menus."""

    value = graphene.String(required=True)
    label = graphene.String(required=True)


def choices_in(pairs, code):
    """``Choice`` items of (value, lazy label) pairs, labelled in language ``code``."""
    with override(code):
        return [Choice(value=value, label=str(label)) for value, label in pairs]


class TranslationLink(graphene.ObjectType):
    """Another language version of a page, for a language switcher. `isOutdated` lets a
    frontend say "this English version may be out of date; read the Swedish original"."""

    locale = graphene.String(required=True)
    title = graphene.String(required=True)
    url = graphene.String(required=True)
    is_outdated = graphene.Boolean(required=True, description=OUTDATED_DESCRIPTION)

    @staticmethod
    def resolve_locale(entry, info):
        return ApiContext.of(info).locale_code(entry.page)

    @staticmethod
    def resolve_title(entry, info):
        return entry.page.title

    @staticmethod
    def resolve_url(entry, info):
        return ApiContext.of(info).url(entry.page)

    @staticmethod
    def resolve_is_outdated(entry, info):
        return entry.is_outdated(ApiContext.of(info))


class Alternate(graphene.ObjectType):
    """One language version of a page at its address: with the page's own, the set a
    frontend writes as `<link rel="alternate" hreflang="...">`."""

    locale = graphene.String(required=True)
    url = graphene.String(required=True)

    @staticmethod
    def resolve_locale(entry, info):
        return ApiContext.of(info).locale_code(entry.page)

    @staticmethod
    def resolve_url(entry, info):
        return ApiContext.of(info).url(entry.page)


class PageLink(graphene.ObjectType):
    """A link to a live page, in the reader's language where it is translated."""

    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    url = graphene.String(required=True)
    locale = graphene.String(required=True)

    @staticmethod
    def resolve_url(page, info):
        return ApiContext.of(info).url(page)

    @staticmethod
    def resolve_locale(page, info):
        return ApiContext.of(info).locale_code(page)


class Page(graphene.Interface):
    """Fields every page has. ``isFallback`` is true when the page is shown in its own
    language because it has no live translation in the language that was asked for."""

    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    slug = graphene.String(required=True)
    url = graphene.String(required=True, description="Frontend path, with the language prefix.")
    locale = graphene.String(required=True)
    is_fallback = graphene.Boolean(required=True)
    seo_title = graphene.String(required=True)
    search_description = graphene.String(required=True)
    first_published_at = graphene.DateTime()
    last_published_at = graphene.DateTime()
    is_outdated = graphene.Boolean(required=True, description=OUTDATED_DESCRIPTION)
    translations = graphene.List(graphene.NonNull(TranslationLink), required=True)
    alternates = graphene.List(
        graphene.NonNull(Alternate),
        required=True,
        description="Every public language version of this page, this one included, in the "
        "site's order of languages: the page's `hreflang` alternates.",
    )
    social_image = graphene.Field(
        Image,
        description="The image for sharing on social media (`og:image`): the one the editor "
        "chose for it, else the page's hero image; null when the page has neither.",
    )

    @classmethod
    def resolve_type(cls, node, info):
        if not isinstance(node, PageNode):
            # A bare page would lose its language (isFallback, labels, topics) and batch.
            raise TypeError(
                f"A {type(node).__name__} reached the API outside a PageNode: hand pages out "
                "with PageBatch.wrap or wrap_pages (cms.api.nodes)."
            )
        api_type = api_type_of(node.page)
        if api_type is not None:
            return api_type
        raise TypeError(f"No GraphQL type for {type(node.page).__name__}")

    @staticmethod
    def resolve_url(node, info):
        return ApiContext.of(info).url(node.page)

    @staticmethod
    def resolve_locale(node, info):
        return ApiContext.of(info).locale_code(node.page)

    @staticmethod
    def resolve_is_fallback(node, info):
        return node.locale_code != ApiContext.of(info).locale_code(node.page)

    @staticmethod
    def resolve_is_outdated(node, info):
        return is_outdated(node, ApiContext.of(info))

    @staticmethod
    def resolve_translations(node, info):
        return translations_of(node, ApiContext.of(info))

    @staticmethod
    def resolve_alternates(node, info):
        return alternates_of(node, ApiContext.of(info))

    @staticmethod
    def resolve_social_image(node, info):
        return social_image(node, info)


class PageNodeType(graphene.ObjectType):
    """Base of every page type's GraphQL type: it receives a ``PageNode`` (``cms.api.nodes``)
    and reads the fields it does not resolve itself from the node's page."""

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, default_resolver=None, **options):
        super().__init_subclass_with_meta__(
            default_resolver=default_resolver or node_field, **options
        )


class Block(graphene.Interface):
    """A block of a StreamField body. ``blockType`` names the editor's block."""

    id = graphene.ID(required=True)
    block_type = graphene.String(required=True)

    @classmethod
    def resolve_type(cls, instance, info):
        return BLOCK_TYPES[type(instance)]


class HeadingBlock(graphene.ObjectType):
    """A section heading with its outline level (h2-h4)."""

    text = graphene.String(required=True)
    level = graphene.String(required=True)

    class Meta:
        interfaces = (Block,)


class ParagraphBlock(graphene.ObjectType):
    """Rich text as HTML; internal links point at frontend paths in the reader's language."""

    html = graphene.String(required=True)

    class Meta:
        interfaces = (Block,)


class ImageBlock(graphene.ObjectType):
    """An image in the body with its own alt text and caption."""

    image = graphene.Field(Image, required=True)

    class Meta:
        interfaces = (Block,)


class QuoteBlock(graphene.ObjectType):
    """A pull quote."""

    quote = graphene.String(required=True)
    attribution = graphene.String(required=True)

    class Meta:
        interfaces = (Block,)


class EmbedBlock(graphene.ObjectType):
    """An oEmbed URL (video, etc.); frontends embed it with their own player."""

    url = graphene.String(required=True)

    class Meta:
        interfaces = (Block,)


class CallToActionBlock(graphene.ObjectType):
    """A prominent link; either ``page`` (a live page) or an external ``url``."""

    text = graphene.String(required=True)
    url = graphene.String(required=True, description="The page's frontend path or the URL.")
    page = graphene.Field(PageLink)

    class Meta:
        interfaces = (Block,)

    @staticmethod
    def resolve_url(value, info):
        if value.page is not None:
            return ApiContext.of(info).url(value.page)
        return value.url or ""


class FactBoxBlock(graphene.ObjectType):
    """A boxed aside of key facts."""

    title = graphene.String(required=True)
    html = graphene.String(required=True)

    class Meta:
        interfaces = (Block,)


class CommitmentBlock(graphene.ObjectType):
    """A commitment of the organisation and what it will report on."""

    heading = graphene.String(required=True)
    html = graphene.String(required=True)
    to_report = graphene.List(graphene.NonNull(graphene.String), required=True)

    class Meta:
        interfaces = (Block,)


BLOCK_TYPES = {
    HeadingValue: HeadingBlock,
    ParagraphValue: ParagraphBlock,
    ImageValue: ImageBlock,
    QuoteValue: QuoteBlock,
    EmbedValue: EmbedBlock,
    CallToActionValue: CallToActionBlock,
    FactBoxValue: FactBoxBlock,
    CommitmentValue: CommitmentBlock,
}
ALL_BLOCK_TYPES = list(BLOCK_TYPES.values())


def resolve_body(node, info):
    """The page's body blocks, loaded for its whole batch at once."""
    bodies = node.batch.load("body", load_bodies, ApiContext.of(info))
    return bodies.get(node.page.pk, [])


def body_field():
    return graphene.List(graphene.NonNull(Block), required=True, resolver=resolve_body)


def hero_image(node, info):
    """The page's lead image. The first call of a batch registers every page's hero image,
    so that their renditions are then read with one query."""
    if node.batch.once("heroes"):
        context = ApiContext.of(info)
        for other in node.batch.nodes:
            if getattr(other.page, "hero_image_id", None):
                context.track(other.page.hero_image)
    page = node.page
    if page.hero_image_id is None:
        return None
    return ImageUse(page.hero_image, page.hero_alt_text, page.hero_caption)


def load_social_images(nodes, context):
    """image id -> image, for the sharing images of a batch (one query)."""
    ids = {pk for node in nodes if (pk := getattr(node.page, "social_image_id", None))}
    images = {image.pk: image for image in CustomImage.objects.filter(pk__in=ids)} if ids else {}
    for image in images.values():
        context.track(image)  # their renditions are then read with the others, in one query
    return images


def social_image(node, info):
    """The sharing image the editor chose, else the hero image with its alt text (the admin's
    help text promises that fallback)."""
    chosen = getattr(node.page, "social_image_id", None)
    if chosen:
        context = ApiContext.of(info)
        image = node.batch.load("social_images", load_social_images, context).get(chosen)
        if image is not None:
            return ImageUse(image)
    if getattr(node.page, "hero_image_id", None):
        return hero_image(node, info)
    return None


def add_fields(graphql_type, **fields):
    """Add fields to an object type that another app defines, before the schema is built.

    The app that depends on the other contributes the field (news adds ``articles`` to the
    topic page type of topics, which knows nothing of news), so apps depend on each other one
    way only. The fields come after the type's own, in the order given; a name the type has
    already is a mistake, not an override."""
    for name, field in fields.items():
        if name in graphql_type._meta.fields:
            raise ImproperlyConfigured(f"{graphql_type._meta.name} already has a field {name!r}.")
        graphql_type._meta.fields[name] = field
