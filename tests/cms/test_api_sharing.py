"""What a frontend writes in a page's <head>: the sharing image (`socialImage`, falling back
to the hero image) and the `hreflang` alternates; both hold only what readers may see and
cost the same for any number of pages."""

import pytest
from wagtail.models import PageViewRestriction

from cms.factories import CustomImageFactory
from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.helpers import count_queries, gql_data, publish, settle, translate

pytestmark = pytest.mark.django_db

PAGE = """
query($id: ID!, $locale: String) {
  page(id: $id, locale: $locale) {
    id locale seoTitle searchDescription
    socialImage { credit alt width rendition(preset: SOCIAL) { url width height } }
    alternates { locale url }
  }
}"""

LIST = """
query {
  newsArticles(limit: 100) {
    items { id socialImage { credit srcSet(preset: SOCIAL) } alternates { locale url } }
  }
}"""


@pytest.fixture
def index(sv, en, home_sv, home_en):
    news = NewsIndexPageFactory(parent=home_sv, locale=sv)
    translate(news, en)
    return news


def article(index, sv, **fields):
    return publish(NewsArticlePageFactory(parent=index, locale=sv, **fields))


def read(client, page, locale=None):
    return gql_data(client, PAGE, {"id": str(page.pk), "locale": locale})["page"]


def test_social_image_is_the_chosen_one_else_the_hero_image_else_null(client, index, sv):
    hero = CustomImageFactory(credit="Alice Hansson", description="Standard-alt")
    sharing = CustomImageFactory(credit="ICLD", file__width=1200, file__height=630)
    chosen = article(index, sv, title="Med delningsbild", hero_image=hero, social_image=sharing)
    fallback = article(
        index, sv, title="Med huvudbild", hero_image=hero, hero_alt_text="Två personer i Umeå"
    )
    neither = article(index, sv, title="Utan bild", hero_image=None)
    settle()

    image = read(client, chosen)["socialImage"]
    assert (image["credit"], image["width"]) == ("ICLD", 1200)
    assert image["rendition"]["url"].startswith("http")
    assert (image["rendition"]["width"], image["rendition"]["height"]) == (1200, 630)
    image = read(client, fallback)["socialImage"]
    assert (image["credit"], image["alt"]) == ("Alice Hansson", "Två personer i Umeå")
    assert read(client, neither)["socialImage"] is None


def test_seo_fields_are_the_editors(client, index, sv):
    page = article(index, sv, title="Rubrik", seo_title="SEO-rubrik", search_description="Kort.")
    settle()
    data = read(client, page)
    assert (data["seoTitle"], data["searchDescription"]) == ("SEO-rubrik", "Kort.")


def test_alternates_are_every_public_version_in_the_sites_order(client, index, sv, en):
    swedish = article(index, sv, title="Möte", slug="mote")
    english = translate(swedish, en)
    settle()
    expected = [
        {"locale": "sv", "url": "/sv/nyheter/mote/"},
        {"locale": "en", "url": f"/en/{english.url_path.split('/', 2)[2]}"},
    ]
    assert read(client, swedish)["alternates"] == expected
    assert read(client, english, "en")["alternates"] == expected

    english.unpublish()  # a draft is nobody's alternate
    settle()
    assert read(client, swedish)["alternates"] == expected[:1]


def test_a_private_version_is_no_alternate(client, index, sv, en, home_en):
    swedish = article(index, sv, title="Öppen", slug="oppen")
    english = translate(swedish, en)
    PageViewRestriction.objects.create(page=english, restriction_type="login")
    settle()
    # The group is hidden as a whole: an editor who restricts one language means them all.
    assert read(client, swedish) is None
    assert gql_data(client, LIST)["newsArticles"]["items"] == []


def test_sharing_fields_cost_the_same_for_any_number_of_pages(client, index, sv, en):
    def add(count, offset):
        for number in range(offset, offset + count):
            page = article(
                index,
                sv,
                title=f"Artikel {number}",
                hero_image=CustomImageFactory(),
                social_image=CustomImageFactory() if number % 2 else None,
            )
            translate(page, en)
        settle()
        return count_queries(client, LIST)

    few, response = add(2, 0)
    assert len(response.json()["data"]["newsArticles"]["items"]) == 2
    many, response = add(8, 2)
    items = response.json()["data"]["newsArticles"]["items"]
    assert len(items) == 10
    assert all(item["socialImage"]["srcSet"] for item in items)
    assert all(len(item["alternates"]) == 2 for item in items)
    assert many == few
