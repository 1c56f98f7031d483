"""What the webhook tests share: receivers (real HTTP and HTTPS servers on 127.0.0.1), a fake
resolver, the worker, and a receiver's signature check. Fixtures are in ``conftest.py``."""

import hashlib
import hmac
import io
import json
import logging
import signal
import socket
import ssl
import threading
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from news.factories import NewsArticlePageFactory
from webhooks.models import WebhookEndpoint

worker_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BACKOFF = 30
MAX_ATTEMPTS = 3

DELIVERIES = "/admin/snippets/webhooks/webhookdelivery/"
ENDPOINTS = "/admin/snippets/webhooks/webhookendpoint/"

#: A test CA and a certificate for ``hooks.example`` it signed, valid 2000-2100. Made once with
#: ``openssl ca`` (the CA's key was thrown away); the server key is for these tests only.
TLS = Path(__file__).parent / "tls"
TEST_CA = TLS / "ca.pem"
HOOKS_EXAMPLE_CERT = TLS / "hooks.pem"
HOOKS_EXAMPLE_KEY = TLS / "hooks.key"

#: A public address (documentation prefixes would not be public) that nothing here connects to.
PUBLIC_IPV4 = "93.184.215.14"
PUBLIC_IPV6 = "2606:2800:21f:cb07:6820:80da:af6b:8b2c"


# --- A receiver: a real HTTP server on 127.0.0.1 ---------------------------------------------


class Receiver:
    """Records every request; answers ``status`` (or the next of ``statuses``) with
    ``headers``. Over TLS, ``server_names`` records the SNI of each handshake."""

    def __init__(self):
        self.requests = []
        self.status = 200
        self.statuses = []
        self.headers = {}
        self.server_names = []
        self.lock = threading.Lock()
        self.port = None
        self.url = None

    def answer(self):
        with self.lock:
            return self.statuses.pop(0) if self.statuses else self.status

    def bodies(self):
        return [json.loads(request.body) for request in self.requests]


@contextmanager
def serve(tls=False):
    """A ``Receiver`` listening on 127.0.0.1 (HTTPS with the hooks.example certificate when
    ``tls``) until the block ends."""
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
            for name, value in state.headers.items():
                self.send_header(name, value)
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
    state.port = server.server_address[1]
    scheme = "http"
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(HOOKS_EXAMPLE_CERT, HOOKS_EXAMPLE_KEY)

        def record_server_name(_socket, server_name, _context):
            with state.lock:
                state.server_names.append(server_name)

        context.sni_callback = record_server_name
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    state.url = f"{scheme}://127.0.0.1:{state.port}/hooks/cms"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- A resolver that knows our test host names ------------------------------------------------


class FakeDNS:
    """Stands in for ``socket.getaddrinfo``: names in ``hosts`` resolve to their addresses (a
    list, or a function of how many times the name was asked before); other names go to the
    real resolver (``localhost``; ``.example`` names that are not listed do not resolve)."""

    def __init__(self, real):
        self.real = real
        self.hosts = {}
        self.calls = []

    def __call__(self, host, port, family=0, type=0, proto=0, flags=0):  # noqa: A002
        name = host.decode() if isinstance(host, bytes) else host
        if name not in self.hosts:
            return self.real(host, port, family, type, proto, flags)
        previous = sum(1 for call in self.calls if call == name)
        self.calls.append(name)
        addresses = self.hosts[name]
        if callable(addresses):
            addresses = addresses(previous)
        port = int(port or 0)
        results = []
        for address in addresses:
            if ":" in address:
                results.append(
                    (
                        socket.AF_INET6,
                        socket.SOCK_STREAM,
                        socket.IPPROTO_TCP,
                        "",
                        (address, port, 0, 0),
                    )
                )
            else:
                results.append(
                    (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))
                )
        return results


# --- The worker, and what a receiver checks ---------------------------------------------------


def run_worker(command="db_worker"):
    """``manage.py db_worker --batch --backend webhooks --queue-name webhooks``: deliver what
    is due, then exit (``command="run_worker"``: the project's worker, which runs one
    scheduled-publishing cycle first). Signal handlers and log levels it sets are restored
    afterwards."""
    signals = [signal.SIGINT, signal.SIGTERM] + (
        [signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else []
    )
    saved_signals = {sig: signal.getsignal(sig) for sig in signals}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    saved_levels = [logger.level for logger in loggers]
    try:
        call_command(
            command,
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


def make_endpoint(url, **fields):
    return WebhookEndpoint.objects.create(name="Frontend", url=url, **fields)


def draft_article(tree, title="Artikel", slug="artikel"):
    return NewsArticlePageFactory(
        parent=tree.news, locale=tree.sv, title=title, slug=slug, live=False
    )


def assert_close(moment, expected, tolerance=timedelta(seconds=5)):
    assert abs(moment - expected) <= tolerance, (moment, expected)


def time_passes():
    """The retry is due: what the clock moving past ``run_after`` would do."""
    queued_tasks().update(run_after=timezone.now() - timedelta(seconds=1))
