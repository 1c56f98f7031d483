"""A translator's flow in the Swedish admin, in a real browser (Chromium), against a live
server, with the public GraphQL API checked after each step.

A new translation must never go live holding the source's text: when a translator sends a
Swedish article for translation, the English page is a draft, and English readers get the
Swedish article flagged ``isFallback``. Only when the translator has translated it in
wagtail-localize's editor and published it do English readers get the English page. No
errors in the browser console along the way.

Before publishing, the translator opens the editor's preview (its "Förhandsgranska" link, a
new tab): with no frontend configured the CMS renders the API's answer for the draft
translation (``cms.preview``), which shows the English title, intro and topic the translator
typed, while English readers still get the Swedish article. The article has a topic whose
English translation is published: English readers get it in English, and once published the
English article links the English topic.

The editor speaks Swedish: its heading (built in wagtail-localize's script, translated by
ours) and the date under each translated segment (Django's format, not strftime's English
month names)."""

import json
import re
import urllib.request
from pathlib import Path

import pytest
from django.core.cache import cache
from wagtail_localize.models import Translation, TranslationSource

from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from news.models import ArticleTopic, NewsArticlePage
from tests.browser.conftest import log_in_as_superuser
from tests.helpers import publish, translate
from topics.factories import TopicIndexPageFactory, TopicPageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "ett-långt-lösenord-för-test"
ENGLISH_ARTICLES = """{ newsArticles(locale: "en") {
  items { id title locale isFallback topics { title slug locale } }
} }"""
ENGLISH_PAGE = 'query ($id: ID!) { page(id: $id, locale: "en") { id title locale } }'
# Screenshots of the preview, to look at (outside the repo; nothing reads them back).
SHOTS = Path("/tmp/shots")  # noqa: S108
SWEDISH_DATE = (
    r"\d{1,2} (januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november"
    r"|december) \d{4}"
)


@pytest.fixture
def translator(live_server, one_request_at_a_time, page):
    """A Swedish superuser, logged in through the login form; what the browser reports as
    an error (console messages of type error, uncaught exceptions) is collected."""
    log_in_as_superuser(page, live_server.url, "oversattare", PASSWORD)
    idle(page)
    return page


def idle(browser_page):
    """Wait until the page has made all its requests (scripts, catalogues, icons). On SQLite
    the live server's threads and this test share one in-memory connection: the test reads
    the database or calls the API only when no admin request is still running on it."""
    browser_page.wait_for_load_state("networkidle")


