"""Turning editor changes into deliveries, and delivering them.

``dispatch`` runs after the editor's transaction has committed (it is a listener of
``cms.api.invalidation``) and only writes rows and enqueues tasks, so the editor's save never
waits for a receiver. ``deliver`` runs in the background worker
(``manage.py db_worker --backend webhooks``), retrying failures with exponential backoff.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import WebhookDelivery, WebhookEndpoint

PAGE_EVENTS = {
    "page.published",
    "page.unpublished",
    "page.deleted",
    "page.moved",
    "page.privacy_changed",
}
IMAGE_EVENTS = {"image.changed", "image.deleted"}


def webhook_settings():
    defaults = {
        "MAX_ATTEMPTS": 6,
        "BACKOFF_SECONDS": 30,
        "MAX_BACKOFF_SECONDS": 3600,
        "TIMEOUT": 10,
    }
    return {**defaults, **getattr(settings, "CMS_WEBHOOKS", {})}


def payload_for(event, page, tags, extra):
    from cms.api.context import cached_locales

    data = {
        "event": event,
        "occurred_at": timezone.now().isoformat(),
        "page_id": page.pk if page is not None else None,
        "locale": cached_locales().get(page.locale_id) if page is not None else None,
        "page_type": page.specific_class._meta.label
        if page is not None and page.specific_class
        else None,
        "title": page.title if page is not None else None,
        "old_url": extra.get("old_url"),
        "new_url": extra.get("new_url"),
        "cache_tags": sorted(tags),
    }
    if "image_id" in extra:
        data["image_id"] = extra["image_id"]
    return data


def dispatch(event, page, tags, extra):
    """Create one delivery per subscribed endpoint and enqueue it."""
    endpoints = WebhookEndpoint.objects.filter(is_active=True)
    if event in PAGE_EVENTS:
        endpoints = endpoints.filter(page_events=True)
    elif event in IMAGE_EVENTS:
        endpoints = endpoints.filter(image_events=True)
    else:
        return
    endpoints = list(endpoints)
    if not endpoints:
        return
    payload = payload_for(event, page, tags, extra)
    from .tasks import deliver_webhook

    for endpoint in endpoints:
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event=event, payload={**payload}
        )
        deliver_webhook.enqueue(delivery.pk)


def sign(secret, timestamp, body):
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def deliver(delivery_id):
    """One attempt. Returns the delay before the next attempt, or None when done."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status in (
        WebhookDelivery.Status.DELIVERED,
        WebhookDelivery.Status.FAILED,
    ):
        return None
    config = webhook_settings()
    body = json.dumps(
        {"id": str(delivery.uuid), **delivery.payload}, separators=(",", ":")
    ).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the URL is an http(s) URLField
        delivery.endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "icld-cms-webhooks/1",
            "X-Webhook-Id": str(delivery.uuid),
            "X-Webhook-Event": delivery.event,
            "X-Webhook-Timestamp": timestamp,
            "X-Webhook-Signature": sign(delivery.endpoint.secret, timestamp, body),
        },
    )
    delivery.attempts += 1
    try:
        with urllib.request.urlopen(request, timeout=config["TIMEOUT"]) as response:  # noqa: S310
            delivery.response_status = response.status
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.last_error = ""
        delivery.next_attempt_at = None
        delivery.save()
        return None
    except urllib.error.HTTPError as error:
        delivery.response_status = error.code
        delivery.last_error = f"HTTP {error.code} {error.reason}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        delivery.response_status = None
        delivery.last_error = str(getattr(error, "reason", error))[:2000]
    if delivery.attempts >= config["MAX_ATTEMPTS"]:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
        delivery.save()
        return None
    delay = min(
        config["BACKOFF_SECONDS"] * 2 ** (delivery.attempts - 1), config["MAX_BACKOFF_SECONDS"]
    )
    delivery.status = WebhookDelivery.Status.RETRYING
    delivery.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    delivery.save()
    return delay
