"""The example operations under ``frontend/operations`` are valid against the schema and
run on the demo content without an error, within a bounded number of SQL queries."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql import parse, validate

from cms.schema import schema

pytestmark = pytest.mark.django_db

OPERATIONS = Path(__file__).resolve().parents[2] / "frontend" / "operations"
FRAGMENTS = (OPERATIONS / "fragments.graphql").read_text()
FILES = sorted(path for path in OPERATIONS.glob("*.graphql") if path.name != "fragments.graphql")

VARIABLES = {
    "Page": {"path": "/sv/nyheter/demokratiprojekt-beviljade-for-tio-kommuner-och-regioner/"},
    "News": {"locale": "en"},
    "Grants": {"locale": "sv"},
    "Search": {"query": "demokrati", "locale": "sv"},
    "Suggest": {"prefix": "demo", "locale": "sv"},
    "Site": {"locale": "en"},
    "Sitemap": {"locale": "sv"},
    "AllPages": {"locale": "en"},
    "Redirect": {"path": "/sv/gammal-sida/"},
    "Redirects": {},
    "Preview": {"token": "not-a-token"},
    "Topics": {"locale": "en"},
}


SPREAD = re.compile(r"\.\.\.\s*([A-Za-z_]\w*)")
SHARED = {
    definition.name.value: FRAGMENTS[definition.loc.start : definition.loc.end]
    for definition in parse(FRAGMENTS).definitions
}


def document(path):
    """The file's operations with the shared fragments they use (a client's codegen does the
    same), since unused fragments make a document invalid."""
    text = path.read_text()
    used, pending = set(), SPREAD.findall(text)
    while pending:
        name = pending.pop()
        if name in SHARED and name not in used:
            used.add(name)
            pending.extend(SPREAD.findall(SHARED[name]))
    return "\n".join([text, *(SHARED[name] for name in sorted(used))])


def operations(path):
    return [
        definition.name.value
        for definition in parse(document(path)).definitions
        if definition.kind == "operation_definition"
    ]


def test_every_operation_is_covered():
    names = [name for path in FILES for name in operations(path)]
    assert sorted(names) == sorted(VARIABLES)
    assert set(SHARED) <= {name for path in FILES for name in SPREAD.findall(document(path))}


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_operations_are_valid_against_the_schema(path):
    errors = validate(schema.graphql_schema, parse(document(path)))
    assert not errors, [error.message for error in errors]


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_operations_run_on_the_demo_content(client, demo):
    """All in one test: the demo is seeded once (about ten seconds)."""
    for path in FILES:
        text = document(path)
        for name in operations(path):
            queries, response = run(client, text, name)
            body = response.json()
            if name == "Preview":  # a made-up token: a clear 400, nothing of any page
                assert response.status_code == 400 and body.get("data") in (None, {"page": None})
                continue
            assert response.status_code == 200, (name, body)
            assert "errors" not in body, (name, body["errors"])
            assert queries <= 30, (name, queries)


def run(client, text, name):
    """(SQL queries, response) of one operation of a document, posted as a frontend would."""
    payload = {"query": text, "variables": VARIABLES[name], "operationName": name}
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/graphql/", json.dumps(payload), content_type="application/json")
    return len(queries), response
