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

SEARCH = """{ search(query: "kommun demokrati", locale: "sv", limit: 20) { totalCount
  items { score highlight page { title url } } facets { types { value count }
  topics { value count } years { value count } } } }"""

REST_LISTING = (
    "/api/v2/pages/?type=news.NewsArticlePage&order=-date&limit=20&locale=sv"
    "&fields=intro,date,kind,hero_image_credit,hero_rendition,article_topics(topic),body"
)


def floor_listing():
    """The floor of this stack: the same listing as JSON from a few hand-written queries."""
    from django.db.models import Prefetch

    from cms.models import CustomRendition
    from news.models import ArticleTopic, NewsArticlePage

    spec = "fill-640x360|format-webp|webpquality-80"
    articles = list(
        NewsArticlePage.objects.filter(live=True, locale__language_code="sv")
        .select_related("hero_image")
        .prefetch_related(
            Prefetch("article_topics", queryset=ArticleTopic.objects.select_related("topic")),
            Prefetch(
                "hero_image__renditions",
                queryset=CustomRendition.objects.filter(filter_spec=spec),
            ),
        )
        .order_by("-date")[:20]
    )
    items = []
    for article in articles:
        rendition = next(iter(article.hero_image.renditions.all()), None)
        items.append(
            {
                "title": article.title,
                "intro": article.intro,
                "date": article.date.isoformat(),
                "credit": article.hero_image.credit,
                "rendition": rendition.url if rendition else None,
                "topics": [
                    {"title": t.topic.title, "slug": t.topic.slug}
                    for t in article.article_topics.all()
                ],
                "body": article.body.raw_data[:],
            }
        )
    return json.dumps(items)


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


def timed(call, iterations):
    for _ in range(3):
        call()
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        call()
    times = []
    for _ in range(iterations):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "queries": counter.count,
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
    }


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
        "search": (SEARCH, None),
    }
    results = {}
    for name, (query, variables) in scenarios.items():
        with override_settings(CMS_CACHE={"ENABLED": False}):
            results[name] = timed(graphql(client, query, variables), args.iterations)
        with override_settings(CMS_CACHE={"ENABLED": True}):
            results[name + "_cached"] = timed(graphql(client, query, variables), args.iterations)
    with override_settings(CMS_CACHE={"ENABLED": False}):
        results["rest_v2_listing"] = timed(lambda: client.get(REST_LISTING), args.iterations)
    results["floor_listing"] = timed(floor_listing, args.iterations)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
