"""``page`` and ``site`` as a frontend uses them over HTTP: pages by path or id in the reader's
language, the language switcher, site settings per language, and StreamField bodies as typed
blocks with localised links."""

import datetime
from types import SimpleNamespace

import pytest
from wagtail.models import PageViewRestriction

from cms.factories import CustomImageFactory, SiteSettingsFactory, StandardPageFactory
from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.helpers import count_queries, gql, gql_data, publish, translate, translate_as

pytestmark = pytest.mark.django_db

PAGE_FIELDS = """
  __typename id title slug url locale isFallback seoTitle searchDescription
  firstPublishedAt lastPublishedAt
  translations { locale title url }
"""

PAGE = f"""
query Page($path: String, $id: ID, $locale: String) {{
  page(path: $path, id: $id, locale: $locale) {{ {PAGE_FIELDS} }}
}}
"""


def page(client, **variables):
    return gql_data(client, PAGE, variables)["page"]


def bad_request(client, query, variables=None):
    """The error message of a request that must be rejected with HTTP 400 (never 500)."""
    response = gql(client, query, variables)
    assert response.status_code == 400, response.content
    body = response.json()
    assert (body.get("data") or {}).get("page") is None, body
    return body["errors"][0]["message"]


def parse_datetime(value):
    return datetime.datetime.fromisoformat(value)


@pytest.fixture
def tree(sv, en, home_sv):
    """/sv/nyheter/ and /en/news/, an article in both languages, a Swedish-only article,
    and standard pages /sv/kontakt/ (/en/contact/) and /sv/bara-svenska/."""
    news_sv = NewsIndexPageFactory(parent=home_sv, locale=sv)
    news_en = translate_as(news_sv, en, title="News", slug="news")
    article = publish(
        NewsArticlePageFactory(
            parent=news_sv,
            locale=sv,
            title="Nyhet",
            slug="nyhet",
            seo_title="Nyhet | ICLD",
            search_description="En nyhet om lokal demokrati.",
        )
    )
    article_en = translate_as(article, en, title="News item", slug="news-item")
    swedish_only = publish(
        NewsArticlePageFactory(parent=news_sv, locale=sv, title="Bara svenska", slug="bara-svenska")
    )
    contact = publish(
        StandardPageFactory(parent=home_sv, locale=sv, title="Kontakt", slug="kontakt")
    )
    contact_en = translate_as(contact, en, title="Contact", slug="contact")
    swedish_page = publish(
        StandardPageFactory(parent=home_sv, locale=sv, title="Svensk sida", slug="svensk-sida")
    )
    return SimpleNamespace(
        news_sv=news_sv,
        news_en=news_en,
        article=article,
        article_en=article_en,
        swedish_only=swedish_only,
        contact=contact,
        contact_en=contact_en,
        swedish_page=swedish_page,
    )


# --- page(path | id, locale) ----------------------------------------------------------------------


def test_every_page_field(client, tree):
    article = type(tree.article).objects.get(pk=tree.article.pk)

    result = page(client, path="/sv/nyheter/nyhet/")

    assert result == {
        "__typename": "NewsArticlePage",
        "id": str(article.pk),
        "title": "Nyhet",
        "slug": "nyhet",
        "url": "/sv/nyheter/nyhet/",
        "locale": "sv",
        "isFallback": False,
        "seoTitle": "Nyhet | ICLD",
        "searchDescription": "En nyhet om lokal demokrati.",
        "firstPublishedAt": result["firstPublishedAt"],
        "lastPublishedAt": result["lastPublishedAt"],
        "translations": [{"locale": "en", "title": "News item", "url": "/en/news/news-item/"}],
    }
    assert parse_datetime(result["firstPublishedAt"]) == article.first_published_at
    assert parse_datetime(result["lastPublishedAt"]) == article.last_published_at
    english = page(client, path="/en/news/news-item/")
    assert (english["seoTitle"], english["searchDescription"]) == (
        "EN Nyhet | ICLD",
        "EN En nyhet om lokal demokrati.",
    )


