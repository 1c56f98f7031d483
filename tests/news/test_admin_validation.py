"""Bad input in admin forms is refused with a form error: the form comes back (HTTP 200) with
the error shown, nothing is saved, and the server does not fail (no 500)."""

import html

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail.users.models import UserProfile

from cms.factories import SiteSettingsFactory
from cms.models import SiteSettings
from news.factories import NewsIndexPageFactory, PartnerOrganisationFactory, RecipientFactory
from news.models import (
    GrantAnnouncementPage,
    NewsArticlePage,
    PartnerOrganisation,
    Recipient,
    RecipientKind,
)
from topics.factories import TopicIndexPageFactory, TopicPageFactory


@pytest.fixture
def editor(admin_client, admin_user):
    """A superuser whose admin speaks English, so error messages can be matched as text."""
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    return admin_client


@pytest.fixture
def news_index(home_sv):
    return NewsIndexPageFactory(parent=home_sv)


@pytest.fixture
def topic(home_sv):
    return TopicPageFactory(parent=TopicIndexPageFactory(parent=home_sv))


def add_page_url(model, parent):
    return reverse(
        "wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk]
    )


def grant_row(recipient, /, **fields):
    row = {
        "recipient": recipient.pk,
        "project_title": "Projekt",
        "programme": "municipal_partnership",
        "topic": "",
        "amount": "100000",
        "year": "2024",
        "end_year": "",
    }
    row.update(fields)
    return row


def announcement_data(grants=(), **fields):
    data = {
        "title": "Bidrag",
        "slug": "bidrag",
        "date": "2024-03-01",
        "programme": "",
        "total_amount": "1000000",
        "body": streamfield([]),
        "grants": inline_formset(list(grants)),
        "article_topics": inline_formset([]),
        "action-publish": "action-publish",
    }
    data.update(fields)
    return nested_form_data(data)


def assert_page_refused(response, message, pages_before):
    """The create form is shown again with ``message`` and no page was added."""
    assert response.status_code == 200
    assert "form" in response.context
    content = html.unescape(response.content.decode())
    assert "The page could not be created due to validation errors." in content
    assert message in content
    assert Page.objects.count() == pages_before


def grant_errors(response):
    return response.context["form"].formsets["grants"].errors


def post_announcement(client, news_index, data):
    return client.post(add_page_url(GrantAnnouncementPage, news_index), data)


# --- Grant announcements -----------------------------------------------------------------------


def test_valid_announcement_is_accepted(editor, news_index):
    """The baseline the refusals below differ from: the same data with good values saves."""
    recipient = RecipientFactory()
    response = post_announcement(editor, news_index, announcement_data([grant_row(recipient)]))
    assert response.status_code == 302
    assert GrantAnnouncementPage.objects.get(slug="bidrag").grants.get().recipient == recipient


def test_negative_grant_amount(editor, news_index):
    before = Page.objects.count()
    data = announcement_data([grant_row(RecipientFactory(), amount="-5")])
    response = post_announcement(editor, news_index, data)
    assert_page_refused(response, "The amount cannot be negative.", before)
    assert "amount" in grant_errors(response)[0]


def test_negative_announced_total(editor, news_index):
    before = Page.objects.count()
    data = announcement_data([grant_row(RecipientFactory())], total_amount="-1")
    response = post_announcement(editor, news_index, data)
    assert_page_refused(response, "The amount cannot be negative.", before)
    assert "total_amount" in response.context["form"].errors


def test_grant_year_out_of_range(editor, news_index):
    before = Page.objects.count()
    data = announcement_data([grant_row(RecipientFactory(), year="1800")])
    response = post_announcement(editor, news_index, data)
    assert_page_refused(response, "Enter a year between 1990 and 2100.", before)
    assert "year" in grant_errors(response)[0]


def test_grant_end_year_out_of_range(editor, news_index):
    before = Page.objects.count()
    data = announcement_data([grant_row(RecipientFactory(), end_year="2500")])
    response = post_announcement(editor, news_index, data)
    assert_page_refused(response, "Enter a year between 1990 and 2100.", before)
    assert "end_year" in grant_errors(response)[0]


def test_end_year_before_start_year(editor, news_index):
    before = Page.objects.count()
    data = announcement_data([grant_row(RecipientFactory(), year="2024", end_year="2023")])
    response = post_announcement(editor, news_index, data)
    assert_page_refused(response, "The end year cannot be before the start year.", before)
    assert "end_year" in grant_errors(response)[0]


def test_grant_theme_must_be_a_topic_page(editor, news_index, home_sv):
    before = Page.objects.count()
    # A page that exists but is not a topic page: the news index itself.
    data = announcement_data([grant_row(RecipientFactory(), topic=str(news_index.pk))])
    response = post_announcement(editor, news_index, data)
    assert_page_refused(response, "Choose a topic page.", before)
    assert "topic" in grant_errors(response)[0]


def test_grant_theme_topic_page_is_accepted(editor, news_index, topic):
    data = announcement_data([grant_row(RecipientFactory(), topic=str(topic.pk))])
    response = post_announcement(editor, news_index, data)
    assert response.status_code == 302
    assert GrantAnnouncementPage.objects.get(slug="bidrag").grants.get().topic_id == topic.pk


