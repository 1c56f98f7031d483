"""What a frontend needs about the whole site: every page (``pages``), the sitemap with its
``hreflang`` alternates (``sitemap``), and where moved pages went (``redirect``,
``redirects``). Same visibility rules, constant query counts."""

import pytest
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction

from cms.factories import StandardPageFactory
from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.helpers import count_queries, gql, gql_data, publish, settle, translate

pytestmark = pytest.mark.django_db

PAGES = """
query($locale: String, $fallback: Boolean, $types: [PageType!], $limit: Int, $offset: Int) {
  pages(locale: $locale, fallback: $fallback, types: $types, limit: $limit, offset: $offset) {
    totalCount items { __typename id url locale isFallback }
  }
}"""

SITEMAP = """
query($locale: String) {
  sitemap(locale: $locale, limit: 100) {
    totalCount items { url lastPublishedAt alternates { locale url } }
  }
}"""

REDIRECT = """
query($path: String!) { redirect(path: $path) { oldPath to isPermanent page { id url } } }
"""

REDIRECTS = """
{ redirects(limit: 100) {
    totalCount items { oldPath to isPermanent page { id translations { url } alternates { url } } }
} }"""


@pytest.fixture
def site_tree(sv, en, home_sv, home_en):
    """Home pages, a news section in both languages, an about page, two articles (one
    translated), a draft and a private page."""
    news = NewsIndexPageFactory(parent=home_sv, locale=sv, slug="nyheter")
    news_en = translate(news, en)
    about = publish(StandardPageFactory(parent=home_sv, locale=sv, title="Om oss", slug="om-oss"))
    first = publish(NewsArticlePageFactory(parent=news, locale=sv, title="Första", slug="forsta"))
    first_en = translate(first, en)
    second = publish(NewsArticlePageFactory(parent=news, locale=sv, title="Andra", slug="andra"))
    draft = NewsArticlePageFactory(parent=news, locale=sv, title="Utkast", live=False)
    private = publish(StandardPageFactory(parent=home_sv, locale=sv, title="Intern", slug="intern"))
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    return locals()


def listed(client, **variables):
    return gql_data(client, PAGES, {"limit": 100, **variables})["pages"]


def test_pages_lists_every_public_page_once(client, site_tree):
    t = site_tree
    swedish = listed(client)
    ids = [int(item["id"]) for item in swedish["items"]]
    assert ids == sorted(ids)  # oldest first: stable paging while pages are added
    assert set(ids) == {t[n].pk for n in ("home_sv", "news", "about", "first", "second")}
    assert swedish["totalCount"] == 5
    assert {item["__typename"] for item in swedish["items"]} == {
        "HomePage",
        "NewsIndexPage",
        "StandardPage",
        "NewsArticlePage",
    }

    english = {int(item["id"]): item for item in listed(client, locale="en")["items"]}
    assert set(english) == {t[n].pk for n in ("home_en", "news_en", "about", "first_en", "second")}
    assert english[t["second"].pk]["isFallback"] is True
    assert english[t["first_en"].pk]["url"].startswith("/en/")
    only_english = listed(client, locale="en", fallback=False)
    assert only_english["totalCount"] == 3


def test_pages_filters_by_page_type_enum_and_pages_through(client, site_tree):
    articles = listed(client, types=["NewsArticlePage"])
    assert [item["id"] for item in articles["items"]] == [
        str(site_tree["first"].pk),
        str(site_tree["second"].pk),
    ]
    assert articles["totalCount"] == 2
    second_page = listed(client, limit=2, offset=2)
    assert len(second_page["items"]) == 2 and second_page["totalCount"] == 5

    response = gql(client, PAGES, {"types": ["EventPageX"]})
    assert response.status_code == 400
    assert "PageType" in response.json()["errors"][0]["message"]


def test_sitemap_has_one_language_with_alternates(client, site_tree):
    t = site_tree
    english = gql_data(client, SITEMAP, {"locale": "en"})["sitemap"]
    urls = [item["url"] for item in english["items"]]
    assert all(url.startswith("/en/") for url in urls)  # Swedish pages: in the Swedish one
    assert english["totalCount"] == len(urls) == 3
    entry = next(item for item in english["items"] if item["url"] == t["first_en"].url)
    assert entry["lastPublishedAt"]
    assert entry["alternates"] == [
        {"locale": "sv", "url": "/sv/nyheter/forsta/"},
        {"locale": "en", "url": t["first_en"].url},
    ]
    swedish = gql_data(client, SITEMAP, {"locale": "sv"})["sitemap"]
    assert "/sv/intern/" not in [item["url"] for item in swedish["items"]]
    assert swedish["totalCount"] == 5


