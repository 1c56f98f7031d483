"""Any string a client can send is a clear answer or a JSON 400, never a 500.

Strings are drawn from the whole Unicode range, lone surrogates included (JSON can carry
``"\\ud800"``, which no UTF-8 text can hold), and sent every way a client can: as the query
text, as every string argument of every root field (written into the query, escaped or
raw), and as variables, over GET and POST. Answers that carry an error are never publicly
cacheable.
"""

import json
from urllib.parse import quote

import pytest
from graphql import GraphQLNonNull, get_named_type, is_leaf_type
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cms.preview import SALT
from cms.schema import schema
from tests.helpers import gql

pytestmark = pytest.mark.django_db

QUERY_TYPE = schema.graphql_schema.query_type
PLAUSIBLE = {"locale": '"sv"', "query": '"demokrati"', "prefix": '"dem"', "path": '"/sv/"'}

#: (root field, one of its String or ID arguments) for every such argument.
STRING_ARGUMENTS = sorted(
    (name, arg_name)
    for name, field in QUERY_TYPE.fields.items()
    for arg_name, arg in field.args.items()
    if get_named_type(arg.type).name in ("String", "ID")
)

#: Any code point, surrogates (category Cs) included.
any_text = st.text(st.characters(exclude_categories=()), max_size=24)
surrogate_text = st.builds(
    lambda head, code, tail: head + chr(code) + tail,
    any_text,
    st.integers(0xD800, 0xDFFF),
    any_text,
)
hostile_text = st.one_of(any_text, surrogate_text)


def document_for(field_name, arg_name, literal):
    """A query of one root field: ``arg_name`` given ``literal``, every other required
    argument a plausible value."""
    field = QUERY_TYPE.fields[field_name]
    args = {arg_name: literal}
    for other, arg in field.args.items():
        if other != arg_name and isinstance(arg.type, GraphQLNonNull):
            args[other] = PLAUSIBLE.get(other, '"x"')
    arguments = ", ".join(f"{name}: {value}" for name, value in args.items())
    selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
    return f"{{ {field_name}({arguments}){selection} }}"


def send(client, query, variables, method):
    """Like a client: JSON escapes lone surrogates in a POST body; a GET carries the text's
    UTF-8 bytes percent-encoded (a surrogate's bytes are not UTF-8, as a browser's are not)."""
    if method == "post":
        return gql(client, query, variables)
    params = {"query": query}
    if variables:
        params["variables"] = json.dumps(variables)
    encoded = "&".join(
        f"{key}={quote(value.encode('utf-8', 'surrogatepass'), safe='')}"
        for key, value in params.items()
    )
    return client.generic("GET", "/graphql/?" + encoded)


def assert_clean(response, context):
    assert response.status_code in (200, 400), (context, response.content)
    assert response["Content-Type"].startswith("application/json"), (context, response.content)
    body = response.json()
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
    assert "INTERNAL_SERVER_ERROR" not in codes, (context, body)
    if body.get("errors"):
        assert "public" not in response.get("Cache-Control", ""), (context, response.headers)


SETTINGS = hypothesis_settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(text=hostile_text, method=st.sampled_from(["post", "get"]))
def test_any_query_text_is_an_answer_or_a_400(client, text, method):
    for query in (text, f'{{ page(path: "{text}") {{ id }} }}'):
        assert_clean(send(client, query, None, method), query)


@pytest.mark.parametrize("field_name, arg_name", STRING_ARGUMENTS)
@SETTINGS
@given(text=hostile_text, method=st.sampled_from(["post", "get"]))
def test_any_string_argument_is_an_answer_or_a_400(client, field_name, arg_name, text, method):
    escaped = json.dumps(text)  # "\ud800" written as a GraphQL escape
    raw = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'  # the character itself
    for literal in (escaped, raw):
        query = document_for(field_name, arg_name, literal)
        assert_clean(send(client, query, None, method), query)
    field = QUERY_TYPE.fields[field_name]
    type_name = str(field.args[arg_name].type)
    query = document_for(field_name, arg_name, "$v").replace("{", f"query($v: {type_name}) {{", 1)
    assert_clean(send(client, query, {"v": text}, method), (query, text))


@pytest.mark.parametrize(
    "field_name, arg_name", [("page", "path"), ("newsArticles", "topic"), ("grants", "recipient")]
)
def test_a_lone_surrogate_is_a_400_that_names_it(client, field_name, arg_name):
    query = document_for(field_name, arg_name, "$v").replace("{", "query($v: String) {", 1)
    response = gql(client, query, {"v": "a\ud800"})
    assert response.status_code == 400
    assert response["Cache-Control"] == "no-store"
    (error,) = response.json()["errors"]
    assert "lone surrogate (U+D800)" in error["message"]


def test_a_lone_surrogate_in_the_query_text_is_a_json_400(client):
    response = client.post(
        "/graphql/", data='{"query": "{ site { name } }\\ud800"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "lone surrogate" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "payload",
    [
        {"r": [1], "o": "1"},
        {"r": {"a": 1}, "o": 1},
        {"r": "1", "o": ["x"]},
        {"r": True, "o": "1"},
        {"r": 2**63, "o": "1"},
        {"r": 1},
        ["r", 1],
        "text",
        None,
    ],
)
def test_a_signed_preview_token_with_a_payload_of_the_wrong_types_is_a_400(client, payload):
    from django.core import signing

    token = signing.dumps(payload, salt=SALT, compress=True)
    response = gql(client, "query($t: String) { page(previewToken: $t) { id } }", {"t": token})
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["message"].startswith("Invalid preview token")


def test_a_multipart_post_without_a_boundary_is_a_json_400(client):
    response = client.generic(
        "POST", "/graphql/", b"query=%7Bsite%7Bname%7D%7D", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "multipart" in response.json()["errors"][0]["message"]


def test_a_partial_answer_with_an_error_is_never_publicly_cacheable(client, monkeypatch):
    """An internal failure in one field leaves the other fields' data (HTTP 200): that
    answer must not be kept by a CDN or a browser."""
    import cms.schema

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(cms.schema, "find_page", broken)
    response = gql(
        client, '{ site(locale: "sv") { name } page(path: "/sv/") { id } }', method="get"
    )
    body = response.json()
    assert body["data"]["site"] is not None and body["errors"]
    assert response["Cache-Control"] in ("no-store", "private, no-store")
