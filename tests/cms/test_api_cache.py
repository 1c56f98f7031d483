"""Caching of the GraphQL API as a frontend and a CDN see it over HTTP.

HTTP caching (Cache-Control, strong ETag and 304), the server-side response cache (X-Cache,
no SQL on a hit, Cache-Tag / Surrogate-Key), its invalidation by editors' changes in both
directions (what must change does, what must not stays a HIT), and persisted queries with
and without allow-list mode.

Test settings turn the response cache off; every test here turns it on and starts from an
empty cache. Invalidation runs after commit, so editors' changes are made inside
``django_capture_on_commit_callbacks(execute=True)``.
"""

import hashlib
import io
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms.factories import CustomImageFactory, SiteSettingsFactory, StandardPageFactory
from cms.models import PersistedQuery, SiteSettings
from cms.preview import make_preview_token
from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.helpers import gql, publish, settle, translate

pytestmark = pytest.mark.django_db

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
MAX_AGE = 61
S_MAXAGE = 301

LISTING = """
query Listing($locale: String) {
  newsArticles(locale: $locale) {
    totalCount
    items { id title url heroImage { credit } }
  }
}
"""

PAGE = """
query Page($path: String) {
  page(path: $path) {
    id title url locale
    translations { locale title url }
    ... on NewsArticlePage { heroImage { credit } }
    ... on StandardPage { heroImage { credit } }
  }
}
"""

PAGE_BY_ID = """
query PageById($id: ID) {
  page(id: $id) { id title url }
}
"""

SITE = """
query Site { site(locale: "sv") { name } }
"""

PREVIEW = """
query Preview($token: String) {
  page(previewToken: $token) { id title }
}
"""


@pytest.fixture(autouse=True)
def response_cache(settings):
    settings.CMS_CACHE = {"ENABLED": True, "MAX_AGE": MAX_AGE, "S_MAXAGE": S_MAXAGE}
    cache.clear()
    yield
    cache.clear()


def get(client, query, variables=None, **headers):
    """A GET request to /graphql/, like a frontend behind a CDN makes."""
    return gql(client, query, variables, method="get", **headers)


def data_of(response):
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def page_at(client, path):
    response = get(client, PAGE, {"path": path})
    return response, data_of(response)["page"]


def cached(client, query, variables=None):
    """Request twice; the second answer must come from the response cache (what the test
    changed before counts as committed: ``settle``)."""
    settle()
    first = get(client, query, variables)
    assert first.status_code == 200, first.content
    second = get(client, query, variables)
    assert second["X-Cache"] == "HIT", (first["X-Cache"], second.content)
    assert second.content == first.content
    return second


def tags_of(response):
    return set(response["Cache-Tag"].split(","))


@pytest.fixture
def tree(sv, home_sv):
    """/sv/nyheter/, two published articles, the first with a hero image, /sv/kontakt/ with
    another image, and an unrelated /sv/om-oss/."""
    news_sv = publish(NewsIndexPageFactory(parent=home_sv, locale=sv))
    first_image = CustomImageFactory(credit="Anna Fotograf")
    other_image = CustomImageFactory(credit="Bo Fotograf")
    first = publish(
        NewsArticlePageFactory(
            parent=news_sv,
            locale=sv,
            title="Första",
            slug="forsta",
            hero_image=first_image,
        )
    )
    second = publish(NewsArticlePageFactory(parent=news_sv, locale=sv, title="Andra", slug="andra"))
    contact = publish(
        StandardPageFactory(
            parent=home_sv, locale=sv, title="Kontakt", slug="kontakt", hero_image=other_image
        )
    )
    about = publish(StandardPageFactory(parent=home_sv, locale=sv, title="Om oss", slug="om-oss"))
    return SimpleNamespace(
        news_sv=news_sv,
        first=first,
        second=second,
        contact=contact,
        about=about,
        first_image=first_image,
        other_image=other_image,
    )


def listing_titles(response):
    return [item["title"] for item in data_of(response)["newsArticles"]["items"]]


# --- HTTP caching ---------------------------------------------------------------------------


def test_anonymous_get_is_public_with_configured_lifetimes_and_a_strong_etag(client, tree):
    response = get(client, PAGE, {"path": "/sv/kontakt/"})

    assert data_of(response)["page"]["title"] == "Kontakt"
    assert response["Cache-Control"] == f"public, max-age={MAX_AGE}, s-maxage={S_MAXAGE}"
    etag = response["ETag"]
    assert not etag.startswith("W/")
    assert re.fullmatch(r'"[^"\s]+"', etag), etag


