"""``manage.py register_persisted_queries FILE...``: add GraphQL documents to the allow-list."""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from graphql import GraphQLError, parse, validate

from cms.models import PersistedQuery
from cms.schema import schema


class Command(BaseCommand):
    help = (
        "Register GraphQL documents (one per file) as persisted queries, addressed by the "
        "SHA-256 of their text. Invalid documents are refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Files holding one GraphQL document each.")

    def handle(self, *args, files, **options):
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file.")
            text = path.read_text(encoding="utf-8")
            try:
                errors = validate(schema.graphql_schema, parse(text))
            except GraphQLError as error:
                raise CommandError(f"{name}: {error.message}") from None
            if errors:
                raise CommandError(f"{name}: {errors[0].message}")
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            _, created = PersistedQuery.objects.update_or_create(
                sha256=digest, defaults={"name": path.stem, "query": text}
            )
            verb = "Registered" if created else "Already registered"
            self.stdout.write(f"{verb} {path.stem}: {digest}")
