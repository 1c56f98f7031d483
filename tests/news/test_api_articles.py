"""``newsArticles`` as a frontend uses it over HTTP: the listing, languages and fallback,
filters, ordering, pagination, argument errors, and a query count independent of the list."""

import datetime
from types import SimpleNamespace

import pytest
from wagtail.models import PageViewRestriction

from cms.factories import CustomImageFactory
from cms.models import CustomRendition
from news.factories import (
    GrantAnnouncementPageFactory,
    NewsArticlePageFactory,
    NewsIndexPageFactory,
    PartnerOrganisationFactory,
    RecipientFactory,
)
from news.models import ArticleKind, ArticleTopic, Grant, Programme
from tests.helpers import (
    bad_request,
    count_queries,
    gql_data,
    publish,
    translate,
    translate_as,
)
from topics.factories import TopicIndexPageFactory, TopicPageFactory

pytestmark = pytest.mark.django_db

LISTING = """
query Articles(
  $locale: String, $fallback: Boolean, $topic: String, $programme: Programme, $kind: ArticleKind,
  $year: Int, $order: NewsOrdering, $limit: Int, $offset: Int
) {
  newsArticles(
    locale: $locale, fallback: $fallback, topic: $topic, programme: $programme, kind: $kind,
    year: $year, order: $order, limit: $limit, offset: $offset
  ) {
    totalCount
    items {
      __typename title url locale isFallback intro date kind
      heroImage {
        credit alt caption
        rendition(preset: CARD) { url width height }
        srcSet(preset: CARD)
      }
      topics { title slug url }
      translations { locale title url }
    }
  }
}
"""


def listing(client, **variables):
    return gql_data(client, LISTING, variables)["newsArticles"]


def titles(result):
    return [item["title"] for item in result["items"]]


def make_article(parent, title, date, *, topics=(), factory=NewsArticlePageFactory, **fields):
    """An article published like an editor would, tagged with ``topics``."""
    page = factory(
        parent=parent,
        locale=parent.locale,
        title=title,
        slug=title.lower().replace(" ", "-"),
        date=date,
        **fields,
    )
    for topic in topics:
        ArticleTopic.objects.create(page=page, topic=topic, locale=page.locale)
    return publish(page)


def make_private(page):
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )


@pytest.fixture
def tree(sv, en, home_sv):
    """News and topic indexes in both languages (/sv/nyheter/, /en/news/, /sv/amnen/,
    /en/topics/) and two topics translated to English."""
    news_sv = NewsIndexPageFactory(parent=home_sv, locale=sv)
    news_en = translate_as(news_sv, en, title="News", slug="news")
    topics_sv = TopicIndexPageFactory(parent=home_sv, locale=sv)
    translate_as(topics_sv, en, title="Topics", slug="topics")
    public_sv = TopicPageFactory(
        parent=topics_sv, locale=sv, title="Offentlig sektor", slug="offentlig-sektor"
    )
    climate_sv = TopicPageFactory(parent=topics_sv, locale=sv, title="Klimat", slug="klimat")
    return SimpleNamespace(
        news_sv=news_sv,
        news_en=news_en,
        public_sv=public_sv,
        public_en=translate_as(public_sv, en, title="Public sector", slug="public-sector"),
        climate_sv=climate_sv,
        climate_en=translate_as(climate_sv, en, title="Climate", slug="climate"),
    )


# --- The listing -------------------------------------------------------------------------------