def test_page_by_path_with_and_without_language_prefix(client, tree):
    swedish = page(client, path="/sv/nyheter/nyhet/")
    english = page(client, path="/en/news/news-item/")

    assert page(client, path="/nyheter/nyhet/") == swedish
    assert page(client, path="/sv/nyheter/nyhet") == swedish
    assert (swedish["title"], swedish["locale"], swedish["id"]) == (
        "Nyhet",
        "sv",
        str(tree.article.pk),
    )
    assert (english["title"], english["locale"], english["url"], english["id"]) == (
        "News item",
        "en",
        "/en/news/news-item/",
        str(tree.article_en.pk),
    )
    assert english["isFallback"] is False
    assert english["translations"] == [
        {"locale": "sv", "title": "Nyhet", "url": "/sv/nyheter/nyhet/"}
    ]


def test_home_pages_by_path(client, tree, home_sv, home_en):
    swedish = page(client, path="/sv/")
    english = page(client, path="/en/")

    assert (swedish["__typename"], swedish["title"], swedish["url"]) == (
        "HomePage",
        "Startsida",
        "/sv/",
    )
    assert (english["__typename"], english["title"], english["url"]) == ("HomePage", "Home", "/en/")
    assert page(client, path="/") == swedish
    assert swedish["translations"] == [{"locale": "en", "title": "Home", "url": "/en/"}]


def test_page_by_id(client, tree):
    swedish = page(client, id=str(tree.article.pk))
    english = page(client, id=str(tree.article_en.pk), locale="en")

    assert swedish == page(client, path="/sv/nyheter/nyhet/")
    assert english == page(client, path="/en/news/news-item/")
    assert page(client, id=str(tree.article.pk), locale="en") == english
    inline = gql_data(client, f"{{ page(id: {tree.contact.pk}) {{ title url }} }}")
    assert inline["page"] == {"title": "Kontakt", "url": "/sv/kontakt/"}


def test_a_swedish_path_asked_in_english_gives_the_live_translation(client, tree):
    result = page(client, path="/sv/nyheter/nyhet/", locale="en")

    assert (result["title"], result["locale"], result["isFallback"], result["url"]) == (
        "News item",
        "en",
        False,
        "/en/news/news-item/",
    )
    assert page(client, path="/en/news/news-item/", locale="sv")["title"] == "Nyhet"


def test_without_a_live_translation_the_page_is_a_fallback(client, tree):
    only = page(client, path="/sv/nyheter/bara-svenska/", locale="en")

    assert (only["title"], only["locale"], only["isFallback"], only["url"]) == (
        "Bara svenska",
        "sv",
        True,
        "/sv/nyheter/bara-svenska/",
    )
    assert only["translations"] == []

    tree.article_en.unpublish()
    result = page(client, path="/sv/nyheter/nyhet/", locale="en")
    assert (result["title"], result["locale"], result["isFallback"]) == ("Nyhet", "sv", True)
    assert result["translations"] == []
    assert page(client, path="/sv/nyheter/nyhet/")["translations"] == []
    assert page(client, path="/en/news/news-item/") is None


@pytest.mark.parametrize(
    "path",
    [
        "/sv/nyheter/finns-inte/",
        "/en/nyheter/nyhet/",
        "/de/nyheter/nyhet/",
        "/sv/nyheter/nyhet/extra/",
        "/sv/nyheter/utkast/",
        "/sv/nyheter/privat/",
        "/sv/nyheter/avpublicerad/",
    ],
)
def test_unknown_or_hidden_path_is_null_with_200(client, tree, sv, path):
    NewsArticlePageFactory(
        parent=tree.news_sv, locale=sv, title="Utkast", slug="utkast", live=False
    )
    private = publish(
        NewsArticlePageFactory(parent=tree.news_sv, locale=sv, title="Privat", slug="privat")
    )
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    publish(NewsArticlePageFactory(parent=tree.news_sv, locale=sv, slug="avpublicerad")).unpublish()

    response = gql(client, PAGE, {"path": path})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["data"] == {"page": None}
    assert "errors" not in body


