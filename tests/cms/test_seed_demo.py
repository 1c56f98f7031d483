"""The demo seeding command holds both seed pages, in both languages, and is idempotent."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Page

from cms.models import CustomImage, SiteSettings, StandardPage
from news.models import (
    ArticleKind,
    Grant,
    GrantAnnouncementPage,
    NewsArticlePage,
    Recipient,
)
from topics.models import TopicPage
from webhooks.models import WebhookEndpoint


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed()


def test_prints_progress_and_a_summary(seeded):
    assert "[1/9] images" in seeded
    assert "[9/9] site settings" in seeded
    assert "Demo site ready" in seeded


def test_second_run_creates_nothing(seeded):
    counts = (Page.objects.count(), Grant.objects.count(), CustomImage.objects.count())
    output = seed()
    assert "nothing to do" in output
    assert (Page.objects.count(), Grant.objects.count(), CustomImage.objects.count()) == counts


def test_grant_announcements_in_both_languages(seeded, sv, en):
    ten = GrantAnnouncementPage.objects.get(
        locale=sv, slug="demokratiprojekt-beviljade-for-tio-kommuner-och-regioner"
    )
    assert ten.total_amount == 18_000_000
    assert ten.kind == ArticleKind.GRANT_ANNOUNCEMENT
    recipients = {g.recipient.name for g in ten.grants.all()}
    assert recipients == {
        "Dorotea kommun",
        "Kalix kommun",
        "Jönköpings kommun",
        "Lidköpings kommun",
        "Umeå kommun",
        "Växjö kommun",
        "Älmhults kommun",
        "Region Gotland",
        "Region Norrbotten",
        "Region Västerbotten",
    }
    dorotea = ten.grants.get(recipient__slug="dorotea")
    assert sorted(p.country.code for p in dorotea.partners.all()) == ["ZM", "ZW"]
    assert Recipient.objects.get(slug="region-gotland").kind == "region"

    english = ten.get_translation(en).specific
    assert english.title.startswith("International democracy projects")
    assert english.total_amount == 18_000_000
    assert english.grants.count() == 10
    assert english.hero_image_id == ten.hero_image_id
    assert english.hero_image.credit == "ICLD"
    assert "Zambia" in english.hero_caption

    six = GrantAnnouncementPage.objects.get(locale=sv, slug="sex-kommuner-delar-pa-11-miljoner")
    assert six.total_amount == 11_000_000
    assert {g.recipient.name for g in six.grants.all()} == {
        "Bollnäs kommun",
        "Borås stad",
        "Falu kommun",
        "Falkenbergs kommun",
        "Kungsörs kommun",
        "Lunds kommun",
    }
    assert six.hero_image.credit == "Duy Pham, Unsplash"


def test_umea_bogota_partnership_points_at_translated_topics(seeded, sv, en):
    page = GrantAnnouncementPage.objects.get(
        locale=sv, slug="umea-och-bogota-samarbetar-om-jamstalldhet"
    )
    grant = page.grants.get()
    assert grant.recipient.name == "Umeå kommun"
    partner = grant.partners.get()
    assert (partner.city, partner.country.code) == ("Bogotá", "CO")
    assert page.hero_image.credit == "Alice Hansson"

    english = page.get_translation(en).specific
    assert english.grants.get().project_title == (
        "Gender equality and sustainable urban development"
    )
    assert english.grants.get().topic.specific.title == "Gender equality"
    english_topics = [link.topic for link in english.article_topics.all()]
    assert {t.locale_id for t in english_topics} == {en.pk}
    assert {t.title for t in english_topics} == {
        "Public sector",
        "Gender equality",
        "Sustainable urban development",
    }


def test_research_article_is_english_only(seeded, sv, en):
    article = NewsArticlePage.objects.get(
        slug="anti-corruption-research-shapes-training-in-ukraine"
    )
    assert article.locale == en
    assert article.kind == ArticleKind.RESEARCH
    assert not article.has_translation(sv)
    assert article.hero_image.credit == "Oksana Huss"
    assert "2019" in article.intro


def test_almedalen_item_without_photo_credit(seeded, sv):
    article = NewsArticlePage.objects.get(locale=sv, slug="icld-i-almedalen-2020")
    assert article.kind == ArticleKind.EVENT
    assert article.date.year == 2020
    assert article.hero_image.credit == ""
    cta = [b for b in article.body if b.block_type == "call_to_action"][0]
    assert cta.value["url"] == "https://www.icld.se/almedalen"


def test_topics_exist_in_both_languages_and_list_their_articles(seeded, sv, en):
    assert TopicPage.objects.filter(locale=sv).count() == 5
    assert TopicPage.objects.filter(locale=en).count() == 5
    public_sector = TopicPage.objects.get(locale=sv, slug="offentlig-sektor")
    # All four Swedish articles; the English-only research article is in the English list.
    assert public_sector.related_articles().count() == 4
    english = public_sector.get_translation(en)
    assert english.title == "Public sector"
    assert english.related_articles().count() == 5


def test_about_page_commitments_are_structured(seeded, sv, en):
    about = StandardPage.objects.get(locale=sv, slug="om-icld")
    commitments = [b.value for b in about.body if b.block_type == "commitment"]
    assert [c["heading"] for c in commitments] == [
        "Interna åtaganden",
        "Externa åtaganden",
        "Kommunikativt åtagande",
    ]
    assert list(commitments[0]["to_report"]) == [
        "Våra kurser i demokratifitness, samt diplomerade instruktörer."
    ]
    assert "democracyfitness.eu" in commitments[0]["text"].source

    english = about.get_translation(en).specific
    headings = [b.value["heading"] for b in english.body if b.block_type == "commitment"]
    assert headings == ["Internal commitments", "External commitments", "Communication commitment"]
    assert english.url == "/en/about-icld/"


def test_site_settings_in_both_languages(seeded, sv, en):
    swedish = SiteSettings.objects.get(locale=sv)
    english = SiteSettings.objects.get(locale=en)
    assert swedish.translation_key == english.translation_key
    assert english.organisation_name == "International Centre for Local Democracy"
    assert english.live
    assert len(english.menu) == 3


def test_admin_option_creates_a_superuser_and_prints_the_password(db):
    output = seed("--admin", "demo", "--password", "s3cret-demo-pass")
    user = get_user_model().objects.get(username="demo")
    assert user.is_superuser and user.check_password("s3cret-demo-pass")
    assert "'s3cret-demo-pass'" in output
    # Run again without a password: a new random one is set and printed.
    output = seed("--admin", "demo")
    user.refresh_from_db()
    assert not user.check_password("s3cret-demo-pass")
    assert "Reset demo admin" in output


def test_password_without_admin_is_an_error(db):
    with pytest.raises(CommandError, match="--password needs --admin"):
        seed("--password", "x")


def test_demo_admin_has_a_name_and_the_swedish_admin(db, client, settings):
    settings.LANGUAGE_CODE = "en"  # whatever the server's default, the demo admin gets Swedish
    seed("--admin", "demo", "--password", "s3cret-demo-pass")
    user = get_user_model().objects.get(username="demo")
    assert user.get_full_name() == "Demo Redaktör"  # saving Preferences needs a name
    client.force_login(user)
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert response.status_code == 200
    assert '<html lang="sv"' in response.content.decode()


def test_frontend_webhook_subscribes_the_reference_frontend_once(db):
    url = "http://127.0.0.1:3000/api/revalidate"
    first = seed("--frontend-webhook", url, "--webhook-secret", "s1")
    assert f"Subscribed webhook endpoint 'Reference frontend': {url}" in first
    again = seed("--frontend-webhook", url, "--webhook-secret", "s2")
    assert "Updated webhook endpoint" in again
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.url, endpoint.secret, endpoint.is_active) == (url, "s2", True)
    assert endpoint.page_events and endpoint.image_events


@pytest.mark.parametrize(
    "args, message",
    [
        (["--frontend-webhook", "http://127.0.0.1:3000/api/revalidate"], "go together"),
        (["--webhook-secret", "s"], "go together"),
        (["--frontend-webhook", "localhost:3000", "--webhook-secret", "s"], "http"),
    ],
)
def test_frontend_webhook_options_are_checked(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_demo", *args, stdout=StringIO())
    assert not WebhookEndpoint.objects.exists()


def test_the_demo_admin_is_named_as_the_last_publisher_in_the_aging_pages_report(db, client):
    """Wagtail's "Sidor efter ålder" report names who last published each page; a page
    published by nobody reads "None" there. The demo's pages are published as its admin."""
    seed("--admin", "anna", "--password", "s3cret-demo-pass")
    client.force_login(get_user_model().objects.get(username="anna"))
    response = client.get("/admin/reports/aging-pages/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv"' in html
    rows = re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>", 1)[1], re.S)
    publishers = {cells[3] for cells in map(cells_of, rows)}
    assert len(rows) >= Page.objects.filter(depth__gt=1, live=True).count() > 20
    assert publishers == {"anna"}


def cells_of(row):
    """A table row's cells as their text, white space folded."""
    return [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]
