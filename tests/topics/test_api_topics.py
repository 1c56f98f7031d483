"""``topics`` and a topic page's ``articles`` as a frontend uses them over HTTP: topics in
alphabetical order in the reader's language, each with the live articles tagged with it."""

import datetime
from types import SimpleNamespace

import pytest
from wagtail.models import PageViewRestriction

from news.factories import (
    GrantAnnouncementPageFactory,
    NewsArticlePageFactory,
    NewsIndexPageFactory,
)
from news.models import ArticleTopic, NewsArticlePage
from tests.helpers import count_queries, gql_data, publish, translate, translate_as
from topics.factories import TopicIndexPageFactory, TopicPageFactory

pytestmark = pytest.mark.django_db

TOPICS = """
query Topics($locale: String, $fallback: Boolean, $limit: Int, $offset: Int) {
  topics(locale: $locale, fallback: $fallback) {
    title slug url locale isFallback
    articles(limit: $limit, offset: $offset) {
      totalCount
      items { title url locale isFallback }
    }
  }
}
"""


def topics(client, **variables):
    return gql_data(client, TOPICS, variables)["topics"]


def by_title(result):
    return {topic["title"]: topic for topic in result}


def article_titles(topic):
    return [item["title"] for item in topic["articles"]["items"]]


def make_article(parent, title, date, *topics, factory=NewsArticlePageFactory, **fields):
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


def edit_tags(article, add=(), remove=(), publish_it=True):
    """Change an article's topics in the editor's way: on the page, then publish."""
    page = NewsArticlePage.objects.get(pk=article.pk)
    for link in list(page.article_topics.all()):
        if link.topic_id in {topic.pk for topic in remove}:
            page.article_topics.remove(link)
    for topic in add:
        page.article_topics.add(ArticleTopic(topic=topic, locale=page.locale))
    revision = page.save_revision()
    if publish_it:
        revision.publish()


@pytest.fixture
def tree(sv, en, home_sv):
    news_sv = NewsIndexPageFactory(parent=home_sv, locale=sv)
    news_en = translate_as(news_sv, en, title="News", slug="news")
    index_sv = TopicIndexPageFactory(parent=home_sv, locale=sv)
    index_en = translate_as(index_sv, en, title="Topics", slug="topics")
    climate = TopicPageFactory(parent=index_sv, locale=sv, title="Klimat", slug="klimat")
    equality = TopicPageFactory(
        parent=index_sv, locale=sv, title="Jämställdhet", slug="jamstalldhet"
    )
    public = TopicPageFactory(
        parent=index_sv, locale=sv, title="Offentlig sektor", slug="offentlig-sektor"
    )
    return SimpleNamespace(
        news_sv=news_sv,
        news_en=news_en,
        index_sv=index_sv,
        index_en=index_en,
        climate=climate,
        climate_en=translate_as(climate, en, title="Climate", slug="climate"),
        equality=equality,
        equality_en=translate_as(equality, en, title="Gender equality", slug="gender-equality"),
        public=public,
        public_en=translate_as(public, en, title="Public sector", slug="public-sector"),
    )


# --- The topic list ---------------------------------------------------------------------------


def test_topics_are_alphabetical_in_the_requested_language(client, tree):
    swedish = topics(client, locale="sv")
    english = topics(client, locale="en")

    assert [(t["title"], t["url"]) for t in swedish] == [
        ("Jämställdhet", "/sv/amnen/jamstalldhet/"),
        ("Klimat", "/sv/amnen/klimat/"),
        ("Offentlig sektor", "/sv/amnen/offentlig-sektor/"),
    ]
    assert [(t["title"], t["url"]) for t in english] == [
        ("Climate", "/en/topics/climate/"),
        ("Gender equality", "/en/topics/gender-equality/"),
        ("Public sector", "/en/topics/public-sector/"),
    ]
    assert {(t["locale"], t["isFallback"]) for t in swedish} == {("sv", False)}
    assert {(t["locale"], t["isFallback"]) for t in english} == {("en", False)}
    assert topics(client) == swedish


def test_swedish_topics_follow_the_swedish_alphabet(client, sv, home_sv):
    """Å, Ä and Ö are the last letters of the Swedish alphabet, in that order."""
    index = TopicIndexPageFactory(parent=home_sv, locale=sv)
    for title in ("Öppenhet", "Ägande", "Vatten", "Återvinning", "Arbete", "Bistånd"):
        TopicPageFactory(parent=index, locale=sv, title=title)

    assert [t["title"] for t in topics(client, locale="sv")] == [
        "Arbete",
        "Bistånd",
        "Vatten",
        "Återvinning",
        "Ägande",
        "Öppenhet",
    ]