def test_a_hidden_page_is_null_by_id_too(client, tree):
    PageViewRestriction.objects.create(page=tree.article_en, restriction_type="login")

    assert page(client, id=str(tree.article.pk)) is None
    assert page(client, id=str(tree.article_en.pk), locale="en") is None
    assert page(client, id="999999") is None


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ("", "exactly one"),
        ('path: "/sv/", id: "1"', "exactly one"),
        ('path: "sv/nyheter/"', "path"),
        ('path: "https://icld.se/sv/"', "path"),
        ('id: "abc"', "id"),
        ('id: ""', "id"),
        ('path: "/sv/", locale: "de"', "Unknown locale 'de'"),
        ("path: 5", "String"),
    ],
)
def test_bad_page_arguments_are_400(client, tree, arguments, expected):
    query = f"{{ page{f'({arguments})' if arguments else ''} {{ id title }} }}"

    message = bad_request(client, query)

    assert expected in message


def test_a_huge_id_is_not_a_server_error(client, tree):
    response = gql(client, PAGE, {"id": "99999999999999999999999"})

    assert response.status_code in (200, 400), response.content
    assert (response.json().get("data") or {}).get("page") is None


# --- site(locale) ---------------------------------------------------------------------------------


SITE = """
query Site($locale: String) {
  site(locale: $locale) {
    locale name locales
    languages { code name isDefault }
    menu { title url }
    footer { html email phone address links { title url } }
  }
}
"""


def link(page=None, url="", title=""):
    return {
        "type": "link",
        "value": {"page": page.pk if page else None, "url": url, "title": title},
    }


@pytest.fixture
def settings_sv(tree, sv):
    hidden = StandardPageFactory(
        parent=tree.contact.get_parent(),
        locale=sv,
        title="Opublicerad",
        slug="opublicerad",
        live=False,
    )
    return SiteSettingsFactory(
        locale=sv,
        organisation_name="ICLD",
        menu=[
            link(tree.news_sv),
            link(hidden),
            link(tree.contact, title="Kontakta oss"),
            link(tree.swedish_page),
            link(url="https://icld.se/en/global/", title="ICLD globalt"),
        ],
        footer_text=f'<p>Skriv till <a linktype="page" id="{tree.contact.pk}">oss</a>.</p>',
        contact_email="info@icld.se",
        contact_phone="+46 498 29 91 80",
        address="Box 1125, 621 22 Visby",
        footer_links=[link(tree.contact), link(hidden)],
    )


@pytest.fixture
def settings_en(settings_sv, tree, en):
    """The English settings, as wagtail-localize makes them: page choosers keep the Swedish
    pages (the API localises them), texts are translated."""
    return SiteSettingsFactory(
        locale=en,
        translation_key=settings_sv.translation_key,
        organisation_name="ICLD (English)",
        menu=[
            link(tree.news_sv),
            link(settings_sv.menu[1].value["page"]),
            link(tree.contact, title="Contact us"),
            link(tree.swedish_page),
            link(url="https://icld.se/en/global/", title="ICLD global"),
        ],
        footer_text=f'<p>Write to <a linktype="page" id="{tree.contact.pk}">us</a>.</p>',
        contact_email="info@icld.se",
        contact_phone="+46 498 29 91 80",
        address="Box 1125, SE-621 22 Visby, Sweden",
        footer_links=[link(tree.contact)],
    )


LANGUAGES = [
    {"code": "sv", "name": "Svenska", "isDefault": True},
    {"code": "en", "name": "English", "isDefault": False},
]


