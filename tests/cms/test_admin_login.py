"""The admin withstands a password storm: failed logins lock the user name and the client
address for a while (django-axes), the lockout page says so in Swedish or English, and weak
passwords are refused.

Everything goes through the admin's login form at /admin/login/, as a browser would.
"""

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import F
from django.test import RequestFactory
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from cms.logins import client_ip_address

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "rätt-lösenord-2026"
WRONG = "fel-lösenord"
ATTACKER = "203.0.113.66"
EDITOR_ADDRESS = "198.51.100.20"
PROXY = "10.0.0.2"

LOCKED_TEXT = {
    "sv": "För många misslyckade inloggningar. Försök igen om 15 minuter",
    "en": "Too many failed logins. Try again in 15 minutes",
}


@pytest.fixture
def anna(django_user_model):
    return django_user_model.objects.create_superuser("anna", "anna@example.org", PASSWORD)


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_superuser("bob", "bob@example.org", PASSWORD)


@pytest.fixture
def limit():
    assert settings.AXES_FAILURE_LIMIT == 5  # the documented default
    return settings.AXES_FAILURE_LIMIT


def log_in(client, username, password, address=ATTACKER, **headers):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password, "next": reverse("wagtailadmin_home")},
        REMOTE_ADDR=address,
        **headers,
    )


def logged_in(response):
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def page_text(response):
    """The page, with non-breaking spaces (as in "15 minutes") as plain ones."""
    return response.content.decode().replace("\xa0", " ")


def fail(client, times, username="anna", address=ATTACKER, **headers):
    """``times`` wrong passwords; returns the status codes."""
    return [log_in(client, username, WRONG, address, **headers).status_code for _ in range(times)]