def test_untranslated_topics_fall_back_to_swedish(client, tree, sv, en):
    tree.public_en.unpublish()
    TopicPageFactory(parent=tree.index_en, locale=en, title="Digitalisation", slug="digitalisation")

    english = topics(client, locale="en")

    assert [(t["title"], t["locale"], t["isFallback"]) for t in english] == [
        ("Climate", "en", False),
        ("Digitalisation", "en", False),
        ("Gender equality", "en", False),
        ("Offentlig sektor", "sv", True),
    ]
    assert [t["title"] for t in topics(client, locale="en", fallback=False)] == [
        "Climate",
        "Digitalisation",
        "Gender equality",
    ]
    assert "Digitalisation" in [t["title"] for t in topics(client, locale="sv")]


def test_unpublished_and_private_topics_are_not_listed(client, tree):
    tree.equality.unpublish()
    tree.equality_en.unpublish()
    PageViewRestriction.objects.create(page=tree.public, restriction_type="login")

    assert [t["title"] for t in topics(client, locale="sv")] == ["Klimat"]
    assert [t["title"] for t in topics(client, locale="en")] == ["Climate"]


# --- A topic's articles -------------------------------------------------------------------------


def test_articles_follow_the_tags_of_the_articles(client, tree):
    article = make_article(tree.news_sv, "Taggad", datetime.date(2024, 1, 1), tree.climate)

    assert article_titles(by_title(topics(client))["Klimat"]) == ["Taggad"]
    assert article_titles(by_title(topics(client))["Jämställdhet"]) == []

    edit_tags(article, add=[tree.equality], remove=[tree.climate])

    result = by_title(topics(client))
    assert result["Klimat"]["articles"] == {"totalCount": 0, "items": []}
    assert article_titles(result["Jämställdhet"]) == ["Taggad"]
    assert result["Jämställdhet"]["articles"]["totalCount"] == 1


def test_a_tag_in_an_unpublished_draft_is_not_shown(client, tree):
    article = make_article(tree.news_sv, "Utkast till tagg", datetime.date(2024, 1, 1))

    edit_tags(article, add=[tree.climate], publish_it=False)

    assert by_title(topics(client))["Klimat"]["articles"]["totalCount"] == 0


def test_articles_are_live_public_and_newest_first(client, tree, sv):
    topic = tree.climate
    make_article(tree.news_sv, "Äldst", datetime.date(2022, 1, 1), topic)
    make_article(tree.news_sv, "Nyast", datetime.date(2024, 6, 1), topic)
    make_article(
        tree.news_sv,
        "Bidrag",
        datetime.date(2023, 1, 1),
        topic,
        factory=GrantAnnouncementPageFactory,
    )
    draft = NewsArticlePageFactory(
        parent=tree.news_sv, locale=sv, title="Utkast", date=datetime.date(2025, 1, 1), live=False
    )
    ArticleTopic.objects.create(page=draft, topic=topic, locale=sv)
    make_article(tree.news_sv, "Avpublicerad", datetime.date(2025, 1, 2), topic).unpublish()
    private = make_article(tree.news_sv, "Privat", datetime.date(2025, 1, 3), topic)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )
    future = make_article(tree.news_sv, "Framtida", datetime.date(2025, 1, 4), topic)
    future.go_live_at = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    future.save()

    klimat = by_title(topics(client))["Klimat"]

    assert article_titles(klimat) == ["Nyast", "Bidrag", "Äldst"]
    assert klimat["articles"]["totalCount"] == 3
    assert klimat["articles"]["items"][0]["url"] == "/sv/nyheter/nyast/"


def test_articles_window(client, tree):
    for day in range(1, 6):
        make_article(tree.news_sv, f"Dag {day}", datetime.date(2024, 1, day), tree.climate)

    klimat = by_title(topics(client, limit=2, offset=1))["Klimat"]

    assert klimat["articles"]["totalCount"] == 5
    assert article_titles(klimat) == ["Dag 4", "Dag 3"]
    empty = by_title(topics(client, limit=0))["Klimat"]["articles"]
    assert empty == {"totalCount": 5, "items": []}


@pytest.fixture
def bilingual_articles(tree, en):
    translated = make_article(tree.news_sv, "Översatt", datetime.date(2024, 3, 1), tree.climate)
    translate_as(translated, en, title="Translated", slug="translated")
    make_article(tree.news_sv, "Bara svenska", datetime.date(2024, 2, 1), tree.climate)
    make_article(tree.news_en, "Only English", datetime.date(2024, 1, 1), tree.climate_en)


def summary(topic):
    return [(i["title"], i["locale"], i["isFallback"]) for i in topic["articles"]["items"]]


def test_english_topic_lists_english_and_english_only_articles(client, bilingual_articles):
    climate = by_title(topics(client, locale="en"))["Climate"]

    assert summary(climate) == [
        ("Translated", "en", False),
        ("Bara svenska", "sv", True),
        ("Only English", "en", False),
    ]
    assert climate["articles"]["totalCount"] == 3
    assert climate["articles"]["items"][0]["url"] == "/en/news/translated/"


