"""Production settings refuse insecure defaults; the environment is read in one place."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 30 + "9Xq-" * 10


def run_with_settings(code, module, unset=(), **env):
    """Run ``code`` in a fresh interpreter with settings ``module``, the variables in
    ``unset`` removed from the environment and ``env`` added."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in unset and not key.startswith("SENTRY_")
    }
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def load_settings(**env):
    """Import production settings in a fresh interpreter with exactly this environment."""
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.DATABASES['default']['ENGINE'])"
    )
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DATABASE_URL"}
    return run_with_settings(code, "cms.settings.production", unset, **env)


def test_production_refuses_to_start_without_secret_key():
    result = load_settings(ALLOWED_HOSTS="cms.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("key", ["short", "dev-" + "x" * 60])
def test_production_refuses_weak_secret_keys(key):
    result = load_settings(SECRET_KEY=key, ALLOWED_HOSTS="cms.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = load_settings(SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


def test_production_starts_with_documented_environment():
    result = load_settings(
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="cms.example.org, api.example.org",
        DATABASE_URL="postgres://cms@db.example.org:5432/cms",
        DEBUG="true",  # ignored: production never runs with DEBUG
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "['cms.example.org',",
        "'api.example.org']",
        "django.db.backends.postgresql",
    ]


def test_a_malformed_boolean_is_a_clear_error():
    result = load_settings(SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="x.org", SECURE_SSL_REDIRECT="maybe")
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT must be true or false" in result.stderr


def variables_read():
    """Every environment variable the settings and gunicorn.conf.py read."""
    import re

    sources = [*sorted((ROOT / "cms" / "settings").glob("*.py")), ROOT / "gunicorn.conf.py"]
    names = set()
    for source in sources:
        text = source.read_text()
        names |= set(re.findall(r"\benv(?:_bool|_list)?\(\s*\"([A-Z][A-Z0-9_]*)\"", text))
        names |= set(re.findall(r"os\.environ\.get\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", text))
    return names


def test_every_variable_is_documented_in_the_readme_and_env_example():
    names = variables_read()
    assert {"SECRET_KEY", "GRAPHQL_RATE_LIMIT", "WEB_CONCURRENCY"} <= names  # the scan works
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("| variable | default | meaning |") :]
    table = table[: table.index("\n\n")]
    example = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert sorted(name for name in names if f"`{name}`" not in table) == []
    assert sorted(names - example) == []


SENTRY_PROBE = (
    "import sys, django; django.setup(); import sentry_sdk; "
    "client = sentry_sdk.get_client(); "
    "print(client.is_active(), client.options['dsn'], client.options['environment'], "
    "client.options['traces_sample_rate'], client.options['send_default_pii'], "
    "'django' in client.integrations)"
)


def with_test_settings(code, **env):
    return run_with_settings(code, "cms.settings.test", **env)


def test_without_sentry_dsn_sentry_is_not_even_imported():
    result = with_test_settings(
        "import sys, django; django.setup(); "
        "print(sorted(name for name in sys.modules if name.startswith('sentry_sdk')))",
        SENTRY_DSN="",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_with_sentry_dsn_the_sdk_reports_with_the_django_integration():
    result = with_test_settings(
        SENTRY_PROBE,
        SENTRY_DSN="https://public@example.invalid/1",
        SENTRY_ENVIRONMENT="staging",
        SENTRY_TRACES_SAMPLE_RATE="0.25",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "https://public@example.invalid/1",
        "staging",
        "0.25",
        "False",
        "True",
    ]


def test_sentry_defaults_to_production_and_no_tracing():
    result = with_test_settings(SENTRY_PROBE, SENTRY_DSN="https://public@example.invalid/1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[2:4] == ["production", "0.0"]