def test_list_queries_cost_the_same_for_any_number_of_pages(client, site_tree, sv, en):
    def add(count, offset):
        for number in range(offset, offset + count):
            page = publish(
                NewsArticlePageFactory(parent=site_tree["news"], locale=sv, title=f"Sida {number}")
            )
            translate(page, en)
        settle()
        pages, _ = count_queries(client, PAGES, {"limit": 100, "locale": "en"})
        sitemap, response = count_queries(client, SITEMAP, {"locale": "en"})
        return pages, sitemap, len(response.json()["data"]["sitemap"]["items"])

    few = add(1, 0)
    many = add(7, 1)
    assert many[2] == few[2] + 7
    assert many[:2] == few[:2]


# --- Redirects ----------------------------------------------------------------------------


def test_a_page_moved_in_the_admin_redirects_from_its_old_path(
    client, admin_client, site_tree, sv, home_sv, django_capture_on_commit_callbacks
):
    t = site_tree
    archive = publish(StandardPageFactory(parent=home_sv, locale=sv, title="Arkiv", slug="arkiv"))
    settle()
    assert gql_data(client, REDIRECT, {"path": "/sv/om-oss/"})["redirect"] is None

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtailadmin_pages:move_confirm", args=[t["about"].pk, archive.pk])
        )
    assert response["Location"] == reverse("wagtailadmin_explore", args=[archive.pk])
    settle()
    for path in ("/sv/om-oss/", "/sv/om-oss"):
        found = gql_data(client, REDIRECT, {"path": path})["redirect"]
        assert found == {
            "oldPath": "/sv/om-oss",
            "to": "/sv/arkiv/om-oss/",
            "isPermanent": True,
            "page": {"id": str(t["about"].pk), "url": "/sv/arkiv/om-oss/"},
        }, path


def test_a_renamed_page_redirects_in_both_languages(
    client, site_tree, en, django_capture_on_commit_callbacks
):
    t = site_tree
    old_english = t["first_en"].url
    for page, slug in ((t["first"], "forsta-nytt"), (t["first_en"], "first-new")):
        page.refresh_from_db()
        page.slug = slug
        with django_capture_on_commit_callbacks(execute=True):  # Wagtail records it on commit
            publish(page)
    settle()
    swedish = gql_data(client, REDIRECT, {"path": "/sv/nyheter/forsta/"})["redirect"]
    assert swedish["to"] == "/sv/nyheter/forsta-nytt/"
    english = gql_data(client, REDIRECT, {"path": old_english})["redirect"]
    assert english["to"].startswith("/en/") and english["to"].endswith("/first-new/")


def test_a_redirect_to_a_hidden_page_or_a_script_is_never_served(client, site_tree):
    t = site_tree
    Redirect.objects.create(old_path="/sv/gammal", redirect_page=t["draft"])
    Redirect.objects.create(old_path="/sv/hemlig", redirect_page=t["private"])
    Redirect.objects.create(old_path="/sv/skript", redirect_link="javascript:alert(1)")
    Redirect.objects.create(
        old_path="/sv/extern", redirect_link="https://icld.se/", is_permanent=False
    )
    settle()
    for path in ("/sv/gammal/", "/sv/hemlig/", "/sv/skript/"):
        assert gql_data(client, REDIRECT, {"path": path})["redirect"] is None, path
    external = gql_data(client, REDIRECT, {"path": "/sv/extern/"})["redirect"]
    assert external == {
        "oldPath": "/sv/extern",
        "to": "https://icld.se/",
        "isPermanent": False,
        "page": None,
    }
    assert [item["oldPath"] for item in gql_data(client, REDIRECTS)["redirects"]["items"]] == [
        "/sv/extern"
    ]

    publish(t["draft"])  # published later: its redirect appears at once
    settle()
    assert gql_data(client, REDIRECT, {"path": "/sv/gammal/"})["redirect"]["page"] == {
        "id": str(t["draft"].pk),
        "url": "/sv/nyheter/" + t["draft"].slug + "/",
    }


def test_a_new_redirect_replaces_a_cached_null(client, site_tree):
    assert gql_data(client, REDIRECT, {"path": "/sv/ny/"})["redirect"] is None
    Redirect.objects.create(old_path="/sv/ny", redirect_page=site_tree["about"])
    settle()
    assert gql_data(client, REDIRECT, {"path": "/sv/ny/"})["redirect"]["to"] == "/sv/om-oss/"


def test_redirects_cost_the_same_for_any_number(client, site_tree, sv):
    def add(count, offset):
        for number in range(offset, offset + count):
            Redirect.objects.create(old_path=f"/sv/r{number}", redirect_page=site_tree["about"])
            moved = publish(  # each redirect of these leads to a page of its own
                NewsArticlePageFactory(parent=site_tree["news"], locale=sv, title=f"Flytt {number}")
            )
            Redirect.objects.create(old_path=f"/sv/s{number}", redirect_page=moved)
        settle()
        return count_queries(client, REDIRECTS)

    few, _ = add(1, 0)
    many, response = add(9, 1)
    assert response.json()["data"]["redirects"]["totalCount"] == 20
    assert many == few


def test_bad_redirect_path_is_400(client, site_tree):
    response = gql(client, REDIRECT, {"path": "sv/utan-snedstreck"})
    assert response.status_code == 400
