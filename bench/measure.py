"""Measure the API in-process against the database in DATABASE_URL (bench settings).

Prints one JSON object: per scenario the SQL queries per request and p50/p95 latency in
milliseconds over --iterations requests (after warm-up requests that create renditions).
Run by ``bench/run.py``; can be run alone: ``python bench/measure.py --iterations 50``.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

LISTING = """{ newsArticles(locale: "sv", limit: 20) { totalCount items {
  id title url locale isFallback intro date kind
  heroImage { credit alt caption rendition(preset: CARD) { url width height } }
  topics { title slug url } translations { locale title url } } } }"""

ARTICLE = """query($path: String!) { page(path: $path) { id title url translations { locale url }
  ... on Article { intro date heroImage { credit alt rendition(preset: HERO) { url } }
  topics { title url }
  body { id blockType ... on ParagraphBlock { html } ... on HeadingBlock { text level }
    ... on ImageBlock { image { credit alt caption rendition(preset: CONTENT) { url } } }
    ... on QuoteBlock { quote attribution } ... on FactBoxBlock { title html } } } } }"""

TOPIC = """query($path: String!) { page(path: $path) { title ... on TopicPage { intro
  articles(limit: 20) { totalCount items { title url date heroImage { credit
  rendition(preset: CARD) { url } } } } } } }"""

GRANTS = """{ grants(locale: "sv", country: "ZM", limit: 20) { totalCount totalAmount
  items { recipient { name kind } partners { name city country } amount year
  announcement { title url } } } }"""

SEARCH_DOCUMENT = """query($query: String!) { search(query: $query, locale: "sv", limit: 20) {
  totalCount items { score highlight page { title url } } facets { types { value count }
  topics { value count } years { value count } } } }"""

#: The three search cases (issue "Scale out honestly"), each run in Swedish: a selective
#: query (a grant recipient's name: about 1% of the corpus), the two words measured since
#: the first benchmark, and one common word. In the generated corpus every Swedish page
#: holds the common words, so the last two match half the corpus (every Swedish page).
SEARCH_CASES = {
    "search_selective": "Benchkommun 17",
    "search": "kommun demokrati",
    "search_broad": "demokrati",
}

REST_LISTING = (
    "/api/v2/pages/?type=news.NewsArticlePage&order=-date&limit=20&locale=sv"
    "&fields=intro,date,kind,hero_image_credit,hero_rendition,article_topics(topic),body"
)


def floor_listing(request_host="testserver"):
    """The floor of this stack: the listing's exact JSON (``data.newsArticles`` of LISTING:
    same count, items, fallbacks, topics in the reader's language, translations, hero
    renditions) built by hand from a few bulk ORM queries, with the same visibility rules
    and ``ShownVersion`` table, but none of the GraphQL machinery. ``main`` checks that it
    returns what the API returns, so the ratio compares equal work."""
    from collections import defaultdict

    from django.db.models import Exists, OuterRef
    from wagtail.models import Locale, Page, Site

    from cms.api.images import FILTERS, PRESETS
    from cms.api.lists import count_shown
    from cms.models import CustomRendition
    from cms.versions import shown_now
    from cms.visibility import restricted_roots, visible_pages
    from news.models import ArticleTopic, NewsArticlePage

    codes = dict(Locale.objects.values_list("pk", "language_code"))
    locale_id = next(pk for pk, code in codes.items() if code == "sv")
    roots = restricted_roots()
    site_roots = Site.get_site_root_paths()

    def url(page):
        code = codes[page.locale_id]
        for root in site_roots:
            if root.language_code == code and page.url_path.startswith(root.root_path):
                return f"/{code}/{page.url_path[len(root.root_path) :]}"
        return None

    total = count_shown(locale_id, True, NewsArticlePage)
    articles = list(
        visible_pages(NewsArticlePage.objects.all(), roots)
        .filter(Exists(shown_now(locale_id).filter(page_id=OuterRef("pk"))))
        .select_related("hero_image")
        .defer_streamfields()
        .order_by("-date", "-pk")[:20]
    )
    fields = ("pk", "title", "url_path", "locale_id", "translation_key", "slug")
    versions = defaultdict(list)
    for page in (
        visible_pages(
            Page.objects.filter(translation_key__in={a.translation_key for a in articles}), roots
        )
        .only(*fields)
        .order_by("locale_id")
    ):
        versions[page.translation_key].append(page)
    links = list(
        ArticleTopic.objects.filter(page_id__in=[a.pk for a in articles])
        .order_by("sort_order", "pk")
        .values_list("page_id", "topic__translation_key")
    )
    topics = defaultdict(dict)
    for topic in visible_pages(
        Page.objects.filter(translation_key__in={key for _, key in links}), roots
    ).only(*fields):
        topics[topic.translation_key][topic.locale_id] = topic
    specs = [FILTERS[spec].spec for spec in PRESETS["CARD"].specs]
    renditions = {
        r.image_id: r
        for r in CustomRendition.objects.filter(
            image_id__in={a.hero_image_id for a in articles}, filter_spec=specs[0]
        )
    }
    by_article = defaultdict(list)
    for page_id, key in links:
        version = topics[key].get(locale_id) or next(iter(topics[key].values()), None)
        if version is not None and version not in by_article[page_id]:
            by_article[page_id].append(version)
    items = []
    for article in articles:
        image, rendition = article.hero_image, renditions.get(article.hero_image_id)
        items.append(
            {
                "id": str(article.pk),
                "title": article.title,
                "url": url(article),
                "locale": codes[article.locale_id],
                "isFallback": article.locale_id != locale_id,
                "intro": article.intro,
                "date": article.date.isoformat(),
                "kind": article.kind,
                "heroImage": {
                    "credit": image.credit,
                    "alt": article.hero_alt_text or image.default_alt_text,
                    "caption": article.hero_caption,
                    "rendition": {
                        "url": f"http://{request_host}{rendition.url}",
                        "width": rendition.width,
                        "height": rendition.height,
                    },
                },
                "topics": [
                    {"title": t.title, "slug": t.slug, "url": url(t)}
                    for t in by_article[article.pk]
                ],
                "translations": [
                    {"locale": codes[t.locale_id], "title": t.title, "url": url(t)}
                    for t in versions[article.translation_key]
                    if t.pk != article.pk
                ],
            }
        )
    return json.dumps({"totalCount": total, "items": items}, ensure_ascii=False)


def sample_paths():
    from news.models import NewsArticlePage
    from topics.models import TopicPage

    article = (
        NewsArticlePage.objects.filter(live=True, locale__language_code="sv")
        .order_by("-date")
        .first()
    )
    topic = TopicPage.objects.filter(live=True, locale__language_code="sv").first()
    return article.url, topic.url


class QueryCounter:
    """Counts SQL statements (the test client resets Django's query log per request)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def figures(values, queries):
    """p50 and p95 of these timings (ms), with the statements one call made."""
    values = sorted(values)
    return {
        "queries": queries,
        "p50_ms": round(statistics.median(values), 2),
        "p95_ms": round(values[max(0, int(len(values) * 0.95) - 1)], 2),
        "samples": len(values),
    }


def timed(call, iterations):
    return interleaved({"call": call}, iterations)["call"]


def interleaved(calls, iterations, warmups=3, enough=None):
    """Time several calls in turn (a, b, c, a, b, c, ...): this machine's speed drifts
    between minutes, and ratios between paths measured minutes apart would measure the
    drift. Returns the figures of each call. ``enough(times)``, asked after each round,
    may end the timing early (a slow comparison under a time budget)."""
    counts = {}
    for name, call in calls.items():
        for _ in range(warmups):
            call()
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            call()
        counts[name] = counter.count
    times = {name: [] for name in calls}
    for _ in range(iterations):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            times[name].append((time.perf_counter() - started) * 1000)
        if enough is not None and enough(times):
            break
    return {name: figures(values, counts[name]) for name, values in times.items()}


def graphql(client, query, variables=None):
    def call():
        response = client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
        )
        assert response.status_code == 200, response.content[:500]
        assert b'"errors"' not in response.content, response.content[:500]

    return call


