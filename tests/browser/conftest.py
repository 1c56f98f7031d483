"""Browser tests: Debian's Chromium (``apt-get install chromium``), driven by Playwright
through its executable path (no browser download, ever). Without Chromium the tests skip,
which under CI fails the run (``tests/conftest.py``): ``.ci/run`` installs it.

A failing test leaves a screenshot of its page in ``var/screenshots/``.
"""

import os
import re
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_failed = report.failed
    return report


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"needs Chromium at {CHROMIUM}: apt-get install chromium")
    # Playwright's sync API runs an event loop; Django refuses database access inside one
    # unless told this test process is not async code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, request):
    """A fresh browser page; its screenshot is kept when the test fails."""
    context = chromium.new_context(locale="sv-SE")
    browser_page = context.new_page()
    yield browser_page
    if getattr(request.node, "browser_test_failed", False):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        browser_page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def one_request_at_a_time(live_server):
    """On SQLite the live server's threads share the test's one in-memory connection, and
    the admin runs each view in a transaction (``AdminTransactionMiddleware``): two requests
    at once (a page's ``jsi18n`` catalogues load in parallel) interleave their transactions
    on it, and one fails ("no such savepoint", "cannot start a transaction within a
    transaction"). Here the server answers one request at a time, which a real server (one
    connection per thread) never needs. On PostgreSQL each thread has its own connection and
    requests run side by side.

    On both, teardown (after the page is closed) stops handing requests to Django (503) for a
    moment and waits for those still running: a request the browser sent just before it
    closed (a preview panel's refresh, still in the server's queue) would otherwise load its
    user while the database is emptied for the next test, and PostgreSQL ended that in a
    deadlock that failed every later test's setup."""
    server = live_server.thread.httpd
    application = server.get_app()
    serialize = bool(live_server.thread.connections_override)
    lock = threading.Lock()
    idle = threading.Condition()
    running = 0
    closed = False

    def answer(environ, start_response):
        response = application(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            if hasattr(response, "close"):
                response.close()  # request_finished, still counted as running

    def tracked(environ, start_response):
        nonlocal running
        if closed:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"the test has ended"]
        with idle:
            running += 1
        try:
            if serialize:
                with lock:
                    return answer(environ, start_response)
            return answer(environ, start_response)
        finally:
            with idle:
                running -= 1
                idle.notify_all()

    server.set_app(tracked)
    yield
    closed = True
    time.sleep(0.5)  # requests already queued are refused, not run against the database
    with idle:
        assert idle.wait_for(lambda: running == 0, timeout=30), "a request never finished"
    server.set_app(application)


def log_in_as_superuser(page, base_url, username, password):
    """A Swedish superuser, created and logged in through the admin's login form; what the
    browser reports as an error (console messages of type error, uncaught exceptions) is
    collected in ``page.console_errors``."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser(username, f"{username}@example.org", password)
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.console_errors = errors
    return page
