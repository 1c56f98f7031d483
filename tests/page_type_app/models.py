from django.db import models

from cms import page_types
from cms.models import BasePage


@page_types.register(searchable=True)
class EventPage(BasePage):
    """An event: a page type of a test app, registered as any app's page type is."""

    venue = models.CharField(max_length=100, blank=True)

    parent_page_types = []  # made by the tests only, never in the admin
    subpage_types = []
