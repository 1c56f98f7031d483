"""Cheap to send, costly to answer: every document is priced before it is validated or run.

The documents an attacker used (1,990 repeated fields, 280 repeated selections, 29 aliases
of nested 100-item lists, a stack of searches) are refused with HTTP 400 naming the cap and
by how much; the documents frontends send (the README's examples, the demo's queries) stay
well under every cap. Also here: the database statement timeout of an API request, the
response-size cap, the response cache's entry-size cap, and persisted-query hashes that
are remembered only for documents that validate. How fast a refusal is, is measured in
``bench/pricing.py``, not here.
"""

import hashlib
import json
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from graphql import parse

from cms.api.pricing import price_errors
from cms.schema import schema
from tests.cms.test_execution import DOCUMENTS
from tests.helpers import bad_request, gql

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def api_settings(settings, **values):
    settings.CMS_API = {**django_settings.CMS_API, **values}


def refusal(client, query):
    response = gql(client, query)
    assert response.status_code == 400, response.content[:300]
    assert response["Cache-Control"] == "no-store"
    (error, *_) = response.json()["errors"]
    return error


def test_a_field_repeated_1990_times_is_refused_before_validation(client):
    error = refusal(client, "{ site { " + "name " * 1990 + "} }")
    assert error["message"].startswith("The query selects 1991 fields; the limit is 500")
    assert error["extensions"] == {"code": "QUERY_TOO_LARGE", "limit": "MAX_FIELDS"}


def test_a_selection_repeated_280_times_is_refused(client):
    error = refusal(client, "{ " + "site { menu { title } } " * 280 + "}")
    assert "840 fields; the limit is 500 (340 too many" in error["message"]


def test_a_field_repeated_in_one_selection_set_is_refused(client):
    """Under the field cap, but graphql-core compares same-named fields pairwise."""
    message = bad_request(client, "{ " + 'site(locale: "sv") { name } ' * 40 + "}")
    assert message == (
        "The field 'site' is selected 40 times in one selection set; the limit is 20 (20 too many)."
    )


def test_a_fragment_spread_many_times_counts_every_time(client):
    fragment = "fragment F on Site { name locales }"
    spreads = " ".join(f"s{i}: site {{ {'...F ' * 10}}}" for i in range(30))
    error = refusal(client, f"{{ {spreads} }} {fragment}")
    assert error["extensions"]["limit"] == "MAX_FIELDS"


def test_a_chain_of_fragments_spread_many_times_is_priced_in_linear_time(client):
    """Each fragment spreads the next one ten times: 10^8 fields if expanded."""
    fragments = ["fragment F0 on Site { name }"]
    for level in range(1, 9):
        fragments.append(f"fragment F{level} on Site {{ {f'...F{level - 1} ' * 10}}}")
    error = refusal(client, "{ site { ...F8 } } " + " ".join(fragments))
    assert "The query selects 100000001 fields" in error["message"]


ALIASED_LISTS = (
    "{ "
    + " ".join(
        f"a{i}: newsArticles(limit: 100) {{ items {{ title translations {{ title }} "
        "topics { articles(limit: 100) { items { title } } } } }"
        for i in range(29)
    )
    + " }"
)


def test_aliased_nested_100_item_lists_are_refused_by_their_estimated_size(client):
    error = refusal(client, ALIASED_LISTS)
    assert error["extensions"] == {"code": "QUERY_TOO_LARGE", "limit": "MAX_RESULT_SIZE"}
    assert re.match(
        r"The answer could hold about \d+ values; the limit is 50000 \(", error["message"]
    )


def test_two_levels_of_topics_and_articles_are_refused(client):
    query = """{ topics { articles(limit: 100) { items { title translations { title }
        topics { articles(limit: 100) { items { title topics { title } } } } } } } }"""
    assert refusal(client, query)["extensions"]["limit"] == "MAX_RESULT_SIZE"


def test_thirty_searches_are_refused(client):
    words = " ".join(["kommun", "demokrati", "partnerskap"] * 4)
    query = (
        "{ "
        + " ".join(
            f's{i}: search(query: "{words}", limit: 100) {{ items {{ page {{ title }} }} }}'
            for i in range(30)
        )
        + " }"
    )
    assert refusal(client, query)["extensions"]["limit"] == "MAX_RESULT_SIZE"


