"""The admin speaks Swedish and English: each editor picks the language in their account."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html
from wagtail.users.models import UserProfile

SIDEBAR_PAGES = {"en": '"label": "Pages"', "sv": '"label": "Sidor"'}
DASHBOARD_TITLE = {"en": "<title>Dashboard - ", "sv": "<title>Instrumentpanel - "}
LOG_OUT = {"en": '"label": "Log out"', "sv": '"label": "Logga ut"'}


def set_language(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def dashboard(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("language", "other"), [("en", "sv"), ("sv", "en")])
def test_admin_uses_the_editors_preferred_language(admin_client, admin_user, language, other):
    set_language(admin_user, language)

    content = dashboard(admin_client)

    assert f'<html lang="{language}"' in content
    for texts in (SIDEBAR_PAGES, DASHBOARD_TITLE, LOG_OUT):
        assert texts[language] in content
        assert texts[other] not in content


def test_admin_defaults_to_swedish(admin_client, admin_user):
    """An editor who has not chosen gets the site's language, Swedish."""
    set_language(admin_user, "")
    content = dashboard(admin_client)
    assert '<html lang="sv"' in content
    assert SIDEBAR_PAGES["sv"] in content


def test_two_editors_get_their_own_languages(client, django_user_model):
    anna = django_user_model.objects.create_superuser("anna", "anna@example.org", "pw")
    bob = django_user_model.objects.create_superuser("bob", "bob@example.org", "pw")
    set_language(anna, "sv")
    set_language(bob, "en")

    client.force_login(bob)
    assert SIDEBAR_PAGES["en"] in dashboard(client)
    client.force_login(anna)
    assert SIDEBAR_PAGES["sv"] in dashboard(client)


def locale_form(response):
    """The language/time zone form among the account page's panels."""
    (form,) = [
        panel.get_form()
        for panels in response.context["panels_by_tab"].values()
        for panel in panels
        if panel.name == "locale"
    ]
    return form


def test_account_form_offers_swedish_and_english(admin_client):
    response = admin_client.get(reverse("wagtailadmin_account"))
    assert response.status_code == 200
    choices = dict(locale_form(response).fields["preferred_language"].choices)
    assert {"sv", "en"} <= set(choices)
    assert set(choices) - {""} == {"sv", "en"}  # no other language is offered
    content = response.content.decode()
    assert '<option value="en">English</option>' in content
    assert 'name="locale-preferred_language"' in content


def test_changing_the_language_in_the_account_form(admin_client, admin_user):
    set_language(admin_user, "sv")
    url = reverse("wagtailadmin_account")
    data = querydict_from_html(admin_client.get(url).content.decode(), form_index=0)
    data["name_email-first_name"] = "Ada"
    data["name_email-last_name"] = "Admin"
    data["locale-preferred_language"] = "en"

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert UserProfile.get_for_user(admin_user).preferred_language == "en"
    content = dashboard(admin_client)
    assert SIDEBAR_PAGES["en"] in content
    assert SIDEBAR_PAGES["sv"] not in content


def test_account_form_refuses_a_language_not_offered(admin_client, admin_user):
    set_language(admin_user, "sv")
    url = reverse("wagtailadmin_account")
    data = querydict_from_html(admin_client.get(url).content.decode(), form_index=0)
    data["name_email-first_name"] = "Ada"
    data["name_email-last_name"] = "Admin"
    data["locale-preferred_language"] = "de"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "preferred_language" in locale_form(response).errors
    assert UserProfile.get_for_user(admin_user).preferred_language == "sv"


@pytest.mark.parametrize(
    ("accept_language", "expected", "unexpected"),
    [("en", "Sign in", "Logga in"), ("sv", "Logga in", "Sign in")],
)
def test_login_page_follows_the_browser_language(client, db, accept_language, expected, unexpected):
    response = client.get(reverse("wagtailadmin_login"), HTTP_ACCEPT_LANGUAGE=accept_language)
    content = response.content.decode()
    assert response.status_code == 200
    assert expected in content
    assert unexpected not in content
