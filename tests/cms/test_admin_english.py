"""The admin for an editor who prefers English, where a walk through it found Swedish or
awkward English: the grant choosers said "Välj", "Sök" and "Skapa" (Wagtail translates its
chooser labels once, at import, in the server's default language), the translations report
wrote "(100 %)" (and broke the line at the space), the webhook actions' pages named only
"Home" in their header, and a delivery's endpoint label was not capitalised. Each is
checked in both languages, so that the fix for English leaves the Swedish admin Swedish."""

import json
import re

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.helpers import breadcrumbs, publish, translate
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

LANGUAGES = pytest.mark.parametrize("language", ["en", "sv"])
CHOOSER = {
    "en": {
        "title": "Choose",
        "tab": "Search",
        "button": "Create",
        "help": "Leave empty to make it from the name, e.g. &#x27;region-gotland&#x27;.",
    },
    "sv": {
        "title": "Välj",
        "tab": "Sök",
        "button": "Skapa",
        "help": "Lämna tomt så skapas det av namnet, t.ex. &#x27;region-gotland&#x27;.",
    },
}


@pytest.fixture
def speaking(admin_client, admin_user):
    """The admin client, its user's admin language set."""

    def speak(language):
        profile = UserProfile.get_for_user(admin_user)
        profile.preferred_language = language
        profile.save()
        return admin_client

    return speak


def text(html):
    """The words of ``html``, its ASCII white space folded (a no-break space is kept)."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@LANGUAGES
@pytest.mark.parametrize("model", ["recipient", "partnerorganisation"])
def test_the_grant_choosers_speak_the_editors_language(speaking, language, model):
    client = speaking(language)
    response = client.get(f"/admin/snippets/choose/news/{model}/")
    html = json.loads(response.content)["html"]
    words = CHOOSER[language]
    other = CHOOSER["sv" if language == "en" else "en"]
    assert re.search(rf"{words['title']}\s*<span class=\"w-header__subtitle\">", html)
    assert re.search(rf'id="tab-label-search"[^>]*>\s*{words["tab"]}\s*<', html)
    assert re.search(rf'<button type="submit" class="button">{words["button"]}</button>', html)
    assert not re.search(rf"\b{other['title']}\b", text(html))
    if model == "recipient":
        assert words["help"] in html


@pytest.mark.parametrize(
    ("language", "share", "state"),
    [
        ("en", "2 of 2 segments (100%)", "May be out of date: the source has been published since"),
        # The space before % does not break: "(100" and "%)" stayed on two lines.
        (
            "sv",
            "2 av 2 segment (100\u00a0%)",
            "Kan vara inaktuell: källan har publicerats sedan dess",
        ),
    ],
)
def test_the_translations_report_reads_well(speaking, sv, en, home_sv, language, share, state):
    news = NewsIndexPageFactory(parent=home_sv, locale=sv)
    translate(news, en)
    article = publish(NewsArticlePageFactory(parent=news, locale=sv, title="Rubrik", intro=""))
    translate(article, en)
    article.title = "Ny rubrik"
    publish(article)
    html = speaking(language).get(reverse("wagtail_localize:translations_report_results"))
    row = next(
        row for row in html.content.decode().split("<tr>") if "EN Rubrik" in row and "<td" in row
    )
    assert share in text(row)
    assert state in text(row)


@pytest.fixture
def delivery(db):
    endpoint = WebhookEndpoint.objects.create(
        name="Webbplatsen", url="https://example.org/hook", secret="x" * 32
    )
    return WebhookDelivery.objects.create(
        endpoint=endpoint, event="page.published", payload={"event": "page.published"}
    )


@pytest.mark.parametrize(
    ("language", "test_event", "send_again", "endpoint_label"),
    [
        ("en", "Send a test event", "Send again", "Webhook endpoint"),
        ("sv", "Skicka en testhändelse", "Skicka igen", "Webhook-mottagare"),
    ],
)
def test_the_webhook_actions_say_where_they_are(
    speaking, delivery, language, test_event, send_again, endpoint_label
):
    """Each action's page names the endpoint or delivery and the action in its header."""
    client = speaking(language)
    asked = client.get(reverse("webhooks_send_test", args=[delivery.endpoint.pk])).content
    assert breadcrumbs(asked.decode())[1:] == ["Webbplatsen", test_event]
    asked = client.get(reverse("webhooks_redeliver", args=[delivery.pk])).content
    assert breadcrumbs(asked.decode())[1:] == [str(delivery), send_again]
    inspect = client.get(
        reverse(WebhookDelivery.snippet_viewset.get_url_name("inspect"), args=[delivery.pk])
    )
    assert f"<dt>{endpoint_label}</dt>" in re.sub(
        r">\s+|\s+<", lambda m: m[0].strip(), (inspect.content.decode())
    )
