"""Property-style check of the privacy rule on randomly built sites.

Each seed builds a site by a random sequence of what editors and translators do: sections
nested up to three deep, articles and grant announcements in them, translations (the
English tree mirrors what was translated), aliases (of articles, of aliases, of English
translations, in the same language or as a synchronised translation), view restrictions
added and removed before or after those aliases and translations exist, and moves in and
out of private sections. Then every API answer (``page`` by id and path, ``newsArticles``
and its ``totalCount`` in both languages with and without fallback, a topic's articles,
``grants`` with ``totalCount`` and ``totalAmount``, ``search`` with its count and facets,
``suggest``, and the ``Cache-Tag`` header of each response) is compared with a plain
reference implementation of the rule below, written here again on purpose and read from the
database rows directly (never through ``cms.visibility``):

- a page with a view restriction is hidden, and so is the page it is an alias of (up the
  chain);
- a hidden page hides its subpages, every page of its translation group, and its aliases,
  until nothing more changes;
- a page is shown when it is live, not expired, not hidden, and not an alias of a page in
  another language (a synchronised stand-in for a missing translation).
"""

import datetime
import json
import random

import pytest
from wagtail.models import Page, PageViewRestriction

from cms.factories import StandardPageFactory
from news.factories import (
    GrantAnnouncementPageFactory,
    NewsArticlePageFactory,
    NewsIndexPageFactory,
    RecipientFactory,
)
from news.models import ArticleTopic, Grant, NewsArticlePage
from tests.helpers import gql, publish
from topics.factories import TopicIndexPageFactory, TopicPageFactory

pytestmark = pytest.mark.django_db

SEEDS = range(14)
WORD = "Beslutsord"  # in every article's title, so search and suggest find them all


# --- The reference rule ---------------------------------------------------------------------


def reference_hidden():
    """Ids of hidden pages, computed from the rows with nothing but sets and loops."""
    pages = {
        row["id"]: row
        for row in Page.objects.values("id", "path", "translation_key", "alias_of_id")
    }
    hidden = set(PageViewRestriction.objects.values_list("page_id", flat=True))
    frontier = list(hidden)
    while frontier:  # restricting an alias restricts what it shows
        original = pages[frontier.pop()]["alias_of_id"]
        if original is not None and original not in hidden:
            hidden.add(original)
            frontier.append(original)
    changed = True
    while changed:
        changed = False
        for pk, row in pages.items():
            if pk in hidden:
                continue
            if (
                any(row["path"].startswith(pages[h]["path"]) for h in hidden)
                or any(pages[h]["translation_key"] == row["translation_key"] for h in hidden)
                or row["alias_of_id"] in hidden
            ):
                hidden.add(pk)
                changed = True
    return hidden


def reference_shown():
    """Ids of the pages the public may see."""
    hidden = reference_hidden()
    locales = dict(Page.objects.values_list("id", "locale_id"))
    live = Page.objects.filter(live=True, expired=False).values_list("id", "alias_of_id")
    return {
        pk
        for pk, original in live
        if pk not in hidden
        # a synchronised alias in another language stands in for a missing translation
        and (original is None or locales[original] == locales[pk])
    }


def listed(shown, code, fallback, model=NewsArticlePage):
    """What a list of ``model`` pages shows to readers of ``code``: per translation group the
    shown version in ``code``, else (with fallback) the earliest-created shown version."""
    groups = {}
    for page in model.objects.filter(pk__in=shown).select_related("locale"):
        groups.setdefault(page.translation_key, []).append(page)
    result = set()
    for versions in groups.values():
        own = [p for p in versions if p.locale.language_code == code]
        if own:
            result.add(own[0].pk)
        elif fallback:
            result.add(min(p.pk for p in versions))
    return result


# --- Building a random site -------------------------------------------------------------------


