"""A translation goes live only when a translator publishes it, and readers can tell when one
lags behind its source (``isOutdated``).

Every way wagtail-localize makes a translation is walked through the admin's own views or
its models, as translators and administrators would: the admin's "Translate" action, a
locale's tree synchronisation, a PO upload, and "Sync translated pages"."""

import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Page
from wagtail_localize.models import LocaleSynchronization, Translation, TranslationSource

from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from news.models import ArticleTopic, NewsArticlePage
from tests.helpers import count_queries, gql_data, publish, settle, translate
from topics.factories import TopicIndexPageFactory, TopicPageFactory
from topics.models import TopicPage

pytestmark = pytest.mark.django_db

LIST = """
query($locale: String!) {
  newsArticles(locale: $locale) {
    totalCount
    items { id title locale isFallback isOutdated translations { locale title isOutdated } }
  }
}"""

PAGE = """
query($id: ID!, $locale: String) {
  page(id: $id, locale: $locale) {
    id title locale isFallback isOutdated translations { locale title url isOutdated }
  }
}"""

SEARCH = """
query($q: String!) { search(query: $q, locale: "en") { items { page { id locale isFallback } } } }
"""


@pytest.fixture
def news(sv, en, home_sv, home_en):
    """A Swedish news index translated to English, and one live Swedish article."""
    index = NewsIndexPageFactory(parent=home_sv, locale=sv)
    translate(index, en)
    article = NewsArticlePageFactory(parent=index, locale=sv, title="Lokaldemokrati i Umeå")
    return {"index": index, "article": publish(article)}


def english_items(client):
    return gql_data(client, LIST, {"locale": "en"})["newsArticles"]["items"]


def test_translate_action_leaves_the_english_page_a_draft(
    news, en, admin_client, client, django_capture_on_commit_callbacks
):
    article = news["article"]
    # Run what the admin's transaction would run after its commit (a publish is deferred
    # to on_commit by wagtail-localize): without this, a publish would go unseen here.
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtail_localize:submit_page_translation", args=[article.pk]),
            {"locales": [en.pk]},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    english = article.get_translation(en)
    assert not english.live  # a draft holding the Swedish text
    settle()

    # Readers of English get the Swedish article, said to be a fallback, everywhere.
    [item] = english_items(client)
    assert (item["id"], item["locale"], item["isFallback"]) == (str(article.pk), "sv", True)
    assert item["translations"] == []  # the draft is nobody's language switcher entry
    page = gql_data(client, PAGE, {"id": str(article.pk), "locale": "en"})["page"]
    assert (page["locale"], page["isFallback"]) == ("sv", True)
    assert gql_data(client, PAGE, {"id": str(english.pk)})["page"] is None
    [hit] = gql_data(client, SEARCH, {"q": "Lokaldemokrati"})["search"]["items"]
    assert (hit["page"]["id"], hit["page"]["isFallback"]) == (str(article.pk), True)

    # The translator translates and publishes: now English is English.
    english = translate(article, en, prefix="EN ")
    settle()
    [item] = english_items(client)
    assert (item["title"], item["locale"], item["isFallback"]) == (
        "EN Lokaldemokrati i Umeå",
        "en",
        False,
    )


def test_a_subtree_translation_leaves_every_new_page_a_draft(
    news, sv, en, admin_client, django_capture_on_commit_callbacks
):
    second = publish(NewsArticlePageFactory(parent=news["index"], locale=sv, title="Andra"))
    section = Page.objects.get(pk=news["index"].pk)
    section.get_translation(en).delete()  # translate the whole section anew, with its articles
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtail_localize:submit_page_translation", args=[section.pk]),
            {"locales": [en.pk], "include_subtree": "on"},
        )
    assert response.status_code == 302
    for page in (section, news["article"], second):
        assert not page.get_translation(en).live, page


def test_locale_synchronisation_stand_ins_are_never_served(news, sv, en, client, home_en):
    """Synchronising the English tree from Swedish makes English aliases of Swedish pages:
    live, with Swedish text, at English addresses. Readers never get them as English."""
    article = news["article"]
    NewsArticlePage.objects.filter(locale=en).delete()
    LocaleSynchronization.objects.create(locale=en, sync_from=sv)
    stand_in = Page.objects.get(translation_key=article.translation_key, locale=en)
    assert stand_in.alias_of_id == article.pk and stand_in.live  # what the library made
    settle()

    [item] = english_items(client)
    assert (item["id"], item["isFallback"], item["translations"]) == (str(article.pk), True, [])
    assert gql_data(client, PAGE, {"id": str(stand_in.pk)})["page"] is None
    path = "/en/" + stand_in.url_path.split("/", 2)[2]
    by_path = gql_data(client, "query($p: String!) { page(path: $p) { id } }", {"p": path})["page"]
    assert by_path is None
    [hit] = gql_data(client, SEARCH, {"q": "Lokaldemokrati"})["search"]["items"]
    assert (hit["page"]["id"], hit["page"]["isFallback"]) == (str(article.pk), True)