def age_attempts(minutes):
    """As if the recorded failures had happened ``minutes`` earlier."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


# --- Lockout per user name ------------------------------------------------------------------


def test_wrong_passwords_are_counted_then_lock_out_the_right_one(client, anna, limit):
    statuses = fail(client, limit)

    # The first ones get the login form again; the last one that reaches the limit is locked.
    assert statuses == [200] * (limit - 1) + [429]
    response = log_in(client, "anna", PASSWORD)
    assert response.status_code == 429
    assert not logged_in(response)
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("wagtailadmin_home")).status_code == 302  # still not in


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(client, anna, limit):
    fail(client, limit - 1)
    assert logged_in(log_in(client, "anna", PASSWORD))


def test_a_successful_login_starts_the_count_again(client, anna, limit):
    fail(client, limit - 1)
    assert logged_in(log_in(client, "anna", PASSWORD))
    client.logout()

    assert fail(client, limit - 1) == [200] * (limit - 1)
    assert logged_in(log_in(client, "anna", PASSWORD))


def test_the_user_name_stays_locked_from_any_address(client, anna, limit):
    fail(client, limit, address=ATTACKER)
    response = log_in(client, "anna", PASSWORD, address=EDITOR_ADDRESS)
    assert response.status_code == 429


def test_another_user_from_another_address_still_logs_in(client, anna, bob, limit):
    fail(client, limit, username="anna", address=ATTACKER)
    assert logged_in(log_in(client, "bob", PASSWORD, address=EDITOR_ADDRESS))


def test_the_django_admin_login_shares_the_lock(client, anna, limit):
    fail(client, limit)
    response = client.post(
        reverse("admin:login"), {"username": "anna", "password": PASSWORD}, REMOTE_ADDR=ATTACKER
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("language", ["sv", "en"])
def test_lockout_page_speaks_the_admin_language(client, anna, limit, language):
    fail(client, limit)
    response = log_in(client, "anna", PASSWORD, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 429
    content = page_text(response)
    assert f'<html lang="{language}"' in content
    assert LOCKED_TEXT[language] in content
    other = "en" if language == "sv" else "sv"
    assert LOCKED_TEXT[other] not in content
    # How an administrator lifts it, for the user name and for the address.
    assert "<code>python manage.py axes_reset_username anna</code>" in content
    assert f"<code>python manage.py axes_reset_ip {ATTACKER}</code>" in content


def test_lockout_page_defaults_to_swedish(client, anna, limit):
    fail(client, limit)
    response = log_in(client, "anna", PASSWORD)
    assert LOCKED_TEXT["sv"] in page_text(response)


def test_lockout_response_tells_clients_when_to_retry(client, anna, limit):
    fail(client, limit)
    response = log_in(client, "anna", PASSWORD)
    assert response["Retry-After"] == str(15 * 60)
    assert "no-store" in response["Cache-Control"]


def test_lockout_page_escapes_the_user_name(client, db, limit):
    name = "<script>x</script>"
    fail(client, limit, username=name)
    content = log_in(client, name, PASSWORD).content.decode()
    assert "<script>x</script>" not in content
    assert "&lt;script&gt;" in content


def test_locked_page_is_the_same_for_names_that_do_not_exist(client, anna, limit):
    """The lock does not tell an attacker which user names exist."""
    assert fail(client, limit, username="anna") == fail(
        client, limit, username="nobody", address=EDITOR_ADDRESS
    )


# --- Lockout per client address -------------------------------------------------------------


def test_many_user_names_from_one_address_lock_the_address(client, bob, limit):
    statuses = [log_in(client, f"guess{n}", WRONG).status_code for n in range(limit)]
    assert statuses[-1] == 429

    # bob's own account has no failures, but the address is locked...
    assert log_in(client, "bob", PASSWORD, address=ATTACKER).status_code == 429
    # ...and only the address: bob logs in from elsewhere.
    assert logged_in(log_in(client, "bob", PASSWORD, address=EDITOR_ADDRESS))


# --- The lock ends by itself, or an administrator lifts it ----------------------------------


def test_the_lock_ends_after_the_cool_off(client, anna, limit):
    fail(client, limit)
    assert log_in(client, "anna", PASSWORD).status_code == 429

    age_attempts(settings.LOGIN_COOLOFF_MINUTES - 1)
    assert log_in(client, "anna", PASSWORD).status_code == 429  # not yet

    age_attempts(2)
    assert logged_in(log_in(client, "anna", PASSWORD))


def test_attempts_while_locked_do_not_extend_the_lock(client, anna, limit):
    """Whoever keeps hammering a locked account cannot keep its editor out for good."""
    fail(client, limit)
    age_attempts(10)
    assert fail(client, 20) == [429] * 20  # refused, and not counted
    assert log_in(client, "anna", PASSWORD).status_code == 429

    age_attempts(settings.LOGIN_COOLOFF_MINUTES - 10 + 1)
    assert logged_in(log_in(client, "anna", PASSWORD))


def test_cool_off_is_never_permanent():
    assert isinstance(settings.AXES_COOLOFF_TIME, timedelta)
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is False


def load_settings(**env):
    """The login settings as a fresh interpreter reads them from this environment."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"LOGIN_FAILURE_LIMIT", "LOGIN_COOLOFF_MINUTES", "TRUSTED_PROXIES"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="cms.settings.test")
    code = (
        "from django.conf import settings; "
        "print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds(), "
        "settings.TRUSTED_PROXIES)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_limits_come_from_the_environment():
    result = load_settings(
        LOGIN_FAILURE_LIMIT="3", LOGIN_COOLOFF_MINUTES="60", TRUSTED_PROXIES="10.0.0.0/8, ::1"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3 3600.0 ['10.0.0.0/8', '::1']"
    assert load_settings().stdout.strip() == "5 900.0 []"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LOGIN_COOLOFF_MINUTES": "0"}, "must be at least 1"),
        ({"LOGIN_FAILURE_LIMIT": "0"}, "must be at least 1"),
        ({"TRUSTED_PROXIES": "2"}, "TRUSTED_PROXIES must list IP addresses or networks"),
        ({"TRUSTED_PROXIES": "proxy.example.org"}, "TRUSTED_PROXIES must list"),
    ],
)
def test_settings_refuse_values_that_would_disable_the_lock(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_axes_reset_username_lifts_the_lock(client, anna, limit):
    fail(client, limit, address=ATTACKER)
    fail(client, 1, username="someone-else", address=EDITOR_ADDRESS)

    call_command("axes_reset_username", "anna", stdout=io.StringIO())

    assert logged_in(log_in(client, "anna", PASSWORD, address=EDITOR_ADDRESS))


def test_axes_reset_ip_lifts_an_address_lock(client, bob, limit):
    for n in range(limit):
        log_in(client, f"guess{n}", WRONG)
    assert log_in(client, "bob", PASSWORD).status_code == 429

    call_command("axes_reset_ip", ATTACKER, stdout=io.StringIO())

    assert logged_in(log_in(client, "bob", PASSWORD))


# --- Which address: X-Forwarded-For only from trusted proxies -------------------------------


def test_forwarded_for_is_ignored_without_trusted_proxies(client, bob, limit, settings):
    """A client cannot escape the address lock by sending a new X-Forwarded-For each time."""
    settings.TRUSTED_PROXIES = []
    for n in range(limit):
        log_in(client, f"guess{n}", WRONG, HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}")

    response = log_in(client, "bob", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")

    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_forwarded_for_names_the_client_behind_a_trusted_proxy(client, bob, limit, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for n in range(limit):
        log_in(client, f"guess{n}", WRONG, address=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}

    # The attacker is locked, even when writing its own X-Forwarded-For (the proxy appends
    # the address it saw, and only that one is believed)...
    spoofed = f"192.0.2.9, {ATTACKER}"
    response = log_in(client, "bob", PASSWORD, address=PROXY, HTTP_X_FORWARDED_FOR=spoofed)
    assert response.status_code == 429
    # ...while an editor behind the same proxy is not.
    response = log_in(client, "bob", PASSWORD, address=PROXY, HTTP_X_FORWARDED_FOR=EDITOR_ADDRESS)
    assert logged_in(response)


def test_forwarded_for_from_an_untrusted_address_is_ignored(client, bob, limit, settings):
    """With TRUSTED_PROXIES set, a client that reaches the app directly still cannot choose
    its address."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for n in range(limit):
        log_in(client, f"guess{n}", WRONG, HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}")
    response = log_in(client, "bob", PASSWORD, HTTP_X_FORWARDED_FOR=EDITOR_ADDRESS)
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.1", None, [], "203.0.113.1"),
        ("203.0.113.1", "192.0.2.1", [], "203.0.113.1"),
        ("10.0.0.2", "192.0.2.1", [], "10.0.0.2"),
        ("10.0.0.2", "192.0.2.1", ["10.0.0.0/8"], "192.0.2.1"),
        ("10.0.0.2", "192.0.2.1", ["10.0.0.2"], "192.0.2.1"),
        ("10.0.0.3", "192.0.2.1", ["10.0.0.2"], "10.0.0.3"),
        # Two proxies: the client is the first address, from the right, that is not one.
        ("10.0.0.2", "6.6.6.6, 192.0.2.1, 10.0.0.7", ["10.0.0.0/8"], "192.0.2.1"),
        # Only trusted hops: the left-most of them.
        ("10.0.0.2", "10.0.0.9", ["10.0.0.0/8"], "10.0.0.9"),
        ("10.0.0.2", None, ["10.0.0.0/8"], "10.0.0.2"),
        # Garbage is never returned (the database column holds IP addresses).
        ("10.0.0.2", "not-an-ip", ["10.0.0.0/8"], "10.0.0.2"),
        ("10.0.0.2", "", ["10.0.0.0/8"], "10.0.0.2"),
        ("", "192.0.2.1", ["10.0.0.0/8"], None),
        # IPv6, and IPv4 written as IPv6.
        ("fd00::1", "2001:db8::5", ["fd00::/8"], "2001:db8::5"),
        ("::ffff:10.0.0.2", "192.0.2.1", ["10.0.0.0/8"], "192.0.2.1"),
    ],
)
def test_client_ip_address(settings, remote, forwarded, trusted, expected):
    settings.TRUSTED_PROXIES = trusted
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().post("/admin/login/", **headers)
    assert client_ip_address(request) == expected


# --- Password validators --------------------------------------------------------------------


@pytest.mark.parametrize("password", ["kort", "12345678901", "password123"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_admin_refuses_to_create_a_user_with_a_weak_password(admin_client, django_user_model):
    url = reverse("wagtailusers_users:add")
    data = querydict_from_html(admin_client.get(url).content.decode(), form_id="w-editor-form")
    data.update(
        {
            "username": "cecilia",
            "email": "cecilia@example.org",
            "first_name": "Cecilia",
            "last_name": "Editor",
            "password1": "kort",
            "password2": "kort",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "password2" in response.context["form"].errors  # "för kort" / "too short"
    assert not django_user_model.objects.filter(username="cecilia").exists()

    data["password1"] = data["password2"] = "Ett-bra-lösenord-för-2026"
    assert admin_client.post(url, data).status_code == 302
    assert django_user_model.objects.filter(username="cecilia").exists()
