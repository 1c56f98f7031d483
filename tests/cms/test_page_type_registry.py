"""A page type registers itself from its own app, and the API, search and the response
cache take it from the registry (``cms.page_types``) without another module naming it.

``EventPage`` lives in ``tests/page_type_app`` (installed by ``tests/settings.py`` only):
its model registers in ``models.py``, its GraphQL type in ``schema.py``, and nothing in
``cms``, ``news``, ``topics`` or ``search`` knows it. Over HTTP, as a frontend sees it, it
is listed among the API's page types, served by ``page(path)``, found by ``search`` (and
its ``types`` filter), and publishing one invalidates cached search answers.
"""

import pytest
from django.core.cache import cache

from tests.helpers import gql, gql_data, settle
from tests.page_type_app.models import EventPage

pytestmark = pytest.mark.django_db

SEARCH = """
query Search($query: String!, $types: [PageType!]) {
  search(query: $query, types: $types, limit: 10) {
    totalCount
    items { page { __typename title ... on EventPage { venue } } }
    facets { types { value count } }
  }
}
"""


def event(home, title, **fields):
    page = home.add_child(instance=EventPage(title=title, locale=home.locale, **fields))
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


def test_the_api_lists_and_serves_a_page_type_registered_in_its_own_app(client, settings, home_sv):
    settings.CMS_API = {**settings.CMS_API, "INTROSPECTION": True}
    page = event(home_sv, "Demokratidagen", intro="Ett möte i Visby.", venue="Almedalen")

    kinds = gql_data(client, '{ __type(name: "Page") { possibleTypes { name } } }')
    assert "EventPage" in {kind["name"] for kind in kinds["__type"]["possibleTypes"]}

    data = gql_data(
        client,
        "query($id: ID) { page(id: $id) { __typename title ... on EventPage { intro venue } } }",
        {"id": str(page.pk)},
    )
    assert data["page"] == {
        "__typename": "EventPage",
        "title": "Demokratidagen",
        "intro": "Ett möte i Visby.",
        "venue": "Almedalen",
    }


def test_search_finds_and_filters_a_page_type_registered_in_its_own_app(client, home_sv):
    event(home_sv, "Demokratidagen i Visby", venue="Almedalen")

    result = gql_data(client, SEARCH, {"query": "Demokratidagen"})["search"]
    assert result["totalCount"] == 1
    assert result["items"][0]["page"] == {
        "__typename": "EventPage",
        "title": "Demokratidagen i Visby",
        "venue": "Almedalen",
    }
    assert {"value": "EventPage", "count": 1} in result["facets"]["types"]

    only_events = gql_data(client, SEARCH, {"query": "Demokratidagen", "types": ["EventPage"]})
    assert only_events["search"]["totalCount"] == 1
    refused = gql(client, SEARCH, {"query": "Demokratidagen", "types": ["MeetingPage"]})
    assert refused.status_code == 400
    assert "EventPage" in refused.json()["errors"][0]["message"]  # listed as allowed


def test_publishing_a_page_of_a_registered_type_invalidates_cached_search_answers(
    client, settings, home_sv
):
    settings.CMS_CACHE = {"ENABLED": True}
    cache.clear()
    event(home_sv, "Demokratidagen i Visby")
    settle()

    def ask():
        return gql(client, SEARCH, {"query": "Demokratidagen"}, method="get")

    assert ask()["X-Cache"] == "MISS"
    cached = ask()
    assert cached["X-Cache"] == "HIT"
    assert cached.json()["data"]["search"]["totalCount"] == 1

    event(home_sv, "Demokratidagen i Umeå")
    settle()
    fresh = ask()
    assert fresh["X-Cache"] == "MISS"
    assert fresh.json()["data"]["search"]["totalCount"] == 2
    cache.clear()
