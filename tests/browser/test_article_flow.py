"""An editor writes a news article from scratch in the Swedish admin, in a real browser
(Chromium) against a live server, and readers get it, then lose it, through the public
GraphQL API.

The flow goes through the admin's real forms and widgets, with nothing set up behind the
editor's back but the site's pages: a new article under the news index with a title and an
intro; a hero image uploaded from the image chooser's "Ladda upp" tab with its photographer
credit; a heading and a paragraph added to the body StreamField; a topic chosen through the
topics inline panel (a page chooser). The preview panel shows the unsaved article as
readers will see it (the title, the credit under the photo). Saved as a draft, it is not
for readers. Published from the footer's menu, it reaches them the way a frontend asks (a
POST to ``/graphql/``): the page at its path with its credit, topic and blocks, and the
news listing. Unpublished, it leaves both. The API's response cache is on, as in
production, and had cached each previous answer: every step must reach readers at once,
through the cache's invalidation. No errors in the browser console along the way.

Wagtail 8's autosave is off here (``WAGTAIL_AUTOSAVE_INTERVAL = 0``): it saves on its own
clock, about a second after the form last changed, so it would race the test's clicks, and
an edit made while one of its saves completes is taken as saved without being saved
(Wagtail's unsaved-changes tracker takes the form as it is then, not as it was sent). The
editor saves the draft with "Spara utkast" instead, as one does with autosave off."""

import json
import urllib.request

import pytest
from django.core.cache import cache
from PIL import Image
from wagtail.models import Page

from news.factories import NewsIndexPageFactory
from news.models import NewsArticlePage
from tests.browser.conftest import log_in_as_superuser
from tests.helpers import publish
from topics.factories import TopicIndexPageFactory, TopicPageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "ett-långt-lösenord-för-test"
TITLE = "Nytt ungdomsråd i Umeå"

ARTICLE = """query Article($path: String!) {
  page(path: $path) {
    title
    ... on NewsArticlePage {
      heroImage { credit }
      topics { title }
      body {
        blockType
        ... on HeadingBlock { text level }
        ... on ParagraphBlock { html }
      }
    }
  }
}"""
SWEDISH_NEWS = '{ newsArticles(locale: "sv") { items { title } } }'


@pytest.fixture
def editor(live_server, one_request_at_a_time, page, settings):
    """A Swedish editor, logged in through the login form; what the browser reports as an
    error (console messages of type error, uncaught exceptions) is collected."""
    settings.FRONTEND_URL = None
    settings.CMS_PREVIEW = {"MAX_AGE": 3600, "URLS": {}}
    settings.WAGTAILADMIN_BASE_URL = live_server.url  # where the preview's images come from
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0  # see the module's docstring
    log_in_as_superuser(page, live_server.url, "redaktor", PASSWORD)
    return page


def idle(browser_page):
    """Wait until the page has made all its requests. On SQLite the live server's threads
    and this test share one in-memory connection: the test reads the database only when no
    admin request is still running on it."""
    browser_page.wait_for_load_state("networkidle")


