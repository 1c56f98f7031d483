"""Webhooks end to end: an editor's change queues a delivery, the worker
(``manage.py db_worker --backend webhooks``) POSTs it, signed, to a real HTTP server started
here; failures are retried with exponential backoff until MAX_ATTEMPTS; the admin shows the
delivery log read-only.

The worker tests are transactional (``transaction=True``): the worker closes "old"
connections as it would in production, which a test wrapped in a never-committed transaction
does not survive on PostgreSQL. ``serialized_rollback`` restores the locales and home pages
that migrations create.
"""

import hashlib
import hmac
import io
import json
import logging
import signal
import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction

from cms.factories import CustomImageFactory, StandardPageFactory
from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.helpers import publish
from webhooks.models import WebhookDelivery, WebhookEndpoint

worker_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BACKOFF = 30
MAX_ATTEMPTS = 3


# --- A receiver: a real HTTP server on 127.0.0.1 ---------------------------------------------


class Receiver:
    """Records every request; answers ``status`` (or the next of ``statuses``)."""

    def __init__(self):
        self.requests = []
        self.status = 200
        self.statuses = []
        self.lock = threading.Lock()
        self.url = None

    def answer(self):
        with self.lock:
            return self.statuses.pop(0) if self.statuses else self.status

    def bodies(self):
        return [json.loads(request.body) for request in self.requests]


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            with state.lock:
                state.requests.append(
                    SimpleNamespace(method="POST", path=self.path, headers=self.headers, body=body)
                )
            status = state.answer()
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):  # noqa: N802
            with state.lock:
                state.requests.append(
                    SimpleNamespace(method="GET", path=self.path, headers=self.headers, body=b"")
                )
            self.send_response(405)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/cms"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def closed_port_url():
    """A URL on which nothing listens (connection refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/hooks/cms"


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.CMS_WEBHOOKS = {"MAX_ATTEMPTS": MAX_ATTEMPTS, "BACKOFF_SECONDS": BACKOFF, "TIMEOUT": 5}
    cache.clear()
    return settings


def run_worker():
    """``manage.py db_worker --batch --backend webhooks --queue-name webhooks``: deliver what
    is due, then exit. Signal handlers and log levels it sets are restored afterwards."""
    signals = [signal.SIGINT, signal.SIGTERM] + (
        [signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else []
    )
    saved_signals = {sig: signal.getsignal(sig) for sig in signals}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    saved_levels = [logger.level for logger in loggers]
    try:
        call_command(
            "db_worker",
            "--batch",
            "--backend",
            "webhooks",
            "--queue-name",
            "webhooks",
            "--no-startup-delay",
            "--no-reload",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    finally:
        for sig, handler in saved_signals.items():
            signal.signal(sig, handler)
        for logger, level in zip(loggers, saved_levels, strict=True):
            logger.setLevel(level)


def verify_signature(secret, request):
    """What a receiver does: recompute the HMAC and compare in constant time."""
    timestamp = request.headers["X-Webhook-Timestamp"]
    signature = request.headers["X-Webhook-Signature"]
    expected = (
        "sha256="
        + hmac.new(
            secret.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256
        ).hexdigest()
    )
    return hmac.compare_digest(expected, signature)


def queued_tasks():
    return DBTaskResult.objects.filter(backend_name="webhooks", status="READY")


@pytest.fixture
def tree(sv, home_sv):
    """/sv/nyheter/ and /sv/arkiv/, published before any endpoint exists."""
    news = publish(NewsIndexPageFactory(parent=home_sv, locale=sv))
    archive = publish(NewsIndexPageFactory(parent=home_sv, locale=sv, title="Arkiv", slug="arkiv"))
    return SimpleNamespace(news=news, archive=archive, sv=sv, home=home_sv)


def make_endpoint(url, **fields):
    return WebhookEndpoint.objects.create(name="Frontend", url=url, **fields)


def draft_article(tree, title="Artikel", slug="artikel"):
    return NewsArticlePageFactory(
        parent=tree.news, locale=tree.sv, title=title, slug=slug, live=False
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


def assert_close(moment, expected, tolerance=timedelta(seconds=5)):
    assert abs(moment - expected) <= tolerance, (moment, expected)


def time_passes():
    """The retry is due: what the clock moving past ``run_after`` would do."""
    queued_tasks().update(run_after=timezone.now() - timedelta(seconds=1))


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

DELIVERIES = "/admin/snippets/webhooks/webhookdelivery/"
ENDPOINTS = "/admin/snippets/webhooks/webhookendpoint/"


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


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
def test_endpoints_can_be_added_in_the_admin(admin_client):
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
