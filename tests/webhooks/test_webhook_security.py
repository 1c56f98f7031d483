"""Webhooks cannot be pointed inward, and their secret is write-only.

* An endpoint's URL is http(s) to public addresses only, checked when it is saved (the admin
  form shows why not, in the editor's language) and again at every delivery on the address the
  host resolves to then, which is the address the worker connects to (DNS rebinding).
  ``WEBHOOKS_ALLOW_PRIVATE_ADDRESSES`` admits private ranges for on-premise receivers, never
  link-local (cloud metadata) ones.
* Redirects are never followed: a 3xx fails the delivery, and the redirect's target never
  hears from us.
* The signing secret is shown once when generated (new endpoint, or rotated), never in the
  edit form.

No test reaches the internet: public host names resolve through ``fake_dns``; receivers listen
on 127.0.0.1, HTTPS ones with a certificate for hooks.example from a test CA.
"""

import html
import json
import logging
import re
import ssl

import pytest
from django.core.exceptions import ValidationError
from wagtail.users.models import UserProfile

from webhooks import network
from webhooks.models import WebhookDelivery, WebhookEndpoint

from .support import (
    ENDPOINTS,
    PUBLIC_IPV4,
    PUBLIC_IPV6,
    TEST_CA,
    draft_article,
    make_endpoint,
    queued_tasks,
    run_worker,
    verify_signature,
    worker_db,
)


def url_error_codes(url):
    """The codes of the errors ``url`` gets when an endpoint is validated (model full_clean, as
    the admin form does); empty when it is accepted."""
    try:
        WebhookEndpoint(name="Receiver", url=url).full_clean()
    except ValidationError as error:
        return {item.code for item in error.error_dict.get("url", [])}
    return set()


@pytest.fixture
def names(fake_dns):
    """Host names for the tests: public ones, one that resolves to 127.0.0.1, one with a public
    and a private address, one that does not resolve at all."""
    fake_dns.hosts.update(
        {
            "hooks.example": [PUBLIC_IPV4],
            "dual.example": [PUBLIC_IPV6, PUBLIC_IPV4],
            "internal.example": ["127.0.0.1"],
            "mixed.example": [PUBLIC_IPV4, "10.0.0.5"],
            "mapped.example": ["::ffff:127.0.0.1"],
            "metadata.example": ["169.254.169.254"],
        }
    )
    return fake_dns


# --- On save: what an endpoint's URL may be -------------------------------------------------