def test_article_topic_must_be_a_topic_page(editor, news_index, home_sv):
    before = Page.objects.count()
    data = announcement_data(article_topics=inline_formset([{"topic": str(home_sv.pk)}]))
    response = post_announcement(editor, news_index, data)
    assert_page_refused(response, "Choose a topic page.", before)
    assert "topic" in response.context["form"].formsets["article_topics"].errors[0]


def test_grant_needs_a_recipient(editor, news_index):
    before = Page.objects.count()
    data = announcement_data([grant_row(RecipientFactory(), recipient="")])
    response = post_announcement(editor, news_index, data)
    assert_page_refused(response, "This field is required.", before)
    assert "recipient" in grant_errors(response)[0]


# --- Body blocks -------------------------------------------------------------------------------


def article_data(body):
    return nested_form_data(
        {
            "title": "Artikel",
            "slug": "artikel",
            "date": "2024-03-01",
            "kind": "news",
            "programme": "",
            "body": streamfield(body),
            "article_topics": inline_formset([]),
            "action-publish": "action-publish",
        }
    )


@pytest.mark.parametrize(
    ("page", "url", "message"),
    [
        ("topic", "https://example.org/", "Choose either a page or a URL, not both."),
        ("", "", "Choose a page or enter a URL."),
    ],
    ids=["both-page-and-url", "neither"],
)
def test_call_to_action_needs_exactly_one_target(editor, news_index, topic, page, url, message):
    before = Page.objects.count()
    data = article_data(
        [
            ("paragraph", rich_text("<p>Text</p>")),
            (
                "call_to_action",
                {"text": "Läs mer", "page": str(topic.pk) if page else "", "url": url},
            ),
        ]
    )
    response = editor.post(add_page_url(NewsArticlePage, news_index), data)
    assert_page_refused(response, message, before)
    body_error = response.context["form"].errors.as_data()["body"][0]
    assert 1 in body_error.block_errors
    assert 0 not in body_error.block_errors


# --- Snippets ----------------------------------------------------------------------------------


def snippet_add_url(model):
    return reverse(f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:add")


def test_partner_with_unknown_country_code(editor):
    response = editor.post(
        snippet_add_url(PartnerOrganisation),
        {"name": "Nowhere Council", "city": "Nowhere", "country": "XX"},
    )
    assert response.status_code == 200
    assert "country" in response.context["form"].errors
    content = html.unescape(response.content.decode())
    assert "The partner organisation could not be created due to errors." in content
    assert "Select a valid choice. XX is not one of the available choices." in content
    assert not PartnerOrganisation.objects.exists()


def test_partner_duplicate_is_refused(editor):
    PartnerOrganisationFactory(name="Lusaka City Council", city="Lusaka", country="ZM")
    response = editor.post(
        snippet_add_url(PartnerOrganisation),
        {"name": "Lusaka City Council", "city": "Lusaka", "country": "ZM"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert PartnerOrganisation.objects.count() == 1


def test_valid_partner_is_created(editor):
    response = editor.post(
        snippet_add_url(PartnerOrganisation),
        {"name": "Alcaldía de Bogotá", "city": "Bogotá", "country": "CO"},
    )
    assert response.status_code == 302
    partner = PartnerOrganisation.objects.get()
    assert (partner.name, partner.city, partner.country.code) == (
        "Alcaldía de Bogotá",
        "Bogotá",
        "CO",
    )
    assert str(partner) == "Alcaldía de Bogotá (Bogotá, Colombia)"


def test_valid_recipient_is_created(editor):
    response = editor.post(
        snippet_add_url(Recipient),
        {"name": "Region Gotland", "kind": RecipientKind.REGION, "slug": "region-gotland"},
    )
    assert response.status_code == 302
    recipient = Recipient.objects.get()
    assert (recipient.name, recipient.kind, recipient.slug) == (
        "Region Gotland",
        RecipientKind.REGION,
        "region-gotland",
    )


def test_recipient_with_taken_name_is_refused(editor):
    RecipientFactory(name="Region Gotland", slug="region-gotland")
    response = editor.post(
        snippet_add_url(Recipient),
        {"name": "Region Gotland", "kind": RecipientKind.REGION, "slug": "gotland"},
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert Recipient.objects.count() == 1


def site_settings_data(name):
    return nested_form_data(
        {
            "organisation_name": name,
            "menu": streamfield([]),
            "footer_text": rich_text(""),
            "contact_email": "",
            "contact_phone": "",
            "address": "",
            "footer_links": streamfield([]),
            "social_links": streamfield([]),
        }
    )


def test_second_site_settings_for_a_language_is_refused(editor, sv):
    existing = SiteSettingsFactory(locale=sv, organisation_name="ICLD")
    response = editor.post(
        snippet_add_url(SiteSettings) + "?locale=sv", site_settings_data("ICLD igen")
    )
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert "Site settings for this language already exist; edit those instead." in content
    assert response.context["form"].non_field_errors()
    assert list(SiteSettings.objects.all()) == [existing]


def test_site_settings_for_another_language_is_accepted(editor, sv, en):
    SiteSettingsFactory(locale=sv, organisation_name="ICLD")
    response = editor.post(snippet_add_url(SiteSettings) + "?locale=en", site_settings_data("ICLD"))
    assert response.status_code == 302
    assert SiteSettings.objects.filter(locale=en).count() == 1
