"""StreamField blocks shared by every page type.

Each block is structured content a headless frontend can render on its own terms: no block
carries presentation HTML other than rich text, and every image use carries its own alt text
and caption (translated with the page) while the photo credit stays on the image.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

#: Rich text features for body paragraphs: enough for articles, nothing that breaks a frontend.
BODY_FEATURES = ["bold", "italic", "link", "document-link", "image", "ol", "ul", "h3", "h4"]
#: Rich text features for short texts inside other blocks (fact boxes, commitments).
SHORT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


def check_one_target(value):
    """A link needs exactly one target: an internal page or an external URL."""
    if value.get("page") and value.get("url"):
        message = _("Choose either a page or a URL, not both.")
    elif not value.get("page") and not value.get("url"):
        message = _("Choose a page or enter a URL.")
    else:
        return
    raise blocks.StructBlockValidationError(block_errors={"page": ValidationError(message)})


class HeadingBlock(blocks.StructBlock):
    """A section heading; the level is explicit so that frontends build a correct outline."""

    text = blocks.CharBlock(label=_("Heading"), max_length=255)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3")), ("h4", _("Heading 4"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")


class ParagraphBlock(blocks.RichTextBlock):
    """Body text. Internal links are stored as page ids so they follow moves and translations."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", BODY_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")


class ImageBlock(blocks.StructBlock):
    """An image in the body. Alt text and caption belong to this use and are translated.

    The photographer credit is not here: it is a property of the photo (``CustomImage.credit``)
    and is the same in every language.
    """

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alt text"),
        required=False,
        max_length=255,
        help_text=_(
            "Describe the image for readers who cannot see it. Empty: the image's default."
        ),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=500)

    class Meta:
        icon = "image"
        label = _("Image")


class QuoteBlock(blocks.StructBlock):
    """A pull quote with the person or source it comes from."""

    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(
        label=_("Attribution"),
        required=False,
        max_length=255,
        help_text=_("Who said it, e.g. 'Johan Lilja, generalsekreterare ICLD'."),
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")


class CallToActionBlock(blocks.StructBlock):
    """A prominent link. Exactly one target: an internal page (localised by the API) or a URL."""

    text = blocks.CharBlock(label=_("Link text"), max_length=100)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("External URL"), required=False)

    def clean(self, value):
        value = super().clean(value)
        check_one_target(value)
        return value

    class Meta:
        icon = "link"
        label = _("Call to action")


class FactBoxBlock(blocks.StructBlock):
    """A boxed aside with key facts (figures, dates, contacts) next to the article text."""

    title = blocks.CharBlock(label=_("Title"), max_length=255)
    body = blocks.RichTextBlock(label=_("Text"), features=SHORT_FEATURES)

    class Meta:
        icon = "doc-full"
        label = _("Fact box")


class CommitmentBlock(blocks.StructBlock):
    """One of the organisation's commitments: what it promises and what it will report on.

    Structured (not prose) so that a frontend can show the 'to report' items as a checklist
    and an annual report can be assembled from them.
    """

    heading = blocks.CharBlock(label=_("Heading"), max_length=255)
    text = blocks.RichTextBlock(label=_("Text"), features=SHORT_FEATURES)
    to_report = blocks.ListBlock(
        blocks.CharBlock(max_length=500),
        label=_("To report"),
        help_text=_("What the organisation will report on to show the commitment is kept."),
        default=[],
    )

    class Meta:
        icon = "tick-inverse"
        label = _("Commitment")


class BaseBodyBlock(blocks.StreamBlock):
    """The body of articles, topics and standard pages."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(label=_("Embed"), help_text=_("A YouTube, Vimeo or other oEmbed URL."))
    call_to_action = CallToActionBlock()
    fact_box = FactBoxBlock()


class StandardBodyBlock(BaseBodyBlock):
    """Standard pages add commitments (e.g. 'Om ICLD')."""

    commitment = CommitmentBlock()


class MenuLinkBlock(blocks.StructBlock):
    """A navigation link: an internal page (its title unless overridden) or an external URL."""

    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("External URL"), required=False)
    title = blocks.CharBlock(
        label=_("Title"),
        required=False,
        max_length=100,
        help_text=_("Leave empty to use the page's title."),
    )

    def clean(self, value):
        value = super().clean(value)
        check_one_target(value)
        if value.get("url") and not value.get("title"):
            raise blocks.StructBlockValidationError(
                block_errors={"title": ValidationError(_("An external link needs a title."))}
            )
        return value

    class Meta:
        icon = "link"
        label = _("Link")
