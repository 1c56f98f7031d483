"""Scheduled publishing needs no wiring of its own: the worker (``manage.py run_worker``)
runs Wagtail's ``publish_scheduled`` every ``SCHEDULED_PUBLISHING_INTERVAL`` seconds. A page
whose go-live time has passed is served after one cycle, the cached answer that said it did
not exist is gone, and the subscribed frontend gets its webhook."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page, Revision

from tests.helpers import gql
from webhooks.models import WebhookDelivery

from .support import (
    draft_article,
    make_endpoint,
    queued_tasks,
    run_worker,
    verify_signature,
    worker_db,
)

PAGE = '{ page(path: "/sv/nyheter/planerad/") { title url } }'
LISTING = '{ newsArticles(locale: "sv") { totalCount items { title } } }'


def ask(client, query):
    response = gql(client, query)
    assert response.status_code == 200, response.content
    return response["X-Cache"], json.loads(response.content)["data"]


def schedule(article, moment):
    """What the admin's "Publish" does when the go-live time is in the future."""
    article.go_live_at = moment
    article.save_revision().publish()
    assert not Page.objects.get(pk=article.pk).live


def go_live_time_passes(article):
    """What the clock does to a scheduled revision: its go-live time is now in the past."""
    past = timezone.now() - timedelta(minutes=1)
    revision = Revision.page_revisions.get(
        object_id=str(article.pk), approved_go_live_at__isnull=False
    )
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    Page.objects.filter(pk=article.pk).update(go_live_at=past)


@worker_db
def test_a_page_whose_go_live_time_has_passed_goes_live_after_one_worker_cycle(
    tree, receiver, client, settings
):
    settings.CMS_CACHE = {"ENABLED": True}
    endpoint = make_endpoint(receiver.url)
    article = draft_article(tree, title="Planerad", slug="planerad")
    schedule(article, timezone.now() + timedelta(hours=1))
    # Wagtail sends page_published when a revision is scheduled too: those deliveries are
    # not the ones this test is about.
    before = set(WebhookDelivery.objects.values_list("pk", flat=True))

    # Frontends ask; the answers (no such page, no article) are cached.
    for query, empty in ((PAGE, {"page": None}), (LISTING, None)):
        ask(client, query)
        hit, data = ask(client, query)
        assert hit == "HIT"
        if empty:
            assert data == empty
    assert ask(client, LISTING)[1]["newsArticles"]["totalCount"] == 0

    # The go-live time passes (as the clock would): the page waits for publish_scheduled.
    go_live_time_passes(article)
    assert ask(client, PAGE) == ("HIT", {"page": None})

    run_worker("run_worker")  # one cycle, then the deliveries it queued

    assert Page.objects.get(pk=article.pk).live
    hit, data = ask(client, PAGE)
    assert (hit, data) == ("MISS", {"page": {"title": "Planerad", "url": "/sv/nyheter/planerad/"}})
    hit, data = ask(client, LISTING)
    assert hit == "MISS"
    assert data["newsArticles"] == {"totalCount": 1, "items": [{"title": "Planerad"}]}
    assert ask(client, PAGE)[0] == "HIT"

    delivery = WebhookDelivery.objects.exclude(pk__in=before).get()
    assert (delivery.endpoint, delivery.event) == (endpoint, "page.published")
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert queued_tasks().count() == 0
    [request] = [r for r in receiver.requests if r.headers["X-Webhook-Id"] == str(delivery.uuid)]
    assert verify_signature(endpoint.secret, request)
    body = json.loads(request.body)
    assert (body["event"], body["page_id"]) == ("page.published", article.pk)
    assert body["new_url"] == "/sv/nyheter/planerad/"
    assert {f"p{article.pk}", "l-articles"} <= set(body["cache_tags"])

    # The next cycle has nothing to do.
    run_worker("run_worker")
    assert WebhookDelivery.objects.exclude(pk__in=before).count() == 1


@worker_db
def test_a_page_not_yet_due_stays_unpublished(tree, receiver, settings):
    make_endpoint(receiver.url)
    article = draft_article(tree, title="Planerad", slug="planerad")
    schedule(article, timezone.now() + timedelta(hours=1))
    before = WebhookDelivery.objects.count()
    run_worker("run_worker")
    assert not Page.objects.get(pk=article.pk).live
    assert WebhookDelivery.objects.count() == before


@worker_db
def test_the_interval_comes_from_the_environment_and_zero_turns_it_off(tree, settings):
    article = draft_article(tree, title="Planerad", slug="planerad")
    schedule(article, timezone.now() + timedelta(hours=1))
    go_live_time_passes(article)
    settings.CMS_SCHEDULER = {"INTERVAL": 0}
    run_worker("run_worker")
    assert not Page.objects.get(pk=article.pk).live
    settings.CMS_SCHEDULER = {"INTERVAL": 60}
    run_worker("run_worker")
    assert Page.objects.get(pk=article.pk).live


@pytest.mark.parametrize(("value", "expected"), [("", 60), ("15", 15), ("0", 0)])
def test_scheduled_publishing_interval_setting(value, expected, monkeypatch):
    import importlib

    monkeypatch.setenv("SCHEDULED_PUBLISHING_INTERVAL", value)
    from cms.settings import base

    try:
        assert {"INTERVAL": expected} == importlib.reload(base).CMS_SCHEDULER
    finally:
        monkeypatch.delenv("SCHEDULED_PUBLISHING_INTERVAL")
        importlib.reload(base)
