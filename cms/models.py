"""Shared models: the photo library, home and standard pages, per-language site settings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PublishingPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import (
    DraftStateMixin,
    Page,
    RevisionMixin,
    TranslatableMixin,
)
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from . import page_types
from .blocks import BaseBodyBlock, MenuLinkBlock, StandardBodyBlock
from .page_forms import BasePageForm


class CustomImage(AbstractImage):
    """A photo with its credit.

    The credit (photographer or source) is a fact about the photo, the same in every language,
    so it lives here and not on the pages that use the photo. The default alt text is
    Wagtail's own ``description`` field (labelled "Default alt text" in our image form, read
    through Wagtail's ``default_alt_text``, which falls back to the title); it is used only
    where a use of the photo gives no alt text of its own.
    """

    credit = models.CharField(
        _("credit"),
        max_length=255,
        blank=True,
        help_text=_("Photographer or source, e.g. 'ICLD', 'Alice Hansson', 'Duy Pham, Unsplash'."),
    )
    admin_form_fields = (*Image.admin_form_fields, "credit")

    search_fields = [*AbstractImage.search_fields, index.SearchField("credit")]

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class CustomRendition(AbstractRendition):
    """Resized copies of ``CustomImage``; created once per preset, then read in bulk."""

    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class HeroImageMixin(models.Model):
    """The lead image of a page: the photo plus its own (translated) alt text and caption."""

    hero_image = models.ForeignKey(
        CustomImage,
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_alt_text = models.CharField(
        _("alt text"),
        max_length=255,
        blank=True,
        help_text=_(
            "Describe the image for readers who cannot see it. Empty: the image's default."
        ),
    )
    hero_caption = models.CharField(
        _("caption"),
        max_length=500,
        blank=True,
        help_text=_("Shown under the image. The photo credit is added from the image itself."),
    )

    hero_panels = [
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_alt_text"), FieldPanel("hero_caption")],
            heading=_("Image"),
        )
    ]

    hero_translatable_fields = [
        SynchronizedField("hero_image"),
        TranslatableField("hero_alt_text"),
        TranslatableField("hero_caption"),
    ]

    class Meta:
        abstract = True


class SeoMixin(models.Model):
    """Search and sharing fields beyond Wagtail's SEO title and search description."""

    social_image = models.ForeignKey(
        CustomImage,
        verbose_name=_("social sharing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Used when the page is shared on social media. Empty: the page's own image."),
    )

    seo_translatable_fields = [
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        SynchronizedField("social_image"),
    ]

    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title"),
                FieldPanel("search_description"),
                FieldPanel("social_image"),
            ],
            heading=_("For search engines and social media"),
        ),
        MultiFieldPanel([FieldPanel("show_in_menus")], heading=_("For site menus")),
    ]

    class Meta:
        abstract = True


class BasePage(SeoMixin, Page):
    """Abstract base of every page type here: intro text, SEO fields and a search index."""

    intro = models.TextField(
        _("intro"),
        blank=True,
        help_text=_("The lead: one or two sentences shown in listings and at the top of the page."),
    )

    def get_template(self, request, *args, **kwargs):
        """Headless: frontends render from the GraphQL API; this only serves "View live"."""
        return "cms/headless_page.html"

    def serve_preview(self, request, mode_name):
        """The admin's preview panel, as the editor types: the page as the API serves it
        (rendered here, or by the frontend when one is configured); see ``cms.preview``."""
        from cms.preview import render_preview

        return render_preview(self, request)

    def get_url_parts(self, request=None):
        """With a frontend (``FRONTEND_URL``), "View live" and the page listing's live links
        open the page there; without one, Wagtail's own address (a notice page)."""
        parts = super().get_url_parts(request)
        frontend = getattr(settings, "FRONTEND_URL", None)
        if parts is None or not frontend:
            return parts
        site_id, _root_url, page_path = parts
        return site_id, frontend.rstrip("/"), page_path

    def get_url(self, request=None, current_site=None):
        """Wagtail makes a page's address relative on its own site; the frontend is another
        site, so with ``FRONTEND_URL`` the address is always absolute."""
        if getattr(settings, "FRONTEND_URL", None):
            return self.get_full_url(request)
        return super().get_url(request, current_site)

    base_form_class = BasePageForm

    search_fields = [*Page.search_fields, index.SearchField("intro", boost=2)]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("slug"),
        TranslatableField("intro"),
        *SeoMixin.seo_translatable_fields,
    ]

    class Meta:
        abstract = True


