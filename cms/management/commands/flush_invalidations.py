"""Apply cache invalidations that could not be written when their change committed.

Every change reserves its cache tags before it commits and stamps them after; when the
cache failed in between, the tags stay reserved (answers using them are not cached) and a
``PendingInvalidation`` row waits. The next change retries them; this command does it
without one (run it from cron, or after a cache outage): ``manage.py flush_invalidations``.
"""

from django.core.management.base import BaseCommand, CommandError

from cms.api.invalidation import flush_pending
from cms.models import PendingInvalidation


class Command(BaseCommand):
    help = "Apply pending cache invalidations (after a cache outage)."

    def handle(self, *args, **options):
        before = PendingInvalidation.objects.count()
        if not before:
            self.stdout.write("No pending invalidations.")
            return
        self.stdout.write(f"Applying {before} pending invalidation(s)…")
        left = flush_pending()
        if left:
            raise CommandError(f"The cache is still unavailable: {left} invalidation(s) pending.")
        self.stdout.write(self.style.SUCCESS(f"Applied {before} pending invalidation(s)."))
