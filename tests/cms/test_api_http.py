"""The /graphql/ endpoint over HTTP: every protective limit, bad requests, introspection and
GraphiQL, error reporting, image presets, and a property-based test that no document, however
malformed, makes the endpoint answer 500."""

import json
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    get_named_type,
    is_required_argument,
)
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

import cms.schema
from cms.api.view import DEFAULT_QUERY
from cms.factories import CustomImageFactory, StandardPageFactory
from cms.schema import schema
from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.helpers import gql, publish

pytestmark = pytest.mark.django_db

GRAPHIQL_STATIC = Path(django_settings.BASE_DIR) / "cms" / "static" / "graphiql"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def api_settings(settings, **values):
    settings.CMS_API = {**django_settings.CMS_API, **values}


def post_raw(client, body, content_type="application/json"):
    return client.post("/graphql/", data=body, content_type=content_type)


def assert_bad_request(response, message=None):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["errors"], body
    assert "data" not in body or body["data"] is None, body
    if message is not None:
        assert any(message in error["message"] for error in body["errors"]), body
    return body


def assert_ok(response):
    body = response.json()
    assert response.status_code == 200, body
    assert "errors" not in body, body
    return body["data"]


# --- Depth ---------------------------------------------------------------------------------------

# A path through the schema that can go as deep as wanted, each step's result type, and a leaf
# field for each step.
CHAIN = ["newsArticles"] + ["items", "topics", "articles"] * 6
RESULT = {
    "newsArticles": "ArticleList",
    "items": "Article",
    "topics": "TopicPage",
    "articles": "TopicArticles",
}
LEAF = {"newsArticles": "totalCount", "items": "id", "topics": "id", "articles": "totalCount"}


def nested(depth):
    """A query exactly ``depth`` fields deep (the leaf counts as a level)."""
    fields = CHAIN[: depth - 1]
    query = LEAF[fields[-1]]
    for name in reversed(fields):
        query = f"{name} {{ {query} }}"
    return f"{{ {query} }}"


def nested_with_fragments(depth):
    """The same path with every step after the first in its own named fragment, and the topics
    steps inside inline fragments (which add no level): the operation itself looks two
    levels deep."""
    fields = CHAIN[: depth - 1]
    inner = LEAF[fields[-1]]
    fragments = []
    for index in range(len(fields) - 1, 0, -1):
        selection = f"{fields[index]} {{ {inner} }}"
        if fields[index] == "topics":
            selection = f"... on NewsArticlePage {{ {selection} }}"
        fragments.append(f"fragment F{index} on {RESULT[fields[index - 1]]} {{ {selection} }}")
        inner = f"...F{index}"
    return f"{{ {fields[0]} {{ {inner} }} }}\n" + "\n".join(fragments)


def test_nested_builds_the_depth_it_claims():
    for depth in (3, 10, 11, 14):
        query, deepest, level = nested(depth), 0, 0
        for char in query:
            level += {"{": 1, "}": -1}.get(char, 0)
            deepest = max(deepest, level)
        assert deepest == depth  # the outer braces stand for the leaf's level
        assert query.count("{") == depth


@pytest.fixture
def unpriced(settings):
    """The depth tests walk topics and articles ten levels down, whose estimated answer
    (20 x 5 x 20 x ...) is far over the size cap: raised here, so depth alone is tested."""
    api_settings(settings, MAX_RESULT_SIZE=10**12)


@pytest.mark.parametrize("build", [nested, nested_with_fragments], ids=["inline", "fragments"])
def test_depth_ten_is_accepted(client, build, unpriced):
    data = assert_ok(gql(client, build(10)))
    assert data == {"newsArticles": {"items": []}}


@pytest.mark.parametrize("build", [nested, nested_with_fragments], ids=["inline", "fragments"])
@pytest.mark.parametrize("depth", [11, 16])
def test_deeper_than_ten_is_rejected(client, build, depth, unpriced):
    assert_bad_request(
        gql(client, build(depth)), f"The query is {depth} levels deep; the limit is 10."
    )


