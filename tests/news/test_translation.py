"""Translating news with wagtail-localize: topic links and grants follow the translation, and
topic pages list only the live, public articles of their own language."""

import datetime

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield
from wagtail_localize.models import TranslationSource

from news.factories import (
    GrantAnnouncementPageFactory,
    NewsArticlePageFactory,
    NewsIndexPageFactory,
    PartnerOrganisationFactory,
    RecipientFactory,
)
from news.models import (
    ArticleKind,
    ArticleTopic,
    Grant,
    GrantAnnouncementPage,
    NewsArticlePage,
    Programme,
)
from tests.helpers import publish, translate
from topics.factories import TopicIndexPageFactory, TopicPageFactory


def english(text):
    return f"EN {text}"


@pytest.fixture
def tree(sv, en, home_sv):
    """Swedish news and topic indexes, two topics, all translated to English."""
    topic_index = TopicIndexPageFactory(parent=home_sv, locale=sv)
    public_sector = TopicPageFactory(parent=topic_index, locale=sv, title="Offentlig sektor")
    climate = TopicPageFactory(parent=topic_index, locale=sv, title="Klimat")
    news_index = NewsIndexPageFactory(parent=home_sv, locale=sv)
    translate(topic_index, en)
    return {
        "news_sv": news_index,
        "news_en": translate(news_index, en),
        "public_sector_sv": public_sector,
        "public_sector_en": translate(public_sector, en),
        "climate_sv": climate,
        "climate_en": translate(climate, en),
    }


def tag(article, *topics):
    for topic in topics:
        ArticleTopic.objects.create(page=article, topic=topic, locale=article.locale)
    return publish(article)


# --- Articles and their topics -----------------------------------------------------------------


def test_translated_article_points_at_translated_topics(tree, sv, en):
    article = NewsArticlePageFactory(
        parent=tree["news_sv"],
        locale=sv,
        title="Partnerskap i Zambia",
        kind=ArticleKind.RESEARCH,
        programme=Programme.RESEARCH,
    )
    tag(article, tree["public_sector_sv"], tree["climate_sv"])

    article_en = translate(article, en)

    assert article_en.locale == en
    assert article_en.live
    assert article_en.title == "EN Partnerskap i Zambia"
    assert article_en.get_parent().specific == tree["news_en"]
    assert (article_en.date, article_en.kind, article_en.programme) == (
        article.date,
        ArticleKind.RESEARCH,
        Programme.RESEARCH,
    )
    links = list(article_en.article_topics.order_by("sort_order"))
    assert [link.topic_id for link in links] == [
        tree["public_sector_en"].pk,
        tree["climate_en"].pk,
    ]
    assert all(link.locale == en for link in links)
    # The Swedish article still points at the Swedish topics.
    assert {link.topic_id for link in article.article_topics.all()} == {
        tree["public_sector_sv"].pk,
        tree["climate_sv"].pk,
    }
    # Each topic page lists the article of its own language only.
    assert list(tree["public_sector_en"].related_articles()) == [
        NewsArticlePage.objects.get(pk=article_en.pk)
    ]
    assert list(tree["climate_sv"].related_articles()) == [article]


def test_article_body_is_translated(tree, sv, en):
    article = NewsArticlePageFactory(
        parent=tree["news_sv"],
        locale=sv,
        body=[
            ("heading", {"text": "Bakgrund", "level": "h3"}),
            ("quote", {"quote": "Demokrati byggs lokalt.", "attribution": "Johan Lilja"}),
            (
                "call_to_action",
                {"text": "Läs om ämnet", "page": tree["climate_sv"], "url": None},
            ),
        ],
    )
    publish(article)

    body = translate(article, en).body

    assert body[0].value["text"] == "EN Bakgrund"
    assert body[0].value["level"] == "h3"
    assert body[1].value["quote"] == "EN Demokrati byggs lokalt."
    assert body[2].value["text"] == "EN Läs om ämnet"
    # A page link inside a block is kept as stored (wagtail-localize treats page choosers as
    # overridable, not translated); the API localises it when it is read.
    assert body[2].value["page"].pk == tree["climate_sv"].pk
    assert body[2].value["page"].get_translation(en).pk == tree["climate_en"].pk


