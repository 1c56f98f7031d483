"""Reliability under load: 32 clients for 30 s against gunicorn (4 workers, Redis cache)
while an editor publishes a page every second; zero 5xx and zero stale responses expected.
Run by ``bench/run.py --reliability`` on the first dataset size."""

import os
import signal
import sys

from bench import load
from bench.run import http_paths, start_gunicorn


def main(args, base_env):
    size = args.sizes[0]
    url = args.postgres.rstrip("/") + f"/cms_bench_{size}"
    env = {
        **base_env,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "REDIS_URL": args.redis,
    }
    os.environ.update(env)
    import django

    django.setup()
    from news.models import NewsArticlePage

    page = NewsArticlePage.objects.filter(locale__language_code="sv").order_by("-date").first()
    page = page.specific
    base_title = page.title.split(" v")[0]
    probe = load.graphql_path(
        "query($path: String!) { page(path: $path) { title } }", {"path": page.url}
    )

    def publish(version):
        page.title = f"{base_title} v{version}"
        page.save_revision().publish()  # autocommit: invalidation has run when this returns

    paths = list(http_paths(env).values())
    server = start_gunicorn(env, args.port, 4, "true")
    try:
        return load.reliability(args.port, paths, probe, publish, clients=32, seconds=30.0)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit("Run through bench/run.py --reliability")