def test_depth_counts_a_shallow_fragment_where_it_is_spread(client, unpriced):
    """A fragment two levels deep, spread at level 9, makes the query 11 deep."""
    query = nested(9).replace("{ id }", "{ ...Deep }") + (
        "\nfragment Deep on Article"
        " { ... on NewsArticlePage { topics { articles { totalCount } } } }"
    )
    assert "...Deep" in query
    assert_bad_request(gql(client, query), "11 levels deep")


# --- Fragment cycles and unknown fragments -------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "{ newsArticles { items { ...A } } } fragment A on Article { ...A }",
        "{ newsArticles { items { ...A } } }"
        " fragment A on Article { topics { ...B } }"
        " fragment B on TopicPage { articles { items { ...A } } }",
        "{ newsArticles { ...L } } fragment L on ArticleList { items { ...M } }"
        " fragment M on Article { ...N } fragment N on Article { ...M }",
    ],
    ids=["self", "through-fields", "mutual"],
)
def test_fragment_cycles_are_a_400(client, query):
    body = assert_bad_request(gql(client, query))
    assert any("Cannot spread fragment" in e["message"] for e in body["errors"]), body


@pytest.mark.parametrize(
    "query, message",
    [
        ("{ newsArticles { items { ...Missing } } }", "Unknown fragment 'Missing'"),
        (
            "{ newsArticles { items { ...A } } } fragment A on Nope { id }",
            "Unknown type 'Nope'",
        ),
        ("{ site { name } } fragment Unused on Site { name }", "Fragment 'Unused' is never used"),
    ],
)
def test_unknown_or_unused_fragments_are_a_400(client, query, message):
    assert_bad_request(gql(client, query), message)


def fragment_chain(length):
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(length))
    return "{ ...F0 } " + chain + f" fragment F{length} on Query {{ __typename }}"


def test_a_long_fragment_chain_is_stopped_by_the_token_limit(client):
    assert_bad_request(gql(client, fragment_chain(300)), "more than 2000 tokens")


def test_a_very_long_fragment_chain_is_never_a_server_error(client, settings):
    """With the token limit raised, 3000 chained fragments: an answer or a 400, not a crash."""
    api_settings(settings, MAX_TOKENS=100_000, MAX_BODY_BYTES=1_000_000)
    response = gql(client, fragment_chain(3000))
    assert response.status_code in (200, 400), response.content[:500]


# --- Aliases and tokens --------------------------------------------------------------------------


def aliases(count):
    return "{ " + " ".join(f"a{i}: __typename" for i in range(count)) + " }"


def test_thirty_aliases_are_accepted(client):
    data = assert_ok(gql(client, aliases(30)))
    assert len(data) == 30


def test_more_than_thirty_aliases_are_rejected(client):
    assert_bad_request(gql(client, aliases(31)), "31 aliases; the limit is 30")


def test_aliases_are_counted_through_fragments(client):
    """16 aliases in a fragment: fine once, 32 when it is spread twice."""
    fragment = "fragment F on Query { " + " ".join(f"x{i}: __typename" for i in range(16)) + " }"
    assert len(assert_ok(gql(client, "{ ...F } " + fragment))) == 16
    assert_bad_request(gql(client, "{ ...F ... on Query { ...F } } " + fragment), "32 aliases")


def tokens(count):
    """A valid query of exactly ``count`` lexical tokens (15 plus the list's items)."""
    return '{ search(query: "x", types: [' + "TopicPage " * (count - 15) + "]) { totalCount } }"


def test_two_thousand_tokens_are_accepted(client):
    assert assert_ok(gql(client, tokens(2000))) == {"search": {"totalCount": 0}}


def test_more_than_two_thousand_tokens_are_rejected(client):
    assert_bad_request(gql(client, tokens(2001)), "more than 2000 tokens")


def test_comments_count_as_tokens(client):
    query = "{ __typename }\n" + "# padding\n" * 2100
    assert_bad_request(gql(client, query), "more than 2000 tokens")


# --- The HTTP body -------------------------------------------------------------------------------


def body_of_size(size):
    """A JSON body of exactly ``size`` bytes holding a tiny valid query."""
    base = json.dumps({"query": "{ __typename }", "padding": ""})
    return json.dumps({"query": "{ __typename }", "padding": "x" * (size - len(base))})


def test_body_of_100_kb_is_accepted(client):
    body = body_of_size(100 * 1024)
    assert len(body.encode()) == 100 * 1024
    assert assert_ok(post_raw(client, body)) == {"__typename": "Query"}


