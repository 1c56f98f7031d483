"""Headless preview: the admin's preview panel links to the frontend with a signed token, and
``page(previewToken:)`` returns exactly that revision, live or not, until the token expires.

Tokens are made by the admin flow where that is the point, else by
``cms.preview.make_preview_token``. Expiry is tested by moving the clock that
``django.core.signing`` reads.
"""

import html
import re
import time
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import Page, Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.factories import SiteSettingsFactory
from cms.preview import SALT, make_preview_token
from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.helpers import gql, publish, translate

pytestmark = pytest.mark.django_db

PREVIEW = """
query($token: String) {
  page(previewToken: $token) {
    id title url locale
    ... on NewsArticlePage { intro }
  }
}
"""

FRONTEND = {
    "MAX_AGE": 3600,
    "URLS": {
        "default": "https://frontend.example/api/preview",
        "sv": "https://sv.frontend.example/preview",
        "en": "https://frontend.example/en/preview?secret=abc",
    },
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def frontend(settings):
    settings.CMS_PREVIEW = FRONTEND
    return settings


@pytest.fixture
def news(sv, home_sv):
    return NewsIndexPageFactory(parent=home_sv, locale=sv)


def draft_article(news, title="Utkastets titel", **fields):
    """An article that was never published, with one saved revision."""
    article = NewsArticlePageFactory(
        parent=news, locale=news.locale, title=title, slug="utkast", live=False, **fields
    )
    revision = article.save_revision()
    assert not Page.objects.get(pk=article.pk).live
    return article, revision


def preview(client, token, **extra):
    response = gql(client, PREVIEW, {"token": token}, **extra)
    return response, response.json()


def assert_refused(response, body, message):
    assert response.status_code == 400, body
    assert message in body["errors"][0]["message"], body
    assert body.get("data") in (None, {"page": None}), body  # nothing of the page


def admin_preview_html(client, page, **changes):
    """What the admin's preview panel shows: POST the edit form's data (with ``changes``,
    unsaved) to the page's preview view, as the panel does on every change, then GET the
    rendered preview."""
    page = page.specific
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": page.intro,
            "date": str(page.date),
            "kind": page.kind,
            "programme": page.programme,
            "body": streamfield([]),
            "article_topics": inline_formset([]),
            **changes,
        }
    )
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    posted = client.post(url, data)
    assert posted.json() == {"is_valid": True, "is_available": True}
    shown = client.get(url)
    assert shown.status_code == 200
    return shown.content.decode()


def frontend_link(page_html):
    links = [html.unescape(href) for href in re.findall(r'href="([^"]+)"', page_html)]
    links = [link for link in links if "token=" in link]
    assert len(links) == 1, page_html
    return links[0]


def token_of(link):
    return parse_qs(urlsplit(link).query)["token"][0]


class FrozenClock:
    """Stands in for the ``time`` module inside ``django.core.signing``."""

    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now


def at(seconds_later, start):
    return mock.patch("django.core.signing.time", FrozenClock(start + seconds_later))


# --- The admin's preview panel -------------------------------------------------------------------


def test_admin_preview_links_to_the_frontend_with_a_working_token(admin_client, frontend, news):
    article, revision = draft_article(news, intro="Utkastets ingress")

    page_html = admin_preview_html(admin_client, article)

    link = frontend_link(page_html)
    assert link.startswith("https://sv.frontend.example/preview?token=")
    assert f'src="{html.escape(link)}"' in page_html  # shown in the panel's frame
    assert set(signing.loads(token_of(link), salt=SALT)) == {"s"}  # a snapshot of the form
    response, body = preview(admin_client.__class__(), token_of(link))  # an anonymous frontend
    assert response.status_code == 200, body
    assert body == {
        "data": {
            "page": {
                "id": str(article.pk),
                "title": "Utkastets titel",
                "url": "/sv/nyheter/utkast/",
                "locale": "sv",
                "intro": "Utkastets ingress",
            }
        }
    }
    # The page itself is still not public.
    public = gql(admin_client.__class__(), f'{{ page(id: "{article.pk}") {{ title }} }}')
    assert public.json() == {"data": {"page": None}}


def test_admin_preview_shows_unsaved_changes(admin_client, frontend, news):
    article, _ = draft_article(news, title="Sparat utkast")

    link = frontend_link(admin_preview_html(admin_client, article, title="Osparad rubrik"))

    response, body = preview(admin_client, token_of(link))
    assert response.status_code == 200, body
    assert body["data"]["page"]["title"] == "Osparad rubrik"
    assert Page.objects.get(pk=article.pk).title == "Sparat utkast"  # nothing was saved


