"""Two actions in the Swedish admin for whoever runs the receivers: "Skicka en testhändelse"
on an endpoint (a signed ``webhook.test`` delivery, through the worker like any other) and
"Skicka igen" on a delivery (the same payload as a new delivery; the old one stays as it
ended). Both ask first (GET) and act only on POST; editors without the right to change
endpoints get neither."""

import pytest
from django.contrib.auth.models import Group, Permission

from tests.webhooks.support import make_endpoint, run_worker, verify_signature, worker_db
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def swedish_admin(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "sv"
    return admin_client


@worker_db  # the worker closes the test's connection: a transactional test
def test_a_test_event_reaches_the_receiver_signed(swedish_admin, receiver):
    endpoint = make_endpoint(receiver.url, secret="hemlig-" + "x" * 30)
    edit = swedish_admin.get(f"/admin/snippets/webhooks/webhookendpoint/edit/{endpoint.pk}/")
    assert f"/admin/webhooks/endpoints/{endpoint.pk}/test/" in edit.content.decode()

    asked = swedish_admin.get(f"/admin/webhooks/endpoints/{endpoint.pk}/test/")
    assert asked.status_code == 200
    assert "Skicka en signerad testhändelse" in asked.content.decode()
    assert not WebhookDelivery.objects.exists()  # asking sends nothing

    sent = swedish_admin.post(f"/admin/webhooks/endpoints/{endpoint.pk}/test/", follow=True)
    assert "Testhändelsen har köats för" in sent.content.decode()
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.event, delivery.status) == ("webhook.test", "delivered")
    (request,) = receiver.requests
    assert verify_signature(endpoint.secret, request)
    body = receiver.bodies()[0]
    assert (body["event"], body["cache_tags"], body["page_id"]) == ("webhook.test", [], None)


@worker_db
def test_a_failed_delivery_is_sent_again_as_a_new_one(swedish_admin, receiver):
    endpoint = make_endpoint(receiver.url)
    failed = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="page.published",
        payload={"event": "page.published", "cache_tags": ["p7"]},
        status=WebhookDelivery.Status.FAILED,
        attempts=6,
        last_error="HTTP 503",
    )
    inspect = swedish_admin.get(f"/admin/snippets/webhooks/webhookdelivery/inspect/{failed.pk}/")
    assert "Skicka igen" in inspect.content.decode()

    swedish_admin.post(f"/admin/webhooks/deliveries/{failed.pk}/redeliver/")
    run_worker()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("failed", 6, "HTTP 503")
    again = WebhookDelivery.objects.exclude(pk=failed.pk).get()
    assert (again.event, again.status, again.payload) == (
        "page.published",
        "delivered",
        failed.payload,
    )
    assert receiver.bodies()[0]["cache_tags"] == ["p7"]


def test_editors_who_may_not_change_endpoints_cannot_send(client, django_user_model, receiver):
    endpoint = make_endpoint(receiver.url)
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event="page.published", payload={"cache_tags": []}
    )
    editor = django_user_model.objects.create_user("redaktor", password="x")
    group = Group.objects.create(name="Läsare av webhooks")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_webhookdelivery"),
    )
    editor.groups.add(group)
    client.force_login(editor)
    for url in (
        f"/admin/webhooks/endpoints/{endpoint.pk}/test/",
        f"/admin/webhooks/deliveries/{delivery.pk}/redeliver/",
    ):
        for response in (client.get(url), client.post(url)):
            # Wagtail's answer to a permission error in the admin: back to the dashboard.
            assert (response.status_code, response["Location"]) == (302, "/admin/")
    inspect = client.get(f"/admin/snippets/webhooks/webhookdelivery/inspect/{delivery.pk}/")
    assert inspect.status_code == 200
    assert "redeliver" not in inspect.content.decode()
    assert WebhookDelivery.objects.count() == 1


def test_an_unknown_endpoint_or_delivery_sends_nothing(swedish_admin):
    for url in ("/admin/webhooks/endpoints/999/test/", "/admin/webhooks/deliveries/999/redeliver/"):
        assert swedish_admin.post(url, follow=True).status_code == 404
    assert not WebhookDelivery.objects.exists()