def test_body_over_100_kb_is_rejected(client):
    body = body_of_size(100 * 1024 + 1)
    assert_bad_request(post_raw(client, body), "larger than 102400 bytes")


def test_a_json_array_body_batching_is_rejected(client):
    body = json.dumps([{"query": "{ __typename }"}, {"query": "{ site { name } }"}])
    assert_bad_request(post_raw(client, body), "Batched requests are not supported")


@pytest.mark.parametrize(
    "body, content_type, message",
    [
        ("{not json", "application/json", "not valid JSON"),
        (b"\xff\xfe{}", "application/json", "not valid JSON"),
        ('"{ __typename }"', "application/json", "JSON object"),
        ("null", "application/json", "JSON object"),
        ("{}", "application/json", "Must provide a query string"),
        ('{"query": 42}', "application/json", "query must be a string"),
        ('{"query": "{ __typename }", "variables": [1]}', "application/json", "variables"),
        ('{"query": "{ __typename }", "variables": "{bad"}', "application/json", "variables"),
        ('{"query": "{ __typename }", "operationName": 5}', "application/json", "operationName"),
        ("query=%7B+__typename+%7D", "text/plain", "Unsupported content type"),
    ],
)
def test_malformed_requests_are_a_400(client, body, content_type, message):
    assert_bad_request(post_raw(client, body, content_type), message)


def test_get_and_post_both_work(client):
    query = "query($l: String) { site(locale: $l) { locale } }"
    for method in ("get", "post"):
        response = gql(client, query, {"l": "en"}, method=method)
        assert assert_ok(response) == {"site": {"locale": "en"}}, method
    graphql_body = post_raw(client, "{ site { locale } }", "application/graphql")
    assert assert_ok(graphql_body) == {"site": {"locale": "sv"}}


def test_other_methods_are_a_405(client):
    response = client.put("/graphql/", data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"


@pytest.mark.parametrize(
    "query, message",
    [
        ("mutation { publish }", "Only queries are supported"),
        ("subscription { site { name } }", "Only queries are supported"),
        ("{ site { nope } }", "Cannot query field 'nope'"),
        ("{ nope }", "Cannot query field 'nope'"),
        ("{ site }", "must have a selection of subfields"),
        ('{ site(language: "sv") { name } }', "Unknown argument 'language'"),
        ("query A { site { name } } query B { site { name } }", "operationName"),
    ],
)
def test_mutations_and_invalid_documents_are_a_400(client, query, message):
    assert_bad_request(gql(client, query), message)


def test_an_unknown_operation_name_is_a_400(client):
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": "query A { __typename }", "operationName": "B"}),
        content_type="application/json",
    )
    assert_bad_request(response, "operationName")


# --- Pagination limits ---------------------------------------------------------------------------

WINDOWED = {
    "newsArticles": "{{ newsArticles({args}) {{ totalCount }} }}",
    "grants": "{{ grants({args}) {{ totalCount }} }}",
    "search": '{{ search(query: "x", {args}) {{ totalCount }} }}',
    "topic.articles": "{{ topics {{ articles({args}) {{ totalCount }} }} }}",
}


@pytest.fixture
def a_topic(sv, home_sv):
    """A live topic, so that ``topics { articles(...) }`` resolves its arguments."""
    from topics.factories import TopicIndexPageFactory, TopicPageFactory

    index = TopicIndexPageFactory(parent=home_sv, locale=sv)
    return TopicPageFactory(parent=index, locale=sv)


@pytest.mark.parametrize("field", list(WINDOWED))
@pytest.mark.parametrize("args", ["limit: 100", "offset: 10000", "limit: 0, offset: 0"])
def test_pagination_within_the_limits_is_accepted(client, a_topic, field, args):
    assert_ok(gql(client, WINDOWED[field].format(args=args)))


@pytest.mark.parametrize("field", list(WINDOWED))
@pytest.mark.parametrize(
    "args, message",
    [
        ("limit: 101", "limit must be between 0 and 100, not 101"),
        ("limit: -1", "limit must be between 0 and 100, not -1"),
        ("offset: 10001", "offset must be between 0 and 10000, not 10001"),
        ("offset: -5", "offset must be between 0 and 10000, not -5"),
    ],
)
def test_pagination_beyond_the_limits_is_a_400(client, a_topic, field, args, message):
    response = gql(client, WINDOWED[field].format(args=args))
    assert response.status_code == 400, response.content
    assert message in response.json()["errors"][0]["message"]


