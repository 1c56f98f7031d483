"""Two app servers, one truth (issue 13, section 2): what one instance does, the other sees.

Model of two instances: two Django test clients, each with its own cache connection (its
own ``CACHES`` alias, hence its own Redis client and connection pool) to one real
``redis-server`` the test starts on a free port, its own view of the cache's health
(``cms.api.cache._last_failure``, per process in production), and one shared database (the
test database, committed: ``transaction=True``). Instance A's requests and changes run with
A's alias, B's with B's. Nothing passes between them but the database and Redis, as between
two machines.

Why not two real processes: the suite runs on SQLite too, where the test database lives in
memory and no second process can open it; two servers would make these the only tests that
need PostgreSQL for their subject, which is not PostgreSQL. The process boundary itself is
exercised by the reliability benchmark (``bench/reliability.py``): two gunicorn instances on
two ports, the webhook worker and an editor, zero stale answers from either. What this model
does not separate is process memory other than the cache's state (e.g. the locale list
``cms.locales`` keeps), which holds nothing that changes with content.

Covered: (a) an automatic persisted query registered through A is served by B from its hash
alone; (b) a preview token minted by A opens the preview on B; (c) an answer B cached is
not served by B once a page is published through A's process (and B caches the new one).
The GraphQL operations are the API's usual ones (``page(path:)``, ``page(previewToken:)``),
whose SQL counts ``test_api_query_counts`` bounds.
"""

import hashlib
import json
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.test import Client

from cms.api import cache as response_cache
from cms.preview import snapshot_token
from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.cms.test_redis_outage import RedisServer
from tests.helpers import publish

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGE = "query($path: String!) { page(path: $path) { title } }"
PREVIEW = "query($token: String) { page(previewToken: $token) { title } }"


class Instance:
    """One app server: a client, a cache connection of its own, its own cache health."""

    def __init__(self, name, settings):
        self.name = name
        self.settings = settings
        self.client = Client()
        self.health = {"logged": 0.0, "down": False, "seen": 0}

    @contextmanager
    def active(self):
        """Run the block as this instance: its cache alias and its view of the cache."""
        saved = dict(response_cache._last_failure)
        response_cache._last_failure.update(self.health)
        self.settings.CMS_CACHE = {"ENABLED": True, "ALIAS": self.name}
        try:
            yield self
        finally:
            self.health = dict(response_cache._last_failure)
            response_cache._last_failure.update(saved)

    def get(self, query, variables=None, extensions=None):
        params = {"query": query} if query is not None else {}
        if variables:
            params["variables"] = json.dumps(variables)
        if extensions:
            params["extensions"] = json.dumps(extensions)
        with self.active():
            return self.client.get("/graphql/", params)


@pytest.fixture
def instances(tmp_path, settings):
    server = RedisServer(tmp_path)
    server.start()
    location = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": server.url,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    settings.CACHES = {"default": location, "a": location, "b": location}
    yield Instance("a", settings), Instance("b", settings)
    server.kill()


@pytest.fixture
def article(sv, home_sv):
    news = publish(NewsIndexPageFactory(parent=home_sv, locale=sv))
    return publish(NewsArticlePageFactory(parent=news, locale=sv, title="Första", slug="forsta"))


def title_of(response):
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return (body["data"]["page"] or {}).get("title")


def test_a_persisted_query_registered_through_one_instance_is_served_by_the_other(
    instances, article
):
    a, b = instances
    digest = hashlib.sha256(PAGE.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    variables = {"path": article.url}

    unknown = b.get(None, variables, extensions).json()
    assert unknown["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"

    assert title_of(a.get(PAGE, variables, extensions)) == "Första"  # registered through A
    assert title_of(b.get(None, variables, extensions)) == "Första"  # served by B


def test_a_preview_token_minted_by_one_instance_is_accepted_by_the_other(instances, article):
    a, b = instances
    article.title = "Osparad ändring"  # the admin form's state, not saved
    with a.active():
        token = snapshot_token(article)
    assert title_of(b.get(PREVIEW, {"token": token})) == "Osparad ändring"
    assert title_of(b.get(PAGE, {"path": article.url})) == "Första"  # live stays as it was


def test_an_answer_cached_by_one_instance_goes_when_a_page_is_published_through_the_other(
    instances, article
):
    a, b = instances
    variables = {"path": article.url}
    assert title_of(b.get(PAGE, variables)) == "Första"
    cached = b.get(PAGE, variables)
    assert (cached["X-Cache"], title_of(cached)) == ("HIT", "Första")

    with a.active(), transaction.atomic():  # the editor's request on A commits
        article.title = "Ändrad på A"
        article.save_revision().publish()

    fresh = b.get(PAGE, variables)
    assert (fresh["X-Cache"], title_of(fresh)) == ("MISS", "Ändrad på A")
    again = b.get(PAGE, variables)
    assert (again["X-Cache"], title_of(again)) == ("HIT", "Ändrad på A")
    assert title_of(a.get(PAGE, variables)) == "Ändrad på A"