@pytest.mark.parametrize(
    "urls, language, expected",
    [
        (FRONTEND["URLS"], "sv", "https://sv.frontend.example/preview?token="),
        # A URL that already has a query string gets the token appended with '&'.
        (FRONTEND["URLS"], "en", "https://frontend.example/en/preview?secret=abc&token="),
        ({"default": "https://frontend.example/api/preview"}, "en", None),
    ],
)
def test_preview_url_per_language(admin_client, settings, sv, en, news, urls, language, expected):
    settings.CMS_PREVIEW = {"MAX_AGE": 3600, "URLS": urls}
    expected = expected or "https://frontend.example/api/preview?token="
    publish(news)
    article = NewsArticlePageFactory(parent=news, locale=sv, title="Artikel", slug="artikel")
    publish(article)
    if language == "en":
        translate(news, en)
        article = translate(article, en)
        article.title = "English draft"
        article.save_revision()

    link = frontend_link(admin_preview_html(admin_client, article))

    assert link.startswith(expected)
    assert link.count("token=") == 1
    response, body = preview(admin_client, token_of(link))
    assert response.status_code == 200, body
    assert body["data"]["page"]["locale"] == language
    assert body["data"]["page"]["title"] == ("English draft" if language == "en" else "Artikel")


# --- What a token returns ------------------------------------------------------------------------


def test_token_returns_the_draft_of_a_live_page_while_the_public_sees_the_live_one(client, news):
    article = NewsArticlePageFactory(parent=news, locale=news.locale, title="Live", slug="live")
    publish(article)
    article.title = "Ny rubrik, ej publicerad"
    token = make_preview_token(article.save_revision())

    response, body = preview(client, token)
    public = gql(client, f'{{ page(id: "{article.pk}") {{ title }} }}').json()

    assert response.status_code == 200, body
    assert body["data"]["page"]["title"] == "Ny rubrik, ej publicerad"
    assert public == {"data": {"page": {"title": "Live"}}}


def test_token_works_for_a_page_unpublished_after_being_live(client, news):
    article = NewsArticlePageFactory(parent=news, locale=news.locale, title="Förr", slug="forr")
    publish(article)
    article.unpublish()
    article = Page.objects.get(pk=article.pk).specific
    article.title = "Omarbetad"
    token = make_preview_token(article.save_revision())

    response, body = preview(client, token)

    assert response.status_code == 200, body
    assert body["data"]["page"]["title"] == "Omarbetad"


def test_token_is_pinned_to_its_revision(client, news):
    article, first = draft_article(news, title="Version ett")
    first_token = make_preview_token(first)
    article.title = "Version två"
    second = article.save_revision()
    second_token = make_preview_token(second)

    assert preview(client, first_token)[1]["data"]["page"]["title"] == "Version ett"
    assert preview(client, second_token)[1]["data"]["page"]["title"] == "Version två"
    # Publishing the newer revision does not move the old token either.
    second.publish()
    assert preview(client, first_token)[1]["data"]["page"]["title"] == "Version ett"


def test_preview_responses_are_never_cacheable(client, news):
    _, revision = draft_article(news)
    response, body = preview(client, make_preview_token(revision))
    get = gql(client, PREVIEW, {"token": make_preview_token(revision)}, method="get")

    assert response.status_code == get.status_code == 200, body
    for answer in (response, get):
        assert "no-store" in answer["Cache-Control"]
        assert "public" not in answer["Cache-Control"]


# --- Expiry --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "max_age, seconds_later, expired",
    [
        (3600, 3590, False),
        (3600, 3610, True),
        (60, 50, False),
        (60, 70, True),
        # MAX_AGE above one hour is capped at one hour.
        (100_000, 3610, True),
    ],
)
def test_tokens_expire(client, settings, news, max_age, seconds_later, expired):
    settings.CMS_PREVIEW = {**FRONTEND, "MAX_AGE": max_age}
    _, revision = draft_article(news)
    start = time.time()
    with at(0, start):
        token = make_preview_token(revision)

    with at(seconds_later, start):
        response, body = preview(client, token)

    if expired:
        assert_refused(response, body, "expired")
        assert "Utkastets titel" not in response.content.decode()
    else:
        assert response.status_code == 200, body
        assert body["data"]["page"]["title"] == "Utkastets titel"