def graphql(live_server, query, variables=None):
    """The ``data`` of a query and whether the response cache answered it (``X-Cache``),
    asked as a frontend asks: a POST to the live API."""
    request = urllib.request.Request(  # noqa: S310 - the live server's own address
        f"{live_server.url}/graphql/",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - as above
        body = json.load(response)
        hit = response.headers["X-Cache"] == "HIT"
    assert "errors" not in body, body["errors"]
    return body["data"], hit


def article_at(live_server, path):
    """The page at ``path`` as the API gives it (None: none for readers), and whether the
    response cache answered."""
    data, hit = graphql(live_server, ARTICLE, {"path": path})
    return data["page"], hit


def swedish_news(live_server):
    """The titles of the Swedish news listing, and whether the response cache answered."""
    data, hit = graphql(live_server, SWEDISH_NEWS)
    return [item["title"] for item in data["newsArticles"]["items"]], hit


def upload_hero_image(editor, file, title, credit):
    """A new photo as the hero image: "Välj en bild", then the chooser's "Ladda upp" tab
    with the file, its title and its photographer credit."""
    editor.get_by_role("button", name="Välj en bild").click()
    modal = editor.locator(".modal-content")
    modal.get_by_role("tab", name="Ladda upp").click()
    # The file first: choosing it fills an empty title from the file's name.
    modal.locator("#id_image-chooser-upload-file").set_input_files(file)
    modal.get_by_label("Titel").fill(title)
    modal.get_by_label("Fotokredit").fill(credit)
    modal.get_by_role("button", name="Ladda upp").click()
    modal.wait_for(state="detached")
    editor.locator("[data-chooser-title]", has_text=title).first.wait_for()


def add_block(editor, label):
    """A block of the type ``label`` at the end of the body: the StreamField's last "+"
    ("Lägg till ett block"), then the type in the block picker."""
    editor.locator("#body-root").get_by_role("button", name="Lägg till ett block").last.click()
    editor.get_by_role("option", name=label).click()


def choose_topic(editor, title):
    """A topic for the article: "Lägg till Ämnen" in the topics panel, then the topic in
    the page chooser."""
    editor.get_by_role("button", name="Lägg till Ämnen").click()
    editor.get_by_role("button", name="Välj en sida (Ämnessida)").last.click()
    modal = editor.locator(".modal-content")
    modal.get_by_role("link", name=title).click()
    modal.wait_for(state="detached")


def footer_action(editor, name):
    """An action of the editor's footer menu ("Fler åtgärder"), by its button or link text."""
    footer = editor.locator("footer")
    footer.locator("[data-w-dropdown-target='toggle']").click()
    action = footer.get_by_role("button", name=name, exact=True)
    action.or_(footer.get_by_role("link", name=name, exact=True)).click()


def test_an_article_written_in_the_admin_reaches_readers_and_leaves_them(
    live_server, editor, tmp_path, settings
):
    # The response cache on, as in production: each change must reach readers through its
    # invalidations (sent on commit, which a live server's requests really make).
    settings.CMS_CACHE = {**settings.CMS_CACHE, "ENABLED": True}
    cache.clear()
    home = Page.objects.get(depth=2, locale__language_code="sv")
    news = NewsIndexPageFactory(parent=home, locale=home.locale)
    topics = TopicIndexPageFactory(parent=home, locale=home.locale)
    topic = publish(TopicPageFactory(parent=topics, locale=home.locale, title="Lokal demokrati"))
    photo = tmp_path / "radhuset.png"
    Image.new("RGB", (160, 90), (0, 125, 126)).save(photo)

    # Written from scratch. The publication date is required; it comes filled in with
    # today's date, which the editor keeps.
    editor.goto(f"{live_server.url}/admin/pages/add/news/newsarticlepage/{news.pk}/")
    editor.fill("#id_title", TITLE)
    editor.fill("#id_intro", "Umeå kommun bjuder in unga till ett eget råd.")
    assert editor.input_value("#id_date") != ""
    upload_hero_image(editor, photo, "Rådhuset i Umeå", "Alice Hansson")
    add_block(editor, "Rubrik")
    editor.locator("#body-0-value-text").fill("Ett råd för unga")
    add_block(editor, "Stycke")
    editor.locator("#body-root [contenteditable=true]").last.click()
    editor.keyboard.type("Rådet träffas fyra gånger om året.")
    choose_topic(editor, "Lokal demokrati")

    # The preview panel shows the unsaved article as readers will see it.
    editor.locator("[data-side-panel-toggle=preview]").first.click()
    frame = editor.frame_locator("iframe").first
    frame.locator("h1", has_text=TITLE).wait_for()
    assert frame.locator("h1").inner_text() == TITLE
    assert "Foto: Alice Hansson" in frame.locator("figcaption").first.inner_text()
    assert frame.locator("h2").inner_text() == "Ett råd för unga"
    assert "Lokal demokrati" in frame.locator(".topics").inner_text()

    # Saved as a draft: the article exists, with everything the editor wrote.
    editor.get_by_role("button", name="Spara utkast").first.click()
    editor.get_by_text(f"Sida '{TITLE}' skapad.").wait_for()
    idle(editor)
    article = NewsArticlePage.objects.get(title=TITLE)
    assert editor.url.endswith(f"/admin/pages/{article.pk}/edit/")
    assert not article.live
    draft = article.get_latest_revision_as_object()
    assert draft.hero_image.credit == "Alice Hansson"
    assert [link.topic_id for link in draft.article_topics.all()] == [topic.pk]
    assert [block.block_type for block in draft.body] == ["heading", "paragraph"]

    # A draft is not for readers. Asked twice: the second answers come from the cache.
    path = f"/sv/{news.slug}/{article.slug}/"
    assert article_at(live_server, path) == (None, False)
    assert swedish_news(live_server) == ([], False)
    assert article_at(live_server, path) == (None, True)
    assert swedish_news(live_server) == ([], True)

    # Published from the footer's menu: readers get it at once, the cached "no such page"
    # and empty listing notwithstanding.
    footer_action(editor, "Publicera")
    editor.get_by_text(f"Sida '{TITLE}' har blivit publicerad.").wait_for()
    idle(editor)
    assert NewsArticlePage.objects.get(pk=article.pk).live
    published = {
        "title": TITLE,
        "heroImage": {"credit": "Alice Hansson"},
        "topics": [{"title": "Lokal demokrati"}],
        "body": [
            {"blockType": "heading", "text": "Ett råd för unga", "level": "h2"},
            {"blockType": "paragraph", "html": "<p>Rådet träffas fyra gånger om året.</p>"},
        ],
    }
    assert article_at(live_server, path) == (published, False)
    assert swedish_news(live_server) == ([TITLE], False)
    assert article_at(live_server, path) == (published, True)
    assert swedish_news(live_server) == ([TITLE], True)

    # Unpublished from the edit view's footer menu, and confirmed: gone for readers at
    # once, the cached answers notwithstanding.
    editor.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    footer_action(editor, "Avpublicera")
    editor.wait_for_url(f"**/admin/pages/{article.pk}/unpublish/")
    editor.get_by_role("button", name="Ja, avpublicera den").click()
    editor.get_by_text(f"Sida '{TITLE}' opublicerad.").wait_for()
    idle(editor)
    assert not NewsArticlePage.objects.get(pk=article.pk).live
    assert article_at(live_server, path) == (None, False)
    assert swedish_news(live_server) == ([], False)
    assert editor.console_errors == []
