"""The benchmark suite: `make bench` (see the README's results table, which this rewrites).

For each dataset size: a fresh PostgreSQL database, N bilingual articles, a timed search
index rebuild, in-process latency and SQL counts per scenario (cold: no response cache;
warm: cache hits), Wagtail's REST API v2 and a hand-written ORM floor for the same
listing, then throughput over HTTP against gunicorn (4 workers, Redis cache) with
concurrent clients, cold and warm, and each worker's peak memory. Optionally the
reliability run (32 clients, 30 s, an editor publishing meanwhile).
"""

import argparse
import datetime
import json
import os
import platform
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402


def run(args, env, capture=False):
    result = subprocess.run(args, cwd=ROOT, env=env, check=True, text=True, capture_output=capture)
    return result.stdout


def database(base, name, reuse=False):
    admin = base.rstrip("/") + "/postgres"
    if reuse:
        exists = subprocess.run(
            ["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if exists:
            return base.rstrip("/") + "/" + name, True
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    return base.rstrip("/") + "/" + name, False


def start_gunicorn(env, port, workers, cache):
    env = {**env, "PORT": str(port), "WEB_CONCURRENCY": str(workers), "API_CACHE": cache}
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "cms.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def peak_memory_mb(master):
    """Largest VmHWM (peak resident set) among the master's workers, in MB."""
    peak = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master.pid}$", text, re.M):
            match = re.search(r"^VmHWM:\s+(\d+) kB", text, re.M)
            if match:
                peak = max(peak, int(match.group(1)))
    return round(peak / 1024, 1)


def http_paths(env):
    """URLs of the scenarios (paths resolved in the benchmark database)."""
    code = (
        "import django, json; django.setup(); from bench.measure import *; "
        "a, t = sample_paths(); print(json.dumps([a, t]))"
    )
    article, topic = json.loads(run([PYTHON, "-c", code], env, capture=True))
    from bench.measure import ARTICLE, GRANTS, LISTING, SEARCH_CASES, SEARCH_DOCUMENT, TOPIC

    return {
        "listing": load.graphql_path(LISTING),
        "article": load.graphql_path(ARTICLE, {"path": article}),
        "topic": load.graphql_path(TOPIC, {"path": topic}),
        "grants": load.graphql_path(GRANTS),
        "search": load.graphql_path(SEARCH_DOCUMENT, {"query": SEARCH_CASES["search"]}),
    }


def wagtail_index_built(url):
    """Whether Wagtail's search index of this database holds every article already."""
    sql = (
        "SELECT (SELECT COUNT(*) FROM wagtailsearch_indexentry) >= "
        "(SELECT COUNT(*) FROM news_newsarticlepage)"
    )
    result = subprocess.run(["psql", url, "-tAc", sql], capture_output=True, text=True)
    return result.stdout.strip() == "t"


def measure_size(size, args, base_env):
    name = f"cms_bench_{size}"
    url, reused = database(args.postgres, name, reuse=args.reuse)
    env = {**base_env, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    print(f"== {size} articles: {url}", flush=True)
    run([PYTHON, "manage.py", "migrate", "-v0"], env)
    started = time.monotonic()
    if not reused:
        run([PYTHON, "manage.py", "generate_bench_data", "--articles", str(size)], env)
    generate_s = time.monotonic() - started
    started = time.monotonic()
    run([PYTHON, "manage.py", "rebuild_search_index"], env)
    rebuild_s = time.monotonic() - started
    # Wagtail's own search index of the same pages, for the comparison (measure.py). A
    # reused database keeps the one built before (minutes at 100,000 pages; not timed).
    wagtail_index_s = None
    if not (reused and wagtail_index_built(url)):
        started = time.monotonic()
        run([PYTHON, "manage.py", "update_index", "-v0"], env)
        wagtail_index_s = round(time.monotonic() - started, 1)
    # The steady state a live database reaches with autovacuum: the rebuild rewrote every
    # search row, and plans over dead rows and stale statistics would measure the rebuild.
    subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)
    in_process = json.loads(
        run([PYTHON, "bench/measure.py", "--iterations", str(args.iterations)], env, capture=True)
    )
    paths = http_paths(env)
    http = {}
    for cache in ("false", "true"):
        run(["redis-cli", "-u", args.redis, "FLUSHDB"], env, capture=True)
        server = start_gunicorn({**env, "REDIS_URL": args.redis}, args.port, 4, cache)
        try:
            for scenario, path in paths.items():
                load.throughput(args.port, [path], clients=2, seconds=1)  # warm-up
                result = load.throughput(args.port, [path], args.clients, args.seconds)
                http[f"{scenario}_{'warm' if cache == 'true' else 'cold'}"] = result
            http[f"peak_worker_mb_{'warm' if cache == 'true' else 'cold'}"] = peak_memory_mb(server)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    return {
        "size": size,
        "generate_s": round(generate_s, 1),
        "rebuild_index_s": round(rebuild_s, 1),
        "wagtail_index_s": wagtail_index_s,
        "in_process": in_process,
        "http": http,
    }


def table(results):
    lines = [
        "| articles | scenario | SQL | p50 ms | p95 ms | cached p50 ms | req/s cold | req/s warm |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        data = result["in_process"]
        for scenario in ("listing", "article", "topic", "grants", "search"):
            cold, warm = data[scenario], data[scenario + "_cached"]
            lines.append(
                f"| {result['size']:,} | {scenario} | {cold['queries']} | {cold['p50_ms']} | "
                f"{cold['p95_ms']} | {warm['p50_ms']} | "
                f"{result['http'][scenario + '_cold']['rps']} | "
                f"{result['http'][scenario + '_warm']['rps']} |"
            )
        rest, floor = data["rest_v2_listing"], data["floor_listing"]
        lines.append(
            f"| {result['size']:,} | REST API v2 listing | {rest['queries']} | {rest['p50_ms']} | "
            f"{rest['p95_ms']} | | | |"
        )
        lines.append(
            f"| {result['size']:,} | ORM floor listing | {floor['queries']} | {floor['p50_ms']} | "
            f"{floor['p95_ms']} | | | |"
        )
        bare = data.get("floor_listing_call")
        if bare:
            lines.append(
                f"| {result['size']:,} | ORM floor, called without HTTP | {bare['queries']} | "
                f"{bare['p50_ms']} | {bare['p95_ms']} | | | |"
            )
    lines.append("")
    columns = ["articles", "index rebuild s", "listing vs floor", "REST v2 vs listing"]
    columns += ["miss vs hit", "peak worker MB"]
    lines.append("| " + " | ".join(columns) + " |")
    lines.append("|---|---|---|---|---|---|")
    for result in results:
        data = result["in_process"]
        # The ratios use the listing timed in turn with the floor and REST v2 (measure.py).
        listing = data.get("listing_paired", data["listing"])["p50_ms"]
        lines.append(
            f"| {result['size']:,} | {result['rebuild_index_s']} | "
            f"{listing / data['floor_listing']['p50_ms']:.2f}x | "
            f"{data['rest_v2_listing']['p50_ms'] / listing:.1f}x faster | "
            f"{data['listing']['p50_ms'] / max(data['listing_cached']['p50_ms'], 0.001):.0f}x | "
            f"{max(result['http']['peak_worker_mb_cold'], result['http']['peak_worker_mb_warm'])} |"
        )
    scenarios = ("listing", "article", "topic", "grants", "search")
    lines += growth(results, {scenario: scenario for scenario in scenarios}, "scenario")
    return "\n".join(lines)


def growth(results, names, heading):
    """Lines of a table of each scenario's p50 at the smallest and the largest size."""
    by_size = {result["size"]: result["in_process"] for result in results}
    if len(by_size) < 2:
        return []
    small, large = min(by_size), max(by_size)
    lines = ["", f"| {heading} | p50 ms at {small:,} | p50 ms at {large:,} | growth |"]
    lines.append("|---|---|---|---|")
    for scenario, name in names.items():
        before, after = by_size[small][scenario]["p50_ms"], by_size[large][scenario]["p50_ms"]
        lines.append(f"| {name} | {before} | {after} | {after / max(before, 0.001):.2f}x |")
    return lines


def reliability_line(reliability):
    instances = ", ".join(
        f"{port}: {count['requests']} requests, {count['errors_5xx']} 5xx, "
        f"{count['stale']} stale of {count['probes']} probes"
        for port, count in reliability["per_instance"].items()
    )
    hooks = reliability["webhooks"]
    return (
        f"Reliability: 32 clients, 30 s, round-robin over {reliability['instances']} gunicorn "
        f"instances ({reliability['workers_per_instance']} workers each) sharing PostgreSQL and "
        f"Redis, an editor publishing, restricting, lifting and unpublishing a page every second "
        f"({reliability['changes']} changes), the webhook worker running: "
        f"{reliability['requests']} requests, {reliability['errors_5xx']} 5xx, "
        f"{reliability['stale']} stale ({instances}); webhooks: {hooks['expected']} expected, "
        f"{hooks['delivered']} delivered, {hooks['duplicates']} duplicates, "
        f"{hooks['bad_signatures']} bad signatures."
    )


SEARCH_CASES = ("search_selective", "search", "search_broad")


def search_table(results):
    """The three search cases at every size: the whole GraphQL request, our search engine
    alone, and Wagtail's database backend for the same query (timed in turn with ours)."""
    from bench.measure import SEARCH_CASES as QUERIES

    lines = [
        "| articles | query | matches | API p50 ms | API p95 ms | engine p50 ms | "
        "engine p95 ms | Wagtail backend p50 ms | Wagtail backend p95 ms | Wagtail matches |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        data = result["in_process"]
        for case in SEARCH_CASES:
            api, ours, theirs = data[case], data[f"engine_{case}"], data[f"wagtail_{case}"]
            few = theirs.get("samples", 50) < 10  # stopped by its time budget (measure.py)
            runs = f" ({theirs['samples']} runs)" if few else ""
            lines.append(
                f"| {result['size']:,} | {QUERIES[case]} | {ours['matches']:,} | "
                f"{api['p50_ms']} | {api['p95_ms']} | {ours['p50_ms']} | {ours['p95_ms']} | "
                f"{theirs['p50_ms']} | {theirs['p95_ms']}{runs} | {theirs['matches']:,} |"
            )
    lines += growth(results, {case: QUERIES[case] for case in SEARCH_CASES}, "query (API)")
    index = ", ".join(
        f"{r['size']:,}: {r['rebuild_index_s']} s ours, {r['wagtail_index_s']} s Wagtail's"
        for r in results
        if r.get("wagtail_index_s") is not None
    )
    if index:
        lines.append("")
        lines.append(f"Search index builds ({index}).")
    return "\n".join(lines)


def write_readme(results, reliability):
    readme = ROOT / "README.md"
    text = readme.read_text()
    header = (
        f"Measured {datetime.date.today().isoformat()} on this project's CI machine kind "
        f"({os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}, PostgreSQL on 127.0.0.1), `make bench`."
    )
    body = header + "\n\n" + table(results) + "\n\n" + search_table(results)
    if reliability:
        body += "\n\n" + reliability_line(reliability)
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        readme.write_text(f"{before}{start}\n{body}\n{end}{after}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--postgres", default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument(
        "--redis", default=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/15")
    )
    parser.add_argument(
        "--reliability", action="store_true", help="Also run the 30 s reliability test."
    )
    parser.add_argument("--no-readme", action="store_true")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Keep existing cms_bench_<N> databases (no regenerate).",
    )
    args = parser.parse_args()
    base_env = {**os.environ, "SECRET_KEY": "bench-" + "k" * 60}
    # This process sets Django up once (bench.measure, imported for the HTTP paths); the
    # reliability run publishes through it, so it must point at the first dataset.
    os.environ.update(
        {
            "SECRET_KEY": base_env["SECRET_KEY"],
            "DATABASE_URL": args.postgres.rstrip("/") + f"/cms_bench_{args.sizes[0]}",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "REDIS_URL": args.redis,
        }
    )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    results = []
    for size in args.sizes:
        results.append(measure_size(size, args, base_env))
        (out / "latest.json").write_text(json.dumps({"results": results}, indent=1))
    reliability = None
    if args.reliability:
        from bench.reliability import main as reliability_main

        reliability = reliability_main(args, base_env)
    (out / "latest.json").write_text(
        json.dumps({"results": results, "reliability": reliability}, indent=1)
    )
    print(table(results))
    if reliability:
        print(reliability)
    if not args.no_readme:
        write_readme(results, reliability)


if __name__ == "__main__":
    main()