@pytest.fixture
def article_with_untranslated_topic(sv, en, home_sv):
    """A Swedish article tagged with a topic that has no English translation yet, translated."""
    topic_index = TopicIndexPageFactory(parent=home_sv, locale=sv)
    topic = TopicPageFactory(parent=topic_index, locale=sv)
    news_index = NewsIndexPageFactory(parent=home_sv, locale=sv)
    translate(news_index, en)
    article = tag(NewsArticlePageFactory(parent=news_index, locale=sv), topic)
    # wagtail-localize's save_target() falls back to the source value for an untranslated
    # related object instead of refusing, so this succeeds.
    article_en = translate(article, en)
    return topic_index, topic, article, article_en


def test_topic_lists_only_articles_in_its_own_language(article_with_untranslated_topic, en):
    """The English article still links to the Swedish topic (wagtail-localize fell back), yet
    the Swedish topic lists only the Swedish article, and the English topic, once it exists,
    lists the English article."""
    topic_index, topic, article, article_en = article_with_untranslated_topic
    assert [link.topic_id for link in article_en.article_topics.all()] == [topic.pk]

    assert list(topic.related_articles()) == [article]

    translate(topic_index, en)
    topic_en = translate(topic, en)
    assert list(topic_en.related_articles()) == [NewsArticlePage.objects.get(pk=article_en.pk)]
    assert list(topic.related_articles()) == [article]


def test_article_topic_follows_once_the_topic_is_translated(article_with_untranslated_topic, en):
    topic_index, topic, article, _ = article_with_untranslated_topic
    translate(topic_index, en)
    topic_en = translate(topic, en)

    TranslationSource.objects.get_for_instance(article).update_from_db()
    article_en = translate(article, en)

    assert [link.topic_id for link in article_en.article_topics.all()] == [topic_en.pk]
    assert list(topic.related_articles()) == [article]
    assert list(topic_en.related_articles()) == [NewsArticlePage.objects.get(pk=article_en.pk)]


# --- Grant announcements -----------------------------------------------------------------------


def test_translated_grants_keep_facts_and_translate_titles(tree, sv, en):
    recipient = RecipientFactory(name="Region Gotland", slug="region-gotland")
    bogota = PartnerOrganisationFactory(name="Alcaldía de Bogotá", city="Bogotá", country="CO")
    lusaka = PartnerOrganisationFactory(name="Lusaka City Council", city="Lusaka", country="ZM")
    other = RecipientFactory(name="Umeå kommun", slug="umea-kommun")
    page = GrantAnnouncementPageFactory(parent=tree["news_sv"], locale=sv, total_amount=18_000_000)
    first = Grant(
        page=page,
        locale=sv,
        recipient=recipient,
        project_title="Hållbar turism",
        programme=Programme.MUNICIPAL_PARTNERSHIP,
        topic=tree["climate_sv"],
        amount=1_500_000,
        year=2024,
        end_year=2026,
        sort_order=0,
    )
    first.partners.set([bogota, lusaka])
    first.save()
    second = Grant(page=page, locale=sv, recipient=other, year=2025, sort_order=1, amount=None)
    second.save()
    tag(page, tree["public_sector_sv"])

    page_en = translate(page, en)

    assert page_en.kind == ArticleKind.GRANT_ANNOUNCEMENT
    assert page_en.total_amount == 18_000_000
    grants = list(page_en.grants.order_by("sort_order"))
    assert len(grants) == 2
    first_en, second_en = grants
    assert first_en.pk != first.pk
    assert first_en.locale == en
    assert first_en.translation_key == first.translation_key
    assert first_en.recipient == recipient
    assert set(first_en.partners.all()) == {bogota, lusaka}
    assert (first_en.amount, first_en.year, first_en.end_year) == (1_500_000, 2024, 2026)
    assert first_en.programme == Programme.MUNICIPAL_PARTNERSHIP
    assert first_en.project_title == "EN Hållbar turism"
    assert first_en.topic_id == tree["climate_en"].pk
    assert second_en.recipient == other
    assert list(second_en.partners.all()) == []
    assert (second_en.amount, second_en.year, second_en.end_year) == (None, 2025, None)
    assert [link.topic_id for link in page_en.article_topics.all()] == [tree["public_sector_en"].pk]
    # The Swedish rows are untouched.
    first.refresh_from_db()
    assert first.project_title == "Hållbar turism"
    assert first.topic_id == tree["climate_sv"].pk
    assert set(first.partners.all()) == {bogota, lusaka}