def test_lifetimes_follow_the_settings(client, tree, settings):
    settings.CMS_CACHE = {"ENABLED": True, "MAX_AGE": 5, "S_MAXAGE": 7}
    response = get(client, SITE)
    assert response["Cache-Control"] == "public, max-age=5, s-maxage=7"


def test_matching_if_none_match_answers_304_and_another_etag_200(client, tree):
    first = get(client, PAGE, {"path": "/sv/kontakt/"})
    etag = first["ETag"]

    not_modified = get(client, PAGE, {"path": "/sv/kontakt/"}, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert not_modified["Cache-Control"].startswith("public, ")

    listed = get(client, PAGE, {"path": "/sv/kontakt/"}, HTTP_IF_NONE_MATCH=f'"other", {etag}')
    assert listed.status_code == 304

    changed = get(client, PAGE, {"path": "/sv/kontakt/"}, HTTP_IF_NONE_MATCH='"0123abcd"')
    assert changed.status_code == 200
    assert changed.content == first.content
    assert changed["ETag"] == etag


def test_etag_differs_between_different_responses(client, tree):
    contact = get(client, PAGE, {"path": "/sv/kontakt/"})
    about = get(client, PAGE, {"path": "/sv/om-oss/"})
    assert contact["ETag"] != about["ETag"]
    stale = get(client, PAGE, {"path": "/sv/om-oss/"}, HTTP_IF_NONE_MATCH=contact["ETag"])
    assert stale.status_code == 200
    assert data_of(stale)["page"]["title"] == "Om oss"


def test_weak_if_none_match_of_the_same_etag_answers_304(client, tree):
    """If-None-Match uses weak comparison (RFC 9110 13.1.2): a proxy that compresses the
    response turns the ETag into W/"...", and the browser sends that back."""
    etag = get(client, PAGE, {"path": "/sv/kontakt/"})["ETag"]
    response = get(client, PAGE, {"path": "/sv/kontakt/"}, HTTP_IF_NONE_MATCH=f"W/{etag}")
    assert response.status_code == 304


def test_post_is_not_publicly_cacheable(client, tree):
    response = gql(client, PAGE, {"path": "/sv/kontakt/"})

    assert data_of(response)["page"]["title"] == "Kontakt"
    cache_control = response["Cache-Control"]
    assert "public" not in cache_control
    assert "s-maxage" not in cache_control
    assert "max-age=" not in cache_control


def test_preview_token_response_is_private_and_not_cached(client, tree):
    article = tree.first
    article.title = "Utkast till rubrik"
    revision = article.save_revision()
    token = make_preview_token(revision)

    first = get(client, PREVIEW, {"token": token})
    assert data_of(first)["page"]["title"] == "Utkast till rubrik"
    assert first["Cache-Control"] == "private, no-store"
    assert "Cache-Tag" not in first
    assert "Surrogate-Key" not in first

    second = get(client, PREVIEW, {"token": token})
    assert second["X-Cache"] == "MISS"
    assert second["Cache-Control"] == "private, no-store"

    # The public still sees the published title.
    _, public = page_at(client, "/sv/nyheter/forsta/")
    assert public["title"] == "Första"


def test_logged_in_editor_gets_private_no_store(client, tree):
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(editor)

    response = get(client, PAGE, {"path": "/sv/kontakt/"})
    assert data_of(response)["page"]["title"] == "Kontakt"
    assert response["Cache-Control"] == "private, no-store"
    assert "Cache-Tag" not in response
    assert "Surrogate-Key" not in response

    # Also when the answer comes from the server-side cache.
    again = get(client, PAGE, {"path": "/sv/kontakt/"})
    assert again["Cache-Control"] == "private, no-store"


def test_errors_are_no_store_and_not_cached(client, tree):
    invalid = get(client, "{ page(path: 1) { id } }")
    assert invalid.status_code == 400
    assert invalid["Cache-Control"] == "no-store"
    assert "ETag" not in invalid

    bad_argument = get(client, PAGE, {"path": "no-slash"})
    assert bad_argument.status_code == 400
    assert bad_argument["Cache-Control"] == "no-store"
    again = get(client, PAGE, {"path": "no-slash"})
    assert again["X-Cache"] == "MISS"
    assert again["Cache-Control"] == "no-store"

    malformed = client.get("/graphql/", {"query": "{ site {"})
    assert malformed.status_code == 400
    assert malformed["Cache-Control"] == "no-store"


def test_request_errors_are_no_store(client, tree, settings):
    """Errors found before the query runs (malformed variables, an unknown operation name,
    a persisted-query hash that does not match, a query off the allow-list) are errors too:
    README: "errors are `no-store`"."""
    refused = {
        "malformed variables": client.get("/graphql/", {"query": SITE, "variables": "{x"}),
        "unknown operationName": client.get("/graphql/", {"query": SITE, "operationName": "Nope"}),
        "hash mismatch": client.get(
            "/graphql/", {"query": SITE, "extensions": extensions(sha256(SITE + " "))}
        ),
    }
    settings.CMS_API = {**settings.CMS_API, "PERSISTED_QUERIES_ONLY": True}
    refused["not on the allow-list"] = get(client, SITE)
    statuses = {name: response.status_code for name, response in refused.items()}
    assert set(statuses.values()) == {400}, statuses
    cache_control = {name: response.get("Cache-Control") for name, response in refused.items()}
    assert set(cache_control.values()) == {"no-store"}, cache_control


# --- Server-side response cache -------------------------------------------------------------


def test_second_identical_request_is_a_hit_with_the_same_body_and_no_sql(client, tree):
    first = get(client, LISTING, {"locale": "sv"})
    assert first["X-Cache"] == "MISS"
    assert set(listing_titles(first)) == {"Andra", "Första"}

    with CaptureQueriesContext(connection) as queries:
        second = get(client, LISTING, {"locale": "sv"})
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Tag"] == first["Cache-Tag"]
    assert len(queries) == 0, [q["sql"] for q in queries.captured_queries]


def test_hit_and_304_without_sql(client, tree, django_assert_num_queries):
    etag = get(client, SITE)["ETag"]
    with django_assert_num_queries(0):
        response = get(client, SITE, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["X-Cache"] == "HIT"


def test_different_variables_are_cached_separately(client, tree):
    get(client, PAGE, {"path": "/sv/kontakt/"})
    other = get(client, PAGE, {"path": "/sv/om-oss/"})
    assert other["X-Cache"] == "MISS"
    assert data_of(other)["page"]["title"] == "Om oss"


def test_cache_tag_headers_list_pages_images_and_lists(client, tree):
    response = get(client, LISTING, {"locale": "sv"})

    tags = tags_of(response)
    assert {"l-articles", f"p{tree.first.pk}", f"p{tree.second.pk}"} <= tags
    assert f"i{tree.first_image.pk}" in tags
    assert f"i{tree.other_image.pk}" not in tags
    assert f"p{tree.contact.pk}" not in tags
    assert set(response["Surrogate-Key"].split(" ")) == tags

    page_response = get(client, PAGE, {"path": "/sv/kontakt/"})
    page_tags = tags_of(page_response)
    assert {f"p{tree.contact.pk}", f"i{tree.other_image.pk}"} <= page_tags
    assert "l-articles" not in page_tags
    assert f"p{tree.first.pk}" not in page_tags
    assert set(page_response["Surrogate-Key"].split(" ")) == page_tags

    # A hit carries the same tags.
    hit = get(client, PAGE, {"path": "/sv/kontakt/"})
    assert hit["X-Cache"] == "HIT"
    assert tags_of(hit) == page_tags


def test_site_response_is_tagged_with_the_site_list(client, tree):
    SiteSettingsFactory(organisation_name="ICLD")
    response = get(client, SITE)
    assert data_of(response)["site"]["name"] == "ICLD"
    assert "l-site" in tags_of(response)


# --- Invalidation ---------------------------------------------------------------------------


def test_publishing_a_new_article_invalidates_the_listing_but_not_other_pages(
    client, tree, django_capture_on_commit_callbacks
):
    cached(client, LISTING, {"locale": "sv"})
    cached(client, PAGE, {"path": "/sv/kontakt/"})
    draft = NewsArticlePageFactory(
        parent=tree.news_sv, locale=tree.news_sv.locale, title="Tredje", slug="tredje", live=False
    )
    # A draft is not visible; saving it changes nothing that is cached.
    assert get(client, LISTING, {"locale": "sv"})["X-Cache"] == "HIT"

    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()

    listing = get(client, LISTING, {"locale": "sv"})
    assert listing["X-Cache"] == "MISS"
    assert "Tredje" in listing_titles(listing)
    assert data_of(listing)["newsArticles"]["totalCount"] == 3

    unrelated = get(client, PAGE, {"path": "/sv/kontakt/"})
    assert unrelated["X-Cache"] == "HIT"


def test_republishing_an_article_invalidates_it_and_the_listing_but_not_other_pages(
    client, tree, django_capture_on_commit_callbacks
):
    cached(client, LISTING, {"locale": "sv"})
    cached(client, PAGE, {"path": "/sv/nyheter/forsta/"})
    cached(client, PAGE, {"path": "/sv/kontakt/"})
    cached(client, PAGE, {"path": "/sv/nyheter/andra/"})

    article = tree.first
    article.title = "Första, uppdaterad"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    response, page = page_at(client, "/sv/nyheter/forsta/")
    assert response["X-Cache"] == "MISS"
    assert page["title"] == "Första, uppdaterad"
    listing = get(client, LISTING, {"locale": "sv"})
    assert listing["X-Cache"] == "MISS"
    assert "Första, uppdaterad" in listing_titles(listing)

    assert get(client, PAGE, {"path": "/sv/kontakt/"})["X-Cache"] == "HIT"
    assert get(client, PAGE, {"path": "/sv/nyheter/andra/"})["X-Cache"] == "HIT"


def test_unpublishing_invalidates(client, tree, django_capture_on_commit_callbacks):
    cached(client, LISTING, {"locale": "sv"})
    cached(client, PAGE, {"path": "/sv/nyheter/forsta/"})
    cached(client, PAGE, {"path": "/sv/kontakt/"})

    with django_capture_on_commit_callbacks(execute=True):
        tree.first.unpublish()

    response, page = page_at(client, "/sv/nyheter/forsta/")
    assert response["X-Cache"] == "MISS"
    assert page is None
    listing = get(client, LISTING, {"locale": "sv"})
    assert listing_titles(listing) == ["Andra"]
    assert get(client, PAGE, {"path": "/sv/kontakt/"})["X-Cache"] == "HIT"


def test_deleting_invalidates(client, tree, django_capture_on_commit_callbacks):
    cached(client, LISTING, {"locale": "sv"})
    cached(client, PAGE, {"path": "/sv/nyheter/forsta/"})
    cached(client, PAGE_BY_ID, {"id": str(tree.first.pk)})
    cached(client, PAGE, {"path": "/sv/kontakt/"})

    with django_capture_on_commit_callbacks(execute=True):
        tree.first.delete()

    _, page = page_at(client, "/sv/nyheter/forsta/")
    assert page is None
    assert data_of(get(client, PAGE_BY_ID, {"id": str(tree.first.pk)}))["page"] is None
    assert listing_titles(get(client, LISTING, {"locale": "sv"})) == ["Andra"]
    assert get(client, PAGE, {"path": "/sv/kontakt/"})["X-Cache"] == "HIT"


def test_moving_invalidates_old_path_new_path_and_the_page(
    client, tree, django_capture_on_commit_callbacks
):
    archive = publish(
        NewsIndexPageFactory(
            parent=tree.news_sv.get_parent(),
            locale=tree.news_sv.locale,
            title="Arkiv",
            slug="arkiv",
        )
    )
    cached(client, PAGE, {"path": "/sv/nyheter/forsta/"})
    _, before = page_at(client, "/sv/arkiv/forsta/")
    assert before is None
    cached(client, PAGE, {"path": "/sv/arkiv/forsta/"})
    cached(client, PAGE_BY_ID, {"id": str(tree.first.pk)})
    cached(client, PAGE, {"path": "/sv/kontakt/"})

    with django_capture_on_commit_callbacks(execute=True):
        tree.first.move(archive, pos="last-child")

    _, old = page_at(client, "/sv/nyheter/forsta/")
    assert old is None
    _, new = page_at(client, "/sv/arkiv/forsta/")
    assert new is not None
    assert new["url"] == "/sv/arkiv/forsta/"
    by_id = data_of(get(client, PAGE_BY_ID, {"id": str(tree.first.pk)}))["page"]
    assert by_id["url"] == "/sv/arkiv/forsta/"
    assert get(client, PAGE, {"path": "/sv/kontakt/"})["X-Cache"] == "HIT"


def test_translating_invalidates_the_source_pages_language_switcher(
    client, tree, en, django_capture_on_commit_callbacks
):
    news_en = translate(tree.news_sv, en)
    news_en.title, news_en.slug = "News", "news"
    publish(news_en)
    response, page = page_at(client, "/sv/nyheter/forsta/")
    assert page["translations"] == []
    cached(client, PAGE, {"path": "/sv/nyheter/forsta/"})
    cached(client, PAGE, {"path": "/sv/kontakt/"})

    with django_capture_on_commit_callbacks(execute=True):
        english = translate(tree.first, en)

    response, page = page_at(client, "/sv/nyheter/forsta/")
    assert response["X-Cache"] == "MISS"
    assert [link["locale"] for link in page["translations"]] == ["en"]
    assert page["translations"][0]["url"] == f"/en/news/{english.slug}/"
    assert get(client, PAGE, {"path": "/sv/kontakt/"})["X-Cache"] == "HIT"


def test_adding_a_view_restriction_invalidates(client, tree, django_capture_on_commit_callbacks):
    cached(client, LISTING, {"locale": "sv"})
    cached(client, PAGE, {"path": "/sv/nyheter/forsta/"})
    cached(client, PAGE, {"path": "/sv/kontakt/"})

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=tree.first, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
        )

    _, page = page_at(client, "/sv/nyheter/forsta/")
    assert page is None
    assert listing_titles(get(client, LISTING, {"locale": "sv"})) == ["Andra"]
    assert get(client, PAGE, {"path": "/sv/kontakt/"})["X-Cache"] == "HIT"


def test_removing_a_view_restriction_invalidates(client, tree, django_capture_on_commit_callbacks):
    restriction = PageViewRestriction.objects.create(
        page=tree.first, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )
    _, page = page_at(client, "/sv/nyheter/forsta/")
    assert page is None
    cached(client, PAGE, {"path": "/sv/nyheter/forsta/"})

    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()

    _, page = page_at(client, "/sv/nyheter/forsta/")
    assert page is not None
    assert page["title"] == "Första"


def test_editing_an_image_invalidates_responses_that_show_it_only(
    client, tree, django_capture_on_commit_callbacks
):
    cached(client, PAGE, {"path": "/sv/nyheter/forsta/"})
    cached(client, LISTING, {"locale": "sv"})
    cached(client, PAGE, {"path": "/sv/kontakt/"})
    cached(client, PAGE, {"path": "/sv/om-oss/"})

    image = tree.first_image
    image.credit = "Anna Fotograf / ICLD"
    with django_capture_on_commit_callbacks(execute=True):
        image.save()

    response, page = page_at(client, "/sv/nyheter/forsta/")
    assert response["X-Cache"] == "MISS"
    assert page["heroImage"]["credit"] == "Anna Fotograf / ICLD"
    listing = get(client, LISTING, {"locale": "sv"})
    assert listing["X-Cache"] == "MISS"
    credits = [
        (item["heroImage"] or {}).get("credit")
        for item in data_of(listing)["newsArticles"]["items"]
    ]
    assert "Anna Fotograf / ICLD" in credits

    contact = get(client, PAGE, {"path": "/sv/kontakt/"})
    assert contact["X-Cache"] == "HIT"
    assert data_of(contact)["page"]["heroImage"]["credit"] == "Bo Fotograf"
    assert get(client, PAGE, {"path": "/sv/om-oss/"})["X-Cache"] == "HIT"


def test_publishing_site_settings_invalidates_site(
    client, tree, django_capture_on_commit_callbacks
):
    settings_ = SiteSettingsFactory(organisation_name="ICLD")
    response = cached(client, SITE)
    assert data_of(response)["site"]["name"] == "ICLD"
    cached(client, PAGE, {"path": "/sv/kontakt/"})

    settings_ = SiteSettings.objects.get(pk=settings_.pk)
    settings_.organisation_name = "ICLD – Internationellt centrum"
    with django_capture_on_commit_callbacks(execute=True):
        settings_.save_revision().publish()

    response = get(client, SITE)
    assert response["X-Cache"] == "MISS"
    assert data_of(response)["site"]["name"] == "ICLD – Internationellt centrum"
    assert get(client, PAGE, {"path": "/sv/kontakt/"})["X-Cache"] == "HIT"


def test_null_page_becomes_the_page_published_at_that_path(
    client, tree, sv, home_sv, django_capture_on_commit_callbacks
):
    response, page = page_at(client, "/sv/ny-sida/")
    assert page is None
    cached(client, PAGE, {"path": "/sv/ny-sida/"})
    cached(client, PAGE, {"path": "/sv/kontakt/"})
    draft = StandardPageFactory(
        parent=home_sv, locale=sv, title="Ny sida", slug="ny-sida", live=False
    )
    _, still = page_at(client, "/sv/ny-sida/")
    assert still is None

    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()

    response, page = page_at(client, "/sv/ny-sida/")
    assert response["X-Cache"] == "MISS"
    assert page is not None
    assert page["title"] == "Ny sida"
    assert get(client, PAGE, {"path": "/sv/kontakt/"})["X-Cache"] == "HIT"


def test_renaming_a_section_invalidates_its_subpages(
    client, tree, django_capture_on_commit_callbacks
):
    """A new slug for /sv/nyheter/ moves every article in it to a new URL."""
    cached(client, PAGE, {"path": "/sv/nyheter/forsta/"})
    cached(client, LISTING, {"locale": "sv"})
    cached(client, PAGE, {"path": "/sv/aktuellt/forsta/"})

    index = tree.news_sv
    index.slug = "aktuellt"
    with django_capture_on_commit_callbacks(execute=True):
        index.save_revision().publish()

    _, old = page_at(client, "/sv/nyheter/forsta/")
    assert old is None
    _, new = page_at(client, "/sv/aktuellt/forsta/")
    assert new is not None
    assert new["url"] == "/sv/aktuellt/forsta/"
    urls = {
        item["url"]
        for item in data_of(get(client, LISTING, {"locale": "sv"}))["newsArticles"]["items"]
    }
    assert urls == {"/sv/aktuellt/forsta/", "/sv/aktuellt/andra/"}


def test_deleting_an_image_invalidates_responses_that_show_it(
    client, tree, django_capture_on_commit_callbacks
):
    cached(client, PAGE, {"path": "/sv/nyheter/forsta/"})
    cached(client, PAGE, {"path": "/sv/kontakt/"})

    with django_capture_on_commit_callbacks(execute=True):
        tree.first_image.delete()

    _, page = page_at(client, "/sv/nyheter/forsta/")
    assert page["heroImage"] is None
    assert get(client, PAGE, {"path": "/sv/kontakt/"})["X-Cache"] == "HIT"


RENDITION = """
query Rendition($path: String) {
  page(path: $path) {
    ... on StandardPage { heroImage { rendition(preset: CARD) { url } } }
  }
}
"""


def test_cached_absolute_urls_belong_to_the_host_that_asked(client, tree):
    """Image URLs are absolute, built from the request's host; a response cached for one
    allowed host must not hand that host's URLs to another."""
    first = get(client, RENDITION, {"path": "/sv/kontakt/"}, HTTP_HOST="testserver")
    url = data_of(first)["page"]["heroImage"]["rendition"]["url"]
    assert url.startswith("http://testserver/")

    other = get(client, RENDITION, {"path": "/sv/kontakt/"}, HTTP_HOST="localhost")
    other_url = data_of(other)["page"]["heroImage"]["rendition"]["url"]
    assert other_url.startswith("http://localhost/"), (other["X-Cache"], other_url)


def test_until_the_commit_answers_about_a_change_are_neither_served_nor_stored(client, tree):
    """Inside the editor's open transaction the change's tags are reserved: answers about it
    are computed (a reader elsewhere sees the old committed state) and not stored, so no
    old state can outlive the commit; the commit's stamp ends the reservation
    (``docs/caching.md``)."""
    cached(client, PAGE, {"path": "/sv/nyheter/forsta/"})
    article = tree.first
    article.title = "Ändrad"
    article.save_revision().publish()
    assert get(client, PAGE, {"path": "/sv/nyheter/forsta/"})["X-Cache"] == "MISS"
    assert get(client, PAGE, {"path": "/sv/nyheter/forsta/"})["X-Cache"] == "MISS"


# --- Persisted queries ----------------------------------------------------------------------


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def extensions(digest):
    return json.dumps({"persistedQuery": {"version": 1, "sha256Hash": digest}})


def by_hash(client, digest, variables=None, **headers):
    params = {"extensions": extensions(digest)}
    if variables:
        params["variables"] = json.dumps(variables)
    return client.get("/graphql/", params, **headers)


def post_json(client, body):
    return client.post("/graphql/", data=json.dumps(body), content_type="application/json")


def test_automatic_persisted_query_round_trip(client, tree):
    digest = sha256(PAGE)

    unknown = by_hash(client, digest, {"path": "/sv/kontakt/"})
    assert unknown.status_code == 200
    error = unknown.json()["errors"][0]
    assert error["message"] == "PersistedQueryNotFound"
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert "public" not in unknown["Cache-Control"]

    with_text = client.get(
        "/graphql/",
        {
            "query": PAGE,
            "variables": json.dumps({"path": "/sv/kontakt/"}),
            "extensions": extensions(digest),
        },
    )
    assert data_of(with_text)["page"]["title"] == "Kontakt"

    hash_only = by_hash(client, digest, {"path": "/sv/kontakt/"})
    assert hash_only.status_code == 200
    assert hash_only.json() == with_text.json()
    assert hash_only["Cache-Control"].startswith("public, ")

    # The remembered document serves other variables too.
    other = by_hash(client, digest, {"path": "/sv/om-oss/"})
    assert data_of(other)["page"]["title"] == "Om oss"


def test_persisted_query_by_post(client, tree):
    digest = sha256(SITE)
    ext = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    unknown = post_json(client, {"extensions": ext})
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert data_of(post_json(client, {"query": SITE, "extensions": ext}))["site"]
    assert data_of(post_json(client, {"extensions": ext}))["site"]


def test_hash_that_does_not_match_the_query_is_400(client, tree):
    response = client.get(
        "/graphql/", {"query": SITE, "extensions": extensions(sha256(SITE + " "))}
    )
    assert response.status_code == 400
    assert "does not match" in response.json()["errors"][0]["message"]
    # Nothing was remembered under the wrong hash.
    unknown = by_hash(client, sha256(SITE + " "))
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


def test_malformed_persisted_query_extension_is_400(client, tree):
    response = by_hash(client, "ABC")
    assert response.status_code == 400
    response = client.get("/graphql/", {"extensions": "{not json"})
    assert response.status_code == 400


@pytest.fixture
def allow_list(settings):
    settings.CMS_API = {**settings.CMS_API, "PERSISTED_QUERIES_ONLY": True}
    return settings


def write_query(tmp_path, name, text):
    path = tmp_path / f"{name}.graphql"
    path.write_text(text, encoding="utf-8")
    return path


def test_allow_list_refuses_unregistered_text(client, tree, allow_list):
    response = get(client, SITE)
    assert response.status_code == 400
    assert "registered" in response.json()["errors"][0]["message"]
    post = gql(client, SITE)
    assert post.status_code == 400


def test_allow_list_runs_registered_queries_by_hash_and_by_text(client, tree, allow_list, tmp_path):
    path = write_query(tmp_path, "page", PAGE)
    out = io.StringIO()
    call_command("register_persisted_queries", str(path), stdout=out)
    assert sha256(PAGE) in out.getvalue()
    registered = PersistedQuery.objects.get()
    assert registered.sha256 == sha256(PAGE)

    response = by_hash(client, sha256(PAGE), {"path": "/sv/kontakt/"})
    assert data_of(response)["page"]["title"] == "Kontakt"
    assert response["Cache-Control"].startswith("public, ")

    by_text = gql(client, PAGE, {"path": "/sv/om-oss/"})
    assert data_of(by_text)["page"]["title"] == "Om oss"

    # Another document stays refused, also after being sent with its hash.
    assert get(client, SITE).status_code == 400
    attempt = client.get("/graphql/", {"query": SITE, "extensions": extensions(sha256(SITE))})
    assert attempt.status_code == 400
    unknown = by_hash(client, sha256(SITE))
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


def test_allow_list_ignores_documents_remembered_before(client, tree, settings):
    """A document remembered by automatic persisted queries is not on the allow-list."""
    client.get("/graphql/", {"query": SITE, "extensions": extensions(sha256(SITE))})
    assert data_of(by_hash(client, sha256(SITE)))["site"]

    settings.CMS_API = {**settings.CMS_API, "PERSISTED_QUERIES_ONLY": True}
    response = by_hash(client, sha256(SITE))
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


def test_register_persisted_queries_refuses_invalid_documents(tmp_path):
    unknown_field = write_query(tmp_path, "unknown", "{ site { nosuchfield } }")
    with pytest.raises(CommandError, match="nosuchfield"):
        call_command("register_persisted_queries", str(unknown_field))

    syntax = write_query(tmp_path, "syntax", "{ site { name }")
    with pytest.raises(CommandError, match="syntax"):
        call_command("register_persisted_queries", str(syntax))

    with pytest.raises(CommandError):
        call_command("register_persisted_queries", str(tmp_path / "missing.graphql"))

    assert not PersistedQuery.objects.exists()


# --- Privacy and the cache ---------------------------------------------------------------------

LINKS = """
query Links($path: String) {
  page(path: $path) { ... on StandardPage { body { ... on ParagraphBlock { html } } } }
}
"""


def test_an_alias_of_a_page_in_a_section_made_private_leaves_the_cache(
    client, tree, sv, home_sv, django_capture_on_commit_callbacks
):
    """The restriction is on the news section; the cached answers are about an alias of
    one of its articles placed elsewhere, which the section's own tags do not name."""
    archive = publish(NewsIndexPageFactory(parent=home_sv, locale=sv, title="Arkiv", slug="arkiv"))
    alias = tree.first.create_alias(parent=archive, update_slug="kopia")
    cached(client, PAGE_BY_ID, {"id": str(alias.pk)})
    cached(client, PAGE, {"path": "/sv/arkiv/kopia/"})
    cached(client, LISTING, {"locale": "sv"})

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=tree.news_sv, restriction_type=PageViewRestriction.LOGIN
        )

    assert data_of(get(client, PAGE_BY_ID, {"id": str(alias.pk)}))["page"] is None
    assert page_at(client, "/sv/arkiv/kopia/")[1] is None
    listing = get(client, LISTING, {"locale": "sv"})
    assert data_of(listing)["newsArticles"] == {"totalCount": 0, "items": []}


