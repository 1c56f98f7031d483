"""Topics: the themes the organisation works on, each with articles derived from article tags."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import TranslatableField

from cms.blocks import BaseBodyBlock
from cms.models import BasePage, HeroImageMixin, SeoMixin


class TopicIndexPage(BasePage):
    """Lists the topics of one language (``/sv/amnen/``, ``/en/topics/``)."""

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    promote_panels = SeoMixin.promote_panels
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["topics.TopicPage"]

    class Meta:
        verbose_name = _("topic index page")
        verbose_name_plural = _("topic index pages")


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
        """Live, public articles in this topic's language tagged with this topic.

        Matched on the topic's ``translation_key``, not its id: an article translated before
        its topic was still links to the source-language topic (wagtail-localize falls back),
        and it belongs here all the same. Newest publication date first.
        """
        from news.models import NewsArticlePage

        return (
            NewsArticlePage.objects.live()
            .public()
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
