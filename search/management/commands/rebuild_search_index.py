"""``manage.py rebuild_search_index``: rebuild the bilingual search index, with progress."""

import time

from django.core.management.base import BaseCommand, CommandError

from search import indexing


class Command(BaseCommand):
    help = "Rebuild the search index of all live articles, topics and standard pages."

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=500,
            help="Pages indexed per database round trip (default 500).",
        )

    def handle(self, *args, chunk_size=500, **options):
        if chunk_size < 1 or chunk_size > 10_000:
            raise CommandError("--chunk-size must be between 1 and 10000.")
        started = time.monotonic()
        width = 30

        def progress(done, total):
            filled = width * done // total if total else width
            bar = "#" * filled + "-" * (width - filled)
            self.stdout.write(f"\r[{bar}] {done}/{total}", ending="")
            self.stdout.flush()

        count = indexing.rebuild(progress=progress, chunk_size=chunk_size)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {count} pages in {time.monotonic() - started:.1f} s.")
        )
