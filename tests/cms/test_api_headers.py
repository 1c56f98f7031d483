"""Headers of API answers as a CDN and a browser read them: ``Content-Language`` is the
language served, and answers vary only on what changes them (no ``Vary: Cookie`` or
``Accept-Language``: the language is an argument, and a session only makes the answer
private)."""

import pytest
from django.core.cache import cache

from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.helpers import gql, publish, translate

pytestmark = pytest.mark.django_db

SV = '{ newsArticles(locale: "sv") { items { title } } }'
EN = '{ newsArticles(locale: "en") { items { title isFallback } } }'
BOTH = '{ sv: site(locale: "sv") { name } en: site(locale: "en") { name } }'


@pytest.fixture
def articles(sv, en, home_sv, home_en):
    news = NewsIndexPageFactory(parent=home_sv, locale=sv)
    translate(news, en)
    translated = publish(NewsArticlePageFactory(parent=news, locale=sv, title="Översatt"))
    translate(translated, en)
    publish(NewsArticlePageFactory(parent=news, locale=sv, title="Bara på svenska"))


def vary(response):
    return {value.strip().lower() for value in response.get("Vary", "").split(",") if value}


@pytest.mark.parametrize(
    "query, languages",
    [(SV, "sv"), (EN, "en, sv"), (BOTH, "sv, en"), ("{ site { name } }", "sv")],
    ids=["swedish", "english-with-fallback", "both", "default-language"],
)
def test_content_language_is_the_language_served(client, articles, query, languages):
    response = gql(client, query, method="get", HTTP_ACCEPT_LANGUAGE="de, en;q=0.5")
    assert response.status_code == 200, response.content
    assert response["Content-Language"] == languages


def test_an_english_list_without_fallback_is_english_only(client, articles):
    response = gql(client, '{ newsArticles(locale: "en", fallback: false) { items { title } } }')
    assert [item["title"] for item in response.json()["data"]["newsArticles"]["items"]] == [
        "EN Översatt"
    ]
    assert response["Content-Language"] == "en"


def test_public_answers_do_not_vary_on_cookies_or_browser_language(client, articles):
    client.cookies["sessionid"] = "not-a-session"
    client.cookies["_ga"] = "GA1.1.123"
    response = gql(client, SV, method="get", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Cache-Control"].startswith("public")
    assert not {"cookie", "accept-language"} & vary(response)


def test_an_editor_answer_stays_private(client, admin_user, articles):
    client.force_login(admin_user)
    response = gql(client, SV, method="get")
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Language"] == "sv"


def test_errors_have_no_content_language(client, db):
    for response in (
        gql(client, "{ nope }"),
        gql(client, '{ newsArticles(locale: "xx") { totalCount } }'),
        client.post("/graphql/", data="[]", content_type="application/json"),
    ):
        assert response.status_code == 400
        assert "Content-Language" not in response
        assert not {"cookie", "accept-language"} & vary(response)


def test_a_cached_answer_keeps_its_content_language(client, settings, articles):
    settings.CMS_CACHE = {**settings.CMS_CACHE, "ENABLED": True}
    cache.clear()
    first = gql(client, EN, method="get")
    again = gql(client, EN, method="get")
    assert again["X-Cache"] == "HIT"
    assert first["Content-Language"] == again["Content-Language"] == "en, sv"
    assert not {"cookie", "accept-language"} & vary(again)


def test_the_admin_keeps_its_own_headers(client, db):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"
    assert "cookie" in vary(response)
