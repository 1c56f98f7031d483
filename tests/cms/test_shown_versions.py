"""Which version of a translation group lists show (``ShownVersion``), through the API:
kept current by editors' actions, handing over at go-live and expiry times without anyone
saving, rebuilt by ``refresh_shown_versions``, and never a way around the visibility rules."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from cms.models import ShownTotal, ShownVersion
from news.factories import NewsArticlePageFactory, NewsIndexPageFactory
from tests.helpers import gql_data, publish, translate

pytestmark = pytest.mark.django_db

QUERY = """query($locale: String, $fallback: Boolean) {
  newsArticles(locale: $locale, fallback: $fallback) {
    totalCount items { id locale isFallback }
  }
}"""


def listed(client, locale="sv", fallback=True):
    data = gql_data(client, QUERY, {"locale": locale, "fallback": fallback})["newsArticles"]
    return data["totalCount"], [(int(i["id"]), i["locale"], i["isFallback"]) for i in data["items"]]


@pytest.fixture
def pair(sv, en, home_sv, home_en):
    """An article in Swedish and its English translation."""
    news_sv = NewsIndexPageFactory(parent=home_sv, locale=sv)
    translate(news_sv, en)
    article = NewsArticlePageFactory(parent=news_sv, locale=sv, title="Valår", slug="valar")
    english = translate(article, en)
    return article, english


def test_each_language_lists_its_own_version(client, pair):
    article, english = pair
    assert listed(client, "sv") == (1, [(article.pk, "sv", False)])
    assert listed(client, "en") == (1, [(english.pk, "en", False)])


def test_unpublishing_a_version_hands_over_to_the_other_at_once(client, pair):
    article, english = pair
    article.unpublish()
    assert listed(client, "sv") == (1, [(english.pk, "en", True)])
    assert listed(client, "sv", fallback=False) == (0, [])
    publish(article)
    assert listed(client, "sv") == (1, [(article.pk, "sv", False)])


def test_deleting_a_version_hands_over_to_the_other(client, pair):
    article, english = pair
    Page.objects.get(pk=article.pk).delete()
    assert listed(client, "sv") == (1, [(english.pk, "en", True)])
    assert not ShownVersion.objects.filter(page_id=article.pk).exists()


def test_expiry_hands_over_without_anyone_saving(client, pair):
    """The Swedish version expires in a minute; nobody saves anything and
    ``publish_scheduled`` does not run: two minutes later Swedish readers get the English
    version as a fallback, with the right count."""
    article, english = pair
    now = timezone.now()
    article.expire_at = now + datetime.timedelta(minutes=1)
    publish(article)
    assert listed(client, "sv") == (1, [(article.pk, "sv", False)])

    with mock.patch("django.utils.timezone.now", return_value=now + datetime.timedelta(minutes=2)):
        assert listed(client, "sv") == (1, [(english.pk, "en", True)])
        assert listed(client, "en") == (1, [(english.pk, "en", False)])


def test_live_with_a_future_go_live_time_waits_for_it(client, pair):
    """Imported as live with a go-live time tomorrow: the English version stands in until
    then, and the Swedish one takes over at that time."""
    article, english = pair
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    Page.objects.filter(pk=article.pk).update(go_live_at=tomorrow)
    out = StringIO()
    call_command("refresh_shown_versions", stdout=out)
    assert "Refreshed" in out.getvalue() and "groups" in out.getvalue()

    assert listed(client, "sv") == (1, [(english.pk, "en", True)])
    with mock.patch("django.utils.timezone.now", return_value=tomorrow + datetime.timedelta(1)):
        assert listed(client, "sv") == (1, [(article.pk, "sv", False)])


def test_a_stale_table_never_lets_a_hidden_page_out(client, pair):
    """Written behind the signals' back (no refresh): the table still names the Swedish
    version, but the API applies the visibility rules to every row it hands out."""
    article, english = pair
    Page.objects.filter(pk=article.pk).update(live=False)
    _, items = listed(client, "sv")
    assert items == []
    call_command("refresh_shown_versions", stdout=StringIO())
    assert listed(client, "sv") == (1, [(english.pk, "en", True)])


def test_a_view_restriction_covers_every_version(client, pair):
    article, english = pair
    PageViewRestriction.objects.create(page=article, restriction_type="login")
    assert listed(client, "sv") == (0, [])
    assert listed(client, "en") == (0, [])
    PageViewRestriction.objects.filter(page=article).delete()
    assert listed(client, "en") == (1, [(english.pk, "en", False)])


def test_refresh_rebuilds_the_whole_table(client, pair):
    article, english = pair
    before = sorted(
        ShownVersion.objects.values_list("locale_id", "page_id", "is_fallback", "shown_until")
    )
    totals = sorted(ShownTotal.objects.values_list("locale_id", "content_type_id", "count"))
    ShownVersion.objects.all().delete()
    ShownTotal.objects.all().delete()
    assert listed(client, "sv") == (0, [])
    call_command("refresh_shown_versions", stdout=StringIO())
    after = sorted(
        ShownVersion.objects.values_list("locale_id", "page_id", "is_fallback", "shown_until")
    )
    assert after == before
    assert sorted(ShownTotal.objects.values_list("locale_id", "content_type_id", "count")) == totals
    assert listed(client, "sv") == (1, [(article.pk, "sv", False)])


def test_totals_follow_every_change_in_both_languages(client, pair, sv, en):
    """``totalCount`` of an unfiltered list comes from the kept ``ShownTotal``: it must
    equal what the list holds after each editor action, with and without fallback, also
    while a version is inside a time window (counted live)."""
    article, english = pair
    news_sv = article.get_parent()
    only_sv = [
        NewsArticlePageFactory(parent=news_sv, locale=sv, slug=f"bara-{n}") for n in range(3)
    ]
    news_en = english.get_parent()
    only_en = NewsArticlePageFactory(parent=news_en, locale=en, slug="only-english")

    def agree(expected):
        for (locale, fallback), count in expected.items():
            total, items = listed(client, locale, fallback)
            assert total == len(items) == count, (locale, fallback, total, items)

    agree({("sv", True): 5, ("sv", False): 4, ("en", True): 5, ("en", False): 2})
    only_sv[0].unpublish()
    agree({("sv", True): 4, ("sv", False): 3, ("en", True): 4, ("en", False): 2})
    Page.objects.get(pk=only_en.pk).delete()
    agree({("sv", True): 3, ("sv", False): 3, ("en", True): 3, ("en", False): 1})
    article.expire_at = timezone.now() + datetime.timedelta(minutes=1)
    publish(article)  # now a windowed row: counted live, not in ShownTotal
    agree({("sv", True): 3, ("sv", False): 3, ("en", True): 3, ("en", False): 1})
    later = timezone.now() + datetime.timedelta(minutes=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        agree({("sv", True): 3, ("sv", False): 2, ("en", True): 3, ("en", False): 1})
