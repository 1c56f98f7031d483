"""Admin for the grant records that announcements refer to."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import PartnerOrganisation, Recipient


class RecipientViewSet(SnippetViewSet):
    """Swedish municipalities and regions that receive grants."""

    model = Recipient
    icon = "home"
    menu_name = "grant-recipients"
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


class PartnerOrganisationViewSet(SnippetViewSet):
    """Partner organisations abroad, filterable by country."""

    model = PartnerOrganisation
    icon = "globe"
    menu_name = "partner-organisations"
    list_display = ["name", "city", "country"]
    list_filter = ["country"]
    search_fields = ["name", "city"]


class GrantDataViewSetGroup(SnippetViewSetGroup):
    items = (RecipientViewSet, PartnerOrganisationViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Grant data")
    menu_name = "grant-data"
    menu_order = 300


register_snippet(GrantDataViewSetGroup)