def our_search(text):
    """The search engine behind ``search``, called as a function: the total, the facets
    (types, topics, years), the first 20 hits ranked, and their highlights."""
    from django.test import RequestFactory

    from cms.api.context import ApiContext
    from search.query import run_search

    def call():
        context = ApiContext(RequestFactory().get("/graphql/"))
        return run_search(context, text, "sv", True, None, None, None, 20, 0)

    return call


def wagtail_search(text):
    """What a Wagtail site would run instead: Wagtail's own database search backend
    (``wagtail.search.backends.database``, PostgreSQL full text search with one
    configuration for every language), over the same live, public Swedish pages, for the
    same answer it can give: the total, the page types' counts and the first 20 pages
    ranked. It gives no topic or year facets, no highlights, no fallback to the other
    language and no per-language stemming, so it does less work than ``our_search``."""
    from wagtail.models import Locale, Page

    swedish = Locale.objects.get(language_code="sv").pk

    def call():
        results = (
            Page.objects.live().public().filter(locale_id=swedish).search(text, operator="and")
        )
        return results.count(), results.facet("content_type_id"), list(results[:20])

    return call


#: Wagtail's backend may take seconds per broad query at 100,000 pages: its timing stops
#: after this many milliseconds (at least ``MIN_SAMPLES`` calls); results say how many.
WAGTAIL_BUDGET_MS = 60_000
MIN_SAMPLES = 3