# --- Every limit is a setting --------------------------------------------------------------------


def test_max_depth_is_configurable(client, settings, unpriced):
    api_settings(settings, MAX_DEPTH=3)
    assert_ok(gql(client, nested(3)))
    assert_bad_request(gql(client, nested(4)), "4 levels deep; the limit is 3")
    api_settings(settings, MAX_DEPTH=12)
    assert_ok(gql(client, nested_with_fragments(12)))


def test_max_aliases_is_configurable(client, settings):
    api_settings(settings, MAX_ALIASES=2)
    assert_ok(gql(client, aliases(2)))
    assert_bad_request(gql(client, aliases(3)), "the limit is 2")
    api_settings(settings, MAX_ALIASES=40)
    assert_ok(gql(client, aliases(40)))


def test_max_tokens_is_configurable(client, settings):
    api_settings(settings, MAX_TOKENS=20)
    assert_ok(gql(client, tokens(20)))
    assert_bad_request(gql(client, tokens(21)), "more than 20 tokens")
    api_settings(settings, MAX_TOKENS=3000)
    assert_ok(gql(client, tokens(2500)))


def test_max_body_bytes_is_configurable(client, settings):
    api_settings(settings, MAX_BODY_BYTES=200)
    assert_ok(post_raw(client, body_of_size(200)))
    assert_bad_request(post_raw(client, body_of_size(201)), "larger than 200 bytes")
    api_settings(settings, MAX_BODY_BYTES=200 * 1024)
    assert_ok(post_raw(client, body_of_size(150 * 1024)))


def test_max_limit_and_offset_are_configurable(client, settings):
    api_settings(settings, MAX_LIMIT=5, MAX_OFFSET=7)
    assert_ok(gql(client, "{ newsArticles(limit: 5, offset: 7) { totalCount } }"))
    assert_bad_request(gql(client, "{ newsArticles(limit: 6) { totalCount } }"), "and 5, not 6")
    assert_bad_request(
        gql(client, "{ newsArticles(limit: 5, offset: 8) { totalCount } }"), "and 7, not 8"
    )
    api_settings(settings, MAX_LIMIT=500, MAX_OFFSET=50_000)
    assert_ok(gql(client, "{ newsArticles(limit: 500, offset: 50000) { totalCount } }"))


# --- Introspection and GraphiQL ------------------------------------------------------------------

INTROSPECTION = [
    "{ __schema { types { name } } }",
    '{ __type(name: "Query") { fields { name } } }',
]


@pytest.mark.parametrize("query", INTROSPECTION)
def test_introspection_is_refused_when_off(client, settings, query):
    api_settings(settings, INTROSPECTION=False)
    assert_bad_request(gql(client, query), "introspection has been disabled")
    assert_bad_request(gql(client, query, method="get"), "introspection has been disabled")


def test_introspection_is_allowed_when_on(client, settings):
    api_settings(settings, INTROSPECTION=True)
    data = assert_ok(gql(client, INTROSPECTION[0]))
    names = {t["name"] for t in data["__schema"]["types"]}
    assert {"Query", "Page", "NewsArticlePage", "ImagePreset"} <= names
    data = assert_ok(gql(client, INTROSPECTION[1]))
    assert "newsArticles" in {f["name"] for f in data["__type"]["fields"]}


def test_introspection_follows_debug_when_unset(client, settings):
    settings.CMS_API = {k: v for k, v in django_settings.CMS_API.items() if k != "INTROSPECTION"}
    settings.DEBUG = False
    assert_bad_request(gql(client, INTROSPECTION[0]))
    settings.DEBUG = True
    assert_ok(gql(client, INTROSPECTION[0]))


def test_typename_is_not_introspection(client, settings):
    api_settings(settings, INTROSPECTION=False)
    assert assert_ok(gql(client, "{ __typename site { __typename } }")) == {
        "__typename": "Query",
        "site": {"__typename": "Site"},
    }


