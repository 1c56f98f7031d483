"""Answers made from lists expire with the pages they count, also pages they never hand out.

A page with a go-live or expiry time changes what lists show at that moment, without any
editor saving (``publish_scheduled`` may run minutes later, or never for an expiry). An
answer that only *counts* such a page (``totalCount``, ``totalAmount``, facets) or only
*suggests* it must not be kept by the response cache or a CDN past that moment.
"""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Page

from cms import versions
from cms.versions import next_change
from news.factories import (
    GrantAnnouncementPageFactory,
    NewsArticlePageFactory,
    NewsIndexPageFactory,
    RecipientFactory,
)
from news.models import Grant
from tests.helpers import gql, publish, settle

pytestmark = pytest.mark.django_db

COUNTS = '{ newsArticles(locale: "sv", limit: 0) { totalCount } }'
GRANT_SUM = '{ grants(locale: "sv", limit: 0) { totalCount totalAmount } }'
SUGGEST = '{ suggest(locale: "sv", prefix: "Demokratidag") { title } }'
SEARCH_COUNT = '{ search(locale: "sv", query: "demokratidagen", limit: 0) { totalCount } }'


@pytest.fixture
def scheduled(settings, sv, home_sv):
    """A public article, one that expires in 90 s with a grant of 100 SEK, and one that goes
    live in 200 s."""
    settings.CMS_CACHE = {**settings.CMS_CACHE, "ENABLED": True}
    cache.clear()
    now = timezone.now()
    news = NewsIndexPageFactory(parent=home_sv, locale=sv)
    publish(NewsArticlePageFactory(parent=news, locale=sv, title="Kommunal vardag"))
    expiring = GrantAnnouncementPageFactory(
        parent=news, locale=sv, title="Demokratidagen", slug="demokratidagen", total_amount=None
    )
    Grant.objects.create(
        page=expiring, locale=sv, sort_order=0, amount=100, recipient=RecipientFactory()
    )
    expiring.expire_at = now + datetime.timedelta(seconds=90)
    publish(expiring)
    # Live with a go-live time ahead: as an import leaves it (Wagtail's own scheduling keeps
    # the page a draft until ``publish_scheduled``, whose publish signals invalidate).
    coming = publish(NewsArticlePageFactory(parent=news, locale=sv, title="Snart", slug="snart"))
    Page.objects.filter(pk=coming.pk).update(go_live_at=now + datetime.timedelta(seconds=200))
    versions.refresh()
    settle()
    return now


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_the_next_change_is_the_nearest_go_live_or_expiry(scheduled):
    assert next_change(scheduled) == scheduled + datetime.timedelta(seconds=90)
    after_expiry = scheduled + datetime.timedelta(seconds=100)
    assert next_change(after_expiry) == scheduled + datetime.timedelta(seconds=200)
    assert next_change(scheduled + datetime.timedelta(seconds=300)) is None


@pytest.mark.parametrize(
    "query, before, after",
    [
        (COUNTS, {"newsArticles": {"totalCount": 2}}, {"newsArticles": {"totalCount": 1}}),
        (
            GRANT_SUM,
            {"grants": {"totalCount": 1, "totalAmount": 100}},
            {"grants": {"totalCount": 0, "totalAmount": None}},
        ),
        (SUGGEST, {"suggest": [{"title": "Demokratidagen"}]}, {"suggest": []}),
    ],
    ids=["totalCount", "totalAmount", "suggest"],
)
def test_counted_or_suggested_pages_expire_from_cached_answers(
    client, scheduled, query, before, after
):
    with at(scheduled):
        first = gql(client, query, method="get")
        assert first.json()["data"] == before
        cached = gql(client, query, method="get")
        assert cached["X-Cache"] == "HIT"
        # Neither the browser nor a CDN may keep it past the expiry in 90 s.
        assert cached["Cache-Control"] == "public, max-age=60, s-maxage=90"
    with at(scheduled + datetime.timedelta(seconds=89)):
        assert gql(client, query, method="get")["X-Cache"] == "HIT"
    with at(scheduled + datetime.timedelta(seconds=91)):
        later = gql(client, query, method="get")
        assert later["X-Cache"] == "MISS"
        assert later.json()["data"] == after
        # The next change is the go-live in 200 s: kept until then, not for a day.
        assert later["Cache-Control"] == "public, max-age=60, s-maxage=109"


def test_a_page_going_live_is_counted_from_that_moment(client, scheduled):
    with at(scheduled + datetime.timedelta(seconds=150)):
        assert gql(client, COUNTS).json()["data"]["newsArticles"]["totalCount"] == 1
        assert gql(client, COUNTS)["X-Cache"] == "HIT"
    with at(scheduled + datetime.timedelta(seconds=201)):
        response = gql(client, COUNTS, method="get")
        assert response["X-Cache"] == "MISS"
        assert response.json()["data"]["newsArticles"]["totalCount"] == 2
        # Nothing scheduled any more: the usual lifetimes.
        assert response["Cache-Control"] == "public, max-age=60, s-maxage=300"


def test_search_counts_expire_too(client, scheduled, postgres):
    with at(scheduled):
        assert gql(client, SEARCH_COUNT).json()["data"]["search"]["totalCount"] == 1
        assert gql(client, SEARCH_COUNT)["X-Cache"] == "HIT"
    with at(scheduled + datetime.timedelta(seconds=91)):
        response = gql(client, SEARCH_COUNT)
        assert response["X-Cache"] == "MISS"
        assert response.json()["data"]["search"]["totalCount"] == 0


def test_answers_without_lists_keep_their_lifetime(client, scheduled):
    with at(scheduled):
        response = gql(client, '{ site(locale: "sv") { name } }', method="get")
    assert response["Cache-Control"] == "public, max-age=60, s-maxage=300"
