"""No committed change is ever missed by the response cache, whatever the cache does.

Faults are injected into the cache backend at the moment of a change (publish, unpublish,
a view restriction, a delete): the cache stopped (connection refused), refusing auth, and
slow (a timeout), before the commit (the reservation of the change's tags) or after it (the
final stamp). Before the commit, the change is refused as a whole and nothing changes;
after it, the change's tags stay reserved, so every app server's next answer is computed
fresh (a miss), never an old one from the cache, until ``flush_invalidations`` or the next
change stamps them. Readers whose cache is down answer from the database. The design is in
``docs/caching.md``.
"""

import json
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import transaction
from wagtail.models import PageViewRestriction

from cms.api import cache as response_cache
from cms.api.cache import RESERVED, CacheUnavailable
from cms.models import PendingInvalidation
from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.helpers import gql, publish

pytestmark = pytest.mark.django_db

LISTING = '{ newsArticles(locale: "sv") { totalCount items { id title } } }'
FAULTS = {
    "stopped": ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379"),
    "refusing auth": PermissionError("WRONGPASS invalid username-password pair"),
    "slow": TimeoutError("Timeout reading from socket"),
}


class FlakyCache:
    """The real cache backend, except that the chosen operations raise ``fault``."""

    def __init__(self, real):
        self.real, self.failing, self.fault = real, set(), None

    def __getattr__(self, name):
        method = getattr(self.real, name)
        if name in self.failing:

            def broken(*args, **kwargs):
                raise self.fault

            return broken
        return method


@pytest.fixture
def flaky(settings, monkeypatch):
    settings.CMS_CACHE = {"ENABLED": True}
    cache.clear()
    wrapper = FlakyCache(response_cache.backend())
    monkeypatch.setattr(response_cache, "backend", lambda: wrapper)

    def fail(fault, *operations):
        wrapper.failing, wrapper.fault = set(operations), FAULTS[fault]

    wrapper.fail = fail
    wrapper.heal = lambda: wrapper.failing.clear()
    yield wrapper
    cache.clear()


@pytest.fixture
def news(sv, home_sv):
    index = publish(NewsIndexPageFactory(parent=home_sv, locale=sv))
    first = publish(NewsArticlePageFactory(parent=index, locale=sv, title="Första", slug="a"))
    second = publish(NewsArticlePageFactory(parent=index, locale=sv, title="Andra", slug="b"))
    return index, first, second


def listing(client):
    response = gql(client, LISTING, method="get")
    assert response.status_code == 200, response.content
    return response["X-Cache"], json.loads(response.content)["data"]["newsArticles"]


def another_app_server():
    """What follows runs as on an app server that never saw the cache fail."""
    response_cache._last_failure["down"] = False


def titles(data):
    return sorted(item["title"] for item in data["items"])