def graphiql_page(client):
    return client.get("/graphql/", HTTP_ACCEPT="text/html,application/xhtml+xml")


def test_graphiql_is_served_from_our_own_static_files(client, settings):
    api_settings(settings, GRAPHIQL=True)
    response = graphiql_page(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "GraphiQL" in page
    assert not re.search(r"https?://", page), "GraphiQL must not load anything from a CDN"
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sorted(assets) == [
        "/static/graphiql/graphiql.min.css",
        "/static/graphiql/graphiql.min.js",
        "/static/graphiql/react-dom.production.min.js",
        "/static/graphiql/react.production.min.js",
    ]
    for asset in assets:
        relative = asset.removeprefix(django_settings.STATIC_URL)
        on_disk = GRAPHIQL_STATIC / Path(relative).name
        assert on_disk.is_file() and on_disk.stat().st_size > 1000, asset
        assert Path(finders.find(relative)) == on_disk  # collectstatic will ship it


def test_graphiql_default_query_is_valid(client, settings):
    """The query GraphiQL opens with runs against the current schema."""
    api_settings(settings, GRAPHIQL=True)
    assert_ok(gql(client, DEFAULT_QUERY))


@pytest.mark.parametrize("debug", [False, True])
def test_graphiql_off_never_renders_html(client, settings, debug):
    settings.DEBUG = debug
    api_settings(settings, GRAPHIQL=False)
    response = graphiql_page(client)
    assert response["Content-Type"].startswith("application/json")
    assert b"<html" not in response.content.lower()
    assert_bad_request(response, "Must provide a query string")


def test_graphiql_on_still_answers_queries_and_json_clients(client, settings):
    api_settings(settings, GRAPHIQL=True)
    with_query = client.get("/graphql/", {"query": "{ __typename }"}, HTTP_ACCEPT="text/html")
    assert with_query.json() == {"data": {"__typename": "Query"}}
    json_client = client.get("/graphql/", HTTP_ACCEPT="application/json")
    assert json_client["Content-Type"].startswith("application/json")


# --- Unexpected errors ---------------------------------------------------------------------------


def explode(*args, **kwargs):
    raise RuntimeError("secret detail")


@pytest.mark.parametrize(
    "target, query, status, data",
    [
        # Site is non-null at the root: no data at all, a server error.
        ("site_for", "{ site { name } }", 500, None),
        # page is nullable: the rest of the response survives.
        ("find_page", '{ page(id: "1") { id } site { locale } }', 200, {"page": None}),
    ],
)
def test_an_unexpected_exception_is_logged_and_hidden(
    client, settings, monkeypatch, caplog, target, query, status, data
):
    settings.DEBUG = False
    monkeypatch.setattr(cms.schema, target, explode)

    with caplog.at_level(logging.ERROR, logger="cms.api"):
        response = gql(client, query)

    assert response.status_code == status, response.content
    assert "secret detail" not in response.content.decode()
    body = response.json()
    error = body["errors"][0]
    assert error["message"] == "Internal server error."
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    request_id = error["extensions"]["requestId"]
    assert re.fullmatch(r"[A-Za-z0-9._-]{8,64}", request_id)
    assert response["X-Request-ID"] == request_id
    if data is None:
        assert body.get("data") is None
    else:
        assert {k: body["data"][k] for k in data} == data
        assert body["data"]["site"] == {"locale": "sv"}
    records = [r for r in caplog.records if r.name == "cms.api" and r.levelno == logging.ERROR]
    assert len(records) == 1
    record = records[0]
    assert request_id in record.getMessage()
    assert record.exc_info and isinstance(record.exc_info[1], RuntimeError)
    assert "secret detail" in caplog.text and "Traceback" in caplog.text
    assert "explode" in caplog.text  # the traceback reaches the failing function


def test_a_client_supplied_request_id_is_echoed_in_errors(client, settings, monkeypatch):
    monkeypatch.setattr(cms.schema, "site_for", explode)
    response = gql(client, "{ site { name } }", HTTP_X_REQUEST_ID="trace-123")
    assert response.json()["errors"][0]["extensions"]["requestId"] == "trace-123"


def test_debug_shows_the_exception_text(client, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr(cms.schema, "site_for", explode)
    response = gql(client, "{ site { name } }")
    assert response.json()["errors"][0]["message"] == "secret detail"


# --- Strings the database cannot store -----------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        '{ page(path: "/sv/a\\u0000b/") { id } }',
        '{ newsArticles(topic: "a\\u0000") { totalCount } }',
        '{ grants(recipient: "a\\u0000") { totalCount } }',
        '{ search(query: "x", topic: "a\\u0000") { totalCount } }',
        '{ suggest(prefix: "a\\u0000b") { title } }',
        '{ search(query: "a\\u0000b") { totalCount } }',
        '{ page(id: "99999999999999999999999999") { id } }',
        '{ page(id: "1\\u0000") { id } }',
    ],
)
def test_hostile_argument_values_are_never_a_server_error(client, query):
    """NUL characters (which PostgreSQL refuses in text) and out-of-range ids are the client's
    problem: an answer (200) or a bad request (400), never an internal error."""
    response = gql(client, query)
    assert response.status_code in (200, 400), response.content
    codes = [e.get("extensions", {}).get("code") for e in response.json().get("errors", [])]
    assert "INTERNAL_SERVER_ERROR" not in codes, response.content