def graphql(live_server, query, variables=None):
    """The ``data`` of a query, asked as a frontend asks: a POST to the live API."""
    request = urllib.request.Request(  # noqa: S310 - the live server's own address
        f"{live_server.url}/graphql/",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - as above
        body = json.load(response)
    assert "errors" not in body, body["errors"]
    return body["data"]


def english_articles(live_server):
    """The English news listing, as a frontend gets it."""
    return graphql(live_server, ENGLISH_ARTICLES)["newsArticles"]["items"]


def open_preview(editor):
    """wagtail-localize's editor's preview, as a translator opens it: its "Förhandsgranska"
    link in the footer opens a new tab. Returns the tab, loaded, with what it reports as an
    error collected in ``console_errors``."""
    errors = []

    def watch(tab):
        tab.on(
            "console",
            lambda message: errors.append(message.text) if message.type == "error" else None,
        )
        tab.on("pageerror", lambda error: errors.append(str(error)))

    editor.context.on("page", watch)
    try:
        with editor.context.expect_page() as opened:
            editor.locator("footer").get_by_role("link", name="Förhandsgranska").click()
    finally:
        editor.context.remove_listener("page", watch)
    tab = opened.value
    tab.wait_for_load_state("networkidle")
    tab.console_errors = errors
    return tab


def translate_segment(editor, source_text, translated_text):
    """In wagtail-localize's editor: open the segment showing ``source_text``, type the
    translation and save it; waits until the server has stored it."""
    segment = editor.locator("li.incomplete", has_text=source_text).first
    segment.get_by_role("button", name="Översätt").click()
    segment.locator("textarea").fill(translated_text)
    with editor.expect_response(lambda response: "/strings/" in response.url) as saved:
        segment.get_by_role("button", name="Spara").click()
    assert saved.value.ok, saved.value.status
    editor.locator("li", has_text=translated_text).get_by_role("button", name="Redigera").wait_for()


def translate_with(page, locale, strings):
    """Translate ``page`` with wagtail-localize as a translator does, each string of its PO
    file by ``strings`` (source text: translation), and publish it; returns the translation.

    The English text is the translation's own (not set on the page afterwards, as
    ``tests.helpers.translate_as`` does): sending an article for translation sends its topics
    again (wagtail-localize's ``TranslationCreator``), which saves each topic's translation
    from its strings into the live English page."""
    source, _ = TranslationSource.update_or_create_from_instance(page)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
    po = translation.export_po()
    for entry in po:
        entry.msgstr = strings[entry.msgid]
    translation.import_po(po)
    translation.save_target(publish=False)  # published here: see tests.helpers.translate
    target = page.get_translation(locale)
    target.get_latest_revision().publish()
    return type(target).objects.get(pk=target.pk).specific


def translation_id(page):
    """The id of wagtail-localize's translation into ``page``'s language."""
    return Translation.objects.get(
        source__object_id=page.translation_key, target_locale=page.locale
    ).pk


def test_a_translation_goes_live_only_when_the_translator_publishes_it(
    live_server, translator, sv, en, home_sv, settings
):
    # The API's response cache on, as in production: each change must reach readers through
    # its invalidation (sent on commit, which a live server's requests really make).
    settings.CMS_CACHE = {**settings.CMS_CACHE, "ENABLED": True}
    # No frontend: the preview is the CMS's own rendering of the API's answer.
    settings.FRONTEND_URL = None
    settings.CMS_PREVIEW = {"MAX_AGE": 3600, "URLS": {}}
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    cache.clear()
    news_sv = NewsIndexPageFactory(parent=home_sv, locale=sv)
    translate(news_sv, en)
    topics_sv = TopicIndexPageFactory(parent=home_sv, locale=sv)
    translate_with(topics_sv, en, {"Ämnen": "Topics", "amnen": "topics"})
    topic_sv = publish(
        TopicPageFactory(
            parent=topics_sv, locale=sv, title="Lokal demokrati", slug="lokal-demokrati"
        )
    )
    topic_en = translate_with(
        topic_sv,
        en,
        {
            "Lokal demokrati": "Local democracy",
            "lokal-demokrati": "local-democracy",
            "Ett ämne.": "A topic.",
        },
    )
    article_sv = NewsArticlePageFactory(
        parent=news_sv, locale=sv, title="Lokaldemokrati i Umeå", intro="Om Umeås råd."
    )
    ArticleTopic.objects.create(page=article_sv, topic=topic_sv, locale=sv)
    article_sv = publish(article_sv)
    # English readers get the Swedish article, flagged, its topic in their language.
    english_topic = {"title": "Local democracy", "slug": "local-democracy", "locale": "en"}
    swedish_fallback = [
        {
            "id": str(article_sv.pk),
            "title": "Lokaldemokrati i Umeå",
            "locale": "sv",
            "isFallback": True,
            "topics": [english_topic],
        }
    ]
    assert english_articles(live_server) == swedish_fallback

    # The admin's "Översätt den här sidan": English ticked, sent.
    translator.goto(f"{live_server.url}/admin/localize/submit/page/{article_sv.pk}/")
    translator.locator("input[name=locales]").check()
    translator.get_by_role("button", name="Skicka").click()
    translator.wait_for_url("**/admin/pages/*/edit/")
    idle(translator)
    assert "lyckades skickas för översättning" in translator.inner_text("body")
    assert translator.get_by_role("button", name="Översätt").first.is_visible()

    # The English page is a draft: readers still get the Swedish article, flagged.
    assert english_articles(live_server) == swedish_fallback

    article_en = article_sv.get_translation(en)
    assert translator.url.endswith(f"/admin/pages/{article_en.pk}/edit/")
    assert not article_en.live

    # The editor's heading in Swedish (wagtail-localize writes "svenska to engelska
    # translation" in its script).
    heading = translator.get_by_role("heading", name="Översättning från svenska till engelska")
    heading.first.wait_for()
    assert " translation" not in translator.inner_text("body")

    # Every segment translated in wagtail-localize's editor (title and intro on the first
    # tab, the slug on the second), then published. Each is dated in Swedish.
    translate_segment(translator, "Lokaldemokrati i Umeå", "Local democracy in Umeå")
    saved = translator.locator("li", has_text="Local democracy in Umeå").last
    assert re.search(f"Översatt manuellt den {SWEDISH_DATE}", saved.inner_text())
    translate_segment(translator, "Om Umeås råd.", "About Umeå's council.")
    translator.get_by_role("tab", name="Marknadsför").click()
    assert heading.last.is_visible()  # the second tab's heading too
    translate_segment(translator, "lokaldemokrati-i-umea", "local-democracy-in-umea")

    # Previewed from the editor before publishing: the draft translation as readers will
    # see it, in English; readers still get the Swedish article and no English page.
    preview = open_preview(translator)
    assert f"/admin/localize/translate/{translation_id(article_en)}/preview/" in preview.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    preview.screenshot(path=str(SHOTS / "translation-preview.png"), full_page=True)
    assert preview.locator("html").get_attribute("lang") == "en"
    assert preview.locator("h1").inner_text() == "Local democracy in Umeå"
    assert preview.locator(".intro").inner_text() == "About Umeå's council."
    assert preview.locator(".topics").inner_text() == "Local democracy"
    assert preview.locator("[data-preview-errors]").count() == 0
    assert preview.console_errors == []
    preview.close()
    idle(translator)
    assert english_articles(live_server) == swedish_fallback
    assert graphql(live_server, ENGLISH_PAGE, {"id": str(article_en.pk)})["page"] is None
    assert not NewsArticlePage.objects.get(pk=article_en.pk).live

    translator.get_by_role("button", name="Publicera").first.click()
    translator.get_by_text("Publicerade 'Local democracy in Umeå' på engelska.").wait_for()
    idle(translator)

    # Published: English readers get the English page, no longer flagged, with the English
    # topic (the English article links it: wagtail-localize maps the topic to English).
    assert english_articles(live_server) == [
        {
            "id": str(article_en.pk),
            "title": "Local democracy in Umeå",
            "locale": "en",
            "isFallback": False,
            "topics": [english_topic],
        }
    ]
    assert graphql(live_server, ENGLISH_PAGE, {"id": str(article_en.pk)})["page"] == {
        "id": str(article_en.pk),
        "title": "Local democracy in Umeå",
        "locale": "en",
    }
    article_en = NewsArticlePage.objects.get(pk=article_en.pk)
    assert article_en.live
    assert (article_en.title, article_en.intro, article_en.slug) == (
        "Local democracy in Umeå",
        "About Umeå's council.",
        "local-democracy-in-umea",
    )
    assert [link.topic_id for link in article_en.article_topics.all()] == [topic_en.pk]
    assert translator.console_errors == []