def test_a_variable_limit_is_priced_at_the_largest_allowed(client):
    query = """query($n: Int) { topics { articles(limit: $n) { items { title
        topics { articles(limit: $n) { items { title } } } } } } }"""
    response = gql(client, query, {"n": 1})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["limit"] == "MAX_RESULT_SIZE"


@pytest.mark.parametrize("size", [10, 100, 400, 499, 500, 501, 1000, 1999])
def test_generated_documents_of_growing_size_are_answered_or_refused_by_the_cap(client, size):
    query = "{ " + " ".join(f"f{i}: __typename" for i in range(size)) + " }"
    api_settings_values = {"MAX_ALIASES": 10_000, "MAX_TOKENS": 10_000}
    from django.test import override_settings

    with override_settings(CMS_API={**django_settings.CMS_API, **api_settings_values}):
        response = gql(client, query)
    if size <= 500:
        assert response.status_code == 200, response.content[:300]
    else:
        assert response.status_code == 400
        message = response.json()["errors"][0]["message"]
        assert message.startswith(f"The query selects {size} fields; the limit is 500")


def test_caps_are_settings(client, settings):
    api_settings(settings, MAX_FIELDS=3)
    assert (
        "5 fields; the limit is 3 (2 too many"
        in refusal(client, '{ site(locale: "sv") { name locales menu { title } } }')["message"]
    )
    api_settings(settings, MAX_FIELDS=500, MAX_RESULT_SIZE=100)
    assert (
        refusal(client, "{ newsArticles(limit: 100) { items { title } } }")["extensions"]["limit"]
        == "MAX_RESULT_SIZE"
    )


def readme_queries():
    text = (ROOT / "README.md").read_text()
    return [block for block in re.findall(r"```graphql\n(.*?)```", text, re.S)]


@pytest.mark.parametrize(
    "query, share",
    [(query, 4) for query in readme_queries()] + [(query, 2) for query in DOCUMENTS],
)
def test_the_documents_frontends_send_stay_well_under_every_cap(query, share, settings):
    """The README's examples use at most a quarter of each cap; the documents the executor
    is checked with (50 articles with every grant detail among them) at most half."""
    api_settings(
        settings, MAX_FIELDS=500 // share, MAX_RESULT_SIZE=50_000 // share, MAX_REPEATS=20 // share
    )
    assert price_errors(schema.graphql_schema, parse(query)) == []


# --- Limits on the way out -------------------------------------------------------------------


def test_an_answer_over_the_response_size_cap_is_a_400(client, settings):
    api_settings(settings, MAX_RESPONSE_BYTES=20)
    message = bad_request(client, '{ site(locale: "sv") { name locales } }')
    assert message.startswith("The answer is ")
    assert "the limit is 20." in message


def test_the_response_cache_refuses_entries_over_its_size_cap(client, settings):
    settings.CMS_CACHE = {"ENABLED": True, "MAX_ENTRY_BYTES": 10}
    cache.clear()
    query = '{ site(locale: "sv") { name locales } }'
    assert gql(client, query, method="get")["X-Cache"] == "MISS"
    assert gql(client, query, method="get")["X-Cache"] == "MISS"
    settings.CMS_CACHE = {"ENABLED": True}
    gql(client, query, method="get")
    assert gql(client, query, method="get")["X-Cache"] == "HIT"
    cache.clear()


