"""Admin: webhook endpoints (editable) and the delivery log (read-only)."""

import json
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from cms.admin_columns import yes_no_column

from .dispatch import redeliver, send_test_event
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
    """The endpoint's form, with "Send a test event" among its actions."""

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                _("Send a test event"),
                url=reverse("webhooks_send_test", args=[self.object.pk]),
                icon_name="resubmit",
                priority=5,
            ),
        ]


class ConfirmedAction(WagtailAdminTemplateMixin, TemplateView):
    """A question and a button: GET asks, POST acts (a link never sends anything). Only
    those who may change webhook endpoints may send."""

    template_name = "webhooks/confirm_action.html"
    header_icon = "link-external"

    def dispatch(self, request, pk):
        if not request.user.has_perm("webhooks.change_webhookendpoint"):
            raise PermissionDenied
        self.object = get_object_or_404(self.model, pk=pk)
        return super().dispatch(request, pk)

    def get_breadcrumbs_items(self):
        """Where the action is: the endpoint or delivery, then the action itself (without
        them the header named nothing but "Home")."""
        return [
            *super().get_breadcrumbs_items(),
            {"url": self.cancel_url(), "label": str(self.object)},
            {"url": None, "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "question": self.question(),
            "action_label": self.page_title,
            "cancel_url": self.cancel_url(),
        }

    def post(self, request, pk):
        delivery = self.act()
        messages.success(
            request,
            self.done_message(),
            buttons=[
                messages.button(
                    reverse(
                        WebhookDelivery.snippet_viewset.get_url_name("inspect"), args=[delivery.pk]
                    ),
                    _("Show the delivery"),
                )
            ],
        )
        return redirect(self.cancel_url())


class SendTestEventView(ConfirmedAction):
    """A ``webhook.test`` delivery to one endpoint, through the worker like any other: the
    way to check a receiver's URL and secret before content changes."""

    model = WebhookEndpoint
    page_title = _("Send a test event")

    def question(self):
        return _(
            "Send a signed test event (webhook.test, no cache tags) to “%(name)s” at %(url)s?"
        ) % {"name": self.object.name, "url": self.object.url}

    def cancel_url(self):
        return reverse(WebhookEndpoint.snippet_viewset.get_url_name("edit"), args=[self.object.pk])

    def act(self):
        return send_test_event(self.object)

    def done_message(self):
        return _("Test event queued for “%(name)s”.") % {"name": self.object.name}


class RedeliverView(ConfirmedAction):
    """A delivery sent again as a new delivery (the log keeps the first one as it was),
    with the same payload, to the endpoint as it is configured now."""

    model = WebhookDelivery
    page_title = _("Send again")

    def question(self):
        return _("Send this %(event)s delivery to “%(name)s” again, as a new delivery?") % {
            "event": self.object.event,
            "name": self.object.endpoint.name,
        }

    def cancel_url(self):
        return reverse(
            WebhookDelivery.snippet_viewset.get_url_name("inspect"), args=[self.object.pk]
        )

    def act(self):
        return redeliver(self.object)

    def done_message(self):
        return _("The delivery was queued again.")


@hooks.register("register_admin_urls")
def webhook_action_urls():
    return [
        path(
            "webhooks/endpoints/<int:pk>/test/",
            SendTestEventView.as_view(),
            name="webhooks_send_test",
        ),
        path(
            "webhooks/deliveries/<int:pk>/redeliver/",
            RedeliverView.as_view(),
            name="webhooks_redeliver",
        ),
    ]


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


def local_time(value):
    """A moment in the admin user's time zone (Wagtail activates it), as Swedish dates read."""
    if value is None:
        return "–"
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


class DeliveryInspectView(InspectView):
    """A delivery's details: the payload as the receiver gets it (indented JSON, not a
    Python dict) and every time in the admin's time zone; "Send again" for those who may
    change endpoints."""

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.request.user.has_perm("webhooks.change_webhookendpoint"):
            buttons.append(
                Button(
                    _("Send again"),
                    url=reverse("webhooks_redeliver", args=[self.object.pk]),
                    icon_name="resubmit",
                    priority=5,
                )
            )
        return buttons

    #: Labels the model leaves to Django's defaults ("Uuid", "Endpoint").
    labels = {
        "uuid": _("Delivery ID (X-Webhook-Id)"),
        "endpoint": _("webhook endpoint"),
    }

    def get_field_label(self, field_name, field):
        """Capitalised as the other labels ("webhook endpoint" is the model's name)."""
        return capfirst(self.labels.get(field_name) or super().get_field_label(field_name, field))

    def get_response_status_display_value(self):
        return self.object.response_status or "–"

    def get_payload_display_value(self):
        text = json.dumps(self.object.payload, indent=2, ensure_ascii=False, sort_keys=True)
        return format_html('<pre class="webhook-payload">{}</pre>', text)

    def get_created_at_display_value(self):
        return local_time(self.object.created_at)

    def get_delivered_at_display_value(self):
        return local_time(self.object.delivered_at)

    def get_next_attempt_at_display_value(self):
        return local_time(self.object.next_attempt_at)


#: A delivery waiting this long past its time means no worker is taking deliveries.
STALLED_AFTER = timedelta(minutes=5)


def stalled_since():
    """When the oldest delivery that a running worker would have taken by now was due; None
    when nothing waits longer than ``STALLED_AFTER``."""
    cutoff = timezone.now() - STALLED_AFTER
    due = WebhookDelivery.objects.filter(
        Q(status=WebhookDelivery.Status.PENDING, created_at__lt=cutoff)
        | Q(status=WebhookDelivery.Status.RETRYING, next_attempt_at__lt=cutoff)
    )
    oldest = due.order_by("created_at").values_list("created_at", flat=True).first()
    return oldest


class DeliveryIndexView(IndexView):
    """The delivery log; warns when deliveries wait and no worker seems to take them."""

    def get(self, request, *args, **kwargs):
        since = None if self.results_only else stalled_since()  # not on each filter change
        if since is not None:
            minutes = int((timezone.now() - since).total_seconds() // 60)
            messages.warning(
                request,
                _(
                    "No worker has taken webhook deliveries for %(minutes)s minutes. Start one "
                    "next to the app servers: make worker (manage.py db_worker --backend "
                    "webhooks --queue-name webhooks)."
                )
                % {"minutes": minutes},
            )
        return super().get(request, *args, **kwargs)


class WebhookDeliveryViewSet(SnippetViewSet):
    """Every delivery with its status, attempts and last error."""

    index_view_class = DeliveryIndexView
    inspect_view_class = DeliveryInspectView

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
    inspect_view_fields = [
        "uuid",
        "endpoint",
        "event",
        "status",
        "attempts",
        "response_status",
        "last_error",
        "payload",
        "created_at",
        "delivered_at",
        "next_attempt_at",
    ]


class WebhooksGroup(SnippetViewSetGroup):
    items = (WebhookEndpointViewSet, WebhookDeliveryViewSet)
    menu_icon = "link-external"
    menu_label = _("Webhooks")
    menu_name = "webhooks"
    menu_order = 900


register_snippet(WebhooksGroup)
