"""The background task that delivers webhooks (django-tasks, database backend)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from .dispatch import deliver


@task(backend="webhooks", queue_name="webhooks")
def deliver_webhook(delivery_id):
    """Deliver once; on failure, schedule the next attempt after an exponential backoff."""
    delay = deliver(delivery_id)
    if delay is not None:
        deliver_webhook.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            delivery_id
        )
