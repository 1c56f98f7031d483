"""Webhook endpoints that frontends register, and the log of every delivery."""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from .network import validate_webhook_url


def new_secret():
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """A URL that receives a signed JSON POST when pages or images change.

    The body is signed with HMAC-SHA256 over ``"<timestamp>.<body>"`` using ``secret``; the
    receiver checks ``X-Webhook-Signature`` and rejects old ``X-Webhook-Timestamp`` values to
    stop replays (see the README).

    ``url`` must be http(s) on a public address (``webhooks.network``; checked again at every
    delivery). ``secret`` is write-only in the admin (``webhooks.forms``): shown once when it
    is generated, never displayed again.
    """

    name = models.CharField(_("name"), max_length=255)
    url = models.URLField(
        _("URL"),
        max_length=2000,
        validators=[validate_webhook_url],
        help_text=_("Receives a JSON POST."),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=255,
        default=new_secret,
        help_text=_("Shared with the receiver; used to sign each delivery."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    page_events = models.BooleanField(
        _("page events"), default=True, help_text=_("Publish, unpublish, delete, move, privacy.")
    )
    image_events = models.BooleanField(_("image events"), default=True)

    def __str__(self):
        return self.name

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one endpoint, with its attempts and last error."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RETRYING = "retrying", _("Retrying")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=50)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    response_status = models.PositiveIntegerField(_("response status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    def __str__(self):
        return f"{self.event} → {self.endpoint}"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
