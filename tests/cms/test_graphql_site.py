"""The root schema answers over HTTP at /graphql/ (the full API is the GraphQL issue's)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def post(client, query, variables=None):
    return client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
    )


def test_site_lists_both_locales_default_first(client):
    response = post(client, "{ site { locale locales languages { code name isDefault } } }")
    assert response.status_code == 200
    assert response.json() == {
        "data": {
            "site": {
                "locale": "sv",
                "locales": ["sv", "en"],
                "languages": [
                    {"code": "sv", "name": "Svenska", "isDefault": True},
                    {"code": "en", "name": "English", "isDefault": False},
                ],
            }
        }
    }


def test_get_requests_work(client):
    response = client.get("/graphql/", {"query": '{ site(locale: "en") { locale } }'})
    assert response.status_code == 200
    assert response.json()["data"]["site"]["locale"] == "en"


def test_unknown_locale_is_a_400_naming_the_available_ones(client):
    response = post(client, "query($l: String) { site(locale: $l) { locale } }", {"l": "de"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["message"] == "Unknown locale 'de'. Available locales: sv, en."
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


def test_invalid_query_is_a_400(client):
    response = post(client, "{ site { nope } }")
    assert response.status_code == 400
    assert "nope" in response.json()["errors"][0]["message"]


def test_site_query_count_is_constant(client):
    with CaptureQueriesContext(connection) as queries:
        response = post(client, "{ site { locales languages { code } } }")
    assert response.status_code == 200
    assert len(queries) <= 1