def test_cache_tags_never_name_a_hidden_page_a_text_links_to(
    client, tree, sv, home_sv, django_capture_on_commit_callbacks
):
    """A link to a private page is dropped from the text, and its id stays out of the
    headers; when the page becomes public the cached text still updates."""
    restriction = PageViewRestriction.objects.create(
        page=tree.second, restriction_type=PageViewRestriction.LOGIN
    )
    publish(
        StandardPageFactory(
            parent=home_sv,
            locale=sv,
            title="Länkar",
            slug="lankar",
            body=[("paragraph", f'<p><a linktype="page" id="{tree.second.pk}">Andra</a></p>')],
        )
    )
    response = cached(client, LINKS, {"path": "/sv/lankar/"})
    assert data_of(response)["page"]["body"] == [{"html": "<p>Andra</p>"}]
    assert f"p{tree.second.pk}" not in tags_of(response)

    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()

    response = get(client, LINKS, {"path": "/sv/lankar/"})
    assert response["X-Cache"] == "MISS"
    assert data_of(response)["page"]["body"] == [
        {"html": '<p><a href="/sv/nyheter/andra/">Andra</a></p>'}
    ]
    assert f"p{tree.second.pk}" in tags_of(response)


def test_a_listing_is_a_hit_from_its_second_request_after_a_publish(
    client, tree, django_capture_on_commit_callbacks
):
    """The newest invalidation's stamp equals the clock a request reads right after it:
    that request saw the change, so its answer is kept."""
    cached(client, LISTING, {"locale": "sv"})
    with django_capture_on_commit_callbacks(execute=True):
        tree.second.save_revision().publish()

    first = get(client, LISTING, {"locale": "sv"})
    second = get(client, LISTING, {"locale": "sv"})
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert second.content == first.content


