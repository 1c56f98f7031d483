"""What running in production relies on: the load balancer's health check, request ids in
responses and logs, ``check --deploy`` and ``collectstatic`` under the production settings
with the documented environment, and the gunicorn configuration."""

import io
import json
import logging
import os
import re
import runpy
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError

import cms.middleware
from cms.logging import JsonFormatter, RequestIdFilter

ROOT = Path(settings.BASE_DIR)
HEX_ID = re.compile(r"^[0-9a-f]{32}$")


# --- /healthz -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_is_ok_for_any_host(client):
    response = client.get("/healthz", HTTP_HOST="10.0.3.17:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"

    # The same host is refused everywhere else.
    other = client.get("/graphql/", {"query": "{ site { name } }"}, HTTP_HOST="10.0.3.17:8000")
    assert other.status_code == 400


@pytest.mark.django_db
def test_healthz_reports_a_cache_outage_without_failing(client, monkeypatch):
    """Every app server shares the one Redis: a 503 would take them all out of a load
    balancer's rotation while the API still answers from the database."""

    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cms.middleware.cache, "set", broken)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok"
    assert body["cache"].startswith("error")


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    class DownConnection:
        def cursor(self):
            raise OperationalError("could not connect to server")

    monkeypatch.setattr(cms.middleware, "connection", DownConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["database"].startswith("error")
    assert body["cache"] == "ok"


# --- X-Request-ID ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/graphql/?query=%7Bsite%7Bname%7D%7D",
        "/graphql/?query=%7Bnope%7D",
        "/admin/",
        "/sv/no-such-page/",
    ],
)
def test_every_response_carries_a_request_id(client, path):
    response = client.get(path)
    assert HEX_ID.match(response["X-Request-ID"]), response.get("X-Request-ID")


