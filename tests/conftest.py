"""Shared fixtures: both locales and both home pages exist (created by migrations).

Under CI (``CI`` set), any skipped test fails the run: tests that need PostgreSQL must run.
"""

import os

import pytest
from django.db import connection
from wagtail.models import Locale, Site

from cms.models import HomePage


@pytest.fixture
def sv(db):
    return Locale.objects.get(language_code="sv")


@pytest.fixture
def en(db):
    return Locale.objects.get(language_code="en")


@pytest.fixture
def home_sv(sv):
    return HomePage.objects.get(locale=sv)


@pytest.fixture
def home_en(en):
    return HomePage.objects.get(locale=en)


@pytest.fixture
def site(home_sv):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def postgres(db):
    """Marks a test as needing PostgreSQL; skips elsewhere (a failure under CI)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")


def pytest_collection_modifyitems(config, items):
    """Under CI the suite runs twice, on SQLite and on PostgreSQL. On the SQLite pass the
    PostgreSQL-only tests are deselected (they run, and must pass, in the PostgreSQL pass),
    so that any skip left is a real one and fails the run."""
    if not os.environ.get("CI") or connection.vendor == "postgresql":
        return
    selected = [item for item in items if "postgres" not in getattr(item, "fixturenames", ())]
    deselected = [item for item in items if "postgres" in getattr(item, "fixturenames", ())]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


def pytest_sessionfinish(session, exitstatus):
    if not os.environ.get("CI"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; under CI a skip is a failure.")
        session.exitstatus = 1


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    """What the fixtures changed has committed, as far as the response cache can tell.

    A change reserves its cache tags in its transaction and stamps them after the commit
    (``cms.api.invalidation.emit``); a test's transaction never commits, so the fixtures'
    pages, images and settings would leave their tags reserved and every cached answer a
    miss. Their pending invalidations are applied before the test body runs; what the body
    changes is committed only where it says so (``django_capture_on_commit_callbacks``)."""
    marked = item.get_closest_marker("django_db") is not None
    if marked or {"db", "transactional_db"} & set(getattr(item, "fixturenames", ())):
        from cms.api.invalidation import flush_pending

        flush_pending()
