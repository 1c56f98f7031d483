"""What runs on a timer next to the webhook queue (``manage.py run_worker``).

Every ``SCHEDULED_PUBLISHING_INTERVAL`` seconds (settings ``CMS_SCHEDULER["INTERVAL"]``):

- Wagtail's ``publish_scheduled``: pages whose go-live time has passed are published and
  expired ones unpublished, each with its cache invalidation and webhooks, as if an editor
  had pressed the button;
- the cache invalidations still pending after a cache outage are applied
  (``cms.api.invalidation.flush_pending``), and a cache that restarted is noticed
  (``cms.api.cache.clock``), also when no request comes to notice it.

On PostgreSQL one worker at a time runs a cycle (an advisory lock), so several workers never
publish the same revision twice; SQLite sites run one worker.
"""

import io
import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections, connection

from cms.api import cache
from cms.api.invalidation import flush_pending

logger = logging.getLogger("cms.scheduling")

#: The PostgreSQL advisory lock of one scheduling cycle (any constant unique to this app).
LOCK_KEY = 7_311_020_130


def interval():
    return getattr(settings, "CMS_SCHEDULER", {}).get("INTERVAL", 60)


@contextmanager
def one_at_a_time():
    """True when this process may run the cycle (no other worker is running one)."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        mine = cursor.fetchone()[0]
    try:
        yield mine
    finally:
        if mine:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def run_once():
    """One cycle; True when it ran (False: another worker's cycle was under way)."""
    with one_at_a_time() as mine:
        if not mine:
            return False
        call_command("publish_scheduled", stdout=io.StringIO())
    left = flush_pending()
    if left:
        logger.warning("%s cache invalidation(s) still pending: the cache does not answer", left)
    cache.clock()  # notices a cache that restarted (its clock went back)
    return True


class Scheduler(threading.Thread):
    """Runs ``run_once`` every ``seconds`` until ``stop()``; a failing cycle is logged and
    the next one tries again."""

    def __init__(self, seconds):
        super().__init__(name="cms-scheduler", daemon=True)
        self.seconds = seconds
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            try:
                close_old_connections()
                run_once()
            except Exception:  # noqa: BLE001 - logged; the next cycle tries again
                logger.exception("Scheduled publishing failed; trying again in %ss", self.seconds)
            finally:
                close_old_connections()
            self.stopping.wait(self.seconds)
        connection.close()

    def stop(self):
        self.stopping.set()
        self.join()
