"""News: the news index, articles, and grant announcements with structured grant rows."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from rest_framework.fields import CharField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from cms import page_types
from cms.blocks import BaseBodyBlock
from cms.models import BasePage, HeroImageMixin, SeoMixin

from .forms import GrantAnnouncementForm
from .widgets import PartnerMultipleChooser

FIRST_YEAR = 1990
LAST_YEAR = 2100


def validate_topic(page_id):
    """Topic links point at ``wagtailcore.Page``; only topic pages are accepted."""
    if page_id is None:
        return
    from topics.models import TopicPage

    if not TopicPage.objects.filter(pk=page_id).exists():
        raise ValidationError({"topic": _("Choose a topic page.")})


class Programme(models.TextChoices):
    """The organisation's three lines of work; a fixed vocabulary so frontends can filter on it."""

    MUNICIPAL_PARTNERSHIP = "municipal_partnership", _("Municipal partnerships")
    INTERNATIONAL_TRAINING = "international_training", _("International training programmes")
    RESEARCH = "research", _("Research")


class ArticleKind(models.TextChoices):
    """What an article is; grant announcements are their own page type and always this kind."""

    NEWS = "news", _("News")
    GRANT_ANNOUNCEMENT = "grant_announcement", _("Grant announcement")
    RESEARCH = "research", _("Research")
    EVENT = "event", _("Event")


class RecipientKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    REGION = "region", _("Region")


class Recipient(models.Model):
    """A Swedish municipality or region that receives grants, e.g. 'Region Gotland'.

    A reusable record rather than text on each grant, so that 'all grants to Region Gotland'
    is a join and not a string match. Names are proper nouns, the same in both languages, so
    the record is not translated; the kind is shown through translated choice labels.
    """

    name = models.CharField(_("name"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RecipientKind.choices)
    slug = models.SlugField(
        _("slug"),
        max_length=255,
        unique=True,
        allow_unicode=True,
        help_text=_("Used to filter grants by recipient, e.g. 'region-gotland'."),
    )

    panels = [FieldPanel("name"), FieldPanel("kind"), FieldPanel("slug")]

    def __str__(self):
        return self.name

    class Meta:
        ordering = ["name"]
        verbose_name = _("grant recipient")
        verbose_name_plural = _("grant recipients")


class PartnerOrganisation(models.Model):
    """An organisation outside Sweden that a recipient works with, e.g. Bogotá's city hall.

    The country is an ISO 3166-1 code so that 'all partnerships with Zambia' is exact and
    frontends get the country name in the reader's language.
    """

    name = models.CharField(_("name"), max_length=255)
    city = models.CharField(_("city"), max_length=255, blank=True)
    country = CountryField(_("country"))

    panels = [FieldPanel("name"), FieldPanel("city"), FieldPanel("country")]

    def __str__(self):
        place = ", ".join(part for part in (self.city, self.country.name) if part)
        return f"{self.name} ({place})" if place else self.name

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "city", "country"], name="unique_partner_organisation"
            )
        ]


@page_types.register()
class NewsIndexPage(BasePage):
    """The news listing of one language (``/sv/nyheter/``, ``/en/news/``)."""

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    promote_panels = SeoMixin.promote_panels
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["news.NewsArticlePage", "news.GrantAnnouncementPage"]

    class Meta:
        verbose_name = _("news index page")
        verbose_name_plural = _("news index pages")


@page_types.register(
    lists=("articles",), searchable=True, search_prefetch=("article_topics__topic",)
)
class NewsArticlePage(HeroImageMixin, BasePage):
    """A news item, research story or event.

    ``date`` is the publication date readers see; it is edited by hand (an article moved from
    an old site keeps its date) and is independent of Wagtail's publishing timestamps.
    """

    date = models.DateField(
        _("publication date"),
        default=datetime.date.today,
        help_text=_("The date shown to readers; listings are ordered by it, newest first."),
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=ArticleKind.choices, default=ArticleKind.NEWS
    )
    programme = models.CharField(
        _("programme"), max_length=32, choices=Programme.choices, blank=True
    )
    body = StreamField(BaseBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("kind"), FieldPanel("programme")]),
        *HeroImageMixin.hero_panels,
        FieldPanel("body"),
        InlinePanel("article_topics", label=_("Topics"), heading=_("Topics")),
    ]
    promote_panels = SeoMixin.promote_panels
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("body"),
        index.FilterField("date"),
        index.FilterField("kind"),
        index.FilterField("programme"),
    ]
    #: Fields Wagtail's REST API v2 would expose (mounted only by the benchmarks, to compare).
    api_fields = [
        APIField("intro"),
        APIField("date"),
        APIField("kind"),
        APIField("hero_image"),
        APIField("hero_image_credit", serializer=CharField(source="hero_image.credit", default="")),
        APIField(
            "hero_rendition",
            serializer=ImageRenditionField(
                "fill-640x360|format-webp|webpquality-80", source="hero_image"
            ),
        ),
        APIField("article_topics"),
        APIField("body"),
    ]

    translatable_fields = [
        *BasePage.translatable_fields,
        *HeroImageMixin.hero_translatable_fields,
        SynchronizedField("date"),
        SynchronizedField("kind"),
        SynchronizedField("programme"),
        TranslatableField("body"),
        # Each topic link is mapped to the topic's translation in the target language.
        TranslatableField("article_topics"),
    ]

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
        indexes = [models.Index(fields=["-date"], name="news_article_date_idx")]


