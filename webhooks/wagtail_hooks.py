"""Admin: webhook endpoints (editable) and the delivery log (read-only)."""

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from cms.admin_columns import yes_no_column

from .forms import WebhookEndpointForm
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


class ShowsGeneratedSecretOnce:
    """After saving, a secret the form generated (new endpoint, or "Generate a new secret") is
    shown in a message, once: it is not stored anywhere the admin displays again."""

    def save_instance(self):
        instance = super().save_instance()
        secret = getattr(self.form, "generated_secret", None)
        if secret:
            text = _(
                "New signing secret of “%(name)s”, shown only this once: copy it to your "
                "receiver now."
            ) % {"name": instance.name}
            messages.warning(self.request, format_html("{} <code>{}</code>", text, secret))
        return instance


class WebhookEndpointCreateView(ShowsGeneratedSecretOnce, CreateView):
    pass


class WebhookEndpointEditView(ShowsGeneratedSecretOnce, EditView):
    pass


class WebhookEndpointViewSet(SnippetViewSet):
    """Endpoints that receive signed POSTs when content changes."""

    model = WebhookEndpoint
    icon = "link-external"
    menu_name = "webhook-endpoints"
    list_display = ["name", "url", yes_no_column("is_active", _("active"))]
    add_view_class = WebhookEndpointCreateView
    edit_view_class = WebhookEndpointEditView
    # A copy would start from the original's form (an edit form, whose empty secret means
    # "keep"); creating an endpoint is short enough without it.
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("url"),
            FieldPanel("secret"),
            FieldPanel("rotate_secret"),
            MultiFieldPanel(
                [FieldPanel("is_active"), FieldPanel("page_events"), FieldPanel("image_events")],
                heading=_("Sending"),
            ),
        ],
        base_form_class=WebhookEndpointForm,
    )


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
