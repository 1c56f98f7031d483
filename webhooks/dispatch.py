"""Turning editor changes into deliveries, and delivering them.

``dispatch`` runs after the editor's transaction has committed (it is a listener of
``cms.api.invalidation``) and only writes rows and enqueues tasks, so the editor's save never
waits for a receiver. ``deliver`` runs in the background worker
(``manage.py db_worker --backend webhooks``), retrying failures with exponential backoff.

Every attempt checks the endpoint's URL again and connects to the address it checked
(``webhooks.network``): an endpoint whose host now resolves to an internal address gets
nothing, not even a connection. Redirects are never followed: a 3xx answer fails the
delivery at once (the endpoint's URL needs changing; retrying would not help).
"""

import hashlib
import hmac
import http.client
import json
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cms.locales import cached_locales

from . import network
from .models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

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


def dispatch(event, page, tags, extra, **kwargs):
    """Receiver of ``cms.signals.content_changed``: one delivery per subscribed endpoint,
    enqueued."""
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
    for endpoint in endpoints:
        queue(endpoint, event, {**payload})


def queue(endpoint, event, payload):
    """A new delivery of ``payload`` to ``endpoint``, handed to the worker."""
    from .tasks import deliver_webhook

    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event, payload=payload)
    deliver_webhook.enqueue(delivery.pk)
    return delivery


def send_test_event(endpoint):
    """A ``webhook.test`` delivery to ``endpoint``, queued like any other (admin: "Send a
    test event"); it names no page and no cache tag, so a receiver can only acknowledge it."""
    return queue(endpoint, "webhook.test", payload_for("webhook.test", None, (), {}))


def redeliver(delivery):
    """The same event and payload as a new delivery to the same endpoint (admin: "Send
    again"); the old one stays in the log as it ended."""
    return queue(delivery.endpoint, delivery.event, delivery.payload)


def sign(secret, timestamp, body):
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def refusal_message(error):
    """A refused URL's reason for the delivery log (in English, like the HTTP errors)."""
    with translation.override("en"):
        return "Not sent: " + " ".join(str(message) for message in error.messages)


def deliver(delivery_id):
    """One attempt. Returns the delay before the next attempt, or None when done.

    Outcomes: 2xx delivered; 3xx failed at once (redirects are not followed); a URL that
    fails the address rule failed at once, nothing sent; 4xx, 5xx, timeouts, connection and
    TLS errors and names that do not resolve are retried until ``MAX_ATTEMPTS``.
    """
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status in (
        WebhookDelivery.Status.DELIVERED,
        WebhookDelivery.Status.FAILED,
    ):
        return None
    config = webhook_settings()
    endpoint = delivery.endpoint
    delivery.attempts += 1
    delivery.response_status = None
    permanent = False
    try:
        target = network.check_url(endpoint.url)
    except ValidationError as error:
        delivery.last_error = refusal_message(error)[:2000]
        # A name that does not resolve may resolve later; an address that is refused will not
        # become acceptable by waiting (and may be a rebinding attempt).
        permanent = error.code != "unresolved"
        logger.warning(
            "Webhook %s for endpoint %s (%s) refused: %s",
            delivery.uuid,
            endpoint.pk,
            hostname(endpoint.url),
            delivery.last_error,
        )
        return finish_failed_attempt(delivery, config, permanent)

    body = json.dumps(
        {"id": str(delivery.uuid), **delivery.payload}, separators=(",", ":")
    ).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "icld-cms-webhooks/1",
        "X-Webhook-Id": str(delivery.uuid),
        "X-Webhook-Event": delivery.event,
        "X-Webhook-Timestamp": timestamp,
        "X-Webhook-Signature": sign(endpoint.secret, timestamp, body),
    }
    try:
        response = network.post(target, body, headers, timeout=config["TIMEOUT"])
    except (OSError, http.client.HTTPException, ValueError) as error:
        delivery.last_error = (str(error) or error.__class__.__name__)[:2000]
        logger.warning(
            "Webhook %s to endpoint %s (%s) failed, attempt %s: %s",
            delivery.uuid,
            endpoint.pk,
            target.host,
            delivery.attempts,
            delivery.last_error,
        )
        return finish_failed_attempt(delivery, config, permanent=False)

    delivery.response_status = response.status
    if 200 <= response.status < 300:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.last_error = ""
        delivery.next_attempt_at = None
        delivery.save()
        logger.info(
            "Webhook %s delivered to endpoint %s (%s): HTTP %s",
            delivery.uuid,
            endpoint.pk,
            target.host,
            response.status,
        )
        return None
    delivery.last_error = f"HTTP {response.status} {response.reason}".strip()
    if 300 <= response.status < 400:
        delivery.last_error += ": redirects are not followed"
        if response.location:
            delivery.last_error += f" (Location: {response.location[:500]})"
        delivery.last_error += "; set the endpoint's URL to the final address."
        permanent = True
    logger.warning(
        "Webhook %s to endpoint %s (%s) failed, attempt %s: %s",
        delivery.uuid,
        endpoint.pk,
        target.host,
        delivery.attempts,
        delivery.last_error,
    )
    return finish_failed_attempt(delivery, config, permanent)


def hostname(url):
    """The host of ``url`` for log lines (paths and queries may carry tokens)."""
    try:
        return network.parse(url)[1]
    except ValidationError:
        return "?"


def finish_failed_attempt(delivery, config, permanent):
    """Failed for good (``permanent`` or out of attempts), or scheduled again after a backoff.
    Returns the delay before the next attempt, or None."""
    if permanent or delivery.attempts >= config["MAX_ATTEMPTS"]:
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
