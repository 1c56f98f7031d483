"""Factories for the shared models, used by tests and benchmarks."""

import factory
import wagtail_factories
from wagtail.models import Locale

from .models import CustomImage, HomePage, SiteSettings, StandardPage


class CustomImageFactory(wagtail_factories.ImageFactory):
    """A generated image with a photo credit."""

    credit = factory.Sequence(lambda n: f"Photographer {n}")
    description = factory.Sequence(lambda n: f"Photo {n}")

    class Meta:
        model = CustomImage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Startsida"
    intro = "Välkommen."

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Sida {n}")
    intro = "En sida."

    class Meta:
        model = StandardPage


class SiteSettingsFactory(factory.django.DjangoModelFactory):
    organisation_name = "ICLD"
    locale = factory.LazyFunction(Locale.get_default)
    live = True

    class Meta:
        model = SiteSettings