def test_items_are_articles_with_every_listing_field_newest_first(client, tree, sv):
    photo = CustomImageFactory(
        credit="Alice Hansson",
        description="Två personer vid ett bord",
        file__width=1280,
        file__height=720,
    )
    make_article(
        tree.news_sv,
        "Gammal nyhet",
        datetime.date(2023, 5, 1),
        intro="Det hände förra året.",
        hero_image=photo,
        hero_alt_text="Ett möte i Lusaka",
        hero_caption="Mötet i mars.",
        topics=[tree.climate_sv, tree.public_sv],
    )
    make_article(
        tree.news_sv,
        "Nya bidrag",
        datetime.date(2024, 9, 1),
        factory=GrantAnnouncementPageFactory,
        intro="Tolv kommuner får bidrag.",
    )
    make_article(tree.news_sv, "Mellan", datetime.date(2024, 1, 15), kind=ArticleKind.EVENT)

    result = listing(client, locale="sv")

    assert result["totalCount"] == 3
    assert titles(result) == ["Nya bidrag", "Mellan", "Gammal nyhet"]
    grant, middle, first = result["items"]
    assert grant["__typename"] == "GrantAnnouncementPage"
    assert grant["kind"] == "grant_announcement"
    assert grant["heroImage"] is None
    assert middle["__typename"] == "NewsArticlePage"
    assert middle["kind"] == "event"
    assert first == {
        "__typename": "NewsArticlePage",
        "title": "Gammal nyhet",
        "url": "/sv/nyheter/gammal-nyhet/",
        "locale": "sv",
        "isFallback": False,
        "intro": "Det hände förra året.",
        "date": "2023-05-01",
        "kind": "news",
        "heroImage": {
            "credit": "Alice Hansson",
            "alt": "Ett möte i Lusaka",
            "caption": "Mötet i mars.",
            "rendition": first["heroImage"]["rendition"],
            "srcSet": first["heroImage"]["srcSet"],
        },
        "topics": [
            {"title": "Klimat", "slug": "klimat", "url": "/sv/amnen/klimat/"},
            {
                "title": "Offentlig sektor",
                "slug": "offentlig-sektor",
                "url": "/sv/amnen/offentlig-sektor/",
            },
        ],
        "translations": [],
    }
    rendition = first["heroImage"]["rendition"]
    assert rendition["url"].endswith(".webp")
    assert (rendition["width"], rendition["height"]) == (640, 360)
    small, large = first["heroImage"]["srcSet"].split(", ")
    assert small == f"{rendition['url']} 640w"
    assert large.endswith(".webp 1280w")


def test_hero_alt_text_falls_back_to_the_images_default_alt_text(client, tree):
    photo = CustomImageFactory(credit="", description="Bogotás stadshus")
    make_article(tree.news_sv, "Utan alt", datetime.date(2024, 1, 1), hero_image=photo)

    (item,) = listing(client, locale="sv")["items"]

    assert item["heroImage"]["alt"] == "Bogotás stadshus"
    assert item["heroImage"]["credit"] == ""
    assert item["heroImage"]["caption"] == ""


def test_only_live_public_articles_are_listed(client, tree, sv):
    make_article(tree.news_sv, "Publicerad", datetime.date(2024, 1, 1))
    NewsArticlePageFactory(parent=tree.news_sv, locale=sv, title="Utkast", live=False)
    make_article(tree.news_sv, "Avpublicerad", datetime.date(2024, 1, 2)).unpublish()
    make_private(make_article(tree.news_sv, "Privat", datetime.date(2024, 1, 3)))
    future = make_article(tree.news_sv, "Framtida", datetime.date(2024, 1, 4))
    future.go_live_at = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    future.save()

    for locale in ("sv", "en"):
        result = listing(client, locale=locale)
        assert titles(result) == ["Publicerad"], locale
        assert result["totalCount"] == 1


def test_a_private_news_section_hides_its_articles(client, tree):
    make_article(tree.news_sv, "Bakom inloggning", datetime.date(2024, 1, 1))
    PageViewRestriction.objects.create(page=tree.news_sv, restriction_type="login")

    assert listing(client, locale="sv") == {"totalCount": 0, "items": []}


# --- Languages and fallback --------------------------------------------------------------------


@pytest.fixture
def bilingual(tree, sv, en):
    """A translated article, a Swedish-only one and an English-only one."""
    both = make_article(
        tree.news_sv, "Båda språken", datetime.date(2024, 3, 1), topics=[tree.public_sv]
    )
    both_en = translate_as(both, en, title="Both languages", slug="both-languages")
    swedish = make_article(tree.news_sv, "Bara svenska", datetime.date(2024, 2, 1))
    english = make_article(
        tree.news_en, "Only English", datetime.date(2024, 1, 1), topics=[tree.climate_en]
    )
    return SimpleNamespace(both=both, both_en=both_en, swedish=swedish, english=english)


def summary(result):
    return [(item["title"], item["locale"], item["isFallback"]) for item in result["items"]]


def test_english_listing_falls_back_to_swedish_articles(client, bilingual):
    result = listing(client, locale="en")

    assert result["totalCount"] == 3
    assert summary(result) == [
        ("Both languages", "en", False),
        ("Bara svenska", "sv", True),
        ("Only English", "en", False),
    ]
    urls = [item["url"] for item in result["items"]]
    assert urls == [
        "/en/news/both-languages/",
        "/sv/nyheter/bara-svenska/",
        "/en/news/only-english/",
    ]


