"""Per-client rate limits on uncached work (``cms.api.ratelimit``), over HTTP.

A search is 11 units, a suggestion 3, any other uncached request 1; cached answers are free.
Over budget: HTTP 429, ``Retry-After``, a GraphQL error ``RATE_LIMITED``, never cached.
"""

import pytest
from django.core.cache import cache as django_cache
from graphql import parse

from cms.api import cache as response_cache
from cms.api import ratelimit
from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.helpers import gql

pytestmark = pytest.mark.django_db

SEARCH = '{ search(locale: "sv", query: "demokrati") { totalCount } }'
SUGGEST = '{ suggest(locale: "sv", prefix: "dem") { title } }'
SITE = '{ site(locale: "sv") { name } }'


@pytest.fixture
def budget(settings):
    """A budget of 25 units a minute (two searches and three more units)."""
    django_cache.clear()
    settings.CMS_API = {**settings.CMS_API, "RATE_LIMIT": 25, "RATE_LIMIT_WINDOW": 60}
    return settings


def limited(response):
    assert response.status_code == 429, response.content
    assert response["Cache-Control"] == "no-store"
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 60
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": retry_after}
    assert f"Try again in {retry_after} seconds" in error["message"]
    assert "data" not in response.json()
    return retry_after


def test_searches_over_the_budget_get_429_with_retry_after(client, budget, home_sv):
    assert gql(client, SEARCH).status_code == 200  # 11
    assert gql(client, SEARCH).status_code == 200  # 22
    limited(gql(client, SEARCH))  # 33 > 25
    # Also by GET, and whatever is asked: the budget is spent for this window.
    limited(gql(client, SITE, method="get"))


def test_aliases_and_fragments_are_charged_per_search(client, budget, home_sv):
    document = """
      query { a: search(locale: "sv", query: "x") { totalCount } ...more }
      fragment more on Query { b: search(locale: "sv", query: "y") { totalCount }
                               c: search(locale: "sv", query: "z") { totalCount } }
    """
    # 1 + 3 searches of 10 = 31 > 25: the first request of the window is refused already.
    limited(gql(client, document))


def test_cost_counts_root_searches_and_suggestions():
    document = parse(
        '{ s: search(query: "a") { totalCount } t: suggest(prefix: "b") { title } '
        '... on Query { u: suggest(prefix: "c") { title } } site { name } }'
    )
    assert ratelimit.cost(document, document.definitions[0]) == 1 + 10 + 2 + 2


def test_suggest_as_you_type_fits_the_default_budget(client, settings, home_sv):
    django_cache.clear()
    settings.CMS_API = {**settings.CMS_API, "RATE_LIMIT": 600, "RATE_LIMIT_WINDOW": 60}
    word = "demokratiutveckling"
    for end in range(1, len(word) + 1):  # a reader typing one word, every keystroke a miss
        assert gql(client, SUGGEST.replace("dem", word[:end])).status_code == 200


def test_cached_answers_cost_nothing(client, budget, settings, home_sv):
    settings.CMS_CACHE = {"ENABLED": True}
    settings.CMS_API = {**settings.CMS_API, "RATE_LIMIT": 2}
    index = NewsIndexPageFactory(parent=home_sv)
    NewsArticlePageFactory(parent=index, title="Kommunal demokrati")
    listing = '{ newsArticles(locale: "sv") { totalCount items { title } } }'
    first = gql(client, listing, method="get")
    assert first.status_code == 200 and first["X-Cache"] == "MISS"
    for _ in range(10):
        again = gql(client, listing, method="get")
        assert again.status_code == 200 and again["X-Cache"] == "HIT"
    assert gql(client, SITE).status_code == 200  # the second unit
    limited(gql(client, '{ site(locale: "en") { name } }'))


