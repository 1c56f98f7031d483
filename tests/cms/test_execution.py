"""The API's short way through graphql-core for plain scalar fields
(``cms.api.execution.LeanExecutionContext``) answers exactly as graphql-core's own executor:
the same data and the same errors, over HTTP on the seeded demo site and for the edge cases
(exceptions, nulls, unserializable values) that our own types never produce."""

import json
from io import StringIO

import graphene
import graphql
import pytest
from django.core.management import call_command

from tests.helpers import gql

DOCUMENTS = [
    """{ site(locale: "en") { name locales menu { title url } } }""",
    """query($l: String) { newsArticles(locale: $l, limit: 50) { totalCount items {
        __typename id title url locale isFallback intro date kind kindLabel programme
        programmeLabel first: title
        heroImage { credit alt caption width height focalPoint { x y width height }
          rendition(preset: CARD) { url width height } srcSet(preset: HERO) }
        topics { id title slug url intro }
        translations { locale title url }
        ... on GrantAnnouncementPage { totalAmount grants { id projectTitle amount year
          endYear programme programmeLabel recipient { name slug kind kindLabel }
          partners { name city country countryName } topic { title url } } } } } }""",
    """{ grants(locale: "en", limit: 50) { totalCount totalAmount items { amount year
        recipient { name } partners { country countryName } announcement { title } } } }""",
    """{ topics(locale: "sv") { title slug intro articles(limit: 5) { totalCount
        items { title date @include(if: true) kind @skip(if: true) } } } }""",
    """{ search(query: "kommun", locale: "sv") { totalCount items { score highlight
        page { title url ... on Article { intro date } } } facets { types { value count }
        topics { value count } years { value count } } } }""",
]


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("locale", ["sv", "en"])
def test_same_answers_as_graphql_core_over_http(client, seeded, monkeypatch, document, locale):
    lean = gql(client, document, {"l": locale})
    assert lean.status_code == 200, lean.content
    monkeypatch.setattr("cms.api.view.LeanExecutionContext", graphql.ExecutionContext)
    plain = gql(client, document, {"l": locale})
    assert plain["X-Cache"] == "MISS"  # computed again, not the first answer from a cache
    assert json.loads(lean.content) == json.loads(plain.content)
    assert "errors" not in json.loads(lean.content)


class Thing(graphene.ObjectType):
    """Every kind of scalar field the short way handles, or must hand back."""

    plain = graphene.String()
    required = graphene.String(required=True)
    number = graphene.Int()
    when = graphene.Date()
    colour = graphene.Enum("Colour", [("RED", "red"), ("BLUE", "blue")])()
    computed = graphene.String()
    failing = graphene.String()
    failing_required = graphene.String(required=True)
    null_required = graphene.String(required=True)
    with_argument = graphene.String(suffix=graphene.String())
    child = graphene.Field(lambda: Thing)

    @staticmethod
    def resolve_computed(root, info):
        plain = root["plain"] if isinstance(root, dict) else root.plain
        return f"{info.field_name}:{info.path.key}:{plain}"

    @staticmethod
    def resolve_failing(root, info):
        raise ValueError("broken")

    @staticmethod
    def resolve_failing_required(root, info):
        raise ValueError("broken and required")

    @staticmethod
    def resolve_null_required(root, info):
        return None

    @staticmethod
    def resolve_with_argument(root, info, suffix=""):
        return "x" + suffix

    @staticmethod
    def resolve_child(root, info):
        return root


class Source:
    plain = "a"
    required = "b"
    number = "not a number"
    when = None
    colour = "red"


class Query(graphene.ObjectType):
    objects = graphene.List(Thing)
    dicts = graphene.List(Thing)
    broken = graphene.Field(Thing)

    @staticmethod
    def resolve_objects(root, info):
        return [Source(), Source()]

    @staticmethod
    def resolve_dicts(root, info):
        return [{"plain": "d", "required": None, "number": 3, "colour": "blue"}]

    @staticmethod
    def resolve_broken(root, info):
        return Source()


SCHEMA = graphene.Schema(query=Query).graphql_schema

EDGE_CASES = [
    '{ objects { plain alias: plain required colour computed withArgument(suffix: "!") } }',
    "{ objects { number } }",  # an Int that cannot serialize: a located error
    "{ objects { failing plain } }",
    "{ objects { failingRequired } }",  # null propagates to the list item
    "{ dicts { plain number colour computed } }",
    "{ dicts { required } }",  # null in a non-null field of a dict source
    "{ broken { nullRequired } }",
    "{ objects { child { child { plain __typename when } } } }",
]


@pytest.mark.parametrize("document", EDGE_CASES)
def test_same_answers_and_errors_as_graphql_core(document):
    from cms.api.execution import LeanExecutionContext

    parsed = graphql.parse(document)
    assert not graphql.validate(SCHEMA, parsed)
    lean = graphql.execute(SCHEMA, parsed, execution_context_class=LeanExecutionContext)
    plain = graphql.execute(SCHEMA, parsed)
    assert lean.data == plain.data
    assert [error.formatted for error in lean.errors or []] == [
        error.formatted for error in plain.errors or []
    ]
