"""The delivery log in the Swedish admin: a delivery's payload reads as the receiver gets it
(indented JSON), its times in the admin's time zone, and a log whose deliveries wait with no
worker taking them says so and how to start one."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(db):
    return WebhookEndpoint.objects.create(
        name="Webbplatsen", url="https://example.org/hook", secret="s" * 32
    )


def delivery(endpoint, **fields):
    return WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="page.published",
        payload={
            "event": "page.published",
            "title": "Möte i Umeå",
            "cache_tags": ["p1", "l-pages"],
        },
        **fields,
    )


def test_a_delivery_shows_its_payload_as_json_and_local_times(admin_client, endpoint):
    sent = delivery(endpoint)
    WebhookDelivery.objects.filter(pk=sent.pk).update(
        created_at=datetime.datetime(2026, 1, 15, 11, 30, tzinfo=datetime.UTC)
    )
    url = reverse("wagtailsnippets_webhooks_webhookdelivery:inspect", args=[sent.pk])
    html = admin_client.get(url).content.decode()
    payload = re.search(r'<pre class="webhook-payload">(.*?)</pre>', html, re.S).group(1)
    assert json.loads(payload.replace("&quot;", '"')) == sent.payload
    assert '  "title": "Möte i Umeå"' in payload.replace("&quot;", '"')
    assert "{'event'" not in html  # no Python dict
    assert "12:30" in html  # 11:30 UTC is 12:30 in Stockholm in January


def test_waiting_deliveries_without_a_worker_are_pointed_out(admin_client, endpoint):
    url = reverse("wagtailsnippets_webhooks_webhookdelivery:list")
    fresh = delivery(endpoint)
    assert "Ingen arbetsprocess" not in admin_client.get(url).content.decode()

    WebhookDelivery.objects.filter(pk=fresh.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=12)
    )
    html = admin_client.get(url).content.decode()
    assert "Ingen arbetsprocess har tagit emot webhook-leveranser på 12 minuter" in html
    assert "make worker" in html

    WebhookDelivery.objects.filter(pk=fresh.pk).update(status=WebhookDelivery.Status.DELIVERED)
    assert "Ingen arbetsprocess" not in admin_client.get(url).content.decode()