# --- Image presets -------------------------------------------------------------------------------

IMAGE = """
query($path: String!) {
  page(path: $path) {
    ... on StandardPage { heroImage { width rendition(preset: %s) { url width height } } }
  }
}
"""


@pytest.fixture
def page_with_image(sv, home_sv):
    image = CustomImageFactory(file__width=2400, file__height=1600)
    return publish(StandardPageFactory(parent=home_sv, locale=sv, slug="bild", hero_image=image))


@pytest.mark.parametrize(
    "preset, size", [("HERO", (1600, 1066)), ("SQUARE", (400, 400)), ("THUMBNAIL", (320, 180))]
)
def test_a_named_preset_gives_a_rendition(client, page_with_image, preset, size):
    data = assert_ok(gql(client, IMAGE % preset, {"path": "/sv/bild/"}))
    rendition = data["page"]["heroImage"]["rendition"]
    assert (rendition["width"], rendition["height"]) == size
    assert rendition["url"].startswith("http://testserver/")
    assert rendition["url"].endswith(".webp")


@pytest.mark.parametrize(
    "preset, message",
    [
        ('"fill-10x10"', "ImagePreset"),
        ("FILL_10X10", "ImagePreset"),
        ("hero", "ImagePreset"),
        ('"HERO"', "ImagePreset"),
        ("null", "ImagePreset"),
    ],
)
def test_an_arbitrary_or_unknown_preset_is_a_400(client, page_with_image, preset, message):
    response = gql(client, IMAGE % preset, {"path": "/sv/bild/"})
    assert_bad_request(response, message)
    assert ".webp" not in response.content.decode()


@pytest.mark.parametrize("value", ["fill-10x10", "width-5000", "HUGE", 3])
def test_an_arbitrary_preset_in_variables_is_a_400(client, page_with_image, value):
    query = (
        'query($p: ImagePreset!) { page(path: "/sv/bild/") {'
        " ... on StandardPage { heroImage { srcSet(preset: $p) } } } }"
    )
    response = gql(client, query, {"p": value})
    assert_bad_request(response, "$p")


# --- Property-based: no document makes the endpoint fail -----------------------------------------

GRAPHQL_SCHEMA = schema.graphql_schema
TYPES = {name: t for name, t in GRAPHQL_SCHEMA.type_map.items() if not name.startswith("__")}
NAMES = sorted(
    {name for name in TYPES}
    | {
        field
        for t in TYPES.values()
        if isinstance(t, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType))
        for field in t.fields
    }
    | {
        arg
        for t in TYPES.values()
        if isinstance(t, (GraphQLObjectType, GraphQLInterfaceType))
        for field in t.fields.values()
        for arg in field.args
    }
    | {value for t in TYPES.values() if isinstance(t, GraphQLEnumType) for value in t.values}
)
COMPOSITE = [
    name
    for name, t in TYPES.items()
    if isinstance(t, (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType))
]

