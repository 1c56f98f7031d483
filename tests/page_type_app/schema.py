import graphene

from cms.api.types import Page, PageNodeType, register_page_type

from .models import EventPage


@register_page_type(EventPage)
class EventPageType(PageNodeType):
    """An event, as the API shows it."""

    intro = graphene.String(required=True)
    venue = graphene.String(required=True)

    class Meta:
        name = "EventPage"
        interfaces = (Page,)
