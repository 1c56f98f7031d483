"""A script on a frontend's origin calls the API from a real browser (Chromium): the POST
with a JSON body makes the browser send a real preflight, which the API answers; the
script then reads the answer and the headers it needs. A script on an origin that is not
allowed gets nothing (the browser refuses, as it must)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.helpers import publish

# A live server reads committed rows; serialized_rollback restores the migrations' rows
# (locales, home pages) that the flush after each test takes away.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


FETCH = """async (url) => {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({query: "{ newsArticles(locale: \\"sv\\") { items { title } } }"}),
    });
    return {
      status: response.status,
      requestId: response.headers.get("X-Request-ID"),
      cacheTag: response.headers.get("Cache-Tag"),
      body: await response.json(),
    };
  } catch (error) {
    return {error: String(error)};
  }
}"""


class FrontendPage(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the name http.server calls
        body = b"<!doctype html><title>Frontend</title>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def frontend():
    """The origin of a frontend: a real HTTP server on another port of this machine (as a
    Next.js site on localhost:3000 is), serving an empty page for the script to run in."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), FrontendPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_frontend_script_reads_the_api_across_origins(
    page, frontend, live_server, settings, home_sv
):
    settings.CORS_ALLOWED_ORIGINS = [frontend]
    settings.CORS_ALLOW_ALL_ORIGINS = False
    index = NewsIndexPageFactory(parent=home_sv, locale=home_sv.locale)
    publish(NewsArticlePageFactory(parent=index, locale=home_sv.locale, title="Lokal demokrati"))

    page.goto(f"{frontend}/")
    result = page.evaluate(FETCH, f"{live_server.url}/graphql/")

    assert "error" not in result, result
    assert result["status"] == 200
    assert result["body"]["data"]["newsArticles"]["items"] == [{"title": "Lokal demokrati"}]
    assert result["requestId"]  # exposed to the script
    assert "l-articles" in result["cacheTag"]


def test_a_script_on_another_origin_is_refused_by_the_browser(
    page, frontend, live_server, settings
):
    settings.CORS_ALLOWED_ORIGINS = ["http://localhost:3000"]  # not the page's origin
    settings.CORS_ALLOW_ALL_ORIGINS = False

    page.goto(f"{frontend}/")
    result = page.evaluate(FETCH, f"{live_server.url}/graphql/")

    assert "Failed to fetch" in result.get("error", ""), result
    # The same script from an allowed origin gets through (so the refusal is CORS's).
    settings.CORS_ALLOWED_ORIGINS = [frontend]
    assert page.evaluate(FETCH, f"{live_server.url}/graphql/")["status"] == 200