@pytest.mark.django_db
def test_disallowed_host_response_carries_a_request_id(client):
    response = client.get("/graphql/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert HEX_ID.match(response["X-Request-ID"])


@pytest.mark.django_db
def test_healthz_response_carries_a_request_id(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-check-1")
    assert response.status_code == 200
    assert response.get("X-Request-ID") == "lb-check-1"


@pytest.mark.django_db
def test_request_ids_differ_between_requests(client):
    first = client.get("/graphql/?query=%7Bsite%7Bname%7D%7D")["X-Request-ID"]
    second = client.get("/graphql/?query=%7Bsite%7Bname%7D%7D")["X-Request-ID"]
    assert first != second


@pytest.mark.django_db
@pytest.mark.parametrize(
    "incoming", ["abc-123", "0f4c.2a_9", "A" * 64, "5e0b1c2d-7f3a-4e41-9b1d-3f2a6c8d9e10"]
)
def test_well_formed_incoming_request_id_is_kept(client, incoming):
    response = client.get("/graphql/?query=%7Bsite%7Bname%7D%7D", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] == incoming


@pytest.mark.django_db
@pytest.mark.parametrize(
    "incoming",
    ["has spaces in it", "x" * 200, "semi;colon", "new\u2028line", "A" * 65, "<script>"],
)
def test_invalid_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/graphql/?query=%7Bsite%7Bname%7D%7D", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] != incoming
    assert HEX_ID.match(response["X-Request-ID"])


# --- Request ids in logs --------------------------------------------------------------------


class Capture(logging.Handler):
    """A handler set up like the project's console handler: the request_id filter, then a
    formatter; keeps the formatted lines."""

    def __init__(self, formatter):
        super().__init__(level=logging.DEBUG)
        self.addFilter(RequestIdFilter())
        self.setFormatter(formatter)
        self.lines = []
        self.records = []

    def emit(self, record):
        self.records.append(record)
        self.lines.append(self.format(record))


@pytest.fixture
def capture_logs():
    """Attach a capturing handler (JSON lines, like production) to the given loggers."""
    attached = []

    def attach(*names):
        handler = Capture(JsonFormatter())
        for name in names:
            logger = logging.getLogger(name)
            logger.addHandler(handler)
            attached.append((logger, handler))
        return handler

    yield attach
    for logger, handler in attached:
        logger.removeHandler(handler)


@pytest.fixture
def broken_resolver(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database exploded in a resolver")

    monkeypatch.setattr("cms.schema.site_for", fail)


@pytest.mark.django_db
def test_api_error_log_line_carries_the_request_id(client, broken_resolver, capture_logs):
    handler = capture_logs("cms.api")
    response = client.get("/graphql/", {"query": "{ site { name } }"}, HTTP_X_REQUEST_ID="req-4711")
    assert response.status_code == 500
    body = response.json()
    assert body["errors"][0]["extensions"]["requestId"] == "req-4711"
    assert "exploded" not in json.dumps(body)

    lines = [json.loads(line) for line in handler.lines]
    assert lines, "the resolver failure was not logged"
    assert {line["request_id"] for line in lines} == {"req-4711"}
    assert lines[0]["level"] == "ERROR"
    assert lines[0]["logger"] == "cms.api"
    assert "database exploded in a resolver" in lines[0]["exception"]


@pytest.mark.django_db
def test_configured_console_handler_prints_the_request_id(client, broken_resolver):
    """The LOGGING setting's console handler (plain format in tests) prints the id."""
    console = next(
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RequestIdFilter) for f in handler.filters)
    )
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        client.get("/graphql/", {"query": "{ site { name } }"}, HTTP_X_REQUEST_ID="req-0815")
    finally:
        console.setStream(previous)
    failure = [line for line in stream.getvalue().splitlines() if "GraphQL resolver" in line]
    assert failure, stream.getvalue()
    assert "[req-0815]" in failure[0]


@pytest.mark.django_db
def test_django_request_log_lines_carry_the_request_id(client, capture_logs):
    """Django logs every 4xx/5xx response ("Bad Request: /graphql/") on ``django.request``;
    that line is the one an operator searches for with the id a client reports."""
    handler = capture_logs("django.request")
    response = client.get("/graphql/", {"query": "{ nope }"}, HTTP_X_REQUEST_ID="req-1234")
    assert response.status_code == 400
    lines = [json.loads(line) for line in handler.lines]
    assert lines, "no django.request log line"
    assert [line["request_id"] for line in lines] == ["req-1234"] * len(lines)


def test_json_formatter_writes_one_json_object_per_line():
    record = logging.LogRecord("cms.api", logging.WARNING, __file__, 1, "a %s", ("b",), None)
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["message"] == "a b"
    assert data["level"] == "WARNING"
    assert data["request_id"] == "-"  # outside a request


# --- Production settings --------------------------------------------------------------------


def production_env(tmp_path, **extra):
    """The environment the README documents for production (SQLite instead of PostgreSQL)."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(45)[:60],
        ALLOWED_HOSTS="cms.example.org",
        SECURE_HSTS_PRELOAD="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
        LOG_FORMAT="json",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def manage(tmp_path, *args, timeout=300, **env):
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_check_deploy_passes_with_the_documented_environment(tmp_path):
    assert len(production_env(tmp_path)["SECRET_KEY"]) == 60
    result = manage(tmp_path, "check", "--deploy")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_production_settings_refuse_a_missing_secret_key(tmp_path):
    result = manage(tmp_path, "check", "--deploy", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_missing_allowed_hosts(tmp_path):
    result = manage(tmp_path, "check", "--deploy", ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_collectstatic_under_production_settings(tmp_path):
    static_root = tmp_path / "static"
    result = manage(tmp_path, "collectstatic", "--no-input", STATIC_ROOT=str(static_root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (static_root / "graphiql" / "graphiql.min.js").is_file()
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["graphiql/graphiql.min.js"]
    assert hashed != "graphiql/graphiql.min.js"
    assert (static_root / hashed).is_file()
    assert (static_root / f"{hashed}.gz").is_file()  # compressed for WhiteNoise
    assert (static_root / "wagtailadmin").is_dir()


# --- gunicorn -------------------------------------------------------------------------------


def load_gunicorn_conf(monkeypatch, **env):
    for name in ("PORT", "WEB_CONCURRENCY", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_conf_binds_to_port_from_the_environment(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch, PORT="9137", WEB_CONCURRENCY="3", GUNICORN_THREADS="4")
    assert conf["bind"] == "0.0.0.0:9137"
    assert conf["workers"] == 3
    assert conf["threads"] == 4
    assert conf["worker_class"] == "gthread"
    assert "x-request-id" in conf["access_log_format"].lower()

    default = load_gunicorn_conf(monkeypatch)
    assert default["bind"] == "0.0.0.0:8000"
    assert default["worker_class"] == "sync"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_healthz_on_port(tmp_path):
    """Start gunicorn as the README says (one worker) and ask it for /healthz on PORT."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    port = free_port()
    env = production_env(tmp_path, PORT=str(port), WEB_CONCURRENCY="1")
    process = subprocess.Popen(  # noqa: S603
        [str(gunicorn), "-c", "gunicorn.conf.py", "cms.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        response = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                response = urllib.request.urlopen(  # noqa: S310
                    f"http://127.0.0.1:{port}/healthz", timeout=5
                )
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        assert response is not None, "gunicorn did not answer on PORT"
        assert response.status == 200
        assert json.loads(response.read()) == {"status": "ok", "database": "ok", "cache": "ok"}
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