def test_a_persisted_query_hash_is_remembered_only_for_a_valid_document(client, settings):
    settings.CMS_CACHE = {"ENABLED": True}
    cache.clear()
    invalid = "{ site { noSuchField } }"
    digest = hashlib.sha256(invalid.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    response = client.post(
        "/graphql/",
        json.dumps({"query": invalid, "extensions": extensions}),
        content_type="application/json",
    )
    assert response.status_code == 400
    again = client.post(
        "/graphql/", json.dumps({"extensions": extensions}), content_type="application/json"
    )
    assert again.json()["errors"][0]["message"] == "PersistedQueryNotFound"

    valid = '{ site(locale: "sv") { name } }'
    digest = hashlib.sha256(valid.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    client.post(
        "/graphql/",
        json.dumps({"query": valid, "extensions": extensions}),
        content_type="application/json",
    )
    again = client.post(
        "/graphql/", json.dumps({"extensions": extensions}), content_type="application/json"
    )
    assert again.status_code == 200 and again.json()["data"]["site"]["name"]
    cache.clear()


def test_a_statement_over_the_timeout_is_stopped_with_a_clear_error(
    client, postgres, settings, monkeypatch
):
    """The timeout is set on the request's database connection; a statement that runs past
    it is cancelled by PostgreSQL and reported as the client's (too expensive) query."""
    from django.db import connection

    import cms.schema

    api_settings(settings, STATEMENT_TIMEOUT_MS=50)
    connection.ensure_connection()
    connection.connection._cms_statement_timeout = None

    def slow(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")

    monkeypatch.setattr(cms.schema, "find_page", slow)
    response = gql(client, '{ page(path: "/sv/") { id } }')
    assert response.status_code == 400, response.content
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "QUERY_TIMEOUT"
    assert "50 ms" in error["message"]


# --- Reading the text before parsing ------------------------------------------------------------

NAMES = ["site", "name", "newsArticles", "items", "title", "topics", "search", "on", "query"]


def random_document(rng):
    """A document with the lexical traps of GraphQL: aliases, arguments holding braces,
    strings and block strings holding braces and names, comments, directives, variables
    with object defaults, inline fragments, fragment spreads and definitions."""

    def value(depth):
        choice = rng.randrange(6)
        if choice == 0 and depth < 2:
            return (
                "{ " + " ".join(f"{rng.choice(NAMES)}: {value(depth + 1)}" for _ in range(2)) + " }"
            )
        if choice == 1:
            return '"a { b } # c \\" d"'
        if choice == 2:
            return '"""block { on } ... \\""" x"""'
        if choice == 3:
            return "$v"
        if choice == 4:
            return str(rng.choice([-1, 0, 1.5, 100]))
        return rng.choice(["true", "null", "DATE_DESC"])

    def selection(depth):
        parts = []
        for _ in range(rng.randint(1, 4)):
            kind = rng.randrange(7)
            if kind == 0 and depth < 3:
                parts.append(f"... on Query {selection(depth + 1)}")
            elif kind == 1:
                parts.append("...F")
            elif kind == 2:
                parts.append("# a comment { with } braces\n")
            else:
                field = rng.choice(NAMES)
                if rng.random() < 0.3:
                    field = f"{rng.choice(NAMES)}: {field}"
                if rng.random() < 0.4:
                    field += f"(a: {value(0)}, b: {value(0)})"
                if rng.random() < 0.2:
                    field += " @include(if: true)"
                if depth < 3 and rng.random() < 0.4:
                    field += " " + selection(depth + 1)
                parts.append(field)
        return "{ " + ", ".join([*parts, "name"]) + " }"  # never only a comment

    operations = [
        f"query Q{n}($v: Int = 1, $w: In = {{ a: [1, 2] }}) {selection(0)}"
        for n in range(rng.randint(1, 2))
    ]
    return " ".join([*operations, f"fragment F on Query {selection(1)}"])


def parser_token_count(text):
    """The token count graphql-core's parser gives the text (its ``max_tokens`` rule)."""
    from graphql import GraphQLSyntaxError

    low, high = 1, 10_000
    while low < high:
        middle = (low + high) // 2
        try:
            parse(text, max_tokens=middle)
            high = middle
        except GraphQLSyntaxError as error:
            if "tokens" not in error.message:
                raise
            low = middle + 1
    return low


@pytest.mark.parametrize("seed", range(40))
def test_the_prescan_counts_as_the_parser_and_the_pricer_do(seed, settings):
    """The prescan's token count is the parser's, and its field count is the pricer's where
    no fragment is spread and a lower bound where one is: it never refuses a document that
    parsing and pricing would accept."""
    import random

    from cms.api.pricing import TOKEN, Pricer, prescan_errors

    rng = random.Random(seed)
    for _ in range(10):
        text = random_document(rng)
        document = parse(text)
        assert len(TOKEN.findall(text)) == parser_token_count(text), text
        pricer = Pricer(schema.graphql_schema, document)
        for definition in document.definitions:
            if definition.kind != "operation_definition":
                continue
            fields = pricer.price_operation(definition).fields
            source = text[definition.loc.start : definition.loc.end]
            for cap in (fields - 1, fields):
                api_settings(settings, MAX_FIELDS=max(cap, 0))
                refused = prescan_errors(source)
                if cap >= fields:
                    assert refused == [], (source, fields)
                elif "...F" not in source:
                    assert refused and f"selects {fields} fields" in refused[0].message, source