def test_site_in_swedish(client, settings_en):
    site = gql_data(client, SITE, {"locale": "sv"})["site"]

    assert site == {
        "locale": "sv",
        "name": "ICLD",
        "locales": ["sv", "en"],
        "languages": LANGUAGES,
        "menu": [
            {"title": "Nyheter", "url": "/sv/nyheter/"},
            {"title": "Kontakta oss", "url": "/sv/kontakt/"},
            {"title": "Svensk sida", "url": "/sv/svensk-sida/"},
            {"title": "ICLD globalt", "url": "https://icld.se/en/global/"},
        ],
        "footer": {
            "html": '<p>Skriv till <a href="/sv/kontakt/">oss</a>.</p>',
            "email": "info@icld.se",
            "phone": "+46 498 29 91 80",
            "address": "Box 1125, 621 22 Visby",
            "links": [{"title": "Kontakt", "url": "/sv/kontakt/"}],
        },
    }
    assert gql_data(client, SITE)["site"] == site


def test_site_in_english_links_to_the_english_pages(client, settings_en):
    site = gql_data(client, SITE, {"locale": "en"})["site"]

    assert site == {
        "locale": "en",
        "name": "ICLD (English)",
        "locales": ["sv", "en"],
        "languages": LANGUAGES,
        "menu": [
            {"title": "News", "url": "/en/news/"},
            {"title": "Contact us", "url": "/en/contact/"},
            # No English version: the Swedish page rather than nothing.
            {"title": "Svensk sida", "url": "/sv/svensk-sida/"},
            {"title": "ICLD global", "url": "https://icld.se/en/global/"},
        ],
        "footer": {
            "html": '<p>Write to <a href="/en/contact/">us</a>.</p>',
            "email": "info@icld.se",
            "phone": "+46 498 29 91 80",
            "address": "Box 1125, SE-621 22 Visby, Sweden",
            "links": [{"title": "Contact", "url": "/en/contact/"}],
        },
    }


def test_menu_drops_pages_that_are_unpublished_later(client, settings_en, tree):
    tree.contact_en.unpublish()
    tree.news_sv.unpublish()
    tree.news_en.unpublish()

    english = gql_data(client, SITE, {"locale": "en"})["site"]
    swedish = gql_data(client, SITE, {"locale": "sv"})["site"]

    assert english["menu"][:2] == [
        {"title": "Contact us", "url": "/sv/kontakt/"},
        {"title": "Svensk sida", "url": "/sv/svensk-sida/"},
    ]
    assert [item["title"] for item in swedish["menu"]] == [
        "Kontakta oss",
        "Svensk sida",
        "ICLD globalt",
    ]


@pytest.mark.parametrize("english_settings", ["missing", "draft"])
def test_site_without_english_settings_falls_back_to_swedish(
    client, settings_sv, tree, en, english_settings
):
    if english_settings == "draft":
        SiteSettingsFactory(
            locale=en,
            translation_key=settings_sv.translation_key,
            organisation_name="Not published",
            live=False,
        )

    site = gql_data(client, SITE, {"locale": "en"})["site"]

    assert site["locale"] == "en"
    assert site["name"] == "ICLD"
    assert site["footer"]["email"] == "info@icld.se"
    assert site["footer"]["address"] == "Box 1125, 621 22 Visby"
    assert [item["title"] for item in site["menu"]] == [
        "News",
        "Kontakta oss",
        "Svensk sida",
        "ICLD globalt",
    ]
    assert [item["url"] for item in site["menu"]][:2] == ["/en/news/", "/en/contact/"]


def test_site_without_any_settings(client, sv):
    site = gql_data(client, SITE, {"locale": "en"})["site"]

    assert site["locales"] == ["sv", "en"]
    assert site["languages"] == LANGUAGES
    assert site["menu"] == []
    assert site["name"]


def test_site_with_unknown_locale_is_400(client, sv):
    response = gql(client, SITE, {"locale": "de"})

    assert response.status_code == 400
    assert "Unknown locale 'de'" in response.json()["errors"][0]["message"]


# --- StreamField bodies ---------------------------------------------------------------------------


BLOCK_FIELDS = """
fragment BlockFields on Block {
  __typename id blockType
  ... on HeadingBlock { text level }
  ... on ParagraphBlock { html }
  ... on ImageBlock { image { credit alt caption } }
  ... on QuoteBlock { quote attribution }
  ... on EmbedBlock { url }
  ... on CallToActionBlock { text url page { title url } }
  ... on FactBoxBlock { title html }
  ... on CommitmentBlock { heading html toReport }
}
"""