identifiers = st.from_regex(r"[_A-Za-z][_0-9A-Za-z]{0,12}", fullmatch=True)
names = st.one_of(st.sampled_from(NAMES), identifiers)
garbage = st.text(max_size=12)  # any characters: NUL, quotes, braces, emoji...
scalar_values = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.text(max_size=20).map(json.dumps),
    st.sampled_from(["true", "false", "null", "$v", "$x", '""', '"/sv/"', '"sv"', '"en"']),
    st.sampled_from(NAMES),
)
values = st.recursive(
    scalar_values,
    lambda children: st.one_of(
        st.lists(children, max_size=3).map(lambda items: "[" + " ".join(items) + "]"),
        st.dictionaries(names, children, max_size=3).map(
            lambda d: "{" + " ".join(f"{k}: {v}" for k, v in d.items()) + "}"
        ),
    ),
    max_leaves=6,
)
PLAUSIBLE_STRINGS = [
    "sv", "en", "de", "/sv/", "/en/", "/sv/nyheter/", "/nyheter/", "1", "2", "research",
    "news", "municipal_partnership", "ZM", "kommun", "demokrati", "Zambia",
]  # fmt: skip


BY_ARGUMENT = {
    "locale": ["sv", "en"],
    "path": ["/sv/", "/en/", "/sv/nyheter/", "/nyheter/", "/sv/amnen/"],
    "id": ["1", "2", "3", "5", "8"],
}


def typed_values(graphql_type, hostile, argument=None):
    """A value of the argument's own type (so that documents get executed) or, in hostile
    documents, sometimes anything (huge numbers, any text, the wrong type)."""
    from graphql import GraphQLList, GraphQLNonNull

    if isinstance(graphql_type, GraphQLNonNull):
        return typed_values(graphql_type.of_type, hostile, argument)
    if isinstance(graphql_type, GraphQLList):
        return st.lists(typed_values(graphql_type.of_type, hostile), max_size=3).map(
            lambda items: "[" + " ".join(items) + "]"
        )
    name = graphql_type.name
    if isinstance(graphql_type, GraphQLEnumType):
        typed = st.sampled_from(sorted(graphql_type.values))
    elif name == "Int":
        typed = st.integers(0, 20).map(str)
    elif name == "Boolean":
        typed = st.sampled_from(["true", "false"])
    else:  # String, ID
        typed = st.sampled_from(BY_ARGUMENT.get(argument, PLAUSIBLE_STRINGS)).map(json.dumps)
    if not hostile:
        return typed
    text = st.text(max_size=30).map(json.dumps)
    huge = st.integers(-(2**70), 2**70).map(str)
    return st.one_of(typed, text, huge, values)


@st.composite
def selection_sets(draw, type_name, depth=0, hostile=True):
    """A selection set on ``type_name`` of real fields with arguments of their types and
    inline fragments on fitting types; hostile ones also have unknown fields, wrong
    arguments and values, selections on leaves, and fragments on any type."""
    graphql_type = TYPES.get(type_name)
    fields = sorted(getattr(graphql_type, "fields", None) or {})
    fitting = (
        [t.name for t in GRAPHQL_SCHEMA.get_possible_types(graphql_type)]
        if isinstance(graphql_type, (GraphQLInterfaceType, GraphQLUnionType))
        else [type_name]
    )
    if not hostile and depth >= 5:  # benign documents end within the depth limit
        leaves = [
            name
            for name in fields
            if not isinstance(
                get_named_type(graphql_type.fields[name].type),
                (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType),
            )
        ]
        fields = leaves or fields
    parts = []
    count = draw(st.integers(1, 3 if depth < 3 else 1))
    chosen = draw(st.lists(st.sampled_from(fields), min_size=1, max_size=count, unique=True))
    for name in chosen:
        roll = draw(st.integers(0, 9))
        if roll == 0 and depth < 13:
            types = st.one_of(st.sampled_from(fitting), st.sampled_from(COMPOSITE))
            on = draw(types if hostile else st.sampled_from(fitting))
            parts.append(f"... on {on} {draw(selection_sets(on, depth + 1, hostile))}")
            continue
        if hostile and roll == 1:
            name = draw(names)
        field = graphql_type.fields.get(name)
        text = name
        if hostile and draw(st.integers(0, 6)) == 0:
            text = f"{draw(identifiers)}: {text}"
        required = (
            []
            if field is None or hostile
            else [a for a, arg in field.args.items() if is_required_argument(arg)]
        )
        if field is not None and field.args and (required or draw(st.booleans())):
            args = draw(
                st.lists(st.sampled_from(sorted(field.args)), min_size=1, max_size=3, unique=True)
            )
            args += [arg for arg in required if arg not in args]
            text += (
                "("
                + " ".join(
                    f"{arg}: {draw(typed_values(field.args[arg].type, hostile, arg))}"
                    for arg in args
                )
                + ")"
            )
        elif hostile and draw(st.integers(0, 9)) == 0:
            text += f"({draw(names)}: {draw(values)})"
        target = get_named_type(field.type) if field is not None else None
        composite = isinstance(target, (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType))
        if composite and depth < 13:
            text += " " + draw(selection_sets(target.name, depth + 1, hostile))
        elif hostile and draw(st.integers(0, 11)) == 0 and depth < 13:
            on = draw(st.sampled_from(COMPOSITE))
            text += " " + draw(selection_sets(on, depth + 1, hostile))
        parts.append(text)
    return "{ " + " ".join(parts) + " }"