def test_each_client_has_its_own_budget(client, budget, home_sv):
    for _ in range(2):
        assert gql(client, SEARCH, REMOTE_ADDR="203.0.113.7").status_code == 200
    limited(gql(client, SEARCH, REMOTE_ADDR="203.0.113.7"))
    # A header the client writes itself does not buy a new budget...
    limited(gql(client, SEARCH, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1"))
    # ...but another reader has its own.
    assert gql(client, SEARCH, REMOTE_ADDR="203.0.113.8").status_code == 200


def test_behind_a_trusted_proxy_each_reader_has_a_budget(client, budget, home_sv):
    budget.TRUSTED_PROXIES = ["10.0.0.0/8"]
    cdn = {"REMOTE_ADDR": "10.1.2.3"}
    for _ in range(2):
        assert gql(client, SEARCH, HTTP_X_FORWARDED_FOR="198.51.100.1", **cdn).status_code == 200
    limited(gql(client, SEARCH, HTTP_X_FORWARDED_FOR="198.51.100.1", **cdn))
    assert gql(client, SEARCH, HTTP_X_FORWARDED_FOR="198.51.100.2", **cdn).status_code == 200


def test_an_exempt_frontend_server_is_not_limited(client, budget, home_sv):
    budget.CMS_API = {**budget.CMS_API, "RATE_LIMIT_EXEMPT": ["192.0.2.0/28"]}
    for _ in range(5):
        assert gql(client, SEARCH, REMOTE_ADDR="192.0.2.5").status_code == 200
    for _ in range(2):
        assert gql(client, SEARCH, REMOTE_ADDR="192.0.2.17").status_code == 200
    limited(gql(client, SEARCH, REMOTE_ADDR="192.0.2.17"))


def test_editors_previewing_are_not_limited(client, budget, admin_user, home_sv):
    client.force_login(admin_user)
    for _ in range(5):
        assert gql(client, SEARCH).status_code == 200


def test_the_budget_comes_back_with_the_next_window(client, budget, home_sv, monkeypatch):
    clock = [1_000_000 * 60 + 30.2]  # 30.2 s into a window
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    gql(client, SEARCH)
    gql(client, SEARCH)
    assert limited(gql(client, SEARCH)) == 30  # 29.8 s left, rounded up
    clock[0] += 30
    assert gql(client, SEARCH).status_code == 200


class BrokenCounters:
    def __getattr__(self, name):
        def broken(*args, **kwargs):
            raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379")

        return broken


def test_a_failing_cache_leaves_the_api_up_and_unlimited(client, budget, home_sv, monkeypatch):
    monkeypatch.setattr(response_cache, "backend", BrokenCounters)
    for _ in range(4):
        response = gql(client, SEARCH)
        assert response.status_code == 200, response.content
        assert "errors" not in response.json()


def test_off_when_the_budget_is_zero(client, budget, home_sv):
    budget.CMS_API = {**budget.CMS_API, "RATE_LIMIT": 0}
    for _ in range(4):
        assert gql(client, SEARCH).status_code == 200


@pytest.fixture
def redis_counters(settings):
    """The counters in a real Redis (database 15), as app servers share them in production;
    needs Redis at 127.0.0.1:6379 (``REDIS_TEST_URL``): under CI it must be there."""
    import os

    import redis

    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"needs Redis at {url}")
    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url},
    }
    settings.CMS_CACHE = {**settings.CMS_CACHE, "ALIAS": "shared"}
    response_cache.backend().clear()
    yield redis.Redis.from_url(url)
    response_cache.backend().clear()


def test_counters_in_redis_are_shared_and_expire(client, budget, redis_counters, home_sv):
    gql(client, SEARCH)
    keys = redis_counters.keys("*gql:rl:127.0.0.1:60:*")
    assert len(keys) == 1
    assert int(redis_counters.get(keys[0])) == 11
    assert 60 <= redis_counters.ttl(keys[0]) <= 65  # gone after its window
    # Another app server (a fresh connection) reads and adds to the same counter.
    from django.core.cache import caches

    caches["shared"].close()
    gql(client, SEARCH)
    limited(gql(client, SEARCH))
    assert int(redis_counters.get(keys[0])) == 33