def test_an_answer_computed_across_an_invalidation_is_not_kept(client, tree, monkeypatch):
    """A request that read the clock before an invalidation ticked must not store what it
    read, and nothing stored under the old clock is served afterwards."""
    from cms.api import cache as response_cache

    real_store = response_cache.store

    def invalidate_then_store(key, body, headers, tags, started, max_seconds=None):
        response_cache.invalidate({"l-articles"})  # an editor's change lands meanwhile
        return real_store(key, body, headers, tags, started, max_seconds)

    monkeypatch.setattr(response_cache, "store", invalidate_then_store)
    assert get(client, LISTING, {"locale": "sv"})["X-Cache"] == "MISS"
    monkeypatch.setattr(response_cache, "store", real_store)
    assert get(client, LISTING, {"locale": "sv"})["X-Cache"] == "MISS"


def test_register_persisted_queries_reads_the_frontends_codegen_manifest(client, tree, allow_list):
    """The reference frontend's generated `persisted-documents.json` registers as it is; its
    operations then run by hash alone in allow-list mode."""
    manifest = FRONTEND / "src" / "gql" / "persisted-documents.json"
    documents = json.loads(manifest.read_text())
    out = io.StringIO()
    call_command("register_persisted_queries", str(manifest), stdout=out)
    assert PersistedQuery.objects.count() == len(documents)
    site_hash = next(key for key, text in documents.items() if text.startswith("query Site("))
    assert "Registered Site: " + site_hash.removeprefix("sha256:") in out.getvalue()

    response = by_hash(client, site_hash.removeprefix("sha256:"), {"locale": "sv"})
    assert response.status_code == 200
    assert data_of(response)["site"]["locale"] == "sv"


def test_register_persisted_queries_refuses_a_manifest_whose_hash_lies(tmp_path):
    manifest = tmp_path / "persisted-documents.json"
    manifest.write_text(json.dumps({"sha256:" + "0" * 64: "{ site { name } }"}))
    with pytest.raises(CommandError, match="does not match"):
        call_command("register_persisted_queries", str(manifest))
    manifest.write_text("[1, 2]")
    with pytest.raises(CommandError, match="hash → document"):
        call_command("register_persisted_queries", str(manifest))
    assert not PersistedQuery.objects.exists()