def test_swedish_topic_lists_swedish_versions_each_article_once(client, bilingual_articles):
    klimat = by_title(topics(client, locale="sv"))["Klimat"]

    assert summary(klimat) == [
        ("Översatt", "sv", False),
        ("Bara svenska", "sv", False),
        ("Only English", "en", True),
    ]
    assert klimat["articles"]["totalCount"] == 3


def test_article_translated_before_its_topic_is_listed_under_the_translated_topic(
    client, sv, en, home_sv
):
    """wagtail-localize links the English article to the Swedish topic while the topic has no
    translation; once the topic is translated, its English page lists the article."""
    news = NewsIndexPageFactory(parent=home_sv, locale=sv)
    translate_as(news, en, slug="news")
    index = TopicIndexPageFactory(parent=home_sv, locale=sv)
    topic = TopicPageFactory(parent=index, locale=sv, title="Klimat", slug="klimat")
    article = make_article(news, "Tidig", datetime.date(2024, 1, 1), topic)
    translate_as(article, en, title="Early", slug="early")
    translate_as(index, en, slug="topics")
    translate_as(topic, en, title="Climate", slug="climate")

    climate = by_title(topics(client, locale="en"))["Climate"]

    assert summary(climate) == [("Early", "en", False)]
    assert climate["articles"]["totalCount"] == 1


def test_an_article_tagged_with_both_language_versions_of_a_topic_is_listed_once(client, tree):
    make_article(tree.news_en, "Twice", datetime.date(2024, 5, 1), tree.climate, tree.climate_en)
    for day in range(1, 4):
        make_article(tree.news_sv, f"Dag {day}", datetime.date(2024, 1, day), tree.climate)

    climate = by_title(topics(client, locale="en", limit=2))["Climate"]

    assert climate["articles"]["totalCount"] == 4
    assert article_titles(climate) == ["Twice", "Dag 3"]


def test_a_topic_page_by_path_has_its_articles(client, bilingual_articles):
    query = """
    query($path: String!) {
      page(path: $path) {
        title locale
        ... on TopicPage { articles { totalCount items { title } } }
      }
    }
    """
    english = gql_data(client, query, {"path": "/en/topics/climate/"})["page"]
    swedish = gql_data(client, query, {"path": "/sv/amnen/klimat/"})["page"]

    assert english["title"] == "Climate"
    assert english["articles"]["totalCount"] == 3
    assert [i["title"] for i in english["articles"]["items"]] == [
        "Translated",
        "Bara svenska",
        "Only English",
    ]
    assert swedish["articles"]["totalCount"] == 3
    assert [i["title"] for i in swedish["articles"]["items"]][0] == "Översatt"


# --- Query count --------------------------------------------------------------------------------


def test_query_count_does_not_grow_with_topics_and_articles(client, sv, en, home_sv):
    news = NewsIndexPageFactory(parent=home_sv, locale=sv)
    translate_as(news, en, slug="news")
    index = TopicIndexPageFactory(parent=home_sv, locale=sv)
    translate_as(index, en, slug="topics")
    day = iter(range(1000))

    def add_topics(count):
        created = []
        for _ in range(count):
            topic = TopicPageFactory(parent=index, locale=sv)
            translate(topic, en)
            created.append(topic)
        for n, topic in enumerate(created):
            for i in range(4):
                other = created[(n + 1) % len(created)]
                article = make_article(
                    news,
                    f"Artikel {next(day):03}",
                    datetime.date(2024, 1, 1) + datetime.timedelta(days=next(day)),
                    topic,
                    *([other] if i % 2 and other != topic else []),
                    factory=GrantAnnouncementPageFactory if i == 3 else NewsArticlePageFactory,
                )
                if i % 2 == 0:
                    translate(article, en)

    query = TOPICS
    add_topics(3)
    small = {}
    for locale in ("sv", "en"):
        small[locale], response = count_queries(client, query, {"locale": locale, "limit": 5})
        assert response.status_code == 200, response.content
        result = response.json()["data"]["topics"]
        assert len(result) == 3
        assert all(topic["articles"]["totalCount"] >= 4 for topic in result)

    add_topics(9)
    for locale in ("sv", "en"):
        large, response = count_queries(client, query, {"locale": locale, "limit": 5})
        assert response.status_code == 200, response.content
        result = response.json()["data"]["topics"]
        assert len(result) == 12
        assert all(topic["articles"]["items"] for topic in result)
        assert large == small[locale], f"{locale}: {small[locale]} for 3 topics, {large} for 12"
        assert large <= 10, f"{locale}: {large} queries"
