"""``grants`` as a frontend uses it over HTTP: by recipient, country, programme and year, with
totals over the whole filtered set, each grant once across languages, and nothing from
announcements the public may not see."""

import datetime
from types import SimpleNamespace

import pytest
from wagtail.models import PageViewRestriction

from news.factories import (
    GrantAnnouncementPageFactory,
    NewsIndexPageFactory,
    PartnerOrganisationFactory,
    RecipientFactory,
)
from news.models import Grant, GrantAnnouncementPage, Programme, RecipientKind
from tests.helpers import (
    bad_request,
    count_queries,
    gql_data,
    publish,
    translate,
    translate_as,
)
from topics.factories import TopicIndexPageFactory, TopicPageFactory

pytestmark = pytest.mark.django_db

GRANTS = """
query Grants(
  $locale: String, $fallback: Boolean, $recipient: String, $country: String,
  $programme: Programme, $year: Int, $order: GrantOrdering, $limit: Int, $offset: Int
) {
  grants(
    locale: $locale, fallback: $fallback, recipient: $recipient, country: $country,
    programme: $programme, year: $year, order: $order, limit: $limit, offset: $offset
  ) {
    totalCount
    totalAmount
    items {
      recipient { name kind }
      partners { name city country countryName }
      amount programme year endYear projectTitle
      topic { title url }
      announcement { title url }
    }
  }
}
"""


def grants(client, **variables):
    return gql_data(client, GRANTS, variables)["grants"]


def projects(result):
    return [item["projectTitle"] for item in result["items"]]


def announce(parent, title, date, grants_data):
    """A published grant announcement with grant rows (``dict``s of Grant fields)."""
    page = GrantAnnouncementPageFactory(
        parent=parent,
        locale=parent.locale,
        title=title,
        slug=title.lower().replace(" ", "-"),
        date=date,
        total_amount=None,
    )
    for sort_order, data in enumerate(grants_data):
        data = dict(data)
        partners = data.pop("partners", [])
        grant = Grant(page=page, locale=page.locale, sort_order=sort_order, **data)
        grant.partners.set(partners)
        grant.save()
    return publish(page)


@pytest.fixture
def data(sv, en, home_sv):
    """Two public announcements (one translated to English) with four grants, one
    unpublished and one private announcement with grants that must never show."""
    news_sv = NewsIndexPageFactory(parent=home_sv, locale=sv)
    news_en = translate_as(news_sv, en, title="News", slug="news")
    topics_sv = TopicIndexPageFactory(parent=home_sv, locale=sv)
    translate_as(topics_sv, en, title="Topics", slug="topics")
    climate = TopicPageFactory(parent=topics_sv, locale=sv, title="Klimat", slug="klimat")
    translate_as(climate, en, title="Climate", slug="climate")
    public = TopicPageFactory(
        parent=topics_sv, locale=sv, title="Offentlig sektor", slug="offentlig-sektor"
    )

    gotland = RecipientFactory(
        name="Region Gotland", slug="region-gotland", kind=RecipientKind.REGION
    )
    umea = RecipientFactory(name="Umeå kommun", slug="umea-kommun")
    lusaka = PartnerOrganisationFactory(name="Lusaka City Council", city="Lusaka", country="ZM")
    kitwe = PartnerOrganisationFactory(name="Kitwe City Council", city="Kitwe", country="ZM")
    kyiv = PartnerOrganisationFactory(
        name="Kyiv City State Administration", city="Kyiv", country="UA"
    )
    bogota = PartnerOrganisationFactory(name="Alcaldía de Bogotá", city="Bogotá", country="CO")

    spring = announce(
        news_sv,
        "Bidrag 2024",
        datetime.date(2024, 3, 1),
        [
            {
                "recipient": gotland,
                "partners": [lusaka],
                "project_title": "Hållbar turism",
                "programme": Programme.MUNICIPAL_PARTNERSHIP,
                "topic": climate,
                "amount": 1_000_000,
                "year": 2024,
                "end_year": 2026,
            },
            {
                "recipient": umea,
                "partners": [kyiv],
                "project_title": "Öppna data",
                "programme": Programme.MUNICIPAL_PARTNERSHIP,
                "topic": public,
                "amount": 500_000,
                "year": 2024,
            },
        ],
    )
    spring_en = translate_as(spring, en, title="Grants 2024", slug="grants-2024")
    announce(
        news_sv,
        "Bidrag 2025",
        datetime.date(2025, 2, 1),
        [
            {
                "recipient": gotland,
                "partners": [kitwe, lusaka, bogota],
                "project_title": "Rent vatten",
                "programme": Programme.INTERNATIONAL_TRAINING,
                "amount": 2_000_000,
                "year": 2025,
            },
            {
                "recipient": umea,
                "project_title": "Skolor",
                "programme": Programme.MUNICIPAL_PARTNERSHIP,
                "amount": None,
                "year": 2025,
            },
        ],
    )
    hidden = {
        "recipient": gotland,
        "partners": [lusaka],
        "programme": Programme.MUNICIPAL_PARTNERSHIP,
        "amount": 7_000_000,
        "year": 2025,
    }
    announce(
        news_sv,
        "Avpublicerad",
        datetime.date(2025, 4, 1),
        [{**hidden, "project_title": "Avpublicerat projekt"}],
    ).unpublish()
    private = announce(
        news_sv,
        "Privat",
        datetime.date(2025, 5, 1),
        [{**hidden, "project_title": "Privat projekt"}],
    )
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )
    return SimpleNamespace(news_sv=news_sv, news_en=news_en, spring=spring, spring_en=spring_en)