class ArticleTopic(TranslatableMixin, Orderable):
    """Links an article to a topic page. Translatable so that a translated article points at
    the translated topic (wagtail-localize maps the related page to the target language)."""

    page = ParentalKey(NewsArticlePage, on_delete=models.CASCADE, related_name="article_topics")
    # A FK to Page (limited to topic pages in the chooser and in ``clean``) because
    # wagtail-localize maps translated page references as base ``Page`` instances.
    topic = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("topic"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("topic", "topics.TopicPage")]
    api_fields = [APIField("topic")]

    def clean(self):
        super().clean()
        validate_topic(self.topic_id)

    translatable_fields = [TranslatableField("topic")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("article topic")
        verbose_name_plural = _("article topics")
        constraints = [
            models.UniqueConstraint(fields=["page", "topic"], name="unique_article_topic")
        ]
        # A topic's articles are counted and listed from its links alone (index-only).
        indexes = [models.Index(fields=["topic", "page"], name="article_topic_by_topic_idx")]


def grant_search_text(page, code):
    """Recipients, partners (with city and country name in the page's language) and project
    titles of a grant announcement, so that 'Zambia' or 'Region Gotland' find it."""
    parts = []
    with override(code):
        for grant in page.grants.all():
            parts.append(grant.recipient.name)
            parts.append(grant.project_title)
            for partner in grant.partners.all():
                parts.extend([partner.name, partner.city, str(partner.country.name)])
    return " ".join(part for part in parts if part)


class KronorField(models.PositiveBigIntegerField):
    """Whole Swedish kronor. Its admin field reads amounts as people write them ("1 500 000",
    "1,5 MSEK") and shows them grouped (``news.forms.AmountField``)."""

    def formfield(self, **kwargs):
        from .forms import AmountField

        return super().formfield(**{"form_class": AmountField, **kwargs})


@page_types.register(
    lists=("articles", "grants"),
    searchable=True,
    search_text=grant_search_text,
    search_prefetch=("article_topics__topic", "grants__recipient", "grants__partners"),
)
class GrantAnnouncementPage(NewsArticlePage):
    """An article announcing grants. Its grants are rows (recipient, partners, amount, year),
    not prose, so that grants can be listed and summed across announcements."""

    total_amount = KronorField(
        _("announced total (SEK)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "The total the announcement gives, in Swedish kronor, e.g. 18 000 000 or 18 MSEK. "
            "The grant rows may not add up to more."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("programme")]),
        *HeroImageMixin.hero_panels,
        FieldPanel("body"),
        # The total right above its rows: the running sum under it (news/wagtail_hooks.py).
        FieldPanel("total_amount"),
        InlinePanel("grants", label=_("Grant"), heading=_("Grants")),
        InlinePanel("article_topics", label=_("Topics"), heading=_("Topics")),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []
    base_form_class = GrantAnnouncementForm

    translatable_fields = [
        *NewsArticlePage.translatable_fields,
        SynchronizedField("total_amount"),
        TranslatableField("grants"),
    ]

    def save(self, *args, **kwargs):
        self.kind = ArticleKind.GRANT_ANNOUNCEMENT
        return super().save(*args, **kwargs)

    class Meta:
        verbose_name = _("grant announcement")
        verbose_name_plural = _("grant announcements")


def current_year():
    return timezone.localdate().year


def validate_year(value):
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise ValidationError(
            _("Enter a year between %(first)s and %(last)s."),
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


class Grant(TranslatableMixin, Orderable, ClusterableModel):
    """One grant of an announcement: who receives it, with whom, for what, how much, when.

    Amounts, years, the recipient and partners are synchronised between languages; the
    project title is translated and the topic follows its translation.
    """

    page = ParentalKey(GrantAnnouncementPage, on_delete=models.CASCADE, related_name="grants")
    recipient = models.ForeignKey(
        Recipient, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="grants"
    )
    partners = ParentalManyToManyField(
        PartnerOrganisation,
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="grants",
    )
    project_title = models.CharField(_("project title"), max_length=255, blank=True)
    programme = models.CharField(
        _("programme"),
        max_length=32,
        choices=Programme.choices,
        default=Programme.MUNICIPAL_PARTNERSHIP,
    )
    topic = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The topic page this grant's project is about."),
    )
    amount = KronorField(
        _("amount (SEK)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Optional: announcements often give only the total."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        default=current_year,
        validators=[validate_year],
        help_text=_("The year the grant starts."),
    )
    end_year = models.PositiveSmallIntegerField(
        _("end year"),
        null=True,
        blank=True,
        validators=[validate_year],
        help_text=_("For grants over several years; empty for one year."),
    )

    panels = [
        FieldPanel("recipient"),
        FieldPanel("partners", widget=PartnerMultipleChooser),
        FieldPanel("project_title"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("programme"), PageChooserPanel("topic", "topics.TopicPage")]
                ),
                FieldRowPanel([FieldPanel("amount"), FieldPanel("year"), FieldPanel("end_year")]),
            ]
        ),
    ]
    translatable_fields = [
        SynchronizedField("recipient"),
        SynchronizedField("partners"),
        TranslatableField("project_title"),
        SynchronizedField("programme"),
        TranslatableField("topic"),
        SynchronizedField("amount"),
        SynchronizedField("year"),
        SynchronizedField("end_year"),
    ]

    def clean(self):
        super().clean()
        validate_topic(self.topic_id)
        if self.end_year is not None and self.year is not None and self.end_year < self.year:
            raise ValidationError({"end_year": _("The end year cannot be before the start year.")})

    def __str__(self):
        return f"{self.recipient} {self.year}"

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["sort_order"]
        indexes = [models.Index(fields=["year"], name="grant_year_idx")]
