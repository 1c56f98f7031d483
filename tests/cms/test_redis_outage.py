"""A real Redis, stopped and started again under the API (issue 13, section 2).

The test starts its own ``redis-server`` on a free port and points Django's cache at it.
While it is down, the API answers from the database (200, the right data, nothing cached),
the failure is logged once per interval rather than once per request, and ``/healthz`` says
so (200 ``degraded``, ``cache: error: ...``). A page published meanwhile (as the worker's
scheduled publishing does, outside any admin transaction) commits, its invalidation waiting
in the database. When Redis comes back, also with everything it held before the outage (a
snapshot reloaded) or from an older snapshot, the changed content is served, never the
answer cached before. The design is in ``docs/caching.md``.
"""

import json
import logging
import shutil
import socket
import subprocess
import time

import pytest
import redis

from cms.api import cache as response_cache
from cms.scheduling import run_once
from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.helpers import gql, publish

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
LISTING = '{ newsArticles(locale: "sv") { totalCount items { title } } }'

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class RedisServer:
    """A ``redis-server`` on 127.0.0.1:``port`` keeping its snapshot in ``directory``."""

    def __init__(self, directory):
        self.directory = directory
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - a fixed program and arguments
            [
                REDIS_SERVER,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", str(self.directory),
                "--dbfilename", "dump.rdb",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            try:
                if self.client().ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self):
        """Gone at once, as a crash or a lost network would leave it (no save on exit)."""
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None

    def snapshot(self):
        self.client().save()

    def forget_snapshot(self):
        (self.directory / "dump.rdb").unlink(missing_ok=True)


@pytest.fixture
def redis_server(tmp_path, settings):
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.CMS_CACHE = {"ENABLED": True}
    # Each test starts as a fresh app server would: no failure seen, no clock read yet.
    state = dict(response_cache._last_failure)
    response_cache._last_failure.update(logged=0.0, down=False, seen=0)
    yield server
    response_cache._last_failure.update(state)
    if server.process is not None:
        server.kill()


@pytest.fixture
def news(sv, home_sv):
    index = publish(NewsIndexPageFactory(parent=home_sv, locale=sv))
    publish(NewsArticlePageFactory(parent=index, locale=sv, title="Första", slug="a"))
    return index


def listing(client):
    response = gql(client, LISTING)
    assert response.status_code == 200, response.content
    data = json.loads(response.content)["data"]["newsArticles"]
    return response["X-Cache"], sorted(item["title"] for item in data["items"])


def health(client):
    response = client.get("/healthz")
    return response.status_code, response.json()


def cached_answers(server):
    return server.client().keys("*gql:resp:*")


#: How Redis comes back: empty (no persistence, as we recommend), with everything it held
#: when it went away (a snapshot taken just before), or from a snapshot older than the last
#: change it took (writes lost).
RETURNS = ["empty", "with its data", "from an older snapshot"]


@pytest.mark.parametrize("comes_back", RETURNS)
def test_the_api_answers_through_a_redis_outage_and_serves_nothing_stale_after(
    client, redis_server, news, sv, comes_back, caplog
):
    assert listing(client) == ("MISS", ["Första"])
    assert listing(client) == ("HIT", ["Första"])
    assert health(client) == (200, {"status": "ok", "database": "ok", "cache": "ok"})
    if comes_back == "from an older snapshot":
        redis_server.snapshot()
        # A change Redis takes after its snapshot: lost when it restarts from that snapshot.
        publish(NewsArticlePageFactory(parent=news, locale=sv, title="Andra", slug="b"))
        assert listing(client) == ("MISS", ["Andra", "Första"])
        assert listing(client) == ("HIT", ["Andra", "Första"])
        before = ["Andra", "Första"]
    else:
        before = ["Första"]
        if comes_back == "with its data":
            redis_server.snapshot()
    redis_server.kill()

    # Down: answers from the database, every time, logged once.
    with caplog.at_level(logging.WARNING, logger="cms.api"):
        for _ in range(3):
            assert listing(client) == ("MISS", before)
    failures = [r for r in caplog.records if "Response cache unavailable" in r.getMessage()]
    assert len(failures) == 1
    status, body = health(client)
    assert status == 200
    assert (body["status"], body["database"]) == ("degraded", "ok")
    assert body["cache"].startswith("error: ")

    # A page goes live during the outage (outside any transaction, as scheduled publishing
    # does): it commits, and readers see it at once.
    publish(NewsArticlePageFactory(parent=news, locale=sv, title="Tredje", slug="c"))
    after = sorted([*before, "Tredje"])
    assert listing(client) == ("MISS", after)

    if comes_back == "empty":
        redis_server.forget_snapshot()
    redis_server.start()
    if comes_back != "empty":
        assert cached_answers(redis_server)  # the answer cached before the outage is back

    assert health(client) == (200, {"status": "ok", "database": "ok", "cache": "ok"})
    assert listing(client) == ("MISS", after)
    assert listing(client) == ("HIT", after)


@pytest.mark.parametrize("comes_back", ["with its data", "from an older snapshot"])
def test_an_app_server_that_saw_nothing_of_the_outage_is_set_right_by_the_worker(
    client, redis_server, news, sv, comes_back
):
    """An app server that took no request during the outage cannot know about it: the
    worker's next cycle (``SCHEDULED_PUBLISHING_INTERVAL``) applies what is pending and
    notices a clock that went back, before which that server could serve the old answer."""
    assert listing(client) == ("MISS", ["Första"])
    redis_server.snapshot()
    if comes_back == "from an older snapshot":
        publish(NewsArticlePageFactory(parent=news, locale=sv, title="Andra", slug="b"))
    else:
        redis_server.kill()
        publish(NewsArticlePageFactory(parent=news, locale=sv, title="Andra", slug="b"))
    assert listing(client)[1] == ["Andra", "Första"]
    if redis_server.process is not None:
        redis_server.kill()
    redis_server.start()

    # The worker, which remembers the clock and the pending invalidations, runs its cycle;
    # then a server that saw nothing (a fresh process) answers.
    assert run_once()
    response_cache._last_failure.update(down=False, seen=0)
    assert listing(client) == ("MISS", ["Andra", "Första"])
    assert listing(client) == ("HIT", ["Andra", "Första"])
