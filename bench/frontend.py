"""The reference frontend's server time: `make bench-frontend` (figures in the README).

A fresh PostgreSQL database with the demo content, the CMS under gunicorn (production-like
settings, its response cache off, so every API answer is computed: a cold API), and the
built frontend (``next start``) against it. For an article in both languages and the news
listing it times:

- **API**: the GraphQL requests the page makes, sent to the CMS directly as the frontend
  sends them (persisted GET), one after another: the API's own latency for that page;
- **cold**: the page after a signed webhook delivery revalidated its cached answers, so
  every API request is made again;
- **warm**: the page served from the frontend's data cache.

Medians (and p95) of ``--samples`` requests each, all in one run, so the ratios hold
whatever this machine's speed is that day.
"""

import argparse
import hashlib
import hmac
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import PYTHON, database, run, start_gunicorn  # noqa: E402

FRONTEND = ROOT / "frontend"
NEXT = FRONTEND / "node_modules" / ".bin" / "next"
MANIFEST = FRONTEND / "src" / "gql" / "persisted-documents.json"
SECRET = "bench-frontend-secret"  # noqa: S105 (a local benchmark)

PAGES = {
    "article (sv)": (
        "/sv/nyheter/demokratiprojekt-beviljade-for-tio-kommuner-och-regioner/",
        [("Site", {"locale": "sv"})],
        [("Page", "path")],
    ),
    "article (en)": (
        "/en/news/democracy-projects-granted-to-ten-municipalities-and-regions/",
        [("Site", {"locale": "en"})],
        [("Page", "path")],
    ),
    "news list (sv)": (
        "/sv/nyheter/",
        [
            ("Site", {"locale": "sv"}),
            ("Topics", {"locale": "sv"}),
            ("News", {"locale": "sv", "limit": 12, "offset": 0}),
        ],
        [("Page", "path")],
    ),
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def documents():
    by_name = {}
    for key, text in json.loads(MANIFEST.read_text()).items():
        name = re.search(r"\bquery (\w+)", text).group(1)
        by_name[name] = key.removeprefix("sha256:")
    return by_name


def api_get(cms, hashes, name, variables):
    """One persisted GET as the frontend sends it; (seconds, Cache-Tag header)."""
    query = urllib.parse.urlencode(
        {
            "operationName": name,
            "variables": json.dumps(variables),
            "extensions": json.dumps(
                {"persistedQuery": {"version": 1, "sha256Hash": hashes[name]}}
            ),
        }
    )
    started = time.perf_counter()
    with urllib.request.urlopen(f"{cms}/graphql/?{query}", timeout=30) as response:  # noqa: S310
        body = json.loads(response.read())
        tags = response.headers.get("Cache-Tag", "")
    elapsed = time.perf_counter() - started
    if "errors" in body and not body.get("data"):
        raise SystemExit(f"{name}: {body['errors'][0]['message']} (run make demo first?)")
    return elapsed, tags


def fetch(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (local)
        response.read()
        status = response.status
    elapsed = time.perf_counter() - started
    if status != 200:
        raise SystemExit(f"{url}: HTTP {status}")
    return elapsed


def deliver(site, tags):
    """A webhook delivery as the CMS signs it (webhooks.dispatch.sign)."""
    body = json.dumps({"id": "bench", "event": "page.published", "cache_tags": tags}).encode()
    timestamp = str(int(time.time()))
    signature = (
        "sha256="
        + hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    )
    request = urllib.request.Request(  # noqa: S310 (local)
        f"{site}/api/revalidate/",
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-Webhook-Timestamp": timestamp,
            "X-Webhook-Signature": signature,
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        response.read()


def summary(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="keep cms_bench_frontend as it is")
    args = parser.parse_args()
    if not (NEXT.exists() and (FRONTEND / ".next" / "BUILD_ID").exists()):
        raise SystemExit("Build the frontend first: make frontend-build")
    url, existed = database(args.postgres, "cms_bench_frontend", reuse=args.reuse)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": "bench-" + "k" * 60,
        "API_CACHE": "false",
    }
    env.pop("REDIS_URL", None)
    if not existed:
        sys.stdout.write("Seeding the demo content...\n")
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env)
        run([PYTHON, "manage.py", "seed_demo", "-v0"], env, capture=True)
        run([PYTHON, "manage.py", "register_persisted_queries", str(MANIFEST)], env, capture=True)
    cms_port = free_port()
    cms = f"http://127.0.0.1:{cms_port}"
    gunicorn = start_gunicorn(env, cms_port, workers=2, cache="false")
    hashes = documents()
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    frontend_env = {**os.environ, "CMS_URL": cms, "SITE_URL": site, "CMS_WEBHOOK_SECRET": SECRET}
    server = subprocess.Popen(
        [str(NEXT), "start", "-H", "127.0.0.1", "-p", str(port)],
        cwd=FRONTEND,
        env=frontend_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                fetch(f"{site}/robots.txt")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        deliver(site, ["warm-up"])  # the first delivery of a process revalidates everything
        rows = []
        for label, (path, queries, page_queries) in PAGES.items():
            requests = queries + [
                (name, {"path": path, "locale": path[1:3]}) for name, _ in page_queries
            ]
            for _ in range(3):  # the frontend's first uses, and the CMS's own warm-up
                fetch(f"{site}{path}")
                for name, variables in requests:
                    api_get(cms, hashes, name, variables)
            api, tags = [], set()
            for _ in range(args.samples):
                total = 0.0
                for name, variables in requests:
                    elapsed, header = api_get(cms, hashes, name, variables)
                    total += elapsed
                    tags.update(tag for tag in header.split(",") if tag)
                api.append(total)
            cold = []
            for _ in range(args.samples):
                deliver(site, sorted(tags))
                cold.append(fetch(f"{site}{path}"))
            warm = [fetch(f"{site}{path}") for _ in range(args.samples)]
            (api_p50, _), (cold_p50, cold_p95), (warm_p50, warm_p95) = map(
                summary, (api, cold, warm)
            )
            rows.append(
                f"| {label} | {len(requests)} | {api_p50:.1f} | {cold_p50:.1f} / {cold_p95:.1f} "
                f"| {cold_p50 / api_p50:.2f}x | {warm_p50:.1f} / {warm_p95:.1f} |"
            )
    finally:
        server.terminate()
        server.wait(10)
        gunicorn.terminate()
        gunicorn.wait(10)
    sys.stdout.write(
        "| page | API requests | API p50 ms | frontend cold p50 / p95 ms | cold / API "
        "| frontend warm p50 / p95 ms |\n|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )


if __name__ == "__main__":
    main()