PUBLIC_PROJECTS = ["Rent vatten", "Skolor", "Hållbar turism", "Öppna data"]


def test_all_public_grants_newest_announcement_first(client, data):
    result = grants(client, locale="sv")

    assert projects(result) == PUBLIC_PROJECTS
    assert result["totalCount"] == 4
    assert result["totalAmount"] == 3_500_000


def test_all_grants_to_a_recipient(client, data):
    result = grants(client, recipient="region-gotland")

    assert projects(result) == ["Rent vatten", "Hållbar turism"]
    assert result["totalCount"] == 2
    assert result["totalAmount"] == 3_000_000
    assert result["items"][1] == {
        "recipient": {"name": "Region Gotland", "kind": "region"},
        "partners": [
            {
                "name": "Lusaka City Council",
                "city": "Lusaka",
                "country": "ZM",
                "countryName": "Zambia",
            }
        ],
        "amount": 1_000_000,
        "programme": "municipal_partnership",
        "year": 2024,
        "endYear": 2026,
        "projectTitle": "Hållbar turism",
        "topic": {"title": "Klimat", "url": "/sv/amnen/klimat/"},
        "announcement": {"title": "Bidrag 2024", "url": "/sv/nyheter/bidrag-2024/"},
    }
    assert grants(client, recipient="okand-kommun") == {
        "totalCount": 0,
        "totalAmount": None,  # no amount to add up is not a sum of 0
        "items": [],
    }


@pytest.mark.parametrize("code", ["ZM", "zm", "Zm"])
def test_all_partnerships_with_a_country(client, data, code):
    result = grants(client, country=code)

    # "Rent vatten" has two Zambian partners and is still listed once.
    assert projects(result) == ["Rent vatten", "Hållbar turism"]
    assert result["totalCount"] == 2
    assert result["totalAmount"] == 3_000_000
    # Every partner of a matching grant is listed, not only the Zambian ones.
    assert sorted(p["city"] for p in result["items"][0]["partners"]) == [
        "Bogotá",
        "Kitwe",
        "Lusaka",
    ]


def test_country_names_are_in_the_requested_language(client, data):
    swedish = grants(client, locale="sv", country="UA")["items"]
    english = grants(client, locale="en", country="UA")["items"]

    assert [p["countryName"] for item in swedish for p in item["partners"]] == ["Ukraina"]
    assert [p["countryName"] for item in english for p in item["partners"]] == ["Ukraine"]


def test_programme_filter(client, data):
    result = grants(client, programme="international_training")

    assert projects(result) == ["Rent vatten"]
    assert result["totalAmount"] == 2_000_000
    assert grants(client, programme="research") == {
        "totalCount": 0,
        "totalAmount": None,
        "items": [],
    }


