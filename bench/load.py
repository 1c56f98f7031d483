"""Throughput over HTTP against gunicorn on 127.0.0.1, and the reliability run.

``throughput(url_paths, clients, seconds)``: requests per second with concurrent keep-alive
clients (threads; the server, not this process, is the bottleneck at these rates).
``reliability(...)``: 32 clients for 30 s of mixed queries while an editor publishes pages;
counts 5xx responses and stale responses (an old title served after the new one's
invalidation was processed).
"""

import http.client
import json
import threading
import time
import urllib.parse


def get(connection, path):
    connection.request("GET", path, headers={"Accept": "application/json"})
    response = connection.getresponse()
    body = response.read()
    return response.status, body


def graphql_path(query, variables=None):
    params = {"query": query}
    if variables:
        params["variables"] = json.dumps(variables)
    return "/graphql/?" + urllib.parse.urlencode(params)


def throughput(port, paths, clients=8, seconds=5.0):
    counts = [0] * clients
    errors = [0] * clients
    stop = time.monotonic() + seconds

    def worker(index):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = 0
        while time.monotonic() < stop:
            status, _ = get(connection, paths[n % len(paths)])
            n += 1
            if status >= 500:
                errors[index] += 1
            counts[index] += 1
        connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "rps": round(sum(counts) / elapsed, 1),
        "requests": sum(counts),
        "errors_5xx": sum(errors),
    }


def reliability(port, paths, probe_path, publish, clients=32, seconds=30.0, publish_every=1.0):
    """``publish(n)`` publishes version n of a page and returns when its transaction has
    committed (so its invalidation has been processed); ``probe_path`` queries that page's
    title, which contains the version."""
    state = {"version": 0, "committed_at": {}}
    counts = {"requests": 0, "errors_5xx": 0, "stale": 0}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def editor():
        n = 0
        while time.monotonic() < stop - 1:
            n += 1
            publish(n)
            with lock:
                state["version"] = n
                state["committed_at"][n] = time.monotonic()
            time.sleep(publish_every)

    def reader(index):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = index
        while time.monotonic() < stop:
            probe = i % 4 == 0
            with lock:
                version_before = state["version"]
            status, body = get(connection, probe_path if probe else paths[i % len(paths)])
            i += 1
            with lock:
                counts["requests"] += 1
                if status >= 500:
                    counts["errors_5xx"] += 1
            if probe and status == 200 and version_before:
                title = json.loads(body)["data"]["page"]["title"]
                seen = int(title.rsplit(" v", 1)[1]) if " v" in title else 0
                if seen < version_before:
                    with lock:
                        counts["stale"] += 1
        connection.close()

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(clients)]
    threads.append(threading.Thread(target=editor))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts
