"""The reference frontend end to end, in a real browser: the built Next.js site
(``make frontend-build``) served by ``next start`` against a live CMS holding the demo
content, subscribed to the CMS's webhooks as in ``make demo``.

What a reader and an editor see: both languages render the seeds; the language switch keeps
the reader on the same page; unknown paths are 404 and moved pages redirect; a draft is
visible only through the admin's preview; publishing updates the frontend through the
signed webhook while untouched pages stay cached; a page made private disappears;
suggestions come from the CMS by a cross-origin fetch from the reader's browser.

Without Node.js or the build the tests skip, which fails the run under CI (``.ci/run``
builds the frontend first).
"""

import io
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction

from tests.browser.conftest import log_in_as_superuser
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
NEXT = FRONTEND / "node_modules" / ".bin" / "next"
SECRET = "e2e-webhook-secret"
PASSWORD = "ett-långt-lösenord-för-test"
LOGS = Path(__file__).resolve().parents[2] / "var" / "frontend-e2e.log"

ANNOUNCEMENT = "/sv/nyheter/demokratiprojekt-beviljade-for-tio-kommuner-och-regioner/"
ANNOUNCEMENT_EN = "/en/news/democracy-projects-granted-to-ten-municipalities-and-regions/"
UMEA = "/sv/nyheter/umea-och-bogota-samarbetar-om-jamstalldhet/"
RECIPIENTS = [
    "Dorotea kommun",
    "Kalix kommun",
    "Jönköpings kommun",
    "Lidköpings kommun",
    "Umeå kommun",
    "Växjö kommun",
    "Älmhults kommun",
    "Region Gotland",
    "Region Norrbotten",
    "Region Västerbotten",
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url, process, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"next start exited: see {LOGS}")
        try:
            urllib.request.urlopen(f"{url}/robots.txt", timeout=2)  # noqa: S310 (local)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"the frontend did not answer within {seconds} s: see {LOGS}")


@pytest.fixture
def frontend(live_server, one_request_at_a_time, settings):
    """The demo content, and the built frontend serving it on a port of its own, with an
    empty data cache; the CMS previews on it and sends it its webhooks at once."""
    if not (NEXT.exists() and (FRONTEND / ".next" / "BUILD_ID").exists()):
        pytest.skip("needs the built reference frontend: make frontend-build (Node.js 20+)")
    cms = live_server.url.replace("localhost", "127.0.0.1")
    url = f"http://127.0.0.1:{free_port()}"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    settings.WAGTAILADMIN_BASE_URL = cms
    settings.FRONTEND_URL = url
    settings.CMS_PREVIEW = {"MAX_AGE": 3600, "URLS": {"default": f"{url}/api/preview"}}
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    settings.CORS_ALLOW_ALL_ORIGINS = False
    settings.CORS_ALLOWED_ORIGINS = [url]  # as production would list the site
    settings.TASKS = {
        **settings.TASKS,
        "webhooks": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["webhooks"],
        },
    }
    call_command("seed_demo", stdout=io.StringIO())
    WebhookEndpoint.objects.create(
        name="Reference frontend", url=f"{url}/api/revalidate/", secret=SECRET
    )
    shutil.rmtree(FRONTEND / ".next" / "cache" / "fetch-cache", ignore_errors=True)
    LOGS.parent.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "CMS_URL": cms,
        "PUBLIC_CMS_URL": cms,
        "SITE_URL": url,
        "CMS_WEBHOOK_SECRET": SECRET,
        "NEXT_TELEMETRY_DISABLED": "1",
    }
    with LOGS.open("a") as log:
        process = subprocess.Popen(
            [str(NEXT), "start", "-H", "127.0.0.1", "-p", url.rsplit(":", 1)[1]],
            cwd=FRONTEND,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(url, process)
        yield SimpleNamespace(url=url, cms=cms)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def reader(page):
    """The browser page, collecting console errors."""
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.console_errors = errors
    return page


def publish_in_admin(page, cms, page_id, title):
    """Change a page's title in the Swedish admin and publish it from the footer's menu."""
    page.goto(f"{cms}/admin/pages/{page_id}/edit/")
    page.fill("#id_title", title)
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.click("button[name='action-publish']")
    page.wait_for_url(f"**/admin/pages/{Page.objects.get(pk=page_id).get_parent().pk}/")


def http_status(url):
    try:
        return urllib.request.urlopen(url, timeout=10).status  # noqa: S310 (local)
    except urllib.error.HTTPError as error:
        return error.code


def test_both_languages_render_the_seeds(frontend, reader):
    reader.goto(f"{frontend.url}{ANNOUNCEMENT}")
    assert reader.locator("html").get_attribute("lang") == "sv"
    assert reader.locator("h1").inner_text().startswith("Internationella demokratiprojekt")
    assert reader.locator("table.grants tbody th .name").all_inner_texts() == RECIPIENTS
    assert "18 000 000 kr" in reader.locator(".grant-list").inner_text().replace("\xa0", " ")
    alternates = reader.locator("link[rel=alternate][hreflang]")
    assert {alternates.nth(i).get_attribute("hreflang") for i in range(alternates.count())} == {
        "sv",
        "en",
    }

    reader.goto(f"{frontend.url}{UMEA}")
    assert "Foto: Alice Hansson" in reader.locator("figure figcaption").first.inner_text()
    image = reader.locator("figure img").first
    assert image.get_attribute("width") and image.get_attribute("height")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")

    # The English-only research, on the Swedish side, flagged as English.
    reader.goto(f"{frontend.url}/sv/nyheter/")
    card = reader.locator("article.card", has_text="Anti-corruption research")
    assert card.get_attribute("lang") == "en"
    assert "Den här sidan finns bara på engelska." in card.inner_text()

    reader.goto(f"{frontend.url}/sv/om-icld/")
    commitments = reader.locator("section.commitment")
    assert commitments.count() == 3
    for index in range(3):
        assert commitments.nth(index).locator("h3").inner_text() == "Att redovisa"
        assert commitments.nth(index).locator("li").count() >= 1

    reader.goto(f"{frontend.url}{ANNOUNCEMENT_EN}")
    assert reader.locator("html").get_attribute("lang") == "en"
    assert "SEK 18,000,000" in reader.locator(".grant-list").inner_text().replace("\xa0", " ")
    assert reader.console_errors == []


def test_language_switch_keeps_the_reader_on_the_page(frontend, reader):
    reader.goto(f"{frontend.url}{ANNOUNCEMENT}")
    reader.locator("nav.languages a[hreflang=en]").click()
    reader.wait_for_url(f"**{ANNOUNCEMENT_EN}")
    assert reader.locator("h1").inner_text().startswith("International democracy projects")
    reader.locator("nav.languages a[hreflang=sv]").click()
    reader.wait_for_url(f"**{ANNOUNCEMENT}")
    # A reader without a language in the path gets theirs.
    reader.goto(f"{frontend.url}/")
    assert reader.url == f"{frontend.url}/sv/"


def test_unknown_paths_are_404_and_moved_pages_redirect(frontend, reader):
    response = reader.goto(f"{frontend.url}/sv/finns-inte/")
    assert response.status == 404
    assert reader.locator("h1").inner_text() == "Sidan finns inte"

    umea = Page.objects.get(url_path__endswith="/umea-och-bogota-samarbetar-om-jamstalldhet/")
    Redirect.add_redirect("/sv/nyheter/umea-bogota/", umea, is_permanent=True)
    reader.goto(f"{frontend.url}/sv/nyheter/umea-bogota/")
    assert reader.url == f"{frontend.url}{UMEA}"


def test_publishing_updates_the_frontend_and_untouched_pages_stay_cached(frontend, reader):
    log_in_as_superuser(reader, frontend.cms, "redaktor", PASSWORD)
    announcement = Page.objects.get(
        url_path__endswith="/demokratiprojekt-beviljade-for-tio-kommuner-och-regioner/"
    )
    umea = Page.objects.get(url_path__endswith="/umea-och-bogota-samarbetar-om-jamstalldhet/")
    # The first delivery a frontend process gets drops what it cached before it started.
    publish_in_admin(reader, frontend.cms, umea.pk, umea.title)

    site = reader.context.new_page()
    site.goto(f"{frontend.url}{UMEA}")
    site.goto(f"{frontend.url}/sv/nyheter/")
    # A change the frontend is not told of (no signal, so no webhook): still cached.
    Page.objects.filter(pk=umea.pk).update(title="Ändrad utan webhook")

    publish_in_admin(reader, frontend.cms, announcement.pk, "Tio nya demokratiprojekt")
    delivery = WebhookDelivery.objects.filter(event="page.published").latest("pk")
    assert delivery.status == "delivered", delivery.last_error

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        site.goto(f"{frontend.url}/sv/nyheter/")
        if site.locator("article.card h3").first.inner_text() == "Tio nya demokratiprojekt":
            break
        time.sleep(0.25)
    assert site.locator("article.card h3").first.inner_text() == "Tio nya demokratiprojekt"
    site.goto(f"{frontend.url}{ANNOUNCEMENT}")
    assert site.locator("h1").inner_text() == "Tio nya demokratiprojekt"
    site.goto(f"{frontend.url}/sv/amnen/offentlig-sektor/")
    assert "Tio nya demokratiprojekt" in site.locator("main").inner_text()
    # The article nobody published is served from the frontend's cache, as it was.
    site.goto(f"{frontend.url}{UMEA}")
    assert site.locator("h1").inner_text().startswith("Umeå och Bogotá")


def test_a_draft_is_visible_only_through_the_preview(frontend, reader):
    news = Page.objects.get(url_path__endswith="/nyheter/", locale__language_code="sv")
    log_in_as_superuser(reader, frontend.cms, "redaktor", PASSWORD)
    reader.goto(f"{frontend.cms}/admin/pages/add/news/newsarticlepage/{news.pk}/")
    reader.fill("#id_title", "Hemligt utkast om Visby")
    reader.fill("#id_intro", "Ännu inte publicerat.")
    reader.locator("[data-side-panel-toggle=preview]").first.click()
    # The admin's panel frames our page, which frames the frontend's preview.
    frame = reader.frame_locator("iframe").first.frame_locator("iframe[data-frontend-preview]")
    frame.locator("h1").wait_for(timeout=15_000)
    assert frame.locator("h1").inner_text() == "Hemligt utkast om Visby"
    assert "Förhandsvisning av ett utkast" in frame.locator(".notice.preview").inner_text()

    assert http_status(f"{frontend.url}/sv/nyheter/hemligt-utkast-om-visby/") == 404
    site = reader.context.new_page()
    site.goto(f"{frontend.url}/sv/nyheter/")
    assert "Hemligt utkast" not in site.locator("main").inner_text()


def test_a_page_made_private_disappears(frontend, reader):
    umea = Page.objects.get(url_path__endswith="/umea-och-bogota-samarbetar-om-jamstalldhet/")
    reader.goto(f"{frontend.url}{UMEA}")
    assert reader.locator("h1").inner_text().startswith("Umeå och Bogotá")
    reader.goto(f"{frontend.url}/sv/nyheter/")
    assert "Umeå och Bogotá" in reader.locator("main").inner_text()

    PageViewRestriction.objects.create(page=umea, restriction_type=PageViewRestriction.LOGIN)
    delivery = WebhookDelivery.objects.latest("pk")
    assert delivery.status == "delivered", delivery.last_error

    assert http_status(f"{frontend.url}{UMEA}") == 404
    reader.goto(f"{frontend.url}/sv/nyheter/")
    assert "Umeå och Bogotá" not in reader.locator("main").inner_text()


def test_suggestions_come_from_the_cms_cross_origin(frontend, reader):
    reader.goto(f"{frontend.url}/sv/search/?q=demokrati")
    assert "träffar" in reader.locator(".results .meta").inner_text()
    assert reader.locator(".facets a").count() > 0
    assert reader.locator(".results mark").count() > 0

    requests = []
    reader.on("request", lambda request: requests.append(request.url))
    field = reader.get_by_role("combobox")
    field.fill("")
    field.press_sequentially("Ume", delay=50)
    option = reader.get_by_role("option").first
    option.wait_for()
    assert option.inner_text().startswith("Umeå och Bogotá")
    assert any(url.startswith(f"{frontend.cms}/graphql/") for url in requests)
    assert reader.console_errors == []


def test_sitemap_lists_both_languages_with_alternates(frontend):
    with urllib.request.urlopen(f"{frontend.url}/sitemap.xml", timeout=10) as response:  # noqa: S310
        xml = response.read().decode()
    assert f"<loc>{frontend.url}{ANNOUNCEMENT}</loc>" in xml
    assert f"<loc>{frontend.url}{ANNOUNCEMENT_EN}</loc>" in xml
    assert f'hreflang="en" href="{frontend.url}{ANNOUNCEMENT_EN}"' in xml


CLS = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(total), 500);
})"""


@pytest.mark.parametrize("path", ["/sv/", UMEA, "/en/news/", "/sv/om-icld/", "/sv/grants/"])
def test_pages_keep_the_budget(frontend, reader, path):
    """A Lighthouse-style budget: no layout shift (images carry their width and height), one
    `h1`, `lang` set, every image with an `alt` attribute, a skip link, and no console error."""
    reader.set_viewport_size({"width": 1280, "height": 900})
    response = reader.goto(f"{frontend.url}{path}")
    assert response.status == 200
    reader.wait_for_load_state("load")
    assert reader.evaluate(CLS) < 0.01
    assert reader.locator("h1").count() == 1
    assert reader.locator("html").get_attribute("lang") in {"sv", "en"}
    images = reader.locator("main img")
    for index in range(images.count()):
        image = images.nth(index)
        assert image.get_attribute("alt") is not None
        assert image.get_attribute("width") and image.get_attribute("height")
    assert reader.locator("a.skip[href='#content']").count() == 1
    assert reader.console_errors == []


def test_an_outdated_translation_says_so_and_links_its_original(frontend, reader):
    english = "/en/news/umea-and-bogota-partner-on-gender-equality/"
    reader.goto(f"{frontend.url}{english}")
    assert reader.locator(".notice").count() == 0

    umea = Page.objects.get(url_path__endswith="/umea-och-bogota-samarbetar-om-jamstalldhet/")
    umea.specific.save_revision().publish()  # the Swedish source changes after its translation

    reader.goto(f"{frontend.url}{english}")
    notice = reader.locator(".notice")
    assert "The original has changed since this translation was made" in notice.inner_text()
    notice.get_by_role("link", name="Read in Swedish").click()
    reader.wait_for_url(f"**{UMEA}")
