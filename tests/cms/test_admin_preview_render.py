"""The admin's preview panel without a frontend: the page as a reader would see it, made
from the API's own answer for the preview token, following the form as the editor types
(unsaved changes, a page not created yet). With ``FRONTEND_URL``, "View live" opens the page
on the frontend."""

import re

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.factories import CustomImageFactory, StandardPageFactory
from cms.models import PreviewSnapshot
from news.factories import (
    NewsArticlePageFactory,
    NewsIndexPageFactory,
    PartnerOrganisationFactory,
    RecipientFactory,
)
from news.models import Programme
from tests.cms.test_admin_pages import list_block, rich_text
from tests.helpers import publish, translate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_frontend(settings):
    settings.FRONTEND_URL = None
    settings.CMS_PREVIEW = {"MAX_AGE": 3600, "URLS": {}}


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def shown(client, url, data):
    """POST the form (as the panel does on every change), then GET what the panel shows."""
    posted = client.post(url, data)
    assert posted.json()["is_valid"], posted.json()
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_grant_announcement_is_previewed_before_it_is_saved(admin_client, sv, home_sv):
    news = NewsIndexPageFactory(parent=home_sv, locale=sv)
    hero = CustomImageFactory(credit="Alice Hansson")
    gotland = RecipientFactory(name="Region Gotland", slug="region-gotland")
    lusaka = PartnerOrganisationFactory(name="Lusaka City Council", city="Lusaka", country="ZM")
    data = nested_form_data(
        {
            "title": "Bidrag till Gotland",
            "slug": "bidrag-till-gotland",
            "intro": "Ett nytt partnerskap.",
            "date": "2024-03-01",
            "programme": Programme.MUNICIPAL_PARTNERSHIP,
            "total_amount": "1500000",
            "hero_image": hero.pk,
            "hero_caption": "Visby hamn.",
            "body": streamfield(
                [
                    ("heading", {"text": "Om projektet", "level": "h2"}),
                    ("paragraph", rich_text("<p>Turism <b>och</b> demokrati.</p>")),
                    ("quote", {"quote": "Vi lär av varandra.", "attribution": "Anna"}),
                ]
            ),
            "grants": inline_formset(
                [
                    {
                        "recipient": gotland.pk,
                        "project_title": "Hållbar turism",
                        "programme": Programme.MUNICIPAL_PARTNERSHIP,
                        "topic": "",
                        "amount": "1500000",
                        "year": "2024",
                        "end_year": "2026",
                    }
                ]
            ),
            "article_topics": inline_formset([]),
        }
    )
    data["grants-0-partners"] = [str(lusaka.pk)]
    url = reverse(
        "wagtailadmin_pages:preview_on_add", args=["news", "grantannouncementpage", news.pk]
    )

    page = shown(admin_client, url, data)

    assert '<html lang="sv"' in page
    assert "<h1>Bidrag till Gotland</h1>" in page
    assert "Ett nytt partnerskap." in page
    assert "Visby hamn. Foto: Alice Hansson" in text(page)
    assert re.search(r'<img src="http://[^"]+/media/images/[^"]+" width="\d+"', page)
    assert "<h2>Om projektet</h2>" in page
    assert "<p>Turism <b>och</b> demokrati.</p>" in page
    assert "Vi lär av varandra." in page
    grants = text(page.split("data-grants")[1].split("</table>")[0])
    assert (
        "Region Gotland Hållbar turism Lusaka City Council, Lusaka (Zambia) 2024–2026 1500000"
        in grants
    )
    assert "Kommunala partnerskap" in page
    assert "Förhandsgranskning: så här ser sidan ut för läsarna" in page
    assert "token=" not in page  # nothing points at a frontend
    assert not news.get_children().exists()  # nothing was created


def test_the_panel_follows_unsaved_changes_of_a_page(admin_client, sv, home_sv):
    news = NewsIndexPageFactory(parent=home_sv, locale=sv)
    article = publish(NewsArticlePageFactory(parent=news, locale=sv, title="Publicerad"))
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    data = nested_form_data(
        {
            "title": "Ny rubrik, inte sparad",
            "slug": article.slug,
            "intro": "Ny ingress.",
            "date": str(article.date),
            "kind": article.kind,
            "programme": "",
            "body": streamfield([]),
            "article_topics": inline_formset([]),
        }
    )
    page = shown(admin_client, url, data)
    assert "<h1>Ny rubrik, inte sparad</h1>" in page and "Ny ingress." in page
    article.refresh_from_db()
    assert article.title == "Publicerad"


def test_commitments_are_previewed_with_what_to_report(admin_client, sv, home_sv):
    about = StandardPageFactory(parent=home_sv, locale=sv, title="Om oss", slug="om-oss")
    data = nested_form_data(
        {
            "title": "Om oss",
            "slug": "om-oss",
            "intro": "",
            "body": streamfield(
                [
                    (
                        "commitment",
                        {
                            "heading": "Öppenhet",
                            "text": rich_text("<p>Vi redovisar allt.</p>"),
                            "to_report": list_block(["Beviljade bidrag", "Utvärderingar"]),
                        },
                    )
                ]
            ),
        }
    )
    page = shown(admin_client, reverse("wagtailadmin_pages:preview_on_edit", args=[about.pk]), data)
    commitment = text(page.split("data-commitment")[1].split("</section>")[0])
    assert "Öppenhet Vi redovisar allt. Att redovisa Beviljade bidrag Utvärderingar" in commitment


def test_translators_preview_shows_the_translation_in_its_language(admin_client, sv, en, home_sv):
    news = NewsIndexPageFactory(parent=home_sv, locale=sv)
    translate(news, en)
    article = publish(NewsArticlePageFactory(parent=news, locale=sv, title="Möte i Umeå"))
    english = translate(article, en, prefix="EN ")
    from wagtail_localize.models import Translation

    translation = Translation.objects.get(
        source__object_id=article.translation_key, target_locale=en
    )
    response = admin_client.get(
        reverse("wagtail_localize:preview_translation", args=[translation.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en"' in page
    assert "<h1>EN Möte i Umeå</h1>" in page
    assert "Preview: this is how the page will look to readers" in page
    assert english.live


def test_old_snapshots_are_deleted_as_new_ones_are_made(admin_client, sv, home_sv):
    about = publish(StandardPageFactory(parent=home_sv, locale=sv, title="Om", slug="om"))
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[about.pk])
    data = nested_form_data({"title": "Om", "slug": "om", "intro": "", "body": streamfield([])})
    shown(admin_client, url, data)
    old = PreviewSnapshot.objects.get()
    PreviewSnapshot.objects.filter(pk=old.pk).update(created_at="2000-01-01T00:00:00Z")
    shown(admin_client, url, data)
    assert not PreviewSnapshot.objects.filter(pk=old.pk).exists()
    assert PreviewSnapshot.objects.count() == 1


def test_view_live_opens_the_page_on_the_frontend(admin_client, settings, sv, home_sv):
    settings.FRONTEND_URL = "https://www.example.org"
    news = NewsIndexPageFactory(parent=home_sv, locale=sv, slug="nyheter")
    article = publish(NewsArticlePageFactory(parent=news, locale=sv, slug="mote"))
    assert article.full_url == "https://www.example.org/sv/nyheter/mote/"
    listing = admin_client.get(reverse("wagtailadmin_explore", args=[news.pk])).content.decode()
    assert 'href="https://www.example.org/sv/nyheter/mote/"' in listing
