"""Strings Wagtail 8 and wagtail-localize ship untranslated (or wrong) read Swedish in the
admin: the autosave footer, the admin's scripts, listings' yes/no columns and the header's
actions landmark."""

import json
import re
from pathlib import Path

import pytest
import wagtail.admin
from django.conf import settings
from django.urls import reverse
from wagtail.users.models import UserProfile

from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.helpers import publish
from webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db


def catalogue(client, url):
    """The translations a JavaScript catalogue view hands the admin's scripts."""
    body = client.get(url).content.decode()
    return json.loads(re.search(r"const newcatalog = (\{.*?\});", body, re.S).group(1))


def test_the_editor_footer_is_swedish(admin_client, sv, home_sv):
    news = NewsIndexPageFactory(parent=home_sv, locale=sv)
    article = publish(NewsArticlePageFactory(parent=news, locale=sv))
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert "Autosparning är pausad" in html and "Autosave is paused" not in html
    # The footer's own message, with its emphasis (seen in English in a browser test).
    assert "Autosparning är <span>pausad</span>" in html
    assert "Autosave is <span>paused</span>" not in html
    # The editor's landmarks, as screen readers announce them.
    for swedish, english in (
        ("Minikarta", "Minimap"),
        ("Sidopaneler", "Side panels"),
        ("Åtgärder (sidfot)", "Actions (footer)"),
    ):
        assert f'aria-label="{swedish}"' in html and f'aria-label="{english}"' not in html
    assert "Sparat" in html


def test_the_admin_scripts_get_swedish(admin_client):
    wagtail = catalogue(admin_client, reverse("wagtailadmin_javascript_catalog"))
    assert wagtail["A server error occurred."] == "Ett serverfel inträffade."
    assert wagtail["Search options…"] == "Sökalternativ…"
    localize = catalogue(admin_client, reverse("wagtail_localize:javascript_catalog"))
    assert localize["Publish in "] == "Publicera på "  # "Publicera påEnglish" before


def test_yes_no_columns_read_ja_and_nej(admin_client):
    WebhookEndpoint.objects.create(
        name="Webbplatsen", url="https://example.org/hook", secret="x" * 32
    )
    WebhookEndpoint.objects.create(
        name="Avstängd", url="https://example.org/off", secret="y" * 32, is_active=False
    )
    html = admin_client.get(reverse("wagtailsnippets_webhooks_webhookendpoint:list")).content
    cells = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))
    assert "https://example.org/hook Ja" in cells
    assert "https://example.org/off Nej" in cells
    assert "True" not in cells and "False" not in cells


ACTIONS_LANDMARK = '<nav aria-label="{}" id="w-slim-header-buttons"'


@pytest.mark.parametrize(("language", "label"), [("sv", "Åtgärder"), ("en", "Actions")])
def test_the_headers_actions_landmark_is_named_in_the_admins_language(
    admin_client, admin_user, sv, home_sv, language, label
):
    """Wagtail names the header's actions landmark "Actions" in every language (no gettext);
    ours is translated (cms/templates/wagtailadmin/shared/headers/_actions.html)."""
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = language
    profile.save()
    NewsIndexPageFactory(parent=home_sv, locale=sv)
    html = admin_client.get(reverse("wagtailadmin_explore", args=[home_sv.pk])).content.decode()
    assert ACTIONS_LANDMARK.format(label) in html
    assert html.count('id="w-slim-header-buttons"') == 1


def test_the_actions_landmark_override_is_wagtails_template_but_for_its_label():
    """Our copy must follow Wagtail's: when an upgrade changes the template, this fails, and
    the override is brought up to date (or dropped, if Wagtail translates the label)."""
    name = "wagtailadmin/shared/headers/_actions.html"
    ours = (settings.BASE_DIR / "cms" / "templates" / name).read_text(encoding="utf-8")
    upstream = (Path(wagtail.admin.__file__).parent / "templates" / name).read_text(
        encoding="utf-8"
    )
    ours = ours.split("{% endcomment %}\n", 1)[1]
    label = '{% translate "Actions" context "header landmark" %}'
    assert ours == upstream.replace('aria-label="Actions"', f'aria-label="{label}"')
