"""Factories for topic pages."""

import factory
import wagtail_factories

from .models import TopicIndexPage, TopicPage


class TopicIndexPageFactory(wagtail_factories.PageFactory):
    title = "Ämnen"
    slug = "amnen"

    class Meta:
        model = TopicIndexPage


class TopicPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Ämne {n}")
    intro = "Ett ämne."

    class Meta:
        model = TopicPage
