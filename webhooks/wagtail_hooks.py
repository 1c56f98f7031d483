"""Admin: webhook endpoints (editable) and the delivery log (read-only)."""

from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import WebhookDelivery, WebhookEndpoint


class ReadOnlyPolicy(ModelPermissionPolicy):
    """The delivery log is written by the system only: editors may look, never change."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(WebhookDelivery, ReadOnlyPolicy(WebhookDelivery))


class WebhookEndpointViewSet(SnippetViewSet):
    """Endpoints that receive signed POSTs when content changes."""

    model = WebhookEndpoint
    icon = "link-external"
    menu_name = "webhook-endpoints"
    list_display = ["name", "url", "is_active"]


class WebhookDeliveryViewSet(SnippetViewSet):
    """Every delivery with its status, attempts and last error."""

    model = WebhookDelivery
    icon = "list-ul"
    menu_name = "webhook-deliveries"
    list_display = [
        "event",
        "endpoint",
        "status",
        "attempts",
        "response_status",
        "last_error",
        "created_at",
    ]
    list_filter = ["status", "event", "endpoint"]
    inspect_view_enabled = True


class WebhooksGroup(SnippetViewSetGroup):
    items = (WebhookEndpointViewSet, WebhookDeliveryViewSet)
    menu_icon = "link-external"
    menu_label = _("Webhooks")
    menu_name = "webhooks"
    menu_order = 900


register_snippet(WebhooksGroup)