def test_total_amount_of_a_year_sums_the_whole_set_not_the_page(client, data):
    whole = grants(client, year=2025)
    first = grants(client, year=2025, limit=1)
    second = grants(client, year=2025, limit=1, offset=1)
    none = grants(client, year=2025, limit=0)

    # Hållbar turism runs 2024-2026; Skolor has no amount.
    assert projects(whole) == ["Rent vatten", "Skolor", "Hållbar turism"]
    assert whole["totalCount"] == 3
    assert whole["totalAmount"] == 3_000_000
    for window in (first, second, none):
        assert (window["totalCount"], window["totalAmount"]) == (3, 3_000_000)
    assert projects(first) == ["Rent vatten"]
    assert projects(second) == ["Skolor"]
    assert none["items"] == []


@pytest.mark.parametrize(
    ("year", "expected", "total"),
    [
        (2023, [], None),
        (2024, ["Hållbar turism", "Öppna data"], 1_500_000),
        (2025, ["Rent vatten", "Skolor", "Hållbar turism"], 3_000_000),
        (2026, ["Hållbar turism"], 1_000_000),
        (2027, [], None),
    ],
)
def test_a_multi_year_grant_counts_in_each_year_of_its_span(client, data, year, expected, total):
    result = grants(client, year=year)

    assert projects(result) == expected
    assert result["totalAmount"] == total


def test_grants_of_unpublished_or_private_announcements_never_appear(client, data):
    for variables in (
        {},
        {"locale": "en"},
        {"recipient": "region-gotland"},
        {"country": "ZM"},
        {"year": 2025},
        {"programme": "municipal_partnership"},
        {"order": "AMOUNT_DESC"},
    ):
        result = grants(client, **variables)
        titles = set(projects(result))
        assert not titles & {"Avpublicerat projekt", "Privat projekt"}, variables
        assert result["totalAmount"] < 7_000_000, variables


def test_unpublishing_an_announcement_removes_its_grants(client, data):
    data.spring_en.unpublish()
    data.spring.unpublish()

    result = grants(client)

    assert projects(result) == ["Rent vatten", "Skolor"]
    assert result["totalAmount"] == 2_000_000


def test_grants_in_an_unpublished_draft_are_not_shown(client, data, sv):
    page = GrantAnnouncementPage.objects.get(pk=data.spring.pk)
    page.grants.add(
        Grant(
            locale=sv,
            recipient=RecipientFactory(slug="ny"),
            amount=9,
            year=2024,
            project_title="Utkast",
        )
    )
    page.save_revision()

    result = grants(client)

    assert "Utkast" not in projects(result)
    assert result["totalAmount"] == 3_500_000


def test_each_grant_once_across_languages(client, data):
    swedish = grants(client, locale="sv")
    english = grants(client, locale="en")

    assert english["totalCount"] == swedish["totalCount"] == 4
    assert english["totalAmount"] == swedish["totalAmount"] == 3_500_000
    assert projects(swedish) == PUBLIC_PROJECTS
    # The translated announcement's grants are its English rows; the other's stay Swedish.
    assert projects(english) == ["Rent vatten", "Skolor", "EN Hållbar turism", "EN Öppna data"]
    translated = english["items"][2]
    assert translated["announcement"] == {"title": "Grants 2024", "url": "/en/news/grants-2024/"}
    assert translated["topic"] == {"title": "Climate", "url": "/en/topics/climate/"}
    assert (translated["amount"], translated["year"], translated["endYear"]) == (
        1_000_000,
        2024,
        2026,
    )
    assert english["items"][0]["announcement"] == {
        "title": "Bidrag 2025",
        "url": "/sv/nyheter/bidrag-2025/",
    }
    # A topic without an English translation stays Swedish.
    assert english["items"][3]["topic"] == {
        "title": "Offentlig sektor",
        "url": "/sv/amnen/offentlig-sektor/",
    }
    assert grants(client, locale="en", recipient="region-gotland")["totalAmount"] == 3_000_000


