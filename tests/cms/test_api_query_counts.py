"""Query bounds of the operations not covered elsewhere: `site` with its menu and footer, and
`page(previewToken:)`. The bound does not grow with the number of menu links or blocks."""

import pytest
from wagtail.models import Page

from cms.factories import SiteSettingsFactory, StandardPageFactory
from cms.preview import make_preview_token
from tests.helpers import count_queries, gql_data, publish, translate

pytestmark = pytest.mark.django_db

SITE = """query($locale: String) { site(locale: $locale) {
  name locales menu { title url page { title url } }
  footer { html email address links { title url } social { service url } } } }"""


def menu_of(pages):
    return [{"type": "link", "value": {"page": page.pk, "url": "", "title": ""}} for page in pages]


def site_with_menu(sv, en, home_sv, count):
    pages = [publish(StandardPageFactory(parent=home_sv, locale=sv)) for _ in range(count)]
    for page in pages:
        translate(page, en)
    settings_sv = SiteSettingsFactory(locale=sv, menu=menu_of(pages), footer_links=menu_of(pages))
    return settings_sv, pages


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_site_query_count_does_not_grow_with_the_menu(client, sv, en, home_sv, home_en, locale):
    settings_sv, pages = site_with_menu(sv, en, home_sv, 3)
    small, response = count_queries(client, SITE, {"locale": locale})
    assert response.status_code == 200
    assert len(response.json()["data"]["site"]["menu"]) == 3

    more = [publish(StandardPageFactory(parent=home_sv, locale=sv)) for _ in range(9)]
    for page in more:
        translate(page, en)
    settings_sv.menu = menu_of(pages + more)
    settings_sv.footer_links = menu_of(pages + more)
    settings_sv.save()
    large, response = count_queries(client, SITE, {"locale": locale})
    data = response.json()["data"]["site"]
    assert len(data["menu"]) == 12
    if locale == "en":  # links follow the translations
        assert all(item["url"].startswith("/en/") for item in data["menu"])
    assert large == small
    assert small <= 5


PREVIEW = """query($token: String!) { page(previewToken: $token) { title url
  ... on StandardPage { body { id blockType ... on ParagraphBlock { html } } } } }"""


def test_preview_query_count_does_not_grow_with_the_body(client, sv, home_sv):
    def page_with_blocks(count):
        body = [
            {
                "type": "paragraph",
                "value": f'<p>Block {i} <a linktype="page" id="{home_sv.pk}">hem</a></p>',
            }
            for i in range(count)
        ]
        page = StandardPageFactory(parent=home_sv, locale=sv, body=body)
        revision = page.save_revision()
        return make_preview_token(revision)

    small, response = count_queries(client, PREVIEW, {"token": page_with_blocks(2)})
    assert response.status_code == 200
    assert len(response.json()["data"]["page"]["body"]) == 2
    large, response = count_queries(client, PREVIEW, {"token": page_with_blocks(25)})
    assert len(response.json()["data"]["page"]["body"]) == 25
    assert "/sv/" in response.json()["data"]["page"]["body"][0]["html"]
    assert large == small
    assert small <= 10


def test_preview_of_a_draft_is_not_visible_without_the_token(client, sv, home_sv):
    page = StandardPageFactory(parent=home_sv, locale=sv, title="Utkast", live=False)
    revision = page.save_revision()
    token = make_preview_token(revision)
    assert gql_data(client, PREVIEW, {"token": token})["page"]["title"] == "Utkast"
    assert not Page.objects.live().filter(pk=page.pk).exists()
    data = gql_data(client, "query($id: ID) { page(id: $id) { title } }", {"id": str(page.pk)})
    assert data["page"] is None