BODY = (
    BLOCK_FIELDS
    + """
query Body($path: String, $locale: String) {
  page(path: $path, locale: $locale) {
    title locale
    ... on StandardPage { body { ...BlockFields } }
    ... on NewsArticlePage { body { ...BlockFields } }
  }
}
"""
)


def body_of(client, path, locale=None):
    variables = {"path": path}
    if locale:
        variables["locale"] = locale
    return gql_data(client, BODY, variables)["page"]["body"]


@pytest.fixture
def body_pages(tree, sv, en):
    """A standard page and an article with every block type, linking to a translated page,
    a Swedish-only page and an unpublished page; both translated to English."""
    hidden = StandardPageFactory(
        parent=tree.contact.get_parent(), locale=sv, title="Hemlig", slug="hemlig", live=False
    )
    with_alt = CustomImageFactory(credit="Alice Hansson", description="Standard-alt 1")
    without_alt = CustomImageFactory(credit="", description="Bogotás stadshus")

    def body(commitment):
        blocks = [
            {"type": "heading", "id": "b-heading", "value": {"text": "Bakgrund", "level": "h3"}},
            {
                "type": "paragraph",
                "id": "b-paragraph",
                "value": (
                    f'<p>Se <a linktype="page" id="{tree.contact.pk}">kontakt</a>, '
                    f'<a linktype="page" id="{tree.swedish_page.pk}">en svensk sida</a> och '
                    f'<a linktype="page" id="{hidden.pk}"><b>det hemliga</b></a>. '
                    '<a href="https://example.org/" rel="noopener noreferrer">Extern</a></p>'
                ),
            },
            {
                "type": "image",
                "id": "b-image-alt",
                "value": {"image": with_alt.pk, "alt_text": "Två personer", "caption": "I Visby."},
            },
            {
                "type": "image",
                "id": "b-image",
                "value": {"image": without_alt.pk, "alt_text": "", "caption": ""},
            },
            {
                "type": "quote",
                "id": "b-quote",
                "value": {"quote": "Demokrati byggs lokalt.", "attribution": "Johan Lilja"},
            },
            {"type": "embed", "id": "b-embed", "value": "https://www.youtube.com/watch?v=abc123"},
            {
                "type": "call_to_action",
                "id": "b-cta-page",
                "value": {"text": "Kontakta oss", "page": tree.contact.pk, "url": ""},
            },
            {
                "type": "call_to_action",
                "id": "b-cta-url",
                "value": {"text": "ICLD globalt", "page": None, "url": "https://icld.se/"},
            },
            {
                "type": "call_to_action",
                "id": "b-cta-hidden",
                "value": {"text": "Hemligt", "page": hidden.pk, "url": ""},
            },
            {
                "type": "fact_box",
                "id": "b-facts",
                "value": {
                    "title": "Fakta",
                    "body": f'<p>Läs <a linktype="page" id="{tree.contact.pk}">mer</a>.</p>',
                },
            },
        ]
        if commitment:
            blocks.append(
                {
                    "type": "commitment",
                    "id": "b-commitment",
                    "value": {
                        "heading": "Vi redovisar",
                        "text": f'<p>Se <a linktype="page" id="{hidden.pk}">planen</a>.</p>',
                        "to_report": [
                            {"type": "item", "id": "i1", "value": "Antal partnerskap"},
                            {"type": "item", "id": "i2", "value": "Resultat"},
                        ],
                    },
                }
            )
        return blocks

    standard = publish(
        StandardPageFactory(
            parent=tree.contact.get_parent(),
            locale=sv,
            title="Om oss",
            slug="om-oss",
            body=body(True),
        )
    )
    article = publish(
        NewsArticlePageFactory(
            parent=tree.news_sv,
            locale=sv,
            title="Med brödtext",
            slug="med-brodtext",
            body=body(False),
        )
    )
    translate_as(standard, en, title="About us", slug="about-us")
    translate_as(article, en, title="With a body", slug="with-a-body")


