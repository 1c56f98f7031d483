"""Webhooks end to end: an editor's change queues a delivery, the worker
(``manage.py db_worker --backend webhooks``) POSTs it, signed, to a real HTTP server started
here; failures are retried with exponential backoff until MAX_ATTEMPTS; the admin shows the
delivery log read-only. Where webhooks may go (public addresses, no redirects) and the
write-only secret are tested in ``test_webhook_security.py``.

The worker tests are transactional (``transaction=True``): the worker closes "old"
connections as it would in production, which a test wrapped in a never-committed transaction
does not survive on PostgreSQL. ``serialized_rollback`` restores the locales and home pages
that migrations create.
"""

import json
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.factories import CustomImageFactory, StandardPageFactory
from tests.helpers import publish
from webhooks.models import WebhookDelivery, WebhookEndpoint

from .support import (
    BACKOFF,
    DELIVERIES,
    ENDPOINTS,
    MAX_ATTEMPTS,
    PUBLIC_IPV4,
    assert_close,
    draft_article,
    make_endpoint,
    queued_tasks,
    run_worker,
    time_passes,
    verify_signature,
    worker_db,
)

# --- Delivery -------------------------------------------------------------------------------


@worker_db
def test_publish_queues_a_delivery_that_the_worker_sends_signed(
    tree, receiver, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(receiver.url)
    article = draft_article(tree)

    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    # The editor's publish only queued the delivery.
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.attempts == 0
    assert delivery.endpoint == endpoint
    assert queued_tasks().count() == 1

    before = int(time.time())
    run_worker()
    after = int(time.time())

    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request.method == "POST"
    assert request.path == "/hooks/cms"
    assert request.headers["Content-Type"] == "application/json"
    assert before - 1 <= int(request.headers["X-Webhook-Timestamp"]) <= after + 1
    assert request.headers["X-Webhook-Signature"].startswith("sha256=")
    assert verify_signature(endpoint.secret, request)
    assert not verify_signature("another secret", request)

    body = json.loads(request.body)
    assert body["event"] == "page.published"
    assert body["page_id"] == article.pk
    assert body["locale"] == "sv"
    assert body["old_url"] is None
    assert body["new_url"] == "/sv/nyheter/artikel/"
    assert body["title"] == "Artikel"
    assert body["page_type"] == "news.NewsArticlePage"
    assert {f"p{article.pk}", "l-articles"} <= set(body["cache_tags"])
    assert body["id"] == str(delivery.uuid)
    assert request.headers["X-Webhook-Event"] == "page.published"
    assert request.headers["X-Webhook-Id"] == str(delivery.uuid)

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempts == 1
    assert delivery.response_status == 200
    assert delivery.last_error == ""
    assert delivery.delivered_at is not None
    assert queued_tasks().count() == 0

    # A second worker run sends nothing again.
    run_worker()
    assert len(receiver.requests) == 1


@worker_db
def test_every_active_endpoint_gets_its_own_signed_delivery(
    tree, receiver, django_capture_on_commit_callbacks
):
    first = make_endpoint(receiver.url, secret="first-secret")
    second = make_endpoint(receiver.url + "?second", secret="second-secret")
    article = draft_article(tree)
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    run_worker()

    assert len(receiver.requests) == 2
    by_path = {request.path: request for request in receiver.requests}
    assert verify_signature(first.secret, by_path["/hooks/cms"])
    assert verify_signature(second.secret, by_path["/hooks/cms?second"])
    assert not verify_signature(first.secret, by_path["/hooks/cms?second"])
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


@worker_db
def test_unpublish_event(tree, receiver, django_capture_on_commit_callbacks):
    article = publish(draft_article(tree))
    make_endpoint(receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert receiver.requests == []
    run_worker()

    [body] = receiver.bodies()
    assert body["event"] == "page.unpublished"
    assert body["page_id"] == article.pk
    assert body["old_url"] == "/sv/nyheter/artikel/"
    assert f"p{article.pk}" in body["cache_tags"]
    assert "l-articles" in body["cache_tags"]


@worker_db
def test_delete_event(tree, receiver, django_capture_on_commit_callbacks):
    article = publish(draft_article(tree))
    article_id = article.pk
    make_endpoint(receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    run_worker()

    # Wagtail unpublishes a live page before deleting it, so page.unpublished may come too.
    bodies = {body["event"]: body for body in receiver.bodies()}
    assert "page.deleted" in bodies
    assert set(bodies) <= {"page.deleted", "page.unpublished"}
    body = bodies["page.deleted"]
    assert body["page_id"] == article_id
    assert body["old_url"] == "/sv/nyheter/artikel/"
    assert f"p{article_id}" in body["cache_tags"]
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


@worker_db
def test_move_event_has_old_and_new_url(tree, receiver, django_capture_on_commit_callbacks):
    article = publish(draft_article(tree))
    make_endpoint(receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        article.move(tree.archive, pos="last-child")
    run_worker()

    [body] = receiver.bodies()
    assert body["event"] == "page.moved"
    assert body["page_id"] == article.pk
    assert body["old_url"] == "/sv/nyheter/artikel/"
    assert body["new_url"] == "/sv/arkiv/artikel/"
    assert f"p{article.pk}" in body["cache_tags"]


@worker_db
def test_privacy_change_event(tree, receiver, django_capture_on_commit_callbacks):
    article = publish(draft_article(tree))
    make_endpoint(receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
        )
    run_worker()

    [body] = receiver.bodies()
    assert body["event"] == "page.privacy_changed"
    assert body["page_id"] == article.pk


@worker_db
def test_image_change_event(tree, receiver, django_capture_on_commit_callbacks):
    image = CustomImageFactory(credit="Anna")
    make_endpoint(receiver.url)

    image.credit = "Anna Fotograf"
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    assert receiver.requests == []
    run_worker()

    [body] = receiver.bodies()
    assert body["event"] == "image.changed"
    assert body["image_id"] == image.pk
    assert body["page_id"] is None
    assert body["cache_tags"] == [f"i{image.pk}"]
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED


@worker_db
def test_inactive_or_unsubscribed_endpoints_get_nothing(
    tree, receiver, django_capture_on_commit_callbacks
):
    article = draft_article(tree)
    image = CustomImageFactory()
    make_endpoint(receiver.url + "?inactive", is_active=False)
    no_pages = make_endpoint(receiver.url + "?no-pages", page_events=False)
    no_images = make_endpoint(receiver.url + "?no-images", image_events=False)

    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        image.title = "Ny titel"
        image.save()
    run_worker()

    received = {(request.path, json.loads(request.body)["event"]) for request in receiver.requests}
    assert received == {
        ("/hooks/cms?no-images", "page.published"),
        ("/hooks/cms?no-pages", "image.changed"),
    }
    assert len(receiver.requests) == 2
    assert set(WebhookDelivery.objects.values_list("endpoint", "event")) == {
        (no_images.pk, "page.published"),
        (no_pages.pk, "image.changed"),
    }


@worker_db
def test_standard_page_publish_event(tree, receiver, django_capture_on_commit_callbacks):
    """Publishing a standard page sends its URL too."""
    make_endpoint(receiver.url)
    page = StandardPageFactory(
        parent=tree.home, locale=tree.sv, title="Kontakt", slug="kontakt", live=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    run_worker()
    [body] = receiver.bodies()
    assert body["new_url"] == "/sv/kontakt/"
    assert body["page_type"] == "cms.StandardPage"


# --- Failures and retries -------------------------------------------------------------------


@worker_db
def test_failing_endpoint_is_retried_with_backoff_until_failed(
    tree, receiver, django_capture_on_commit_callbacks
):
    receiver.status = 500
    make_endpoint(receiver.url)
    article = draft_article(tree)
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    started = timezone.now()
    run_worker()

    assert len(receiver.requests) == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.RETRYING
    assert delivery.attempts == 1
    assert delivery.response_status == 500
    assert "500" in delivery.last_error
    assert delivery.delivered_at is None
    assert_close(delivery.next_attempt_at, started + timedelta(seconds=BACKOFF))
    [task] = queued_tasks()
    assert_close(task.run_after, delivery.next_attempt_at)

    # Not due yet: the worker leaves it alone.
    run_worker()
    assert len(receiver.requests) == 1

    time_passes()
    started = timezone.now()
    run_worker()
    delivery.refresh_from_db()
    assert len(receiver.requests) == 2
    assert delivery.status == WebhookDelivery.Status.RETRYING
    assert delivery.attempts == 2
    assert_close(delivery.next_attempt_at, started + timedelta(seconds=2 * BACKOFF))
    assert queued_tasks().count() == 1

    time_passes()
    run_worker()
    delivery.refresh_from_db()
    assert len(receiver.requests) == MAX_ATTEMPTS
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == MAX_ATTEMPTS
    assert "500" in delivery.last_error
    assert delivery.next_attempt_at is None
    assert queued_tasks().count() == 0

    # Each attempt is the same delivery (same id), freshly signed.
    ids = {request.headers["X-Webhook-Id"] for request in receiver.requests}
    assert ids == {str(delivery.uuid)}
    assert all(verify_signature(delivery.endpoint.secret, r) for r in receiver.requests)


@worker_db
def test_retry_that_succeeds_is_delivered(tree, receiver, django_capture_on_commit_callbacks):
    receiver.statuses = [503]
    make_endpoint(receiver.url)
    article = draft_article(tree)
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.RETRYING

    time_passes()
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempts == 2
    assert delivery.last_error == ""
    assert delivery.next_attempt_at is None
    assert delivery.response_status == 200
    assert len(receiver.requests) == 2
    assert queued_tasks().count() == 0


@worker_db
def test_unreachable_endpoint_is_retried(tree, closed_port_url, django_capture_on_commit_callbacks):
    make_endpoint(closed_port_url)
    article = draft_article(tree)
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    started = timezone.now()
    run_worker()

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.RETRYING
    assert delivery.attempts == 1
    assert delivery.response_status is None
    assert delivery.last_error
    assert_close(delivery.next_attempt_at, started + timedelta(seconds=BACKOFF))
    [task] = queued_tasks()
    assert task.run_after > timezone.now()

    for _ in range(MAX_ATTEMPTS - 1):
        time_passes()
        run_worker()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == MAX_ATTEMPTS
    assert queued_tasks().count() == 0


# --- Admin ----------------------------------------------------------------------------------


@pytest.fixture
def delivery(db):
    endpoint = make_endpoint("https://frontend.example/hooks")
    return WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="page.published",
        payload={"event": "page.published", "page_id": 1},
        status=WebhookDelivery.Status.FAILED,
        attempts=6,
        response_status=502,
        last_error="HTTP 502 Bad Gateway from upstream",
    )


@pytest.mark.django_db
def test_delivery_log_lists_status_attempts_and_last_error(admin_client, delivery):
    response = admin_client.get(DELIVERIES)
    assert response.status_code == 200
    content = response.content.decode()
    assert "HTTP 502 Bad Gateway from upstream" in content
    assert "page.published" in content
    assert str(delivery.get_status_display()) in content
    assert ">6<" in content.replace(" ", "").replace("\n", "")
    assert f'href="{DELIVERIES}add/"' not in content


@pytest.mark.django_db
def test_deliveries_cannot_be_added_edited_or_deleted(admin_client, delivery):
    add = admin_client.get(f"{DELIVERIES}add/")
    assert add.status_code in (302, 403)
    post = admin_client.post(
        f"{DELIVERIES}add/",
        {"endpoint": delivery.endpoint_id, "event": "x", "payload": "{}", "status": "delivered"},
    )
    assert post.status_code in (302, 403)
    assert WebhookDelivery.objects.count() == 1

    edit = admin_client.get(f"{DELIVERIES}edit/{delivery.pk}/")
    assert edit.status_code in (302, 403)
    admin_client.post(
        f"{DELIVERIES}edit/{delivery.pk}/",
        {"endpoint": delivery.endpoint_id, "event": "x", "payload": "{}", "status": "delivered"},
    )
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.event == "page.published"

    admin_client.post(f"{DELIVERIES}delete/{delivery.pk}/")
    assert WebhookDelivery.objects.filter(pk=delivery.pk).exists()


@pytest.mark.django_db
def test_delivery_can_be_inspected(admin_client, delivery):
    response = admin_client.get(f"{DELIVERIES}inspect/{delivery.pk}/")
    assert response.status_code == 200
    assert "HTTP 502 Bad Gateway from upstream" in response.content.decode()


@pytest.mark.django_db
def test_endpoints_can_be_added_in_the_admin(admin_client, fake_dns):
    fake_dns.hosts["frontend.example"] = [PUBLIC_IPV4]
    listing = admin_client.get(ENDPOINTS)
    assert listing.status_code == 200
    assert f"{ENDPOINTS}add/" in listing.content.decode()

    response = admin_client.post(
        f"{ENDPOINTS}add/",
        {
            "name": "Next.js frontend",
            "url": "https://frontend.example/api/revalidate",
            "secret": "a-long-shared-secret",
            "is_active": "on",
            "page_events": "on",
            "image_events": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.name == "Next.js frontend"
    assert endpoint.url == "https://frontend.example/api/revalidate"
    assert endpoint.secret == "a-long-shared-secret"
    assert endpoint.is_active and endpoint.page_events and endpoint.image_events


@pytest.mark.django_db
def test_non_staff_cannot_see_the_delivery_log(client, delivery):
    user = get_user_model().objects.create_user("reader", "reader@example.org", "pw")
    client.force_login(user)
    response = client.get(DELIVERIES)
    assert response.status_code in (302, 403)
    assert "HTTP 502 Bad Gateway" not in response.content.decode()
