"""GraphQL over HTTP: a client that asks for ``application/graphql-response+json`` gets it,
with the spec's status codes; every other client gets ``application/json`` as before."""

import json

import pytest

from tests.helpers import gql

pytestmark = pytest.mark.django_db

MEDIA = "application/graphql-response+json"


def post(client, query, accept=None, variables=None):
    extra = {"HTTP_ACCEPT": accept} if accept else {}
    return gql(client, query, variables, **extra)


def test_the_media_type_is_answered_when_asked_for(client, site):
    response = post(client, "{ site { name } }", accept=f"{MEDIA}, application/json;q=0.9")
    assert response.status_code == 200
    assert response["Content-Type"] == f"{MEDIA}; charset=utf-8"
    assert json.loads(response.content)["data"]["site"]["name"]
    assert "Accept" in response["Vary"]


@pytest.mark.parametrize(
    "accept", [None, "*/*", "application/json", f"application/json, {MEDIA};q=0.5"]
)
def test_other_clients_get_json_as_before(client, site, accept):
    response = post(client, "{ site { name } }", accept=accept)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "Accept" in response["Vary"]


def test_a_field_error_beside_data_is_200_with_the_media_type_and_400_with_json(client, site):
    query = '{ site { name } page(id: "abc") { id } }'
    modern = post(client, query, accept=MEDIA)
    assert modern.status_code == 200
    body = json.loads(modern.content)
    assert body["data"]["site"]["name"] and body["data"]["page"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "no-store" in modern["Cache-Control"]  # an answer with errors is never shared
    legacy = post(client, query)
    assert legacy.status_code == 400


@pytest.mark.parametrize("query", ["{ site { name ", "{ nosuchfield }", "{ page(path: 5) { id } }"])
def test_a_request_that_cannot_run_stays_4xx(client, site, query):
    response = post(client, query, accept=MEDIA)
    assert response.status_code == 400
    assert response["Content-Type"] == f"{MEDIA}; charset=utf-8"
    body = json.loads(response.content)
    assert body.get("data") is None and body["errors"]