REFUSED_URLS = {
    # URL: the error code it gets with the default settings
    "http://169.254.169.254/latest/meta-data/": "refused_address",
    "http://metadata.example/latest/meta-data/": "refused_address",
    "http://localhost:6379/": "private_address",  # resolves (for real) to 127.0.0.1 / ::1
    "http://internal.example/hooks": "private_address",
    "http://mapped.example/hooks": "private_address",
    "http://mixed.example/hooks": "private_address",
    "http://[::1]/hooks": "private_address",
    "http://[::ffff:127.0.0.1]/hooks": "private_address",
    "http://10.0.0.1/hooks": "private_address",
    "http://127.0.0.1:8000/hooks": "private_address",
    "http://172.16.0.1/hooks": "private_address",
    "http://192.168.1.10/hooks": "private_address",
    "http://100.64.0.1/hooks": "private_address",  # shared address space (CGNAT)
    "http://2130706433/hooks": "private_address",  # 127.0.0.1 written as one number
    "http://0.0.0.0:8000/hooks": "refused_address",
    "http://224.0.0.1/hooks": "refused_address",
    "http://[fe80::1]/hooks": "refused_address",
    "http://[fd00:ec2::254]/latest/meta-data/": "refused_address",
    "ftp://hooks.example/hooks": "scheme",
    "file:///etc/passwd": "scheme",
    "gopher://hooks.example/": "scheme",
    "http://user:password@hooks.example/hooks": "credentials",
    "https://unknown.example/hooks": "unresolved",
}


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_internal_or_non_http_urls_are_refused(names, url):
    assert REFUSED_URLS[url] in url_error_codes(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example/api/revalidate",
        "http://hooks.example:8080/hooks?source=cms",
        "https://dual.example/hooks",
        f"https://{PUBLIC_IPV4}/hooks",
        f"https://[{PUBLIC_IPV6}]/hooks",
        "HTTPS://Hooks.Example/hooks",
    ],
)
def test_public_http_and_https_urls_are_accepted(names, url):
    assert url_error_codes(url) == set()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hooks",
        "http://localhost:6379/",
        "http://internal.example/hooks",
        "http://[::1]/hooks",
        "http://10.0.0.1/hooks",
        "http://100.64.0.1/hooks",
        "http://mixed.example/hooks",
    ],
)
def test_the_setting_admits_private_ranges_for_on_premise_receivers(names, settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    assert url_error_codes(url) == set()


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://metadata.example/",
        "http://[fe80::1]/hooks",
        "http://[fd00:ec2::254]/",
        "http://0.0.0.0/hooks",
        "http://224.0.0.1/hooks",
        "ftp://10.0.0.1/hooks",
    ],
)
def test_the_setting_never_admits_link_local_metadata_or_other_schemes(names, settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    assert url_error_codes(url)


def test_the_refusal_names_the_host_and_the_address(names):
    with pytest.raises(ValidationError) as caught:
        network.validate_webhook_url("http://internal.example/hooks")
    [message] = caught.value.messages
    assert "internal.example" in message
    assert "127.0.0.1" in message
    assert "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES" in message


# --- The admin form shows why, in the editor's language -------------------------------------


def endpoint_form(**fields):
    return {
        "name": "Frontend",
        "url": "https://hooks.example/hooks",
        "secret": "",
        "is_active": "on",
        "page_events": "on",
        "image_events": "on",
        **fields,
    }


def set_language(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def page_text(response):
    return html.unescape(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, url, expected",
    [
        ("en", "http://10.0.0.1/hooks", "Webhooks can only be sent to public addresses"),
        ("sv", "http://10.0.0.1/hooks", "Webhooks kan bara skickas till publika adresser"),
        ("en", "http://internal.example/", "internal.example resolves to 127.0.0.1"),
        ("sv", "http://internal.example/", "internal.example pekar på 127.0.0.1"),
        ("en", "http://169.254.169.254/latest/", "Webhooks are never sent to 169.254.169.254"),
        ("sv", "http://169.254.169.254/latest/", "Webhooks skickas aldrig till 169.254.169.254"),
        ("en", "ftp://hooks.example/hooks", "Only http:// and https:// URLs can receive webhooks"),
        ("sv", "ftp://hooks.example/hooks", "Bara http://- och https://-adresser kan ta emot"),
        ("en", "https://unknown.example/", "The host name unknown.example could not be resolved"),
        ("sv", "https://unknown.example/", "Värdnamnet unknown.example gick inte att slå upp"),
        ("en", "https://user:pw@hooks.example/", "cannot contain a user name or password"),
        ("sv", "https://user:pw@hooks.example/", "får inte innehålla användarnamn eller lösenord"),
    ],
)
def test_admin_form_refuses_internal_urls_in_the_editors_language(
    admin_client, admin_user, names, language, url, expected
):
    set_language(admin_user, language)
    response = admin_client.post(f"{ENDPOINTS}add/", endpoint_form(url=url))
    assert response.status_code == 200  # the form again, with the error at the URL field
    assert expected in page_text(response)
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
def test_admin_form_refuses_a_url_without_scheme(admin_client, names):
    response = admin_client.post(f"{ENDPOINTS}add/", endpoint_form(url="localhost:6379"))
    assert response.status_code == 200
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
def test_admin_form_cannot_move_an_endpoint_inward(admin_client, names):
    endpoint = make_endpoint("https://hooks.example/hooks")
    response = admin_client.post(
        f"{ENDPOINTS}edit/{endpoint.pk}/", endpoint_form(url="http://169.254.169.254/")
    )
    assert response.status_code == 200
    endpoint.refresh_from_db()
    assert endpoint.url == "https://hooks.example/hooks"


# --- At delivery: checked again, connected to the checked address, no redirects -------------


def publish_article(tree, django_capture_on_commit_callbacks):
    article = draft_article(tree)
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    return article


@worker_db
def test_dns_rebinding_after_save_is_refused_at_delivery(
    tree, receiver, names, settings, django_capture_on_commit_callbacks, caplog
):
    """The name was public when the endpoint was saved; by delivery it points at an internal
    service (here our receiver on 127.0.0.1). Nothing is sent, and the delivery fails."""
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    url = f"http://rebind.example:{receiver.port}/hooks/cms"
    names.hosts["rebind.example"] = [PUBLIC_IPV4]
    endpoint = WebhookEndpoint(name="Frontend", url=url)
    endpoint.full_clean()
    endpoint.save()

    names.hosts["rebind.example"] = ["127.0.0.1"]
    publish_article(tree, django_capture_on_commit_callbacks)
    with caplog.at_level(logging.WARNING, logger="webhooks"):
        run_worker()

    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == 1
    assert delivery.response_status is None
    assert delivery.last_error.startswith("Not sent:")
    assert "127.0.0.1" in delivery.last_error
    assert delivery.delivered_at is None
    assert queued_tasks().count() == 0
    assert any("refused" in record.getMessage() for record in caplog.records)
    assert endpoint.secret not in caplog.text


@worker_db
def test_an_endpoint_saved_before_the_rule_is_checked_at_delivery(
    tree, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    make_endpoint(receiver.url)  # a row from before validation existed
    publish_article(tree, django_capture_on_commit_callbacks)
    run_worker()
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert "public addresses" in delivery.last_error


@worker_db
def test_the_worker_connects_to_the_address_it_checked(
    tree, receiver, names, django_capture_on_commit_callbacks
):
    """Resolved once per attempt: a second answer (here another address, where nothing
    listens) is never asked for, so it cannot be swapped in between check and connect."""
    names.hosts["pinned.example"] = lambda previous: (
        ["127.0.0.1"] if previous == 0 else ["127.0.0.2"]
    )
    endpoint = make_endpoint(f"http://pinned.example:{receiver.port}/hooks/cms")
    publish_article(tree, django_capture_on_commit_callbacks)
    run_worker()

    [request] = receiver.requests
    assert request.headers["Host"] == f"pinned.example:{receiver.port}"
    assert verify_signature(endpoint.secret, request)
    assert names.calls.count("pinned.example") == 1
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED


@worker_db
def test_an_unresolvable_name_at_delivery_is_retried(
    tree, names, settings, django_capture_on_commit_callbacks
):
    make_endpoint("https://gone.example/hooks")
    publish_article(tree, django_capture_on_commit_callbacks)
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.RETRYING
    assert "could not be resolved" in delivery.last_error
    assert queued_tasks().count() == 1


@worker_db
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirects_are_not_followed(
    tree, start_receiver, status, django_capture_on_commit_callbacks, caplog
):
    internal = start_receiver()  # e.g. another internal port
    receiver = start_receiver()
    receiver.status = status
    receiver.headers = {"Location": internal.url}
    endpoint = make_endpoint(receiver.url)
    publish_article(tree, django_capture_on_commit_callbacks)

    with caplog.at_level(logging.INFO, logger="webhooks"):
        run_worker()

    assert len(receiver.requests) == 1
    assert internal.requests == []  # neither the body nor the signature went there
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == 1
    assert delivery.response_status == status
    assert "redirects are not followed" in delivery.last_error
    assert internal.url in delivery.last_error
    assert delivery.delivered_at is None
    assert queued_tasks().count() == 0
    messages = [
        record.getMessage() for record in caplog.records if record.name == "webhooks.dispatch"
    ]
    assert any("redirects are not followed" in message for message in messages)
    assert not any("delivered" in message for message in messages)
    assert endpoint.secret not in caplog.text


@pytest.fixture
def trust_test_ca(monkeypatch):
    """The worker trusts the test CA (as it trusts the system's CAs in production)."""
    monkeypatch.setattr(
        network, "tls_context", lambda: ssl.create_default_context(cafile=str(TEST_CA))
    )


@worker_db
def test_https_to_a_pinned_address_verifies_the_certificate_for_the_host_name(
    tree, start_receiver, names, trust_test_ca, django_capture_on_commit_callbacks
):
    receiver = start_receiver(tls=True)
    names.hosts["hooks.example"] = ["127.0.0.1"]
    endpoint = make_endpoint(f"https://hooks.example:{receiver.port}/hooks/cms")
    publish_article(tree, django_capture_on_commit_callbacks)
    run_worker()

    [request] = receiver.requests
    assert receiver.server_names == ["hooks.example"]  # SNI is the name, not the address
    assert request.headers["Host"] == f"hooks.example:{receiver.port}"
    assert verify_signature(endpoint.secret, request)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.DELIVERED


@worker_db
def test_https_refuses_a_certificate_for_another_name(
    tree, start_receiver, names, trust_test_ca, django_capture_on_commit_callbacks
):
    receiver = start_receiver(tls=True)  # its certificate is for hooks.example
    names.hosts["other.example"] = ["127.0.0.1"]
    make_endpoint(f"https://other.example:{receiver.port}/hooks/cms")
    publish_article(tree, django_capture_on_commit_callbacks)
    run_worker()

    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.RETRYING
    assert "certificate" in delivery.last_error.lower()


@worker_db
def test_https_refuses_an_untrusted_certificate(
    tree, start_receiver, names, django_capture_on_commit_callbacks
):
    receiver = start_receiver(tls=True)  # signed by the test CA, which is not trusted here
    names.hosts["hooks.example"] = ["127.0.0.1"]
    make_endpoint(f"https://hooks.example:{receiver.port}/hooks/cms")
    publish_article(tree, django_capture_on_commit_callbacks)
    run_worker()

    assert receiver.requests == []
    assert "certificate" in WebhookDelivery.objects.get().last_error.lower()


# --- The secret is write-only ---------------------------------------------------------------

SECRET = "the-current-signing-secret-0123456789"


def messages_shown(response):
    return page_text(response)


@pytest.mark.django_db
def test_edit_form_never_shows_the_secret(admin_client, names):
    endpoint = make_endpoint("https://hooks.example/hooks", secret=SECRET)
    response = admin_client.get(f"{ENDPOINTS}edit/{endpoint.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert SECRET not in content
    assert SECRET not in html.unescape(content)
    [secret_input] = re.findall(r"<input[^>]*name=\"secret\"[^>]*>", content)
    assert 'type="password"' in secret_input
    assert "value=" not in secret_input
    assert 'name="rotate_secret"' in content

    # Nor anywhere else the admin shows the endpoint.
    for url in (ENDPOINTS, f"{ENDPOINTS}history/{endpoint.pk}/"):
        page = admin_client.get(url)
        assert page.status_code == 200
        assert SECRET not in page.content.decode()


@pytest.mark.django_db
def test_edit_form_with_an_empty_secret_keeps_it(admin_client, names):
    endpoint = make_endpoint("https://hooks.example/hooks", secret=SECRET)
    response = admin_client.post(
        f"{ENDPOINTS}edit/{endpoint.pk}/", endpoint_form(name="Renamed"), follow=True
    )
    assert response.status_code == 200
    endpoint.refresh_from_db()
    assert endpoint.name == "Renamed"
    assert endpoint.secret == SECRET
    assert SECRET not in response.content.decode()


@pytest.mark.django_db
def test_rotation_shows_the_new_secret_once(admin_client, names):
    endpoint = make_endpoint("https://hooks.example/hooks", secret=SECRET)
    response = admin_client.post(
        f"{ENDPOINTS}edit/{endpoint.pk}/", endpoint_form(rotate_secret="on")
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    new_secret = endpoint.secret
    assert new_secret != SECRET
    assert len(new_secret) >= 32
    assert new_secret not in response.content.decode()

    shown = admin_client.get(response.url)
    assert new_secret in page_text(shown)
    assert "shown only this once" in page_text(shown) or "visas bara den här gången" in page_text(
        shown
    )
    assert SECRET not in page_text(shown)

    # Once: neither the next page nor the edit form shows it again.
    for url in (response.url, f"{ENDPOINTS}edit/{endpoint.pk}/"):
        again = admin_client.get(url)
        assert again.status_code == 200
        assert new_secret not in page_text(again)


@worker_db
def test_deliveries_after_rotation_are_signed_with_the_new_secret(
    tree, receiver, admin_client, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(receiver.url, secret=SECRET)
    admin_client.post(
        f"{ENDPOINTS}edit/{endpoint.pk}/",
        endpoint_form(url=receiver.url, rotate_secret="on"),
    )
    endpoint.refresh_from_db()
    assert endpoint.secret != SECRET
    publish_article(tree, django_capture_on_commit_callbacks)
    run_worker()
    [request] = receiver.requests
    assert verify_signature(endpoint.secret, request)
    assert not verify_signature(SECRET, request)


@pytest.mark.django_db
def test_a_new_endpoint_gets_a_generated_secret_shown_once(admin_client, names):
    response = admin_client.post(f"{ENDPOINTS}add/", endpoint_form(secret=""))
    assert response.status_code == 302, page_text(response)[:2000]
    endpoint = WebhookEndpoint.objects.get()
    assert len(endpoint.secret) >= 32

    shown = admin_client.get(response.url)
    assert endpoint.secret in page_text(shown)
    assert endpoint.secret not in page_text(admin_client.get(response.url))
    assert endpoint.secret not in page_text(admin_client.get(f"{ENDPOINTS}edit/{endpoint.pk}/"))


@pytest.mark.django_db
def test_a_typed_secret_is_kept_and_not_echoed(admin_client, names):
    response = admin_client.post(
        f"{ENDPOINTS}add/", endpoint_form(secret="the-receivers-own-secret")
    )
    assert response.status_code == 302
    assert WebhookEndpoint.objects.get().secret == "the-receivers-own-secret"
    assert "the-receivers-own-secret" not in page_text(admin_client.get(response.url))


@pytest.mark.django_db
def test_a_new_secret_can_be_typed_on_edit(admin_client, names):
    endpoint = make_endpoint("https://hooks.example/hooks", secret=SECRET)
    response = admin_client.post(
        f"{ENDPOINTS}edit/{endpoint.pk}/", endpoint_form(secret="a-brand-new-typed-secret")
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.secret == "a-brand-new-typed-secret"
    assert "a-brand-new-typed-secret" not in page_text(admin_client.get(response.url))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"secret": "too-short-1234"}, "at least 16 characters"),
        ({"secret": "a-brand-new-typed-secret", "rotate_secret": "on"}, "not both"),
    ],
)
def test_secret_input_errors(admin_client, admin_user, names, fields, expected):
    set_language(admin_user, "en")
    endpoint = make_endpoint("https://hooks.example/hooks", secret=SECRET)
    response = admin_client.post(f"{ENDPOINTS}edit/{endpoint.pk}/", endpoint_form(**fields))
    assert response.status_code == 200
    assert expected in page_text(response)
    assert SECRET not in response.content.decode()
    assert fields["secret"] not in response.content.decode()  # typed secrets are not echoed
    endpoint.refresh_from_db()
    assert endpoint.secret == SECRET


def test_the_form_never_renders_a_stored_secret():
    """Belt and braces: the widget drops values even if one reached it."""
    from webhooks.forms import WebhookEndpointForm

    widget = WebhookEndpointForm.base_fields["secret"].widget
    assert widget.input_type == "password"
    assert SECRET not in widget.render("secret", SECRET)
    assert json.dumps(SECRET) not in widget.render("secret", SECRET)
