"""``manage.py register_persisted_queries FILE...``: add GraphQL documents to the allow-list."""

import hashlib
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from graphql import GraphQLError, OperationDefinitionNode, parse, validate

from cms.models import PersistedQuery
from cms.schema import schema


def documents_in(path):
    """(name, text, stated hash or None) of each document a file holds.

    A ``.json`` file is a manifest of persisted documents as graphql-codegen's client preset
    writes it (``persistedDocuments``): ``{"sha256:<hex>": "<document>"}``; the keys may also be
    bare hex. Any other file holds one document, named after the file.
    """
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".json":
        return [(path.stem, text, None)]
    try:
        manifest = json.loads(text)
    except ValueError as error:
        raise CommandError(f"{path}: not JSON ({error}).") from None
    if not isinstance(manifest, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in manifest.items()
    ):
        raise CommandError(f"{path}: expected an object of hash → document text.")
    return [(None, document, key.removeprefix("sha256:")) for key, document in manifest.items()]


def operation_name(document):
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and definition.name:
            return definition.name.value
    return ""


class Command(BaseCommand):
    help = (
        "Register GraphQL documents as persisted queries, addressed by the SHA-256 of their "
        "text: .graphql files (one document each) or a codegen persisted-documents .json "
        "manifest. Invalid documents, and manifest hashes that do not match their text, are "
        "refused; nothing is registered then."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="+", help="Files holding one GraphQL document each, or .json manifests."
        )

    def handle(self, *args, files, **options):
        checked = []
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file.")
            for label, text, stated in documents_in(path):
                try:
                    document = parse(text)
                    errors = validate(schema.graphql_schema, document)
                except GraphQLError as error:
                    raise CommandError(f"{name}: {error.message}") from None
                if errors:
                    raise CommandError(f"{name}: {errors[0].message}")
                digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
                if stated is not None and stated != digest:
                    raise CommandError(
                        f"{name}: the hash {stated} does not match its document "
                        f"(SHA-256 {digest}); regenerate the manifest."
                    )
                checked.append((label or operation_name(document) or digest[:12], text, digest))
        for label, text, digest in checked:
            _, created = PersistedQuery.objects.update_or_create(
                sha256=digest, defaults={"name": label[:255], "query": text}
            )
            verb = "Registered" if created else "Already registered"
            self.stdout.write(f"{verb} {label}: {digest}")