def test_swedish_listing_shows_english_only_articles_as_fallback(client, bilingual):
    result = listing(client, locale="sv")

    assert result["totalCount"] == 3
    assert summary(result) == [
        ("Båda språken", "sv", False),
        ("Bara svenska", "sv", False),
        ("Only English", "en", True),
    ]
    assert result["items"][2]["url"] == "/en/news/only-english/"


def test_default_locale_is_swedish(client, bilingual):
    assert listing(client) == listing(client, locale="sv")


def test_without_fallback_only_the_requested_language_is_listed(client, bilingual):
    swedish = listing(client, locale="sv", fallback=False)
    english = listing(client, locale="en", fallback=False)

    assert summary(swedish) == [("Båda språken", "sv", False), ("Bara svenska", "sv", False)]
    assert swedish["totalCount"] == 2
    assert summary(english) == [("Both languages", "en", False), ("Only English", "en", False)]
    assert english["totalCount"] == 2


def test_an_unpublished_translation_is_replaced_by_the_source(client, bilingual):
    bilingual.both_en.unpublish()

    english = listing(client, locale="en")
    swedish = listing(client, locale="sv")

    assert summary(english)[0] == ("Båda språken", "sv", True)
    assert english["totalCount"] == 3
    assert english["items"][0]["translations"] == []
    assert swedish["items"][0]["translations"] == []
    assert [t for t, *_ in summary(listing(client, locale="en", fallback=False))] == [
        "Only English"
    ]


def test_an_unpublished_source_leaves_its_translation_as_fallback(client, bilingual):
    bilingual.both.unpublish()

    swedish = listing(client, locale="sv")

    assert summary(swedish) == [
        ("Both languages", "en", True),
        ("Bara svenska", "sv", False),
        ("Only English", "en", True),
    ]
    assert swedish["items"][0]["translations"] == []


def test_translations_are_the_live_other_language_versions(client, bilingual):
    (both_sv, *_) = listing(client, locale="sv")["items"]
    (both_en, swedish_as_fallback, english) = listing(client, locale="en")["items"]

    assert both_sv["translations"] == [
        {"locale": "en", "title": "Both languages", "url": "/en/news/both-languages/"}
    ]
    assert both_en["translations"] == [
        {"locale": "sv", "title": "Båda språken", "url": "/sv/nyheter/båda-språken/"}
    ]
    assert swedish_as_fallback["translations"] == []
    assert english["translations"] == []


def test_topics_of_a_translated_article_are_the_english_topics(client, bilingual):
    both_sv = listing(client, locale="sv")["items"][0]
    both_en = listing(client, locale="en")["items"][0]

    assert both_sv["topics"] == [
        {
            "title": "Offentlig sektor",
            "slug": "offentlig-sektor",
            "url": "/sv/amnen/offentlig-sektor/",
        }
    ]
    assert both_en["topics"] == [
        {"title": "Public sector", "slug": "public-sector", "url": "/en/topics/public-sector/"}
    ]
    assert all(topic["url"].startswith("/en/") for topic in both_en["topics"])


def test_unpublished_topics_are_not_shown(client, bilingual, tree):
    tree.public_en.unpublish()
    tree.public_sv.unpublish()

    assert listing(client, locale="sv")["items"][0]["topics"] == []
    assert listing(client, locale="en")["items"][0]["topics"] == []


# --- Filters ----------------------------------------------------------------------------------


@pytest.fixture
def filterable(tree, sv, en):
    make_article(
        tree.news_sv,
        "Forskning om klimat",
        datetime.date(2024, 5, 1),
        kind=ArticleKind.RESEARCH,
        programme=Programme.RESEARCH,
        topics=[tree.climate_sv],
    )
    partnership = make_article(
        tree.news_sv,
        "Partnerskap",
        datetime.date(2023, 11, 1),
        programme=Programme.MUNICIPAL_PARTNERSHIP,
        topics=[tree.public_sv, tree.climate_sv],
    )
    translate_as(partnership, en, title="Partnership", slug="partnership")
    make_article(
        tree.news_sv,
        "Utlysning",
        datetime.date(2024, 2, 1),
        factory=GrantAnnouncementPageFactory,
        programme=Programme.MUNICIPAL_PARTNERSHIP,
        topics=[tree.public_sv],
    )
    make_article(
        tree.news_en,
        "Training programme",
        datetime.date(2022, 6, 1),
        kind=ArticleKind.EVENT,
        programme=Programme.INTERNATIONAL_TRAINING,
        topics=[tree.climate_en],
    )


