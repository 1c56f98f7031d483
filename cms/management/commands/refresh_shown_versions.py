"""``manage.py refresh_shown_versions``: recompute which version of each page lists show."""

import time

from django.core.management.base import BaseCommand
from wagtail.models import Page

from cms import versions


class Command(BaseCommand):
    help = (
        "Recompute, for every language, which version of each translation group the API's "
        "lists show (needed after changing pages behind Django's signals, e.g. bulk imports)."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        total = Page.objects.values("translation_key").distinct().count()
        width = 30

        def progress(done):
            filled = width * done // total if total else width
            bar = "#" * filled + "-" * (width - filled)
            self.stdout.write(f"\r[{bar}] {done}/{total} groups", ending="")
            self.stdout.flush()

        groups = versions.refresh(progress=progress)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Refreshed {groups} public translation groups in "
                f"{time.monotonic() - started:.1f} s."
            )
        )