def test_po_upload_keeps_a_new_translation_a_draft(news, en, admin_client):
    article = news["article"]
    admin_client.post(
        reverse("wagtail_localize:submit_page_translation", args=[article.pk]),
        {"locales": [en.pk]},
    )
    translation = Translation.objects.get(
        source__object_id=article.translation_key, target_locale=en
    )
    po = translation.export_po()
    for entry in po:
        entry.msgstr = f"EN {entry.msgid}"
    upload = SimpleUploadedFile("en.po", str(po).encode(), content_type="text/x-gettext")
    response = admin_client.post(
        reverse("wagtail_localize:upload_pofile", args=[translation.pk]),
        {"file": upload, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert polib.pofile(str(translation.export_po()))[0].msgstr.startswith("EN ")
    assert not article.get_translation(en).live


def test_sync_translated_pages_publishes_nothing(news, en, admin_client, client):
    article = news["article"]
    translate(article, en, prefix="EN ")
    article.title = "Ny svensk rubrik"
    publish(article)
    source = TranslationSource.objects.get(object_id=article.translation_key)
    url = reverse("wagtail_localize:update_translations", args=[source.pk])

    page = admin_client.get(url).content.decode()
    assert 'type="checkbox" name="publish_translations"' not in page
    assert "data-draft-note" in page

    # Even a hand-made request asking to publish only refreshes the source.
    response = admin_client.post(url, {"publish_translations": "on"})
    assert response.status_code == 302
    english = NewsArticlePage.objects.get(translation_key=article.translation_key, locale=en)
    assert english.title == "EN Lokaldemokrati i Umeå"
    settle()
    [item] = english_items(client)
    assert (item["title"], item["isFallback"]) == ("EN Lokaldemokrati i Umeå", False)
    source.refresh_from_db()
    assert "Ny svensk rubrik" in source.content_json  # the new text is there to translate


TOPICS = '{ topics(locale: "en", fallback: false) { id title } }'


def test_sending_a_page_for_translation_never_publishes_a_draft_of_a_page_it_names(
    news, sv, en, home_sv, admin_client, client, django_capture_on_commit_callbacks
):
    """wagtail-localize updates the translations of the pages an article refers to (its
    topics) as drafts when the article is sent for translation, and upstream writes a draft
    of a live page into the row readers get (``cms.localize_compat``). The topic
    translator's unpublished wording must stay a draft until they publish it."""
    topics_sv = TopicIndexPageFactory(parent=home_sv, locale=sv)
    translate(topics_sv, en)
    topic = publish(TopicPageFactory(parent=topics_sv, locale=sv, title="Demokrati"))
    topic_en = translate(topic, en, prefix="EN ")
    # The topic's translator rewords the title in the editor and does not publish.
    translation = Translation.objects.get(source__object_id=topic.translation_key)
    po = translation.export_po()
    for entry in po:
        entry.msgstr = f"UTKAST {entry.msgid}"
    translation.import_po(po)
    article = news["article"]
    ArticleTopic.objects.create(page=article, topic=topic, locale=sv)
    publish(article)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtail_localize:submit_page_translation", args=[article.pk]),
            {"locales": [en.pk]},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    settle()

    # Readers still get the published wording; the translator's is the topic's draft.
    assert gql_data(client, TOPICS)["topics"] == [{"id": str(topic_en.pk), "title": "EN Demokrati"}]
    topic_en = TopicPage.objects.get(pk=topic_en.pk)
    assert (topic_en.title, topic_en.live, topic_en.has_unpublished_changes) == (
        "EN Demokrati",
        True,
        True,
    )
    draft = topic_en.get_latest_revision()
    assert draft.as_object().title == "UTKAST Demokrati"

    # Published by its translator, the new wording reaches readers.
    draft.publish()
    settle()
    assert gql_data(client, TOPICS)["topics"] == [
        {"id": str(topic_en.pk), "title": "UTKAST Demokrati"}
    ]


def test_is_outdated_follows_source_publishing_sync_and_translation(news, sv, en, client):
    article = news["article"]
    english = translate(article, en, prefix="EN ")
    settle()

    def state():
        swedish = gql_data(client, PAGE, {"id": str(article.pk)})["page"]
        english_page = gql_data(client, PAGE, {"id": str(english.pk), "locale": "en"})["page"]
        return (
            swedish["isOutdated"],
            swedish["translations"][0]["isOutdated"],
            english_page["isOutdated"],
            english_page["translations"][0]["isOutdated"],  # the Swedish source: never
        )

    assert state() == (False, False, False, False)

    article.title = "Lokaldemokrati i Umeå, uppdaterad"
    publish(article)  # the source moves on: cached answers about the group are purged
    settle()
    assert state() == (False, True, True, False)

    # The translator syncs: still outdated, the English page has not been published since.
    TranslationSource.update_or_create_from_instance(Page.objects.get(pk=article.pk).specific)
    settle()
    assert state() == (False, True, True, False)

    translate(article, en, prefix="EN ")  # translated and published anew
    settle()
    assert state() == (False, False, False, False)
    assert english_items(client)[0]["title"] == "EN Lokaldemokrati i Umeå, uppdaterad"


def test_publishing_english_without_syncing_stays_outdated(news, en, client):
    """Fixing a typo in English after the source changed does not make it current."""
    article = news["article"]
    english = translate(article, en, prefix="EN ")
    article.title = "Ny rubrik"
    publish(article)
    english.search_description = "typo fixed"
    publish(english)
    settle()
    page = gql_data(client, PAGE, {"id": str(english.pk), "locale": "en"})["page"]
    assert (page["locale"], page["isOutdated"]) == ("en", True)


def test_pages_written_separately_in_each_language_are_never_outdated(news, sv, en, client):
    article = news["article"]
    english_index = news["index"].get_translation(en)
    english = article.copy_for_translation(en)  # by hand, no wagtail-localize source
    english.title = "Local democracy in Umeå"
    publish(english)
    article.title = "Ändrad"
    publish(article)
    assert english.get_parent().pk == english_index.pk
    settle()
    page = gql_data(client, PAGE, {"id": str(english.pk), "locale": "en"})["page"]
    assert (page["locale"], page["isOutdated"]) == ("en", False)
    assert page["translations"][0]["isOutdated"] is False


def test_is_outdated_costs_the_same_for_any_number_of_articles(news, sv, en, client):
    made = []

    def articles(count):
        for number in range(len(made), len(made) + count):
            made.append(number)
            page = publish(
                NewsArticlePageFactory(parent=news["index"], locale=sv, title=f"Artikel {number}")
            )
            translate(page, en)
            page.title = f"Artikel {number} ny"
            publish(page)
        settle()
        return count_queries(client, LIST, {"locale": "sv"})

    few, response = articles(1)
    assert response.status_code == 200
    many, response = articles(6)
    items = response.json()["data"]["newsArticles"]["items"]
    assert len(items) == 8
    assert [item["translations"][0]["isOutdated"] for item in items if item["translations"]] == [
        True
    ] * 7
    assert many == few


def test_translations_report_shows_share_translated_and_what_readers_get(
    news, sv, en, admin_client
):
    """The admin's translations report, in Swedish: per page and language, how much is
    translated and whether the published translation keeps up with its source."""
    article = news["article"]
    translate(article, en, prefix="EN ")
    article.title = "Ny rubrik"
    publish(article)
    second = publish(NewsArticlePageFactory(parent=news["index"], locale=sv, title="Andra"))
    admin_client.post(
        reverse("wagtail_localize:submit_page_translation", args=[second.pk]), {"locales": [en.pk]}
    )
    html = admin_client.get(reverse("wagtail_localize:translations_report_results")).content
    rows = {
        row.split("</td>")[1]: row
        for row in html.decode().split("<tr>")[2:]
        if "data-publication-state" in row
    }
    outdated = next(row for title, row in rows.items() if "Lokaldemokrati i Umeå" in title)
    draft = next(row for title, row in rows.items() if "Andra" in title)
    assert "Kan vara inaktuell: källan har publicerats sedan dess" in outdated
    assert "Utkast: läsarna får källspråket" in draft
    assert "0 av " in draft and "(0\u00a0%)" in draft  # a space that does not break
    assert "(100\u00a0%)" in outdated
