"""A translator's flow in the Swedish admin, in a real browser (Chromium), against a live
server, with the public GraphQL API checked after each step.

A new translation must never go live holding the source's text: when a translator sends a
Swedish article for translation, the English page is a draft, and English readers get the
Swedish article flagged ``isFallback``. Only when the translator has translated it in
wagtail-localize's editor and published it do English readers get the English page. No
errors in the browser console along the way.

The editor speaks Swedish: its heading (built in wagtail-localize's script, translated by
ours) and the date under each translated segment (Django's format, not strftime's English
month names)."""

import json
import re
import urllib.request

import pytest
from django.core.cache import cache

from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from news.models import NewsArticlePage
from tests.browser.conftest import log_in_as_superuser
from tests.helpers import publish, translate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "ett-långt-lösenord-för-test"
ENGLISH_ARTICLES = '{ newsArticles(locale: "en") { items { id title locale isFallback } } }'
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


def english_articles(live_server):
    """The English news listing, as a frontend gets it: a POST to the live API."""
    request = urllib.request.Request(  # noqa: S310 - the live server's own address
        f"{live_server.url}/graphql/",
        data=json.dumps({"query": ENGLISH_ARTICLES}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - as above
        body = json.load(response)
    assert "errors" not in body, body["errors"]
    return body["data"]["newsArticles"]["items"]


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


def test_a_translation_goes_live_only_when_the_translator_publishes_it(
    live_server, translator, sv, en, home_sv, settings
):
    # The API's response cache on, as in production: each change must reach readers through
    # its invalidation (sent on commit, which a live server's requests really make).
    settings.CMS_CACHE = {**settings.CMS_CACHE, "ENABLED": True}
    cache.clear()
    news_sv = NewsIndexPageFactory(parent=home_sv, locale=sv)
    translate(news_sv, en)
    article_sv = publish(
        NewsArticlePageFactory(
            parent=news_sv, locale=sv, title="Lokaldemokrati i Umeå", intro="Om Umeås råd."
        )
    )
    assert english_articles(live_server) == [
        {
            "id": str(article_sv.pk),
            "title": "Lokaldemokrati i Umeå",
            "locale": "sv",
            "isFallback": True,
        }
    ]

    # The admin's "Översätt den här sidan": English ticked, sent.
    translator.goto(f"{live_server.url}/admin/localize/submit/page/{article_sv.pk}/")
    translator.locator("input[name=locales]").check()
    translator.get_by_role("button", name="Skicka").click()
    translator.wait_for_url("**/admin/pages/*/edit/")
    idle(translator)
    assert "lyckades skickas för översättning" in translator.inner_text("body")
    assert translator.get_by_role("button", name="Översätt").first.is_visible()

    # The English page is a draft: readers still get the Swedish article, flagged.
    assert english_articles(live_server) == [
        {
            "id": str(article_sv.pk),
            "title": "Lokaldemokrati i Umeå",
            "locale": "sv",
            "isFallback": True,
        }
    ]

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
    translator.get_by_role("button", name="Publicera").first.click()
    translator.get_by_text("Publicerade 'Local democracy in Umeå' på engelska.").wait_for()
    idle(translator)

    # Published: English readers get the English page, no longer flagged.
    assert english_articles(live_server) == [
        {
            "id": str(article_en.pk),
            "title": "Local democracy in Umeå",
            "locale": "en",
            "isFallback": False,
        }
    ]
    article_en = NewsArticlePage.objects.get(pk=article_en.pk)
    assert article_en.live
    assert (article_en.title, article_en.intro, article_en.slug) == (
        "Local democracy in Umeå",
        "About Umeå's council.",
        "local-democracy-in-umea",
    )
    assert translator.console_errors == []
