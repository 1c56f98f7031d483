"""Every page type can be created through the Wagtail admin over HTTP, and is stored correctly.

The POST data is what the admin's edit form submits, built with Wagtail's ``form_data`` helpers.
"""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.blocks import SHORT_FEATURES
from cms.factories import CustomImageFactory
from cms.models import HomePage, StandardPage
from news.factories import (
    NewsIndexPageFactory,
    PartnerOrganisationFactory,
    RecipientFactory,
)
from news.models import (
    ArticleKind,
    GrantAnnouncementPage,
    NewsArticlePage,
    NewsIndexPage,
    Programme,
)
from topics.factories import TopicIndexPageFactory, TopicPageFactory
from topics.models import TopicIndexPage, TopicPage


def list_block(items):
    """Form data of a ``ListBlock`` (the counterpart of ``streamfield`` for lists)."""
    data = {
        str(i): {"value": value, "deleted": "", "order": str(i)} for i, value in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def add_url(model, parent):
    return reverse(
        "wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk]
    )


def create_page(client, model, parent, data, publish=True):
    """POSTs the create form; fails with the form errors if the admin did not accept it."""
    if publish:
        data["action-publish"] = "action-publish"
    before = set(Page.objects.values_list("pk", flat=True))
    response = client.post(add_url(model, parent), data)
    if response.status_code != 302:
        form = response.context["form"] if response.context else None
        errors = form.errors if form is not None else None
        formset_errors = (
            {name: fs.errors for name, fs in form.formsets.items()} if form is not None else None
        )
        pytest.fail(
            f"create {model.__name__} returned {response.status_code}: {errors} {formset_errors}"
        )
    assert response["Location"] == reverse("wagtailadmin_explore", args=[parent.pk])
    new = Page.objects.exclude(pk__in=before)
    assert new.count() == 1
    page = new.get().specific
    assert type(page) is model
    assert page.get_parent().pk == parent.pk
    assert page.locale_id == parent.locale_id
    return page


def page_data(title, slug, **fields):
    return {"title": title, "slug": slug, **fields}


# --- Where each page type may live -------------------------------------------------------------


class TestPageTree(WagtailPageTestCase):
    def test_home_page_children(self):
        # Wagtail's base Page is allowed everywhere but never creatable in the admin.
        self.assertAllowedSubpageTypes(
            HomePage, {Page, StandardPage, NewsIndexPage, TopicIndexPage}
        )
        assert set(HomePage.creatable_subpage_models()) == {
            StandardPage,
            NewsIndexPage,
            TopicIndexPage,
        }

    def test_allowed_parents(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(TopicIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(TopicPage, {TopicIndexPage})
        self.assertAllowedParentPageTypes(NewsArticlePage, {NewsIndexPage})
        self.assertAllowedParentPageTypes(GrantAnnouncementPage, {NewsIndexPage})
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_can_create_at(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertCanCreateAt(NewsIndexPage, GrantAnnouncementPage)
        self.assertCanCreateAt(NewsIndexPage, NewsArticlePage)
        self.assertCanCreateAt(TopicIndexPage, TopicPage)
        self.assertCanNotCreateAt(HomePage, NewsArticlePage)
        self.assertCanNotCreateAt(HomePage, TopicPage)
        self.assertCanNotCreateAt(TopicIndexPage, NewsArticlePage)
        self.assertCanNotCreateAt(NewsIndexPage, TopicPage)
        self.assertCanNotCreateAt(NewsArticlePage, NewsArticlePage)

    def test_assert_can_create_news_index(self):
        """Wagtail's own end-to-end helper agrees with the function-style tests below."""
        user = self.create_superuser("editor")
        self.client.force_login(user)
        home = HomePage.objects.get(locale__language_code="sv")
        self.assertCanCreate(
            home, NewsIndexPage, nested_form_data(page_data("Nyheter", "nyheter", intro="Nytt."))
        )
        assert NewsIndexPage.objects.get(slug="nyheter").live


# --- Creating each page type -------------------------------------------------------------------


def test_create_standard_page_with_commitment(admin_client, home_sv):
    image = CustomImageFactory()
    data = nested_form_data(
        page_data(
            "Om ICLD",
            "om-icld",
            intro="Vilka vi är.",
            hero_image=image.pk,
            hero_alt_text="Personer i ett möte",
            hero_caption="Ett möte i Visby.",
            body=streamfield(
                [
                    ("paragraph", rich_text("<p>Vi arbetar med demokrati.</p>")),
                    (
                        "commitment",
                        {
                            "heading": "Öppenhet",
                            "text": rich_text(
                                "<p>Vi redovisar <b>alla</b> bidrag.</p>", features=SHORT_FEATURES
                            ),
                            "to_report": list_block(["Beviljade bidrag", "Utvärderingar"]),
                        },
                    ),
                ]
            ),
        )
    )
    page = create_page(admin_client, StandardPage, home_sv, data)

    assert page.live
    assert page.title == "Om ICLD"
    assert page.hero_image == image
    assert page.hero_alt_text == "Personer i ett möte"
    assert [block.block_type for block in page.body] == ["paragraph", "commitment"]
    commitment = page.body[1].value
    assert commitment["heading"] == "Öppenhet"
    assert "<b>alla</b>" in commitment["text"].source
    assert list(commitment["to_report"]) == ["Beviljade bidrag", "Utvärderingar"]


def test_create_news_index_page(admin_client, home_sv):
    page = create_page(
        admin_client,
        NewsIndexPage,
        home_sv,
        nested_form_data(page_data("Nyheter", "nyheter", intro="Det senaste.")),
    )
    assert page.live
    assert page.intro == "Det senaste."
    assert page.url_path == f"{home_sv.url_path}nyheter/"


def test_create_topic_index_page(admin_client, home_sv):
    page = create_page(
        admin_client,
        TopicIndexPage,
        home_sv,
        nested_form_data(page_data("Ämnen", "amnen", seo_title="Våra ämnen")),
    )
    assert page.live
    assert page.seo_title == "Våra ämnen"


def test_create_topic_page(admin_client, home_sv):
    index = TopicIndexPageFactory(parent=home_sv)
    data = nested_form_data(
        page_data(
            "Offentlig sektor",
            "offentlig-sektor",
            intro="Styrning och förvaltning.",
            body=streamfield([("heading", {"text": "Bakgrund", "level": "h2"})]),
        )
    )
    page = create_page(admin_client, TopicPage, index, data)
    assert page.live
    assert page.body[0].block_type == "heading"
    assert page.body[0].value["text"] == "Bakgrund"


def test_create_unpublished_draft(admin_client, home_sv):
    """Without the publish action the page is saved as a draft, not live."""
    index = TopicIndexPageFactory(parent=home_sv)
    data = nested_form_data(page_data("Utkast", "utkast", body=streamfield([])))
    response = admin_client.post(add_url(TopicPage, index), data)
    assert response.status_code == 302
    page = TopicPage.objects.get(slug="utkast")
    assert not page.live
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_create_news_article_with_every_block_type(admin_client, home_sv):
    news = NewsIndexPageFactory(parent=home_sv)
    topics = TopicIndexPageFactory(parent=home_sv)
    topic = TopicPageFactory(parent=topics)
    image = CustomImageFactory(credit="Alice Hansson")
    # The ``embed`` block is left out: validating it fetches oEmbed data over the network.
    body = [
        ("heading", {"text": "Mellanrubrik", "level": "h3"}),
        ("paragraph", rich_text('<p>Text med <a href="https://icld.se">länk</a>.</p>')),
        ("image", {"image": image.pk, "alt_text": "Två personer", "caption": "I Lusaka."}),
        ("quote", {"quote": "Demokrati byggs lokalt.", "attribution": "Johan Lilja"}),
        ("call_to_action", {"text": "Läs mer", "page": topic.pk, "url": ""}),
        ("call_to_action", {"text": "Extern", "page": "", "url": "https://example.org/"}),
        (
            "fact_box",
            {"title": "Fakta", "body": rich_text("<p>18 miljoner</p>", features=SHORT_FEATURES)},
        ),
    ]
    data = nested_form_data(
        page_data(
            "Nya partnerskap",
            "nya-partnerskap",
            intro="Tolv kommuner får bidrag.",
            date="2024-05-02",
            kind=ArticleKind.RESEARCH,
            programme=Programme.RESEARCH,
            body=streamfield(body),
            article_topics=inline_formset([{"topic": topic.pk}]),
        )
    )
    page = create_page(admin_client, NewsArticlePage, news, data)

    assert page.live
    assert str(page.date) == "2024-05-02"
    assert page.kind == ArticleKind.RESEARCH
    assert page.programme == Programme.RESEARCH
    assert [block.block_type for block in page.body] == [
        "heading",
        "paragraph",
        "image",
        "quote",
        "call_to_action",
        "call_to_action",
        "fact_box",
    ]
    assert page.body[0].value["level"] == "h3"
    assert "https://icld.se" in page.body[1].value.source
    assert page.body[2].value["image"] == image
    assert page.body[2].value["alt_text"] == "Två personer"
    assert page.body[3].value["attribution"] == "Johan Lilja"
    assert page.body[4].value["page"].pk == topic.pk
    assert page.body[5].value["url"] == "https://example.org/"
    assert page.body[6].value["title"] == "Fakta"
    assert [link.topic_id for link in page.article_topics.all()] == [topic.pk]
    assert page.article_topics.get().locale_id == page.locale_id
    assert list(topic.related_articles()) == [page]


def test_create_grant_announcement_with_grants(admin_client, home_sv):
    news = NewsIndexPageFactory(parent=home_sv)
    topic = TopicPageFactory(parent=TopicIndexPageFactory(parent=home_sv))
    gotland = RecipientFactory(name="Region Gotland", slug="region-gotland")
    umea = RecipientFactory(name="Umeå kommun", slug="umea-kommun")
    bogota, lusaka, kisumu = (
        PartnerOrganisationFactory(name="Alcaldía de Bogotá", city="Bogotá", country="CO"),
        PartnerOrganisationFactory(name="Lusaka City Council", city="Lusaka", country="ZM"),
        PartnerOrganisationFactory(name="Kisumu County", city="Kisumu", country="KE"),
    )
    data = nested_form_data(
        page_data(
            "Bidrag 2024",
            "bidrag-2024",
            intro="Nya kommunala partnerskap.",
            date="2024-03-01",
            programme=Programme.MUNICIPAL_PARTNERSHIP,
            total_amount="18000000",
            body=streamfield([]),
            grants=inline_formset(
                [
                    {
                        "recipient": gotland.pk,
                        "project_title": "Hållbar turism",
                        "programme": Programme.MUNICIPAL_PARTNERSHIP,
                        "topic": topic.pk,
                        "amount": "1500000",
                        "year": "2024",
                        "end_year": "2026",
                    },
                    {
                        "recipient": umea.pk,
                        "project_title": "",
                        "programme": Programme.INTERNATIONAL_TRAINING,
                        "topic": "",
                        "amount": "",
                        "year": "2025",
                        "end_year": "",
                    },
                ]
            ),
            article_topics=inline_formset([{"topic": topic.pk}]),
        )
    )
    # A multi-select submits one value per selected option; nested_form_data cannot express it.
    data["grants-0-partners"] = [str(bogota.pk), str(lusaka.pk)]
    data["grants-1-partners"] = [str(kisumu.pk)]

    page = create_page(admin_client, GrantAnnouncementPage, news, data)

    assert page.live
    assert page.kind == ArticleKind.GRANT_ANNOUNCEMENT  # not in the form; forced on save
    assert page.total_amount == 18_000_000
    first, second = page.grants.order_by("sort_order")
    assert first.recipient == gotland
    assert set(first.partners.all()) == {bogota, lusaka}
    assert first.amount == 1_500_000
    assert (first.year, first.end_year) == (2024, 2026)
    assert first.project_title == "Hållbar turism"
    assert first.topic_id == topic.pk
    assert first.locale_id == page.locale_id
    assert second.recipient == umea
    assert list(second.partners.all()) == [kisumu]
    assert second.amount is None
    assert (second.year, second.end_year) == (2025, None)
    assert second.topic_id is None
    assert second.programme == Programme.INTERNATIONAL_TRAINING
    assert [link.topic_id for link in page.article_topics.all()] == [topic.pk]
    # A grant announcement is also a news article, listed on its topic.
    assert NewsArticlePage.objects.get(pk=page.pk).kind == ArticleKind.GRANT_ANNOUNCEMENT
    assert list(topic.related_articles()) == [NewsArticlePage.objects.get(pk=page.pk)]


def test_create_page_of_wrong_type_is_refused(admin_client, home_sv):
    """The admin refuses a topic page directly under a home page (parent_page_types)."""
    data = nested_form_data(page_data("Fel", "fel"))
    data["action-publish"] = "action-publish"
    response = admin_client.post(add_url(TopicPage, home_sv), data)
    # Wagtail answers a refused permission in the admin by redirecting to the dashboard.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert not TopicPage.objects.filter(slug="fel").exists()
