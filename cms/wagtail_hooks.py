"""Admin registration of the shared snippets, and our script for wagtail-localize's editor."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_columns import yes_no_column
from .models import SiteSettings


class SiteSettingsViewSet(SnippetViewSet):
    """Site settings per language; the list shows which languages have them."""

    model = SiteSettings
    icon = "cog"
    menu_label = _("Site settings")
    menu_name = "site-settings"
    list_display = ["organisation_name", "locale", yes_no_column("live", _("live"))]
    add_to_admin_menu = True
    menu_order = 800


register_snippet(SiteSettingsViewSet)


@hooks.register("insert_editor_js")
def translation_editor_script():
    """wagtail-localize's translation editor heading in the admin's language (the script
    says why); wagtail-localize's editor outputs this hook too."""
    return format_html('<script src="{}" defer></script>', static("cms/js/translation-editor.js"))
