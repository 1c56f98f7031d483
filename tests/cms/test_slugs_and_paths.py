"""Addresses: new slugs are ASCII (å→a, ä→a, ö→o), and ``page(path:)`` finds a page by its
path whether it comes percent-encoded (a browser's address bar, a webhook's ``new_url``) or
not, for the Unicode slugs written before."""

from urllib.parse import quote

import pytest
from wagtail.test.utils.form_data import nested_form_data, streamfield

from cms.models import StandardPage
from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.cms.test_admin_pages import add_url, page_data
from tests.helpers import gql, gql_data, publish

pytestmark = pytest.mark.django_db

PAGE = "query($path: String!) { page(path: $path) { id title url } }"


def test_the_slug_field_writes_swedish_letters_as_ascii(admin_client, home_sv):
    """The slug input is told not to keep Unicode: its script (Wagtail's slug controller)
    writes å, ä, ö as a, a, o as one types (walked in a real browser in tests/browser)."""
    html = admin_client.get(add_url(StandardPage, home_sv)).content.decode()
    before, after = html.split('name="slug"')
    slug_input = before.rsplit("<input", 1)[1] + after.split(">", 1)[0]
    assert 'data-controller="w-slug"' in slug_input
    # Django writes a true boolean attribute bare and leaves a false one out (false is the
    # controller's default).
    assert "data-w-slug-allow-unicode-value" not in slug_input


def test_a_slug_typed_with_swedish_letters_is_refused_with_a_swedish_message(admin_client, home_sv):
    response = admin_client.post(
        add_url(StandardPage, home_sv),
        {
            **nested_form_data(page_data("Möte", "möte", intro="x", body=streamfield([]))),
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 200
    assert not StandardPage.objects.filter(title="Möte").exists()
    errors = response.context["form"].errors["slug"]
    assert errors == [
        "Använd bara bokstäverna a-z, siffror och bindestreck i sluggen: skriv å och ä som a "
        "och ö som o, t.ex. mote."
    ]


@pytest.fixture
def unicode_article(sv, home_sv):
    index = NewsIndexPageFactory(parent=home_sv, locale=sv)
    return publish(NewsArticlePageFactory(parent=index, locale=sv, title="Möte", slug="möte"))


def test_page_by_path_accepts_decoded_and_percent_encoded_paths(client, unicode_article):
    decoded = f"/sv/nyheter/{unicode_article.slug}/"
    assert decoded == "/sv/nyheter/möte/"
    for path in (decoded, quote(decoded), quote(decoded).lower()):
        page = gql_data(client, PAGE, {"path": path})["page"]
        assert page is not None, path
        assert (page["id"], page["url"]) == (str(unicode_article.pk), decoded)


def test_a_path_that_is_not_utf8_once_decoded_is_a_clear_400(client, unicode_article):
    response = gql(client, PAGE, {"path": "/sv/nyheter/m%F6te/"})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert "UTF-8" in error["message"] and error["extensions"]["code"] == "BAD_USER_INPUT"
