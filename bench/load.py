"""Throughput over HTTP against gunicorn on 127.0.0.1, and the reliability run.

``throughput(url_paths, clients, seconds)``: requests per second with concurrent keep-alive
clients (threads; the server, not this process, is the bottleneck at these rates).
``reliability(...)``: 32 clients for 30 s of mixed queries, round-robin over several app
servers, while an editor changes a page; counts 5xx responses and stale responses (an answer
that a change which had already returned replaced) per server.
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


def reliability(ports, paths, probe_path, step, read, clients=32, seconds=30.0, every=1.0):
    """Readers on every port in turn (round-robin, one keep-alive connection per port and
    client) while an editor changes a page every ``every`` seconds.

    ``step(n)`` returns ``(expected, run)``: what the probe (``probe_path``, parsed by
    ``read(body)``) must answer once ``run()`` has returned, and the change itself. A probe
    sent after change n returned is stale unless it answers what change n or a later one
    made (a later one may land while the probe is in flight). Counts per port: requests,
    5xx, probes, stale."""
    states = []  # expected probe answers, in order; a change's is recorded before it runs
    done = {"index": -1, "changes": 0}  # the last change that returned
    counts = {port: {"requests": 0, "errors_5xx": 0, "probes": 0, "stale": 0} for port in ports}
    stale_examples = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def editor():
        n = 0
        due = time.monotonic()
        while time.monotonic() < stop - 1:
            n += 1
            expected, run = step(n)
            with lock:
                states.append(expected)
            run()  # committed, its invalidation applied, when this returns
            with lock:
                done["index"] = len(states) - 1
                done["changes"] = n
            due += every  # one change a second, however long each takes
            time.sleep(max(0.0, due - time.monotonic()))

    def reader(index):
        connections = {
            port: http.client.HTTPConnection("127.0.0.1", port, timeout=30) for port in ports
        }
        i = index
        while time.monotonic() < stop:
            port = ports[i % len(ports)]
            probe = (i // len(ports)) % 4 == 0
            with lock:
                before = done["index"]
            status, body = get(connections[port], probe_path if probe else paths[i % len(paths)])
            i += 1
            with lock:
                counts[port]["requests"] += 1
                if status >= 500:
                    counts[port]["errors_5xx"] += 1
                if not probe or before < 0:
                    continue
                counts[port]["probes"] += 1
                allowed = states[before:]
            seen = read(body) if status == 200 else ("HTTP", status)
            if seen not in allowed:
                with lock:
                    counts[port]["stale"] += 1
                    if len(stale_examples) < 5:
                        stale_examples.append({"port": port, "seen": seen, "allowed": allowed})
        for connection in connections.values():
            connection.close()

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(clients)]
    threads.append(threading.Thread(target=editor))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = {
        key: sum(count[key] for count in counts.values())
        for key in ("requests", "errors_5xx", "probes", "stale")
    }
    return {
        **total,
        "changes": done["changes"],
        "per_instance": {str(port): count for port, count in counts.items()},
        "stale_examples": stale_examples,
    }
