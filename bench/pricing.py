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
from graphql import GraphQLSyntaxError, parse, specified_rules, validate  # noqa: E402

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
    # Generated, up to the body-size cap (100 KB): the worst a client can send.
    yield (
        "1,994 tokens: 166 searches",
        "{ " + 'search(query: "x", limit: 1) { totalCount } ' * 166 + "}",
    )
    yield (
        "a 99 KB comment, 600 fields",
        "# " + "x" * 99_000 + "\n{ site { " + "name " * 600 + "} }",
    )
    yield "2,001 tokens of comments", "{ site { name } }\n" + "#\n" * 2_000
    yield "50,000 fields in 100 KB", "{ site { " + "a " * 49_000 + "} }"
    yield (
        "a 99 KB string, 600 fields",
        '{ search(query: "' + "x" * 99_000 + '") { totalCount } site { ' + "name " * 600 + "} }",
    )
    yield "499 fields in 480 nested selections", "{ " + "site { " * 240 + "name " + "} " * 240 + "}"


def timed(call):
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return result, statistics.median(times), max(times)


def main():
    import logging

    logging.disable(logging.WARNING)  # one "Bad Request" line per refusal
    setup_test_environment()
    client = Client()
    graphql_schema = schema.graphql_schema
    rows = []
    for name, query in documents():
        body = json.dumps({"query": query})
        post = lambda body=body: client.post("/graphql/", body, content_type="application/json")  # noqa: E731
        post()  # warm-up: the first request of a process loads URLs and middleware
        response, median, worst = timed(post)
        assert response.status_code == 400, (name, response.content[:200])
        try:
            document = parse(query, max_tokens=100_000)
        except GraphQLSyntaxError:
            validation = None  # not a document graphql-core could parse
        else:
            _, validation, _ = timed(
                lambda document=document: validate(graphql_schema, document, specified_rules)
            )
        rows.append((name, median, worst, validation, len(body)))
    print("| document | bytes | refused in (median / worst) | graphql-core validation alone |")
    print("|---|---|---|---|")
    for name, median, worst, validation, size in rows:
        alone = "-" if validation is None else f"{validation:.0f} ms"
        print(f"| {name} | {size:,} | {median:.1f} / {worst:.1f} ms | {alone} |")


if __name__ == "__main__":
    main()