def test_topic_filter_accepts_swedish_and_english_slugs(client, filterable):
    by_swedish_slug = listing(client, locale="sv", topic="klimat")
    by_english_slug = listing(client, locale="sv", topic="climate")

    assert titles(by_swedish_slug) == ["Forskning om klimat", "Partnerskap", "Training programme"]
    assert by_swedish_slug["totalCount"] == 3
    assert by_english_slug == by_swedish_slug
    english = listing(client, locale="en", topic="klimat")
    assert titles(english) == ["Forskning om klimat", "Partnership", "Training programme"]
    assert listing(client, locale="en", topic="climate") == english
    assert titles(listing(client, locale="sv", topic="public-sector")) == [
        "Utlysning",
        "Partnerskap",
    ]


def test_unknown_topic_gives_an_empty_list(client, filterable):
    assert listing(client, locale="sv", topic="finns-inte") == {"totalCount": 0, "items": []}


def test_programme_kind_and_year_filters(client, filterable):
    assert titles(listing(client, locale="sv", programme="municipal_partnership")) == [
        "Utlysning",
        "Partnerskap",
    ]
    assert titles(listing(client, locale="en", programme="municipal_partnership")) == [
        "Utlysning",
        "Partnership",
    ]
    assert titles(listing(client, locale="sv", kind="grant_announcement")) == ["Utlysning"]
    assert titles(listing(client, locale="sv", kind="event")) == ["Training programme"]
    assert titles(listing(client, locale="sv", year=2024)) == ["Forskning om klimat", "Utlysning"]
    assert titles(listing(client, locale="sv", year=2023)) == ["Partnerskap"]
    assert listing(client, locale="sv", year=2021)["totalCount"] == 0
    combined = listing(
        client, locale="sv", topic="offentlig-sektor", year=2024, kind="grant_announcement"
    )
    assert titles(combined) == ["Utlysning"]
    assert combined["totalCount"] == 1


def test_filters_respect_fallback_false(client, filterable):
    assert titles(listing(client, locale="en", fallback=False, topic="klimat")) == [
        "Partnership",
        "Training programme",
    ]


# --- Ordering and pagination -------------------------------------------------------------------


def test_orderings(client, filterable):
    assert titles(listing(client, locale="sv", order="DATE_ASC")) == [
        "Training programme",
        "Partnerskap",
        "Utlysning",
        "Forskning om klimat",
    ]
    assert titles(listing(client, locale="sv", order="TITLE_ASC")) == [
        "Forskning om klimat",
        "Partnerskap",
        "Training programme",
        "Utlysning",
    ]
    assert titles(listing(client, locale="sv", order="DATE_DESC")) == titles(
        listing(client, locale="sv")
    )
    inline = gql_data(client, "{ newsArticles(order: DATE_ASC, limit: 1) { items { title } } }")
    assert inline["newsArticles"]["items"] == [{"title": "Training programme"}]


def test_same_date_articles_have_a_stable_order(client, tree):
    for n in range(5):
        make_article(tree.news_sv, f"Samma dag {n}", datetime.date(2024, 1, 1))

    everything = titles(listing(client, locale="sv"))
    pages = [titles(listing(client, locale="sv", limit=2, offset=o)) for o in (0, 2, 4)]

    assert sorted(everything) == [f"Samma dag {n}" for n in range(5)]
    assert sum(pages, []) == everything


def test_total_count_is_the_whole_filtered_set_and_items_a_window(client, tree):
    for day in range(1, 8):
        make_article(tree.news_sv, f"Dag {day}", datetime.date(2024, 1, day))

    window = listing(client, locale="sv", limit=3, offset=2)
    assert window["totalCount"] == 7
    assert titles(window) == ["Dag 5", "Dag 4", "Dag 3"]
    assert listing(client, locale="sv", limit=0) == {"totalCount": 7, "items": []}
    assert listing(client, locale="sv", offset=7) == {"totalCount": 7, "items": []}
    default = listing(client, locale="sv", year=2024)
    assert default["totalCount"] == 7
    assert len(default["items"]) == 7


def test_default_limit_is_twenty_and_the_maximum_one_hundred(client, tree, sv):
    for _ in range(21):
        NewsArticlePageFactory(parent=tree.news_sv, locale=sv)

    assert len(listing(client, locale="sv")["items"]) == 20
    assert len(listing(client, locale="sv", limit=100)["items"]) == 21
    assert listing(client, locale="sv", limit=100)["totalCount"] == 21
    assert listing(client, locale="sv", offset=10000)["items"] == []


