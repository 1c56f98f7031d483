"""The vocabularies a frontend switches on are GraphQL enums (`ArticleKind`, `Programme`,
`RecipientKind`, `PageType`) whose values are the stored values, and their labels come in
both languages for filter menus."""

import pytest

from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.helpers import count_queries, gql, gql_data, publish

pytestmark = pytest.mark.django_db

CHOICES = """
query($locale: String) {
  articleKinds(locale: $locale) { value label }
  programmes(locale: $locale) { value label }
  pageTypes(locale: $locale) { value label }
}"""


def test_labels_in_both_languages(client, db):
    swedish = gql_data(client, CHOICES, {"locale": "sv"})
    english = gql_data(client, CHOICES, {"locale": "en"})
    assert swedish["articleKinds"][0] == {"value": "news", "label": "Nyheter"}
    assert english["articleKinds"][0] == {"value": "news", "label": "News"}
    assert [c["value"] for c in english["programmes"]] == [
        "municipal_partnership",
        "international_training",
        "research",
    ]
    assert {"value": "NewsArticlePage", "label": "Nyhetsartikel"} in swedish["pageTypes"]
    assert {"value": "NewsArticlePage", "label": "News article"} in english["pageTypes"]
    queries, _ = count_queries(client, CHOICES, {"locale": "sv"})
    assert queries <= 1  # the locales, when not cached yet


def test_enum_values_are_the_stored_values_and_an_empty_programme_is_null(client, sv, home_sv):
    index = NewsIndexPageFactory(parent=home_sv, locale=sv)
    publish(NewsArticlePageFactory(parent=index, locale=sv, kind="research", programme=""))
    query = """
    query($kind: ArticleKind) {
      newsArticles(kind: $kind) { items { kind kindLabel programme programmeLabel } }
    }"""
    [item] = gql_data(client, query, {"kind": "research"})["newsArticles"]["items"]
    assert item == {
        "kind": "research",
        "kindLabel": "Forskning",
        "programme": None,
        "programmeLabel": "",
    }
    assert gql_data(client, query, {"kind": "event"})["newsArticles"]["items"] == []
    response = gql(client, query, {"kind": "blog"})
    assert response.status_code == 400
    assert "ArticleKind" in response.json()["errors"][0]["message"]
