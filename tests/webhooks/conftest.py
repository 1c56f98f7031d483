"""Fixtures of the webhook tests (helpers in ``support.py``).

Webhooks go to public addresses only; the test receivers listen on 127.0.0.1, so the fixtures
that start one allow private addresses (``WEBHOOKS_ALLOW_PRIVATE_ADDRESSES``), as an
on-premise installation would. Everything else runs with the production default (off).
"""

import socket
from contextlib import ExitStack
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from news.factories import NewsIndexPageFactory
from tests.helpers import publish

from .support import BACKOFF, MAX_ATTEMPTS, FakeDNS, serve


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.CMS_WEBHOOKS = {"MAX_ATTEMPTS": MAX_ATTEMPTS, "BACKOFF_SECONDS": BACKOFF, "TIMEOUT": 5}
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    cache.clear()
    return settings


@pytest.fixture
def start_receiver(settings):
    """Starts receivers on 127.0.0.1 (``start_receiver(tls=True)`` for HTTPS), stopped after
    the test; allows private addresses so that deliveries may reach them."""
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    with ExitStack() as stack:
        yield lambda tls=False: stack.enter_context(serve(tls=tls))


@pytest.fixture
def receiver(start_receiver):
    return start_receiver()


@pytest.fixture
def closed_port_url(settings):
    """A URL on 127.0.0.1 on which nothing listens (connection refused)."""
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/hooks/cms"


@pytest.fixture
def fake_dns(monkeypatch):
    """``fake_dns.hosts["hooks.example"] = ["93.184.215.14"]``: what the name resolves to,
    everywhere (the admin's check and the worker's)."""
    dns = FakeDNS(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", dns)
    return dns


@pytest.fixture
def tree(sv, home_sv):
    """/sv/nyheter/ and /sv/arkiv/, published before any endpoint exists."""
    news = publish(NewsIndexPageFactory(parent=home_sv, locale=sv))
    archive = publish(NewsIndexPageFactory(parent=home_sv, locale=sv, title="Arkiv", slug="arkiv"))
    return SimpleNamespace(news=news, archive=archive, sv=sv, home=home_sv)


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client