def test_admin_preview_token_expires(admin_client, frontend, news):
    article, _ = draft_article(news)
    start = time.time()
    with at(0, start):
        token = token_of(frontend_link(admin_preview_html(admin_client, article)))
    with at(3601, start):
        response, body = preview(admin_client, token)
    assert_refused(response, body, "expired")


# --- Forged, altered and dangling tokens ---------------------------------------------------------


def altered(token, index):
    """The token with the character at ``index`` replaced by another base64 character."""
    char = token[index]
    replacement = next(c for c in "AbQz09-_" if c != char and c not in ":.")
    return token[:index] + replacement + token[index + 1 :]


@pytest.mark.parametrize("where", ["payload", "timestamp", "signature", "first"])
def test_an_altered_token_is_refused(client, news, where):
    _, revision = draft_article(news)
    token = make_preview_token(revision)
    payload, timestamp, signature = token.rsplit(":", 2)
    index = {
        "first": 0,
        "payload": len(payload) // 2,
        "timestamp": len(payload) + 1 + len(timestamp) // 2,
        "signature": len(payload) + len(timestamp) + 2 + len(signature) // 2,
    }[where]
    tampered = altered(token, index)
    assert tampered != token and len(tampered) == len(token)

    response, body = preview(client, tampered)

    assert_refused(response, body, "Invalid preview token")
    assert "Utkastets titel" not in response.content.decode()


@pytest.mark.parametrize(
    "make",
    [
        lambda revision: "",
        lambda revision: "not-a-token",
        lambda revision: make_preview_token(revision)[:-1],
        lambda revision: make_preview_token(revision) + "A",
        lambda revision: "x" * 5000,
        # Signed, but not by us / not for previews.
        lambda revision: signing.dumps(
            {"r": revision.pk, "o": str(revision.object_id)}, salt=SALT, key="another-key"
        ),
        lambda revision: signing.dumps(
            {"r": revision.pk, "o": str(revision.object_id)}, salt="another.salt"
        ),
        # Signed by us but naming another page than the revision's.
        lambda revision: signing.dumps({"r": revision.pk, "o": "999999"}, salt=SALT),
        lambda revision: signing.dumps([revision.pk], salt=SALT),
    ],
    ids=[
        "empty",
        "garbage",
        "truncated",
        "extended",
        "huge",
        "foreign-key",
        "foreign-salt",
        "wrong-page",
        "not-a-dict",
    ],
)
def test_a_forged_or_malformed_token_is_refused(client, news, make):
    _, revision = draft_article(news)

    response, body = preview(client, make(revision))

    assert_refused(response, body, "nvalid preview token")
    assert "Utkastets titel" not in response.content.decode()


def test_a_token_for_a_deleted_revision_is_refused(client, news):
    article, first = draft_article(news)
    token = make_preview_token(first)
    article.title = "Senare"
    article.save_revision()
    Revision.objects.filter(pk=first.pk).delete()

    response, body = preview(client, token)

    assert_refused(response, body, "no longer exists")


def test_a_token_for_a_deleted_page_is_refused(client, news):
    article, revision = draft_article(news)
    token = make_preview_token(revision)
    Page.objects.get(pk=article.pk).delete()

    response, body = preview(client, token)

    assert_refused(response, body, "no longer exists")


def test_a_token_for_a_snippet_revision_shows_no_page(client, sv):
    """Site settings have revisions too; their tokens must not preview anything."""
    settings_snippet = SiteSettingsFactory(locale=sv)
    revision = settings_snippet.save_revision()

    response, body = preview(client, make_preview_token(revision))

    assert_refused(response, body, "no longer exists")


@pytest.mark.parametrize(
    "arguments",
    [
        'previewToken: $token, path: "/sv/nyheter/utkast/"',
        'previewToken: $token, id: "1"',
        'previewToken: $token, path: "/sv/", id: "1"',
    ],
)
def test_preview_token_with_path_or_id_is_refused(client, news, arguments):
    _, revision = draft_article(news)
    query = f"query($token: String) {{ page({arguments}) {{ title }} }}"

    response = gql(client, query, {"token": make_preview_token(revision)})
    body = response.json()

    assert_refused(response, body, "exactly one of path, id or previewToken")
    assert "Utkastets titel" not in response.content.decode()
