"""Grants as a grants officer enters them, in the Swedish admin: amounts in Swedish notation
("1 500 000", "1,5 MSEK"), never silently changed; grant rows that add up to more than the
announced total are refused with a message; the API tells an announced total from a sum."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from news.factories import (
    GrantAnnouncementPageFactory,
    NewsIndexPageFactory,
    RecipientFactory,
)
from news.models import Grant, GrantAnnouncementPage, Programme
from tests.cms.test_admin_pages import add_url
from tests.helpers import gql_data, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(sv, home_sv):
    return NewsIndexPageFactory(parent=home_sv, locale=sv)


def announcement(news, total, *amounts):
    recipients = [RecipientFactory() for _ in amounts]
    data = nested_form_data(
        {
            "title": "Bidrag 2025",
            "slug": "bidrag-2025",
            "intro": "Nya partnerskap.",
            "date": "2025-03-01",
            "programme": Programme.MUNICIPAL_PARTNERSHIP,
            "total_amount": total,
            "body": streamfield([]),
            "grants": inline_formset(
                [
                    {
                        "recipient": recipient.pk,
                        "project_title": "",
                        "programme": Programme.MUNICIPAL_PARTNERSHIP,
                        "topic": "",
                        "amount": amount,
                        "year": "2025",
                        "end_year": "",
                    }
                    for recipient, amount in zip(recipients, amounts, strict=True)
                ]
            ),
            "article_topics": inline_formset([]),
        }
    )
    data["action-publish"] = "action-publish"
    return data


def post(admin_client, news, data):
    return admin_client.post(add_url(GrantAnnouncementPage, news), data)


@pytest.mark.parametrize(
    ("written", "kronor"),
    [
        ("1500000", 1_500_000),
        ("1 500 000", 1_500_000),
        ("1\u00a0500\u00a0000", 1_500_000),
        ("1.500.000", 1_500_000),
        ("1 500 000 kr", 1_500_000),
        ("1,5 MSEK", 1_500_000),
        ("1,5 mkr", 1_500_000),
        ("1.5 miljoner", 1_500_000),
        ("750 tkr", 750_000),
    ],
)
def test_amounts_in_swedish_notation_are_saved_as_kronor(admin_client, news, written, kronor):
    response = post(admin_client, news, announcement(news, "18 MSEK", written))
    assert response.status_code == 302, response.context["form"].errors
    page = GrantAnnouncementPage.objects.get()
    assert page.total_amount == 18_000_000
    assert page.grants.get().amount == kronor


@pytest.mark.parametrize("written", ["1,5", "15,50", "en miljon", "1,5 apor", "-100"])
def test_amounts_that_cannot_be_read_are_refused_never_guessed(admin_client, news, written):
    response = post(admin_client, news, announcement(news, "", written))
    assert response.status_code == 200
    assert not GrantAnnouncementPage.objects.exists() and not Grant.objects.exists()
    html = response.content.decode()
    assert "Skriv beloppet i hela kronor" in html or "Beloppet kan inte vara negativt" in html


def test_rows_adding_up_to_more_than_the_total_are_refused(admin_client, news):
    response = post(admin_client, news, announcement(news, "2 000 000", "1,5 MSEK", "1 000 000"))
    assert response.status_code == 200
    assert not GrantAnnouncementPage.objects.exists()
    errors = response.context["form"].errors["total_amount"]
    assert errors == [
        "Bidragsraderna summerar till 2 500 000 kronor, mer än det beviljade totalbeloppet "
        "2 000 000 kronor. Rätta ett belopp eller totalbeloppet."
    ]
    # Equal is fine, and so are rows without amounts.
    response = post(admin_client, news, announcement(news, "2 500 000", "1,5 MSEK", "1 MSEK", ""))
    assert response.status_code == 302


def test_the_form_shows_amounts_grouped_and_the_running_sum_script(admin_client, news):
    page = publish(
        GrantAnnouncementPageFactory(parent=news, locale=news.locale, total_amount=18_000_000)
    )
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'value="18 000 000"' in html
    assert (
        'inputmode="decimal"' in html
        and 'type="number"' not in html.split('id="id_total_amount"')[0][-300:]
    )
    assert "news/js/grant-total.js" in html
    assert 'data-grant-sum-label="Bidragsraderna summerar till %(sum)s kronor."' in html


def test_the_api_tells_an_announced_total_from_a_sum_of_amounts(client, news):
    page = GrantAnnouncementPageFactory(parent=news, locale=news.locale, total_amount=18_000_000)
    Grant.objects.create(page=page, recipient=RecipientFactory(), year=2024, locale=news.locale)
    publish(page)
    data = gql_data(
        client,
        """{ grants { totalCount totalAmount grantsWithAmount }
             newsArticles { items { ... on GrantAnnouncementPage { announcedTotal } } } }""",
    )
    assert data["grants"] == {"totalCount": 1, "totalAmount": None, "grantsWithAmount": 0}
    assert data["newsArticles"]["items"] == [{"announcedTotal": 18_000_000}]