def search_engines(iterations):
    """Each search case through our engine and through Wagtail's backend, timed in turn
    (ours, theirs, ours, ...), with how many pages each finds (they differ: Wagtail's
    backend neither stems per language nor matches prefixes, indexes no grant recipients
    and has no fallback)."""
    results = {}
    for case, text in SEARCH_CASES.items():
        ours, theirs = our_search(text), wagtail_search(text)
        found = {f"engine_{case}": ours().total, f"wagtail_{case}": theirs()[0]}  # warm-ups

        def enough(times, name=f"wagtail_{case}"):
            return sum(times[name]) > WAGTAIL_BUDGET_MS and len(times[name]) >= MIN_SAMPLES

        timings = interleaved(
            {f"engine_{case}": ours, f"wagtail_{case}": theirs}, iterations, 0, enough
        )
        for name, result in timings.items():
            results[name] = {**result, "matches": found[name]}
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=50)
    args = parser.parse_args()
    client = Client()
    article_path, topic_path = sample_paths()
    scenarios = {
        "listing": (LISTING, None),
        "article": (ARTICLE, {"path": article_path}),
        "topic": (TOPIC, {"path": topic_path}),
        "grants": (GRANTS, None),
        **{case: (SEARCH_DOCUMENT, {"query": text}) for case, text in SEARCH_CASES.items()},
    }
    results = {}
    for name, (query, variables) in scenarios.items():
        with override_settings(CMS_CACHE={"ENABLED": False}):
            results[name] = timed(graphql(client, query, variables), args.iterations)
        with override_settings(CMS_CACHE={"ENABLED": True}):
            results[name + "_cached"] = timed(graphql(client, query, variables), args.iterations)
    api = json.loads(
        client.post(
            "/graphql/", data=json.dumps({"query": LISTING}), content_type="application/json"
        ).content
    )["data"]["newsArticles"]
    if json.loads(client.get("/bench/floor/").content) != api:
        raise SystemExit("The floor path does not build the listing's JSON; fix it first.")
    # The comparisons: the same listing through our API, the ORM floor (served through the
    # same Django stack, bench/urls.py) and Wagtail's REST API v2, timed in turn.
    with override_settings(CMS_CACHE={"ENABLED": False}):
        paired = interleaved(
            {
                "listing_paired": graphql(client, LISTING),
                "floor_listing": lambda: client.get("/bench/floor/"),
                "rest_v2_listing": lambda: client.get(REST_LISTING),
            },
            args.iterations,
        )
    results.update(paired)
    results["floor_listing_call"] = timed(floor_listing, args.iterations)
    results.update(search_engines(args.iterations))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