class Site:
    """The random site: every page made, and what was done (for a failing seed's report)."""

    def __init__(self, rng, sv, en, home_sv, home_en):
        self.rng, self.sv, self.en = rng, sv, en
        self.homes = {"sv": home_sv, "en": home_en}
        self.sections = {"sv": [], "en": []}
        self.articles = []  # every article-like page: originals, translations, aliases
        self.log = []
        self.counter = 0
        topic_index = TopicIndexPageFactory(parent=home_sv, locale=sv)
        self.topic = TopicPageFactory(parent=topic_index, locale=sv, slug="demokrati")
        self.recipient = RecipientFactory(name="Slumpkommun", slug="slumpkommun")

    def slug(self, stem):
        self.counter += 1
        return f"{stem}-{self.counter}"

    def fresh(self, page):
        return Page.objects.get(pk=page.pk).specific

    def add_section(self):
        parent = self.rng.choice([self.homes["sv"], *self.sections["sv"]])
        parent = self.fresh(parent)
        factory = NewsIndexPageFactory if self.rng.random() < 0.5 else StandardPageFactory
        if parent.depth >= 5:
            parent = self.fresh(self.homes["sv"])
        section = factory(parent=parent, locale=self.sv, slug=self.slug("avdelning"))
        publish(section)
        self.sections["sv"].append(section)
        self.log.append(f"section {section.pk} under {parent.pk}")

    def add_article(self):
        parent = self.fresh(self.rng.choice(self.sections["sv"]))
        slug = self.slug("artikel")
        title = f"{WORD} {slug}"
        date = datetime.date(2024, 1, 1) + datetime.timedelta(days=self.counter)
        if self.rng.random() < 0.5:
            page = GrantAnnouncementPageFactory(
                parent=parent, locale=self.sv, title=title, slug=slug, date=date, total_amount=0
            )
            Grant.objects.create(
                page=page,
                locale=self.sv,
                recipient=self.recipient,
                amount=1000 * self.counter,
                year=2024,
                topic=self.topic,
            )
        else:
            page = NewsArticlePageFactory(
                parent=parent, locale=self.sv, title=title, slug=slug, date=date
            )
        ArticleTopic.objects.create(page=page, topic=self.topic, locale=self.sv)
        publish(page)
        self.articles.append(page)
        self.log.append(f"article {page.pk} under {parent.pk}")

    def translate(self):
        """An English translation of an article or section (its ancestors first), as the
        translation tools make it: same translation key, published by the translator."""
        page = self.fresh(self.rng.choice(self.articles + self.sections["sv"]))
        if page.locale_id != self.sv.pk or page.alias_of_id is not None:
            return
        chain = [a.specific for a in page.get_ancestors().filter(depth__gt=2)] + [page]
        for item in chain:
            if item.get_translation_or_none(self.en) is not None:
                continue
            translated = item.copy_for_translation(self.en)
            publish(translated)
            translated = self.fresh(translated)
            if item.pk in {a.pk for a in self.articles}:
                self.articles.append(translated)
            else:
                self.sections["en"].append(translated)
            self.log.append(f"translate {item.pk} -> {translated.pk}")

    def alias(self):
        """An alias of any article (an alias, an English translation too) in another section
        of the same language, or as a synchronised English translation."""
        page = self.fresh(self.rng.choice(self.articles))
        code = page.locale.language_code
        if self.rng.random() < 0.3 and code == "sv" and self.sections["en"]:
            parent = self.fresh(self.rng.choice(self.sections["en"]))
            if page.get_translation_or_none(self.en) is not None:
                return
            alias = page.create_alias(
                parent=parent,
                update_locale=self.en,
                update_slug=self.slug("synk"),
                reset_translation_key=False,
            )
        else:
            if not self.sections[code]:
                return
            parent = self.fresh(self.rng.choice(self.sections[code]))
            alias = page.create_alias(parent=parent, update_slug=self.slug("alias"))
        self.articles.append(self.fresh(alias))
        self.log.append(f"alias {page.pk} -> {alias.pk} under {parent.pk}")

    def restrict(self):
        pool = self.sections["sv"] + self.sections["en"] + self.articles
        page = self.fresh(self.rng.choice(pool))
        kind = self.rng.choice([PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN])
        PageViewRestriction.objects.create(
            page=page,
            restriction_type=kind,
            password="hemligt" if kind == PageViewRestriction.PASSWORD else "",
        )
        self.log.append(f"restrict {page.pk}")

    def unrestrict(self):
        restriction = PageViewRestriction.objects.order_by("?").first()
        if restriction is not None:
            self.log.append(f"unrestrict {restriction.page_id}")
            restriction.delete()

    def move(self):
        """Move an original article into another section of its language."""
        originals = [p for p in self.articles if p.alias_of_id is None]
        page = self.fresh(self.rng.choice(originals))
        code = page.locale.language_code
        targets = [s for s in self.sections[code] if s.pk != page.get_parent().pk]
        if not targets:
            return
        target = self.fresh(self.rng.choice(targets))
        page.move(target, pos="last-child")
        self.log.append(f"move {page.pk} -> {target.pk}")


def build_site(seed, sv, en, home_sv, home_en):
    rng = random.Random(seed)
    site = Site(rng, sv, en, home_sv, home_en)
    for _ in range(rng.randint(2, 4)):
        site.add_section()
    for _ in range(rng.randint(5, 8)):
        site.add_article()
    steps = [site.translate] * 6 + [site.alias] * 6 + [site.restrict] * 3 + [site.move] * 2
    steps += [site.unrestrict, site.add_article, site.add_section]
    for _ in range(rng.randint(14, 22)):
        rng.choice(steps)()
    if not PageViewRestriction.objects.exists():
        site.restrict()
    return site