# --- Bad arguments are 400s ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ('programme: "culture"', "Programme"),
        ('kind: "blog"', "ArticleKind"),
        ('locale: "de"', "Unknown locale 'de'"),
        ("limit: -1", "limit"),
        ("limit: 101", "limit"),
        ("offset: -1", "offset"),
        ("offset: 10001", "offset"),
        ("year: 20240", "year"),
        ('limit: "x"', "Int"),
        ('year: "2024"', "Int"),
        ('fallback: "no"', "Boolean"),
        ("order: NEWEST", "NewsOrdering"),
        ('order: "DATE_ASC"', "NewsOrdering"),
        ("sort: DATE_ASC", "sort"),
    ],
)
def test_bad_arguments_are_rejected_with_a_clear_400(client, tree, arguments, expected):
    message = bad_request(client, f"{{ newsArticles({arguments}) {{ totalCount }} }}")
    assert expected in message


@pytest.mark.parametrize(
    "variables",
    [
        {"limit": "x"},
        {"limit": 1.5},
        {"order": "NEWEST"},
        {"order": "date_desc"},
        {"programme": "culture"},
        {"locale": "de"},
        {"limit": 101},
    ],
)
def test_bad_variables_are_rejected_with_a_400(client, tree, variables):
    message = bad_request(client, LISTING, variables)
    assert any(name in message for name in variables), message


# --- Query counts -----------------------------------------------------------------------------


def add_articles(tree, sv, en, start, count, topics):
    """``count`` articles, each with a hero image with a credit and 2-3 topics; every second
    one translated to English, every fifth a grant announcement with two grants."""
    recipient = RecipientFactory()
    partner = PartnerOrganisationFactory()
    for n in range(start, start + count):
        grant_announcement = n % 5 == 0
        factory = GrantAnnouncementPageFactory if grant_announcement else NewsArticlePageFactory
        page = factory(
            parent=tree.news_sv,
            locale=sv,
            title=f"Artikel {n:03}",
            slug=f"artikel-{n:03}",
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
            hero_image=CustomImageFactory(file__width=32, file__height=18),
            hero_alt_text=f"Bild {n}",
        )
        for topic in topics[n % 3 : n % 3 + 2 + n % 2]:
            ArticleTopic.objects.create(page=page, topic=topic, locale=sv)
        if grant_announcement:
            for sort_order in range(2):
                grant = Grant(
                    page=page,
                    locale=sv,
                    recipient=recipient,
                    amount=100_000,
                    year=2024,
                    sort_order=sort_order,
                )
                grant.partners.set([partner])
                grant.save()
        publish(page)
        if n % 2 == 0:
            translate(page, en)


@pytest.fixture
def topic_pool(tree, sv, en):
    index = tree.public_sv.get_parent()
    extra = [
        TopicPageFactory(parent=index, locale=sv, title=title, slug=title.lower())
        for title in ("Jämställdhet", "Hållbarhet")
    ]
    for topic in extra:
        translate(topic, en)
    return [tree.public_sv, tree.climate_sv, *extra]


def test_listing_query_count_does_not_grow_with_the_list(client, tree, sv, en, topic_pool):
    add_articles(tree, sv, en, 0, 20, topic_pool)
    small = {}
    for locale in ("sv", "en"):
        small[locale], response = count_queries(client, LISTING, {"locale": locale, "limit": 100})
        body = response.json()
        assert response.status_code == 200, body
        assert len(body["data"]["newsArticles"]["items"]) == 20

    add_articles(tree, sv, en, 20, 80, topic_pool)
    for locale in ("sv", "en"):
        large, response = count_queries(client, LISTING, {"locale": locale, "limit": 100})
        body = response.json()
        assert response.status_code == 200, body
        items = body["data"]["newsArticles"]["items"]
        assert len(items) == 100
        assert all(item["heroImage"]["credit"] for item in items)
        assert all(len(item["topics"]) in (2, 3) for item in items)
        if locale == "en":
            assert sum(not item["isFallback"] for item in items) == 50
            assert all(
                topic["url"].startswith("/en/") for item in items for topic in item["topics"]
            )
        assert sum(item["__typename"] == "GrantAnnouncementPage" for item in items) == 20
        assert large == small[locale], f"{locale}: {small[locale]} queries for 20, {large} for 100"
        assert large <= 8, f"{locale}: {large} queries"


def test_second_identical_request_creates_no_renditions(client, tree, sv, en, topic_pool):
    add_articles(tree, sv, en, 0, 6, topic_pool)
    before = CustomRendition.objects.count()

    first = listing(client, locale="en")
    created = CustomRendition.objects.count()
    second = listing(client, locale="en")

    assert created > before
    assert CustomRendition.objects.count() == created
    assert second == first