SWEDISH_BLOCKS = [
    {
        "__typename": "HeadingBlock",
        "id": "b-heading",
        "blockType": "heading",
        "text": "Bakgrund",
        "level": "h3",
    },
    {
        "__typename": "ParagraphBlock",
        "id": "b-paragraph",
        "blockType": "paragraph",
        "html": (
            '<p>Se <a href="/sv/kontakt/">kontakt</a>, '
            '<a href="/sv/svensk-sida/">en svensk sida</a> och <b>det hemliga</b>. '
            '<a href="https://example.org/" rel="noopener noreferrer">Extern</a></p>'
        ),
    },
    {
        "__typename": "ImageBlock",
        "id": "b-image-alt",
        "blockType": "image",
        "image": {"credit": "Alice Hansson", "alt": "Två personer", "caption": "I Visby."},
    },
    {
        "__typename": "ImageBlock",
        "id": "b-image",
        "blockType": "image",
        "image": {"credit": "", "alt": "Bogotás stadshus", "caption": ""},
    },
    {
        "__typename": "QuoteBlock",
        "id": "b-quote",
        "blockType": "quote",
        "quote": "Demokrati byggs lokalt.",
        "attribution": "Johan Lilja",
    },
    {
        "__typename": "EmbedBlock",
        "id": "b-embed",
        "blockType": "embed",
        "url": "https://www.youtube.com/watch?v=abc123",
    },
    {
        "__typename": "CallToActionBlock",
        "id": "b-cta-page",
        "blockType": "call_to_action",
        "text": "Kontakta oss",
        "url": "/sv/kontakt/",
        "page": {"title": "Kontakt", "url": "/sv/kontakt/"},
    },
    {
        "__typename": "CallToActionBlock",
        "id": "b-cta-url",
        "blockType": "call_to_action",
        "text": "ICLD globalt",
        "url": "https://icld.se/",
        "page": None,
    },
    {
        "__typename": "FactBoxBlock",
        "id": "b-facts",
        "blockType": "fact_box",
        "title": "Fakta",
        "html": '<p>Läs <a href="/sv/kontakt/">mer</a>.</p>',
    },
]

COMMITMENT = {
    "__typename": "CommitmentBlock",
    "id": "b-commitment",
    "blockType": "commitment",
    "heading": "Vi redovisar",
    "html": "<p>Se planen.</p>",
    "toReport": ["Antal partnerskap", "Resultat"],
}


def without_hidden_cta(blocks):
    """A call to action to a page the public may not see must not show that page."""
    hidden = [b for b in blocks if b["id"] == "b-cta-hidden"]
    for block in hidden:
        assert block["page"] is None
        assert "hemlig" not in block["url"]
    return [b for b in blocks if b["id"] != "b-cta-hidden"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/sv/om-oss/", [*SWEDISH_BLOCKS, COMMITMENT]),
        ("/sv/nyheter/med-brodtext/", SWEDISH_BLOCKS),
    ],
)
def test_body_blocks_come_back_typed(client, body_pages, path, expected):
    assert without_hidden_cta(body_of(client, path)) == expected


