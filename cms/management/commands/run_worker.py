"""The background worker: ``manage.py run_worker``.

``db_worker --backend webhooks --queue-name webhooks`` (webhook deliveries, django-tasks),
plus, every ``SCHEDULED_PUBLISHING_INTERVAL`` seconds, scheduled publishing and the cache's
pending invalidations (``cms.scheduling``). Every ``db_worker`` option works; ``--batch``
runs one scheduling cycle, then delivers what is due and exits.
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from cms import scheduling


class Command(db_worker.Command):
    help = (
        "Deliver webhooks (the 'webhooks' queue) and, every SCHEDULED_PUBLISHING_INTERVAL "
        "seconds, publish and expire scheduled pages and apply pending cache invalidations."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(backend_name="webhooks", queue_name="webhooks")
        parser.add_argument(
            "--schedule-interval",
            type=int,
            default=None,
            help="Seconds between scheduled-publishing cycles (default: "
            "SCHEDULED_PUBLISHING_INTERVAL, 60; 0: none).",
        )

    def handle(self, *args, schedule_interval=None, **options):
        seconds = scheduling.interval() if schedule_interval is None else schedule_interval
        if options["batch"]:
            if seconds:
                scheduling.run_once()
            return super().handle(*args, **options)
        reloader_parent = options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not seconds or reloader_parent:  # the reloader's parent only restarts its child
            return super().handle(*args, **options)
        scheduler = scheduling.Scheduler(seconds)
        scheduler.start()
        try:
            return super().handle(*args, **options)
        finally:
            scheduler.stop()
