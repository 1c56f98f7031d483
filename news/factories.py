"""Factories for news pages and grant records."""

import datetime

import factory
import wagtail_factories

from .models import (
    ArticleKind,
    GrantAnnouncementPage,
    NewsArticlePage,
    NewsIndexPage,
    PartnerOrganisation,
    Recipient,
    RecipientKind,
)


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "Nyheter"
    slug = "nyheter"

    class Meta:
        model = NewsIndexPage


class NewsArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Artikel {n}")
    intro = factory.Sequence(lambda n: f"Ingress för artikel {n}.")
    date = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
    kind = ArticleKind.NEWS

    class Meta:
        model = NewsArticlePage


class GrantAnnouncementPageFactory(NewsArticlePageFactory):
    total_amount = 1_000_000

    class Meta:
        model = GrantAnnouncementPage


class RecipientFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Kommun {n}")
    slug = factory.Sequence(lambda n: f"kommun-{n}")
    kind = RecipientKind.MUNICIPALITY

    class Meta:
        model = Recipient


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Partner {n}")
    city = "Lusaka"
    country = "ZM"

    class Meta:
        model = PartnerOrganisation
