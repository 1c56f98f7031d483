"""How fast the API refuses documents that are cheap to send and costly to answer.

``python bench/pricing.py`` (any database; it reads nothing): each hostile document of the
hardening issue, and generated ones up to the body-size cap, sent over Django's full request
stack; prints the median and worst time to the 400 and the time graphql-core's validation
alone would have spent on the same document (the cost the pricing step avoids). Target:
every refusal under 50 ms. The README's "Refusing expensive documents" table is this
output.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from graphql import parse, specified_rules, validate  # noqa: E402

from cms.schema import schema  # noqa: E402

ROUNDS = 15


def documents():
    words = " ".join(["kommun", "demokrati", "partnerskap"] * 4)
    yield "site { name } x1990", "{ site { " + "name " * 1990 + "} }"
    yield "site { menu { title } } x280", "{ " + "site { menu { title } } " * 280 + "}"
    yield (
        "29 aliases of nested 100-item lists",
        "{ "
        + " ".join(
            f"a{i}: newsArticles(limit: 100) {{ items {{ title translations {{ title }} "
            "topics { articles(limit: 100) { items { title } } } } }"
            for i in range(29)
        )
        + " }",
    )
    yield (
        "30 searches of 12 words",
        "{ "
        + " ".join(
            f's{i}: search(query: "{words}", limit: 100) {{ items {{ page {{ title }} }} }}'
            for i in range(30)
        )
        + " }",
    )
    fragments = ["fragment F0 on Site { name }"] + [
        f"fragment F{n} on Site {{ {f'...F{n - 1} ' * 10}}}" for n in range(1, 9)
    ]
    yield "fragments spread 10x, 8 deep", "{ site { ...F8 } } " + " ".join(fragments)


def timed(call):
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return result, statistics.median(times), max(times)


def main():
    setup_test_environment()
    client = Client()
    graphql_schema = schema.graphql_schema
    rows = []
    for name, query in documents():
        body = json.dumps({"query": query})
        response, median, worst = timed(
            lambda body=body: client.post("/graphql/", body, content_type="application/json")
        )
        assert response.status_code == 400, (name, response.content[:200])
        document = parse(query, max_tokens=100_000)
        _, validation, _ = timed(
            lambda document=document: validate(graphql_schema, document, specified_rules)
        )
        rows.append((name, median, worst, validation, len(body)))
    print("| document | bytes | refused in (median / worst) | graphql-core validation alone |")
    print("|---|---|---|---|")
    for name, median, worst, validation, size in rows:
        print(f"| {name} | {size:,} | {median:.1f} / {worst:.1f} ms | {validation:.0f} ms |")


if __name__ == "__main__":
    main()