def test_without_fallback_only_rows_in_the_requested_language(client, data):
    english = grants(client, locale="en", fallback=False)

    assert projects(english) == ["EN Hållbar turism", "EN Öppna data"]
    assert english["totalAmount"] == 1_500_000


def test_an_unpublished_translation_shows_the_swedish_rows(client, data):
    data.spring_en.unpublish()

    english = grants(client, locale="en")

    assert projects(english) == PUBLIC_PROJECTS
    assert english["totalAmount"] == 3_500_000


def test_orderings(client, data):
    by_amount = grants(client, order="AMOUNT_DESC")
    by_recipient = grants(client, order="RECIPIENT_ASC")

    # The largest grants first; a grant without an amount cannot be among the largest.
    assert [item["amount"] for item in by_amount["items"]] == [2_000_000, 1_000_000, 500_000, None]
    assert [(item["recipient"]["name"], item["year"]) for item in by_recipient["items"]] == [
        ("Region Gotland", 2024),
        ("Region Gotland", 2025),
        ("Umeå kommun", 2024),
        ("Umeå kommun", 2025),
    ]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ('country: "Zambia"', "country"),
        ('country: "Z1"', "country"),
        ('country: ""', "country"),
        ('programme: "culture"', "Programme"),
        ('locale: "de"', "Unknown locale 'de'"),
        ("year: 1800", "year"),
        ("limit: 101", "limit"),
        ("limit: -1", "limit"),
        ("offset: 10001", "offset"),
        ('limit: "x"', "Int"),
        ("order: NEWEST", "GrantOrdering"),
        ('order: "AMOUNT_DESC"', "GrantOrdering"),
    ],
)
def test_bad_arguments_are_rejected_with_a_clear_400(client, arguments, expected, sv):
    message = bad_request(client, f"{{ grants({arguments}) {{ totalCount totalAmount }} }}")
    assert expected in message


def test_query_count_does_not_grow_with_the_number_of_grants(client, sv, en, home_sv):
    news_sv = NewsIndexPageFactory(parent=home_sv, locale=sv)
    translate(news_sv, en)
    topics_sv = TopicIndexPageFactory(parent=home_sv, locale=sv)
    translate(topics_sv, en)
    topics = [TopicPageFactory(parent=topics_sv, locale=sv) for _ in range(3)]
    translate(topics[0], en)
    recipients = [RecipientFactory() for _ in range(4)]
    partners = [PartnerOrganisationFactory(country=c) for c in ("ZM", "UA", "CO", "TZ")]

    def add(count, start):
        """Announcements of five grants each, every second one translated to English."""
        for n in range(start, start + count, 5):
            page = announce(
                news_sv,
                f"Bidrag {n}",
                datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
                [
                    {
                        "recipient": recipients[i % 4],
                        "partners": partners[i % 3 : i % 3 + 2],
                        "project_title": f"Projekt {i}",
                        "topic": topics[i % 3],
                        "amount": 1000 * (i + 1),
                        "year": 2024,
                        "end_year": 2025 if i % 2 else None,
                    }
                    for i in range(n, n + 5)
                ],
            )
            if (n // 5) % 2 == 0:
                translate(page, en)

    add(5, 0)
    small = {}
    for locale in ("sv", "en"):
        small[locale], response = count_queries(
            client, GRANTS, {"locale": locale, "year": 2024, "limit": 100}
        )
        assert response.status_code == 200, response.content
        assert len(response.json()["data"]["grants"]["items"]) == 5

    add(35, 5)
    for locale in ("sv", "en"):
        large, response = count_queries(
            client, GRANTS, {"locale": locale, "year": 2024, "limit": 100}
        )
        assert response.status_code == 200, response.content
        result = response.json()["data"]["grants"]
        assert len(result["items"]) == result["totalCount"] == 40
        assert result["totalAmount"] == sum(1000 * (i + 1) for i in range(40))
        assert all(item["partners"] and item["topic"] for item in result["items"])
        assert large == small[locale], f"{locale}: {small[locale]} queries for 5, {large} for 40"
        # 9: with the lookup of the next scheduled go-live or expiry (how long to cache).
        assert large <= 9, f"{locale}: {large} queries"