def test_grant_changes_are_synchronised_on_update(tree, sv, en):
    """After the Swedish grant changes, updating the translation copies the new facts."""
    page = GrantAnnouncementPageFactory(parent=tree["news_sv"], locale=sv)
    grant = Grant(page=page, locale=sv, recipient=RecipientFactory(), amount=100, year=2024)
    grant.partners.set([PartnerOrganisationFactory(name="A")])
    grant.save()
    publish(page)
    translate(page, en)

    new_partner = PartnerOrganisationFactory(name="B")
    grant.amount = 200
    grant.year = 2025
    grant.partners.set([new_partner])
    grant.save()
    publish(page)
    source = TranslationSource.objects.get_for_instance(page)
    source.update_from_db()
    page_en = translate(page, en)

    grant_en = page_en.grants.get()
    assert (grant_en.amount, grant_en.year) == (200, 2025)
    assert list(grant_en.partners.all()) == [new_partner]


# --- English-only articles ---------------------------------------------------------------------


def test_article_can_exist_in_english_only(tree, en, admin_client):
    """An editor writes an article straight into the English news index."""
    url = reverse("wagtailadmin_pages:add", args=["news", "newsarticlepage", tree["news_en"].pk])
    data = nested_form_data(
        {
            "title": "Only in English",
            "slug": "only-in-english",
            "date": "2024-06-01",
            "kind": ArticleKind.NEWS,
            "programme": "",
            "body": streamfield([]),
            "article_topics": inline_formset([{"topic": tree["public_sector_en"].pk}]),
            "action-publish": "action-publish",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302

    article = NewsArticlePage.objects.get(slug="only-in-english")
    assert article.locale == en
    assert article.live
    assert article.url_path.startswith(tree["news_en"].url_path)
    assert not article.get_translations().exists()
    assert list(tree["public_sector_en"].related_articles()) == [article]
    assert not tree["public_sector_sv"].related_articles().exists()


# --- Which articles a topic lists --------------------------------------------------------------


def test_related_articles_lists_only_live_public_articles(tree, sv):
    topic = tree["public_sector_sv"]
    news = tree["news_sv"]

    def article(title, date, *topics):
        page = NewsArticlePageFactory(parent=news, locale=sv, title=title, date=date)
        return tag(page, *topics)

    older = article("Äldre", datetime.date(2023, 1, 1), topic)
    newer = article("Nyare", datetime.date(2024, 1, 1), topic, tree["climate_sv"])
    article("Annat ämne", datetime.date(2024, 2, 1), tree["climate_sv"])
    article("Utan ämne", datetime.date(2024, 2, 1))

    draft = NewsArticlePageFactory(
        parent=news, locale=sv, title="Utkast", date=datetime.date(2024, 3, 1), live=False
    )
    ArticleTopic.objects.create(page=draft, topic=topic, locale=sv)
    draft.save_revision()

    unpublished = article("Avpublicerad", datetime.date(2024, 4, 1), topic)
    unpublished.unpublish()

    private = article("Privat", datetime.date(2024, 5, 1), topic)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )

    assert list(topic.related_articles()) == [newer, older]
    assert list(tree["climate_sv"].related_articles().values_list("title", flat=True)) == [
        "Annat ämne",
        "Nyare",
    ]

    # Restricting a news index hides every article under it.
    PageViewRestriction.objects.create(page=news, restriction_type=PageViewRestriction.LOGIN)
    assert not topic.related_articles().exists()


def test_related_articles_include_grant_announcements(tree, sv):
    topic = tree["public_sector_sv"]
    announcement = GrantAnnouncementPageFactory(parent=tree["news_sv"], locale=sv)
    grant = Grant(page=announcement, locale=sv, recipient=RecipientFactory(), year=2024)
    grant.save()
    tag(announcement, topic)

    related = list(topic.related_articles())

    assert len(related) == 1
    assert related[0].pk == announcement.pk
    assert isinstance(related[0].specific, GrantAnnouncementPage)
    assert not tree["climate_sv"].related_articles().exists()