@page_types.register()
class HomePage(BasePage):
    """The root of each language's tree (``/sv/``, ``/en/``)."""

    body = StreamField(BaseBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    promote_panels = SeoMixin.promote_panels
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = None

    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    translatable_fields = [*BasePage.translatable_fields, TranslatableField("body")]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


@page_types.register(searchable=True)
class StandardPage(HeroImageMixin, BasePage):
    """A page such as 'Om ICLD': free text plus structured commitments."""

    body = StreamField(StandardBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        *HeroImageMixin.hero_panels,
        FieldPanel("body"),
    ]
    promote_panels = SeoMixin.promote_panels
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]

    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    translatable_fields = [
        *BasePage.translatable_fields,
        *HeroImageMixin.hero_translatable_fields,
        TranslatableField("body"),
    ]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class SiteSettings(TranslatableMixin, DraftStateMixin, RevisionMixin, ClusterableModel):
    """The organisation's name, main menu and footer, once per language.

    A translatable snippet rather than a Wagtail site setting, because site settings have
    one value per site and we need one per language; drafts let an editor prepare a new menu
    without publishing it. At most one per language (see ``clean``).
    """

    organisation_name = models.CharField(_("organisation name"), max_length=255)
    menu = StreamField(
        [("link", MenuLinkBlock())],
        blank=True,
        verbose_name=_("main menu"),
        help_text=_("The main navigation, in order. Page links follow the page's translations."),
    )
    footer_text = RichTextField(
        _("footer text"), blank=True, features=["bold", "italic", "link"], max_length=2000
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    footer_links = StreamField(
        [("link", MenuLinkBlock())], blank=True, verbose_name=_("footer links")
    )
    social_links = StreamField(
        [
            (
                "link",
                blocks.StructBlock(
                    [
                        ("service", blocks.CharBlock(max_length=50, label=_("Service"))),
                        ("url", blocks.URLBlock(label=_("URL"))),
                    ],
                    icon="link",
                ),
            )
        ],
        blank=True,
        verbose_name=_("social media"),
    )

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("menu"),
        MultiFieldPanel(
            [
                FieldPanel("footer_text"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("address"),
                FieldPanel("footer_links"),
                FieldPanel("social_links"),
            ],
            heading=_("Footer and contact"),
        ),
        PublishingPanel(),
    ]

    translatable_fields = [
        TranslatableField("organisation_name"),
        TranslatableField("menu"),
        TranslatableField("footer_text"),
        SynchronizedField("contact_email"),
        SynchronizedField("contact_phone"),
        TranslatableField("address"),
        TranslatableField("footer_links"),
        SynchronizedField("social_links"),
    ]

    def clean(self):
        super().clean()
        if self.locale_id is None:
            return
        others = SiteSettings.objects.filter(locale_id=self.locale_id).exclude(
            translation_key=self.translation_key
        )
        if others.exists():
            raise ValidationError(
                _("Site settings for this language already exist; edit those instead.")
            )

    def __str__(self):
        return f"{self.organisation_name} ({self.locale})"

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")


class PreviewSnapshot(models.Model):
    """What an editor or translator had in the form when the preview refreshed, saved or not
    (as wagtail-headless-preview keeps its ``PagePreview`` rows).

    A preview token points at one snapshot (``cms.preview``); ``page(previewToken:)`` serves
    it and nothing lists them. Rows older than the longest token's life are deleted whenever
    a new one is made, so the table holds at most an hour of previews."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    #: Null for a page being created (it has no row yet).
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.CASCADE, related_name="+"
    )
    content = models.JSONField(encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def as_page(self):
        """The page as the form had it (``Revision.as_object`` does the same for a revision)."""
        model = self.content_type.model_class()
        page = model.from_serializable_data(self.content, check_fks=False)
        if self.page_id is None:
            page.pk = page.id = 0  # no row: an id no page has (the API's ids are required)
        return page


class PersistedQuery(models.Model):
    """A registered GraphQL document, addressed by the SHA-256 of its text.

    Clients send the hash instead of the text (Apollo's persisted-query convention), which
    keeps GET URLs short and cacheable; with ``GRAPHQL_PERSISTED_QUERIES_ONLY`` the API
    answers registered documents only. Registered with ``register_persisted_queries``.
    """

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    query = models.TextField(_("query"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    def __str__(self):
        return self.name or self.sha256[:12]

    class Meta:
        verbose_name = _("persisted query")
        verbose_name_plural = _("persisted queries")


class ShownVersion(models.Model):
    """Which version of a translation group readers of a language see, and when.

    A read model kept by ``cms.versions`` from the visibility rules of ``cms.visibility``:
    for every language and every translation group with a public page, the page a list in that
    language shows (the group's version in that language, else its earliest-created public
    version, flagged as a fallback) and the time window in which that holds (the versions'
    go-live and expiry times). Lists filter, count and page through this narrow indexed table
    instead of probing every translation of every row at query time, which kept their cost
    growing with the size of the site. The API still applies the visibility rules to every
    row it hands out; this table only decides which version of a group a list shows.
    """

    # No index of its own: the list index below starts with it, and a second index on the
    # language alone made the planner read table rows where the list index answers alone.
    locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    translation_key = models.UUIDField()
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    is_fallback = models.BooleanField()
    shown_from = models.DateTimeField(null=True)
    shown_until = models.DateTimeField(null=True)

    def __str__(self):
        return f"{self.locale_id}:{self.translation_key} -> {self.page_id}"

    class Meta:
        indexes = [
            # Every column a list's count reads is in the key: the count is an index-only
            # scan (and SQLite, which has no INCLUDE, builds the same index).
            models.Index(
                fields=[
                    "locale",
                    "content_type",
                    "page",
                    "is_fallback",
                    "shown_from",
                    "shown_until",
                ],
                name="shown_version_list_idx",
            ),
            models.Index(fields=["translation_key"], name="shown_version_group_idx"),
            # The few rows with a time window, counted live on top of ``ShownTotal``.
            models.Index(
                fields=["locale", "content_type", "is_fallback", "shown_from", "shown_until"],
                condition=models.Q(shown_from__isnull=False) | models.Q(shown_until__isnull=False),
                name="shown_version_window_idx",
            ),
        ]


class ShownTotal(models.Model):
    """How many ``ShownVersion`` rows without a time window there are per language, page
    type and fallback flag: an unfiltered list's ``totalCount`` in constant time.

    Counting the rows instead grows with the site (an index-only count still reads every
    entry: about 10 ms at 100,000 articles, on every uncached listing). Recomputed by
    ``cms.versions`` in the same transaction as every change of ``ShownVersion``, under a
    lock, so it never disagrees with the table; rows with a time window (scheduled
    go-live, expiry) are few and are counted live, because whether they count depends on
    the time of the request.
    """

    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    is_fallback = models.BooleanField()
    count = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.locale_id}:{self.content_type_id}:{self.is_fallback} = {self.count}"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["locale", "content_type", "is_fallback"], name="shown_total_unique"
            )
        ]


class PendingInvalidation(models.Model):
    """Cache tags of a change whose final invalidation stamp is not written yet.

    Written in the editor's transaction, so it commits with the change; deleted once the
    tags carry their final stamp in the cache. While a row exists its tags stay reserved
    in the cache (no answer using them is served or stored), so a cache that failed after
    the commit costs misses, never stale answers; ``manage.py flush_invalidations``, every
    later change and ``/healthz`` retry or report it (see ``docs/caching.md``).
    """

    tags = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{len(self.tags)} tags, {self.created_at:%Y-%m-%d %H:%M:%S}"