# --- Comparing the API with the reference -------------------------------------------------------


def call(client, query, **variables):
    response = gql(client, query, variables)
    body = json.loads(response.content)
    assert response.status_code == 200, body
    assert "errors" not in body, body["errors"]
    return body["data"], response


def frontend_path(page):
    return f"/{page.locale.language_code}/{page.url_path.split('/', 2)[2]}"


LISTS = f"""
query($locale: String!, $fallback: Boolean!) {{
  newsArticles(locale: $locale, fallback: $fallback, limit: 100) {{ totalCount items {{ id }} }}
  topics(locale: $locale) {{ articles(limit: 100) {{ totalCount items {{ id }} }} }}
  grants(locale: $locale, fallback: $fallback, limit: 100) {{
    totalCount totalAmount items {{ amount announcement {{ id }} }}
  }}
  search(query: "{WORD}", locale: $locale, fallback: $fallback, limit: 100) {{
    totalCount items {{ page {{ id }} }} facets {{ types {{ value count }} }}
  }}
}}
"""

SUGGEST = f"""
query($locale: String!) {{ suggest(prefix: "{WORD[:5]}", locale: $locale, limit: 20) {{ title }} }}
"""

PAGE = """
query($id: ID!, $path: String!, $locale: String!) {
  byId: page(id: $id, locale: $locale) { id }
  byPath: page(path: $path) { id }
}
"""


def assert_no_hidden_tags(response, hidden, label):
    header = response.headers.get("Cache-Tag", "")
    leaked = {f"p{pk}" for pk in hidden} & set(header.split(","))
    assert not leaked, f"{label}: Cache-Tag names hidden pages {sorted(leaked)}"


@pytest.mark.parametrize("seed", SEEDS)
def test_every_answer_follows_the_privacy_rule(client, seed, sv, en, home_sv, home_en, settings):
    settings.CMS_CACHE = {"ENABLED": False}
    site = build_site(seed, sv, en, home_sv, home_en)
    report = f"seed {seed}: " + "; ".join(site.log)
    hidden = reference_hidden()
    shown = reference_shown()
    grants = dict(Grant.objects.values_list("page_id", "amount"))
    assert hidden, report  # every site has at least one private page

    for page in Page.objects.filter(depth__gt=1).select_related("locale"):
        code = page.locale.language_code
        data, response = call(client, PAGE, id=str(page.pk), path=frontend_path(page), locale=code)
        expected = {"id": str(page.pk)} if page.pk in shown else None
        assert data["byId"] == expected, f"page(id: {page.pk}) - {report}"
        assert data["byPath"] == expected, f"page(path: {frontend_path(page)}) - {report}"
        assert_no_hidden_tags(response, hidden, f"page {page.pk}")

    for code in ("sv", "en"):
        for fallback in (True, False):
            data, response = call(client, LISTS, locale=code, fallback=fallback)
            where = f"{code}, fallback={fallback} - {report}"
            articles = listed(shown, code, fallback)
            ids = {int(item["id"]) for item in data["newsArticles"]["items"]}
            assert ids == articles, f"newsArticles {where}"
            assert data["newsArticles"]["totalCount"] == len(articles), f"totalCount {where}"
            if fallback:
                (topic,) = data["topics"]
                ids = {int(item["id"]) for item in topic["articles"]["items"]}
                assert ids == articles, f"topic articles {where}"
                assert topic["articles"]["totalCount"] == len(articles), f"topic count {where}"
            announced = {pk for pk in articles if pk in grants}
            items = data["grants"]["items"]
            assert {int(i["announcement"]["id"]) for i in items} == announced, f"grants {where}"
            assert data["grants"]["totalCount"] == len(announced), f"grants count {where}"
            expected_sum = sum(grants[pk] for pk in announced) if announced else None
            assert data["grants"]["totalAmount"] == expected_sum, f"totalAmount {where}"
            search = data["search"]
            ids = {int(item["page"]["id"]) for item in search["items"]}
            assert ids == articles, f"search {where}"
            assert search["totalCount"] == len(articles), f"search count {where}"
            facet_total = sum(f["count"] for f in search["facets"]["types"])
            assert facet_total == len(articles), f"search facets {where}"
            assert_no_hidden_tags(response, hidden, f"lists {where}")

        data, response = call(client, SUGGEST, locale=code)
        titles = {item["title"] for item in data["suggest"]}
        allowed = set(Page.objects.filter(pk__in=shown).values_list("title", flat=True))
        secret = set(Page.objects.filter(pk__in=hidden).values_list("title", flat=True))
        assert titles <= allowed, f"suggest {code} - {report}"
        assert not (titles & (secret - allowed)), f"suggest {code} - {report}"
        assert_no_hidden_tags(response, hidden, f"suggest {code}")
