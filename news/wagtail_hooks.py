"""Admin for the grant records that announcements refer to."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .choosers import PartnerChooserViewSet, RecipientChooserViewSet
from .models import PartnerOrganisation, Recipient


class RecipientViewSet(SnippetViewSet):
    """Swedish municipalities and regions that receive grants."""

    model = Recipient
    icon = "home"
    menu_name = "grant-recipients"
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    chooser_viewset_class = RecipientChooserViewSet


class PartnerOrganisationViewSet(SnippetViewSet):
    """Partner organisations abroad, filterable by country."""

    model = PartnerOrganisation
    icon = "globe"
    menu_name = "partner-organisations"
    list_display = ["name", "city", "country"]
    list_filter = ["country"]
    search_fields = ["name", "city"]
    chooser_viewset_class = PartnerChooserViewSet


class GrantDataViewSetGroup(SnippetViewSetGroup):
    items = (RecipientViewSet, PartnerOrganisationViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Grant data")
    menu_name = "grant-data"
    menu_order = 300


register_snippet(GrantDataViewSetGroup)


@hooks.register("insert_editor_js")
def grant_sum_script():
    """The running sum of a grant announcement's rows under its announced total."""
    return format_html(
        '<script src="{}" data-grant-sum-label="{}" defer></script>',
        static("news/js/grant-total.js"),
        _("The grant rows add up to %(sum)s kronor."),
    )