@pytest.mark.parametrize("path", ["/en/about-us/", "/en/news/with-a-body/"])
def test_links_in_an_english_body_point_at_the_english_pages(client, body_pages, path):
    blocks = {block["id"]: block for block in without_hidden_cta(body_of(client, path))}

    paragraph = blocks["b-paragraph"]["html"]
    assert '<a href="/en/contact/">kontakt</a>' in paragraph
    assert '<a href="/sv/svensk-sida/">en svensk sida</a>' in paragraph
    assert "<b>det hemliga</b>" in paragraph
    assert "hemlig/" not in paragraph
    assert paragraph.count("<a ") == 3
    assert paragraph.startswith("<p>EN Se ")
    assert blocks["b-facts"]["html"] == '<p>EN Läs <a href="/en/contact/">mer</a>.</p>'
    assert blocks["b-cta-page"]["url"] == "/en/contact/"
    assert blocks["b-cta-page"]["page"] == {"title": "Contact", "url": "/en/contact/"}
    assert blocks["b-cta-page"]["text"] == "EN Kontakta oss"
    assert blocks["b-heading"]["text"] == "EN Bakgrund"
    assert blocks["b-image-alt"]["image"] == {
        "credit": "Alice Hansson",
        "alt": "EN Två personer",
        "caption": "EN I Visby.",
    }
    assert blocks["b-image"]["image"]["alt"] == "Bogotás stadshus"
    if "b-commitment" in blocks:
        assert blocks["b-commitment"]["html"] == "<p>EN Se planen.</p>"
        assert blocks["b-commitment"]["toReport"] == ["EN Antal partnerskap", "EN Resultat"]


def test_a_swedish_body_read_in_english_links_to_english_pages(client, body_pages, tree, sv):
    """A page without an English version, asked for in English, still sends the reader to
    the English versions of the pages it links to."""
    only = publish(
        StandardPageFactory(
            parent=tree.contact.get_parent(),
            locale=sv,
            slug="bara-sv",
            body=[
                {
                    "type": "paragraph",
                    "id": "p",
                    "value": f'<p><a linktype="page" id="{tree.contact.pk}">Kontakt</a></p>',
                }
            ],
        )
    )

    swedish = body_of(client, "/sv/bara-sv/")
    english = body_of(client, "/sv/bara-sv/", locale="en")

    assert only.live
    assert swedish[0]["html"] == '<p><a href="/sv/kontakt/">Kontakt</a></p>'
    assert english[0]["html"] == '<p><a href="/en/contact/">Kontakt</a></p>'


def test_body_query_count_does_not_grow_with_the_body(client, tree, sv, en):
    index = tree.contact.get_parent()
    targets = [
        publish(StandardPageFactory(parent=index, locale=sv, slug=f"mal-{n}")) for n in range(20)
    ]
    for target in targets[::2]:
        translate(target, en)

    def body(groups):
        blocks = []
        for n in range(groups):
            image = CustomImageFactory(file__width=40, file__height=30)
            link_target, cta_target = targets[2 * n], targets[2 * n + 1]
            blocks += [
                {
                    "type": "image",
                    "id": f"i{n}",
                    "value": {"image": image.pk, "alt_text": "", "caption": ""},
                },
                {
                    "type": "paragraph",
                    "id": f"p{n}",
                    "value": f'<p>Se <a linktype="page" id="{link_target.pk}">sidan</a>.</p>',
                },
                {
                    "type": "call_to_action",
                    "id": f"c{n}",
                    "value": {"text": "Läs", "page": cta_target.pk, "url": ""},
                },
            ]
        return blocks

    query = (
        BLOCK_FIELDS
        + """
    query($path: String) {
      page(path: $path) {
        title translations { url }
        ... on StandardPage {
          body {
            ...BlockFields
            ... on ImageBlock { image { rendition(preset: CONTENT) { url } } }
          }
        }
      }
    }
    """
    )
    counts = {}
    for name, groups in (("kort", 1), ("lang", 10)):
        source = publish(StandardPageFactory(parent=index, locale=sv, slug=name, body=body(groups)))
        translate(source, en)
        for path in (f"/sv/{name}/", f"/en/en-{name}/"):
            counts[path], response = count_queries(client, query, {"path": path})
            assert response.status_code == 200, response.content
            blocks = response.json()["data"]["page"]["body"]
            assert len(blocks) == 3 * groups
            assert all("href=" in b["html"] for b in blocks if b["blockType"] == "paragraph")
            assert all(b["page"] for b in blocks if b["blockType"] == "call_to_action")

    assert counts["/sv/kort/"] == counts["/sv/lang/"], counts
    assert counts["/en/en-kort/"] == counts["/en/en-lang/"], counts
