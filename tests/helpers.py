"""Helpers shared by the test modules: translating like a translator, publishing like an
editor, calling the GraphQL API over HTTP like a frontend, and reading the admin's HTML."""

import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail_localize.models import Translation, TranslationSource


def translate(page, locale, prefix="EN "):
    """Translate ``page`` with wagtail-localize (PO export/import, as a translator would),
    every string as ``<prefix><source>``, and publish it; returns the specific translation.
    Parents must be translated first."""
    source, _ = TranslationSource.update_or_create_from_instance(page)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
    po = translation.export_po()
    for entry in po:
        entry.msgstr = f"{prefix}{entry.msgid}"
    translation.import_po(po)
    # Save a draft and publish it here: publish=True would defer to a commit that a test's
    # transaction never makes.
    translation.save_target(publish=False)
    target = page.get_translation(locale)
    target.get_latest_revision().publish()
    return type(target).objects.get(pk=target.pk).specific


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def gql(client, query, variables=None, method="post", **extra):
    """Run a GraphQL query over HTTP; returns the response (``.json()`` for the body)."""
    if method == "get":
        params = {"query": query}
        if variables:
            params["variables"] = json.dumps(variables)
        return client.get("/graphql/", params, **extra)
    return client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        **extra,
    )


def gql_data(client, query, variables=None):
    """Run a query that must succeed; returns its ``data``."""
    response = gql(client, query, variables)
    body = response.json()
    assert response.status_code == 200, body
    assert "errors" not in body, body["errors"]
    return body["data"]


def count_queries(client, query, variables=None):
    """(number of SQL queries, response) of one request, after a warm-up request that
    creates any missing renditions."""
    gql(client, query, variables)
    with CaptureQueriesContext(connection) as queries:
        response = gql(client, query, variables)
    return len(queries), response


def bad_request(client, query, variables=None):
    """The error message of a request that must be rejected with HTTP 400 (never 500)."""
    response = gql(client, query, variables)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body.get("data") is None, body
    return body["errors"][0]["message"]


def translate_as(page, locale, **fields):
    """Translate with wagtail-localize, then give the translation its own title/slug."""
    target = translate(page, locale)
    if fields:
        for name, value in fields.items():
            setattr(target, name, value)
        target.save_revision().publish()
        target = type(target).objects.get(pk=target.pk)
    return target


def settle():
    """Treat what the test has changed so far as committed, for the response cache: apply
    the pending invalidations (``cms.api.invalidation.flush_pending``), as a commit would.
    A test's transaction never commits, so without this its setup's cache tags would stay
    reserved and no answer about them would be cached."""
    from cms.api.invalidation import flush_pending

    flush_pending()


def breadcrumbs(html):
    """The labels of the first breadcrumb trail in an admin page's ``html``, white space
    folded."""
    trail = html.split("data-w-breadcrumbs", 1)[1].split("</nav>", 1)[0]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", item).split())
        for item in re.findall(r"<li\b[^>]*>(.*?)</li>", trail, re.S)
    ]
