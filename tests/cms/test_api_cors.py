"""CORS: a browser script on another origin (a frontend's client side) can call /graphql/,
and only /graphql/, from the origins configured, without credentials; the settings read
``CORS_ALLOWED_ORIGINS`` as the README says (production: none unless listed; ``*``: any).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.helpers import publish

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = "http://localhost:3000"
QUERY = "{ newsArticles(limit: 1) { totalCount items { title } } }"


@pytest.fixture
def frontend_allowed(settings):
    settings.CORS_ALLOWED_ORIGINS = [FRONTEND, "https://www.example.org"]
    settings.CORS_ALLOW_ALL_ORIGINS = False


def preflight(client, origin=FRONTEND, method="POST", headers="content-type", path="/graphql/"):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=headers,
    )


def test_a_preflight_from_an_allowed_origin_is_answered_and_cached(client, frontend_allowed):
    response = preflight(client)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONTEND
    assert {"GET", "POST"} <= {
        m.strip() for m in response["Access-Control-Allow-Methods"].split(",")
    }
    assert "content-type" in response["Access-Control-Allow-Headers"].lower()
    assert response["Access-Control-Max-Age"] == "86400"
    assert "Access-Control-Allow-Credentials" not in response


def test_a_cross_origin_read_exposes_the_headers_a_client_needs(client, frontend_allowed, home_sv):
    index = NewsIndexPageFactory(parent=home_sv, locale=home_sv.locale)
    publish(NewsArticlePageFactory(parent=index, locale=home_sv.locale, title="Demokrati"))
    for response in (
        client.get("/graphql/", {"query": QUERY}, HTTP_ORIGIN=FRONTEND),
        client.post(
            "/graphql/",
            data=json.dumps({"query": QUERY}),
            content_type="application/json",
            HTTP_ORIGIN=FRONTEND,
        ),
    ):
        assert response.status_code == 200, response.content
        assert response.json()["data"]["newsArticles"]["items"] == [{"title": "Demokrati"}]
        assert response["Access-Control-Allow-Origin"] == FRONTEND
        exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
        assert {"etag", "x-request-id", "cache-tag", "retry-after"} <= exposed
        assert "Access-Control-Allow-Credentials" not in response
        # A CDN keeps one answer per allowed origin.
        assert "origin" in response["Vary"].lower()


def test_errors_reach_the_browser_too(client, frontend_allowed):
    response = client.get("/graphql/", {"query": "{ nope }"}, HTTP_ORIGIN=FRONTEND)
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == FRONTEND  # the script can read why


def test_other_origins_get_no_cors_headers(client, frontend_allowed):
    response = preflight(client, origin="https://evil.example.net")
    assert "Access-Control-Allow-Origin" not in response
    response = client.get("/graphql/", {"query": QUERY}, HTTP_ORIGIN="https://evil.example.net")
    assert response.status_code == 200  # answered, but the browser keeps it from the script
    assert "Access-Control-Allow-Origin" not in response


def test_only_the_api_is_open_to_other_origins(client, frontend_allowed):
    for path in ("/admin/login/", "/healthz"):
        response = client.get(path, HTTP_ORIGIN=FRONTEND)
        assert "Access-Control-Allow-Origin" not in response, path
    assert "Access-Control-Allow-Origin" not in preflight(client, path="/admin/login/")


def test_any_origin_when_allowed(client, settings):
    settings.CORS_ALLOW_ALL_ORIGINS = True
    response = client.get("/graphql/", {"query": QUERY}, HTTP_ORIGIN="https://any.example.com")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def cors_settings(module, **env):
    """``(allow all, allowed origins)`` of a settings module in a fresh interpreter."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CORS_")}
    clean.update(
        env,
        DJANGO_SETTINGS_MODULE=module,
        SECRET_KEY="k" * 30 + "9Xq-" * 10,
        ALLOWED_HOSTS="cms.example.org",
    )
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.CORS_ALLOW_ALL_ORIGINS, ','.join(settings.CORS_ALLOWED_ORIGINS))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    allow_all, _, origins = result.stdout.strip().partition(" ")
    return allow_all == "True", origins


def test_production_allows_no_origin_unless_listed():
    assert cors_settings("cms.settings.production") == (False, "")
    listed = cors_settings(
        "cms.settings.production", CORS_ALLOWED_ORIGINS="https://www.icld.se, http://localhost:3000"
    )
    assert listed == (False, "https://www.icld.se,http://localhost:3000")
    assert cors_settings("cms.settings.production", CORS_ALLOWED_ORIGINS="*") == (True, "")


def test_development_allows_any_origin_unless_some_are_listed():
    assert cors_settings("cms.settings.dev") == (True, "")
    assert cors_settings("cms.settings.dev", CORS_ALLOWED_ORIGINS="http://localhost:3000") == (
        False,
        "http://localhost:3000",
    )