@st.composite
def documents(draw):
    """Half benign (mostly valid and executed), half hostile (wrong in every way, and
    sometimes cut, unbalanced or spliced with garbage)."""
    hostile = draw(st.booleans())
    operations = ["", "query ", "query Q "]
    if hostile:
        operations += [
            "query($v: Int) ",
            "query($v: String, $x: ImagePreset!) ",
            "query($v: [ID!]) ",
            "mutation ",
            "subscription ",
        ]
    document = draw(st.sampled_from(operations)) + draw(selection_sets("Query", 0, hostile))
    if draw(st.integers(0, 4)) == 0:  # a named fragment, spread at the root
        on = draw(st.sampled_from(["Query", *COMPOSITE]) if hostile else st.just("Query"))
        name = draw(identifiers)
        document = document.replace("{", f"{{ ...{name} ", 1)
        document += f" fragment {name} on {on} {draw(selection_sets(on, 1, hostile))}"
    if not hostile:
        return document
    damage = draw(st.integers(0, 7))
    if damage == 0:  # cut anywhere
        document = document[: draw(st.integers(0, len(document) - 1))]
    elif damage == 1:  # unbalanced braces
        document = (
            draw(st.sampled_from(["{ ", "} ", "{{ ", ""]))
            + document
            + draw(st.sampled_from(["}", "}}", "{", ""]))
        )
    elif damage == 2:  # garbage spliced in
        at = draw(st.integers(0, len(document)))
        document = document[:at] + draw(garbage) + document[at:]
    elif damage == 3:
        document = draw(garbage)
    return document


variables = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(["v", "x", "unused"]),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(-(2**40), 2**40),
            st.text(max_size=10),
            st.lists(st.integers(), max_size=2),
            st.sampled_from(["HERO", "fill-10x10", "sv"]),
        ),
        max_size=2,
    ),
)


@pytest.fixture
def some_content(sv, home_sv):
    """A little content, so that random queries reach real resolvers."""
    from news.models import ArticleTopic
    from topics.factories import TopicIndexPageFactory, TopicPageFactory

    topics = TopicIndexPageFactory(parent=home_sv, locale=sv)
    topic = TopicPageFactory(parent=topics, locale=sv)
    news = NewsIndexPageFactory(parent=home_sv, locale=sv)
    article = NewsArticlePageFactory(
        parent=news,
        locale=sv,
        hero_image=CustomImageFactory(),
        body=[("heading", {"text": "Rubrik", "level": "h2"}), ("paragraph", "<p>Text</p>")],
    )
    ArticleTopic.objects.create(page=article, topic=topic, locale=sv)
    publish(article)


@hypothesis_settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=documents(), variables=variables, method=st.sampled_from(["post", "get"]))
def test_random_documents_never_cause_a_server_error(
    client, some_content, document, variables, method
):
    response = gql(client, document, variables, method=method)
    assert response.status_code in (200, 400), (document, variables, response.content)
    body = response.json()
    assert "data" in body or "errors" in body, (document, body)
    if response.status_code == 400:
        assert body["errors"], (document, body)
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
    assert "INTERNAL_SERVER_ERROR" not in codes, (document, variables, body)
