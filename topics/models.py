"""Topics: the themes the organisation works on, each with articles derived from article tags."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import TranslatableField

from cms import page_types
from cms.blocks import BaseBodyBlock
from cms.models import BasePage, HeroImageMixin, SeoMixin
from cms.visibility import restricted_roots, visible_pages


@page_types.register()
class TopicIndexPage(BasePage):
    """Lists the topics of one language (``/sv/amnen/``, ``/en/topics/``)."""

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    promote_panels = SeoMixin.promote_panels
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["topics.TopicPage"]

    class Meta:
        verbose_name = _("topic index page")
        verbose_name_plural = _("topic index pages")


@page_types.register(lists=("topics",), mentioned_in=("articles",), searchable=True)
class TopicPage(HeroImageMixin, BasePage):
    """A theme such as 'Offentlig sektor' / 'Public sector'.

    Its related articles are not kept here: they are the live articles that name this topic
    (``NewsArticlePage.article_topics``), so an editor tags an article once and every topic
    page it belongs to lists it.
    """

    body = StreamField(BaseBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        *HeroImageMixin.hero_panels,
        FieldPanel("body"),
    ]
    promote_panels = SeoMixin.promote_panels
    parent_page_types = ["topics.TopicIndexPage"]
    subpage_types = []

    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    translatable_fields = [
        *BasePage.translatable_fields,
        *HeroImageMixin.hero_translatable_fields,
        TranslatableField("body"),
    ]

    def related_articles(self):
        """Articles readers see (``cms.visibility``, the API's rule) in this topic's language,
        tagged with this topic, newest publication date first: for editors' tools and checks.

        Matched on the topic's ``translation_key``, not its id: an article translated before
        its topic was still links to the source-language topic (wagtail-localize falls back),
        and it belongs here all the same. Articles are the page types of the ``articles``
        list (``cms.page_types``; news registers them, with their ``article_topics`` links),
        so topics does not import news.
        """
        article_types = sorted(page_types.in_list("articles"), key=lambda m: len(m.__mro__))
        if not article_types:
            return Page.objects.none()
        return (
            visible_pages(article_types[0].objects.all(), restricted_roots())
            .filter(
                locale_id=self.locale_id,
                article_topics__topic__translation_key=self.translation_key,
            )
            .distinct()
            .order_by("-date", "-pk")
        )

    class Meta:
        verbose_name = _("topic page")
        verbose_name_plural = _("topic pages")
