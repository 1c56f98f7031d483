"""The health check as load balancers and browsers see it: ``/healthz`` and ``/healthz/``
answer alike (never a language redirect), carry the security headers, answer plain http
under the production settings' https redirect, and the first request after the database
dropped its connection reconnects (``CONN_HEALTH_CHECKS``)."""

import json
import subprocess
import sys
import time
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client

import cms.middleware
from tests.cms.test_deploy import production_env

ROOT = Path(settings.BASE_DIR)
HEALTH_PATHS = ["/healthz", "/healthz/"]


# --- Test settings, through the test client -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", HEALTH_PATHS)
def test_healthz_answers_with_or_without_a_trailing_slash(client, path):
    response = client.get(path, HTTP_HOST="10.0.3.17:8000")
    assert response.status_code == 200
    assert "Location" not in response
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


class BrokenDatabase:
    """Stands in for ``django.db.connection`` in the middleware: every cursor fails."""

    def cursor(self):
        raise ConnectionError("database is down")


@pytest.mark.django_db
@pytest.mark.parametrize("path", HEALTH_PATHS)
def test_unhealthy_answer_is_the_same_with_a_trailing_slash(client, monkeypatch, path):
    monkeypatch.setattr(cms.middleware, "connection", BrokenDatabase())
    response = client.get(path)
    assert response.status_code == 503
    assert response.json() == {
        "status": "unhealthy",
        "database": "error: ConnectionError",
        "cache": "ok",
    }
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_other_paths_still_get_the_language_redirect(client):
    """Only the health check is taken out of i18n routing."""
    response = client.get("/healthz/extra/")
    assert response.status_code == 302
    assert response["Location"] == "/sv/healthz/extra/"


@pytest.mark.django_db
def test_healthz_is_nosniff_even_when_the_setting_is_off(settings):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_healthz_carries_hsts_over_https_when_configured(settings):
    settings.SECURE_HSTS_SECONDS = 600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = False
    client = Client()
    secure = client.get("/healthz/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=600; includeSubDomains"
    plain = client.get("/healthz")
    assert plain.status_code == 200
    assert "Strict-Transport-Security" not in plain  # browsers ignore HSTS over http


@pytest.mark.django_db
def test_no_hsts_when_it_is_not_configured(settings):
    settings.SECURE_HSTS_SECONDS = 0
    response = Client().get("/healthz", secure=True)
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


# --- Production settings, in a fresh interpreter ---------------------------------------------


def run_production(tmp_path, code, *args, **extra_env):
    """Run ``code`` under the production settings with the README's environment; return the
    JSON it prints last."""
    env = production_env(tmp_path, **extra_env)
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


PRODUCTION_REQUESTS = """
import json, sys
import django
django.setup()
from django.test import Client
answers = []
for path, host, proto in json.loads(sys.argv[1]):
    extra = {"HTTP_HOST": host}
    if proto:
        extra["HTTP_X_FORWARDED_PROTO"] = proto
    response = Client().get(path, **extra)
    answers.append({"status": response.status_code, "headers": dict(response.headers)})
print(json.dumps(answers))
"""


def test_production_healthz_answers_plain_http_and_carries_hsts_over_https(tmp_path):
    requests = [
        # A load balancer: plain http, by IP (not in ALLOWED_HOSTS), no X-Forwarded-Proto.
        ["/healthz", "10.0.3.17:8000", None],
        ["/healthz/", "10.0.3.17:8000", None],
        # Through the TLS-terminating proxy.
        ["/healthz", "cms.example.org", "https"],
        # Everything else is still sent to https.
        ["/graphql/", "cms.example.org", None],
        ["/healthz/extra", "cms.example.org", None],
    ]
    lb_plain, lb_slash, proxied, graphql, extra = run_production(
        tmp_path, PRODUCTION_REQUESTS, json.dumps(requests)
    )
    for answer in (lb_plain, lb_slash, proxied):
        assert answer["status"] == 200, answer
        assert answer["headers"]["X-Content-Type-Options"] == "nosniff"
        assert answer["headers"]["Cache-Control"] == "no-store"
        assert "Location" not in answer["headers"]
    assert "Strict-Transport-Security" not in lb_plain["headers"]
    assert (
        proxied["headers"]["Strict-Transport-Security"]
        == "max-age=31536000; includeSubDomains; preload"
    )
    assert graphql["status"] == 301
    assert graphql["headers"]["Location"] == "https://cms.example.org/graphql/"
    assert extra["status"] == 301


SETTINGS_DICT = """
import json
import django
django.setup()
from django.db import connections
print(json.dumps(connections["default"].settings_dict))
"""


@pytest.mark.parametrize(
    "url", ["postgres://cms@db.example.org:5432/cms", "sqlite:///{tmp}/cms.sqlite3"]
)
def test_production_database_connections_are_health_checked(tmp_path, url):
    database = run_production(tmp_path, SETTINGS_DICT, DATABASE_URL=url.format(tmp=tmp_path))
    assert database["CONN_HEALTH_CHECKS"] is True


# --- A database that dropped the connection -----------------------------------------------


def wsgi_get(path):
    """One request through the WSGI handler, as gunicorn makes it: unlike the test client,
    it sends request_started / request_finished with Django's connection housekeeping."""
    environ = {"PATH_INFO": path}
    setup_testing_defaults(environ)
    statuses = []
    result = WSGIHandler()(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        body = b"".join(result)
    finally:
        result.close()
    return int(statuses[0].split()[0]), json.loads(body)


def terminate_backend(pid):
    """Kill one PostgreSQL session from another one, as a database restart would."""
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    return
                time.sleep(0.05)
        raise AssertionError(f"backend {pid} did not go away")
    finally:
        other.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("health_checks", "expected"),
    [(True, 200), (False, 503)],
    ids=["configured", "control-without-health-checks"],
)
def test_first_request_after_the_database_dropped_the_connection(
    postgres, monkeypatch, health_checks, expected
):
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True  # from DATABASE_URL
    assert connection.settings_dict["CONN_MAX_AGE"] > 0  # connections outlive requests
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", health_checks)
    connection.close()
    connection.ensure_connection()
    old_pid = connection.connection.info.backend_pid
    terminate_backend(old_pid)

    status, body = wsgi_get("/healthz")
    assert status == expected, body
    if health_checks:
        assert connection.connection.info.backend_pid != old_pid
