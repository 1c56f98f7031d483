"""Reliability under load, across app servers: two gunicorn instances (2 workers each, ports
P and P+1, separate processes as two machines would be) share PostgreSQL and Redis; 32
clients send mixed queries to them in turn (round-robin) for 30 s while an editor changes a
page every second, and the webhook worker (``manage.py run_worker``) delivers to a receiver
that verifies every signature. Run by ``bench/run.py --reliability`` on the first dataset size.

The editor cycles through publish (a new title) / restrict (a password, as Wagtail's privacy
setting makes) / lift the restriction / unpublish; the next publish republishes. It works in
this process, through the ORM with the benchmark's settings (same database, same Redis), and
through Wagtail's own code paths: ``Revision.publish``, ``Page.unpublish`` and
``PageViewRestriction.save``/``delete`` (what the admin's privacy view calls), so the same
signals, invalidation and webhooks run as for an editor in the admin of either instance.

Expected: zero 5xx; zero stale answers from either instance (a probe sent after a change
returned answers that change's title, or no page after an unpublish or a restriction, or
what a later change made); every event the editor's changes sent (``content_changed``,
counted here) delivered exactly once (no duplicates, no bad signatures) once the queue has
drained (waited for, at most ``DRAIN_SECONDS``).
"""

import collections
import hashlib
import hmac
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench import load
from bench.run import PYTHON, ROOT, http_paths, start_gunicorn

ENDPOINT_NAME = "Reliability benchmark receiver"
DRAIN_SECONDS = 120
MAX_SKEW_SECONDS = 300


class Receiver:
    """A webhook receiver on 127.0.0.1 (a thread of this process): checks each delivery as
    the reference frontend does (``frontend/src/lib/webhook.ts``: HMAC-SHA256 of
    ``"<timestamp>.<body>"``, the timestamp within five minutes) and counts deliveries by id."""

    def __init__(self, secret):
        self.secret = secret
        self.received = collections.Counter()  # delivery id -> times received
        self.events = collections.Counter()
        self.bad_signatures = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                ok = receiver.verify(
                    body,
                    self.headers.get("X-Webhook-Timestamp"),
                    self.headers.get("X-Webhook-Signature"),
                )
                if ok:
                    payload = json.loads(body)
                    ok = payload.get("id") == self.headers.get("X-Webhook-Id")
                with receiver.lock:
                    if ok:
                        receiver.received[payload["id"]] += 1
                        receiver.events[payload["event"]] += 1
                    else:
                        receiver.bad_signatures += 1
                self.send_response(204 if ok else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/cms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def verify(self, body, timestamp, signature):
        if not timestamp or not timestamp.isdigit() or not signature:
            return False
        if abs(time.time() - int(timestamp)) > MAX_SKEW_SECONDS:
            return False
        expected = hmac.new(self.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
        return hmac.compare_digest("sha256=" + expected.hexdigest(), signature)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def main(args, base_env):
    size = args.sizes[0]
    url = args.postgres.rstrip("/") + f"/cms_bench_{size}"
    env = {
        **base_env,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "REDIS_URL": args.redis,
        "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "true",  # the receiver listens on 127.0.0.1
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from wagtail.models import PageViewRestriction

    from cms.signals import content_changed
    from news.models import NewsArticlePage
    from webhooks.models import WebhookDelivery, WebhookEndpoint

    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True  # settings may be loaded already

    page = NewsArticlePage.objects.filter(locale__language_code="sv").order_by("-date").first()
    page = page.specific
    base_title = page.title.split(" v")[0]
    probe = load.graphql_path(
        "query($path: String!) { page(path: $path) { title } }", {"path": page.url}
    )

    # A clean start: the page public and live, one endpoint (this run's receiver).
    for restriction in PageViewRestriction.objects.filter(page=page):
        restriction.delete()
    page.title = base_title
    page.save_revision().publish()
    WebhookEndpoint.objects.filter(name=ENDPOINT_NAME).delete()
    secret = secrets.token_urlsafe(32)
    receiver = Receiver(secret)
    endpoint = WebhookEndpoint.objects.create(name=ENDPOINT_NAME, url=receiver.url, secret=secret)

    sent = collections.Counter()

    def count_event(event, **kwargs):
        sent[event] += 1

    content_changed.connect(count_event, weak=False)

    def step(n):
        # The page as the database has it: publishing goes through a copy made from the
        # revision, so this process's instance would still think an unpublished page is
        # down after its republish (and ``unpublish`` would do nothing).
        page.refresh_from_db()
        kind = (n - 1) % 4
        if kind == 0:
            title = f"{base_title} v{n}"

            def run():
                page.title = title
                page.save_revision().publish()  # republishes after an unpublish

            return title, run
        if kind == 1:

            def run():
                PageViewRestriction(
                    page=page,
                    restriction_type=PageViewRestriction.PASSWORD,
                    password="bench",  # noqa: S106
                ).save(user=None)

            return None, run
        if kind == 2:

            def run():
                for restriction in PageViewRestriction.objects.filter(page=page):
                    restriction.delete(user=None)

            return page.title, run
        return None, lambda: page.unpublish(user=None)

    def read(body):
        data = json.loads(body).get("data") or {}
        return (data.get("page") or {}).get("title")

    paths = list(http_paths(env).values())
    ports = [args.port, args.port + 1]
    worker = subprocess.Popen(  # noqa: S603 - a fixed program and arguments
        [PYTHON, "manage.py", "run_worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    servers = []
    try:
        servers = [start_gunicorn(env, port, 2, "true") for port in ports]
        result = load.reliability(ports, paths, probe, step, read, clients=32, seconds=30.0)
        deliveries = WebhookDelivery.objects.filter(endpoint=endpoint)
        expected = sum(sent.values())  # every event is a page event: one delivery each
        waited = time.monotonic()
        while time.monotonic() - waited < DRAIN_SECONDS:
            unfinished = deliveries.exclude(
                status__in=[WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED]
            )
            with receiver.lock:
                received = len(receiver.received)
            if received >= expected and not unfinished.exists():
                break
            time.sleep(0.5)
        drain_s = time.monotonic() - waited
        time.sleep(2)  # a duplicate would come now
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        worker.send_signal(signal.SIGTERM)
        for process in [*servers, worker]:
            process.wait(timeout=30)
        content_changed.disconnect(count_event)
        receiver.stop()
    with receiver.lock:
        webhooks = {
            "expected": expected,
            "events": dict(sent),
            "queued": deliveries.count(),
            "delivered": len(receiver.received),
            "duplicates": sum(count - 1 for count in receiver.received.values()),
            "bad_signatures": receiver.bad_signatures,
            "failed": deliveries.filter(status=WebhookDelivery.Status.FAILED).count(),
            "drain_s": round(drain_s, 1),
        }
    return {
        **result,
        "instances": len(ports),
        "workers_per_instance": 2,
        "webhooks": webhooks,
    }


if __name__ == "__main__":
    sys.exit("Run through bench/run.py --reliability")