CHANGES = {
    "publish": lambda news, sv: publish(
        NewsArticlePageFactory(parent=news[0], locale=sv, title="Tredje", slug="c", live=False)
    ),
    "unpublish": lambda news, sv: news[2].unpublish(),
    "restriction": lambda news, sv: PageViewRestriction.objects.create(
        page=news[2], restriction_type=PageViewRestriction.LOGIN
    ),
    "delete": lambda news, sv: news[2].delete(),
}
EXPECTED = {
    "publish": ["Andra", "Första", "Tredje"],
    "unpublish": ["Första"],
    "restriction": ["Första"],
    "delete": ["Första"],
}


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_cache_failing_before_the_commit_refuses_the_change(
    client, flaky, news, sv, change, fault, django_capture_on_commit_callbacks
):
    listing(client)
    assert listing(client)[0] == "HIT"
    flaky.fail(fault, "set_many")

    # In one transaction, as every admin view runs (AdminTransactionMiddleware).
    with (
        pytest.raises(CacheUnavailable),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        CHANGES[change](news, sv)

    flaky.heal()
    hit, data = listing(client)
    assert titles(data) == ["Andra", "Första"]  # nothing changed, so the cache is right
    assert not PendingInvalidation.objects.exists()


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_cache_failing_after_the_commit_never_serves_the_old_answer(
    client, flaky, news, sv, change, fault, django_capture_on_commit_callbacks
):
    listing(client)
    assert listing(client)[0] == "HIT"
    flaky.fail(fault, "incr")  # the final stamp's clock tick fails after the commit

    with django_capture_on_commit_callbacks(execute=True):
        CHANGES[change](news, sv)

    # The cache is back, but the stamp was never written: the reservation holds. Another
    # app server, which did not see the failure, answers fresh and stores nothing.
    flaky.heal()
    another_app_server()
    assert response_cache.invalidated_at({"l-articles"})["l-articles"] == RESERVED
    for _ in range(2):  # every app server, every request: fresh, and not stored
        hit, data = listing(client)
        assert (hit, titles(data)) == ("MISS", EXPECTED[change])
    pending = PendingInvalidation.objects.count()
    assert pending >= 1  # a delete of a live page sends two events

    out = StringIO()
    call_command("flush_invalidations", stdout=out)
    assert f"Applied {pending} pending invalidation(s)." in out.getvalue()
    assert not PendingInvalidation.objects.exists()
    assert listing(client)[0] == "MISS"
    hit, data = listing(client)
    assert (hit, titles(data)) == ("HIT", EXPECTED[change])


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_the_app_server_that_saw_the_failure_applies_the_pending_invalidation(
    client, flaky, news, sv, change, django_capture_on_commit_callbacks
):
    listing(client)
    flaky.fail("stopped", "incr")
    with django_capture_on_commit_callbacks(execute=True):
        CHANGES[change](news, sv)
    flaky.heal()

    # Its next request applies what is pending before it reads the cache, so the answer
    # after that one is a hit again, with the change in it.
    hit, data = listing(client)
    assert (hit, titles(data)) == ("MISS", EXPECTED[change])
    assert not PendingInvalidation.objects.exists()
    hit, data = listing(client)
    assert (hit, titles(data)) == ("HIT", EXPECTED[change])


def test_flush_invalidations_says_when_the_cache_is_still_down(flaky, news, sv):
    PendingInvalidation.objects.create(tags=["l-articles"])
    flaky.fail("stopped", "incr", "set_many")
    with pytest.raises(CommandError, match="still unavailable: 1 invalidation"):
        call_command("flush_invalidations", stdout=StringIO())
    flaky.heal()
    call_command("flush_invalidations", stdout=StringIO())
    assert not PendingInvalidation.objects.exists()


def test_the_next_change_applies_older_pending_invalidations(
    client, flaky, news, sv, django_capture_on_commit_callbacks
):
    flaky.fail("stopped", "incr")
    with django_capture_on_commit_callbacks(execute=True):
        news[2].unpublish()
    assert PendingInvalidation.objects.count() == 1
    flaky.heal()
    with django_capture_on_commit_callbacks(execute=True):
        news[1].save_revision().publish()
    assert not PendingInvalidation.objects.exists()
    listing(client)
    assert listing(client)[0] == "HIT"


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_readers_answer_from_the_database_while_the_cache_is_down(client, flaky, news, fault):
    flaky.fail(fault, "get", "get_many", "set", "add", "incr")
    for _ in range(2):
        hit, data = listing(client)
        assert (hit, titles(data)) == ("MISS", ["Andra", "Första"])
    flaky.heal()
    listing(client)
    assert listing(client)[0] == "HIT"


def test_webhooks_of_a_committed_change_are_recorded_when_the_cache_fails(
    client, flaky, news, sv, django_capture_on_commit_callbacks, settings
):
    from webhooks.models import WebhookDelivery, WebhookEndpoint

    WebhookEndpoint.objects.create(
        name="Webbplats", url="https://example.org/hook", secret="s" * 32
    )
    flaky.fail("stopped", "incr")
    with django_capture_on_commit_callbacks(execute=True):
        news[2].unpublish()
    assert WebhookDelivery.objects.filter(event="page.unpublished").count() == 1


def test_an_admin_change_refused_for_the_cache_tells_the_editor(client, flaky, news, sv):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("redaktor", "r@example.org", "x" * 20)
    client.force_login(admin)
    flaky.fail("stopped", "set_many")
    response = client.post(
        f"/admin/pages/{news[2].pk}/privacy/",
        {"restriction_type": "login", "password": "", "groups": []},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert not PageViewRestriction.objects.filter(page=news[2]).exists()
