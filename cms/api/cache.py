"""Exact response caching: each response remembers what it was made of.

While a query runs, the API records a tag (``cms.api.tags``, the one vocabulary) for every
page, image and snippet that went into the response, and one per list it consulted, since
publishing a new article changes which articles a listing shows. Responses are stored in
Django's cache (local memory, or Redis with REDIS_URL) with the value of a shared
invalidation clock at the moment the query started. Invalidating tags advances the clock,
then stamps the tags with it (after the change committed); a response is fresh only while
none of its tags carries a stamp after its start. A stamp equal to its start means the clock
was read after the tick, hence after the commit: such a response holds the change and is
kept (a listing is a hit from its second request after a publish), while one computed across
an invalidation started earlier and is never served. Tag stamps and the clock are stored
without expiry: the cache must not evict keys that have no TTL (Redis: ``maxmemory-policy
volatile-lru``; local memory: a large ``MAX_ENTRIES``).

After an outage nothing written before it is trusted blindly (``docs/caching.md``): a
process that saw the cache fail applies the pending invalidations (changes committed while
the cache was away, kept in the database) before it reads an answer again, and a clock that
went back (Redis restarted, empty or from an older snapshot, or failed over to a replica that
lost writes) makes every answer stored before stale (the ``EVERYTHING`` stamp, which every
answer is checked against besides its own tags).

The same tags go out in ``Cache-Tag`` (comma-separated) and ``Surrogate-Key`` (spaces)
headers for CDNs that purge by tag.
"""

import hashlib
import json
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from . import tags as cache_tags

logger = logging.getLogger("cms.api")


def now():
    """Seconds since the epoch, from Django's clock (so tests can move it)."""
    return timezone.now().timestamp()


def cache_settings():
    defaults = {
        "ENABLED": True,
        "ALIAS": "default",
        "TIMEOUT": 60 * 60 * 24,
        "MAX_AGE": 60,
        "S_MAXAGE": 300,
        "MAX_TAG_HEADER_BYTES": 8000,
        "MAX_ENTRY_BYTES": 1_000_000,
    }
    return {**defaults, **getattr(settings, "CMS_CACHE", {})}


def backend():
    return caches[cache_settings()["ALIAS"]]


def response_key(query, variables, operation_name, origin=""):
    payload = json.dumps([query, variables or {}, operation_name or "", origin], sort_keys=True)
    return "gql:resp:" + hashlib.sha256(payload.encode()).hexdigest()


def tag_key(tag):
    return f"gql:tag:{tag}"


CLOCK_KEY = "gql:clock"


#: The stamp of a tag whose change is under way (reserved in the editor's transaction,
#: replaced by the clock after the commit): later than every start, so no answer using the
#: tag is served or stored meanwhile, and none ever is if the final stamp cannot be written.
RESERVED = 2**62
FAILURE_LOG_INTERVAL = 60
#: A stamp every answer is checked against besides its own tags: stamping it makes every
#: answer stored before stale (a clock that went back, see ``_clock``).
EVERYTHING = "*"
#: This process's view of the cache: when it last logged a failure, whether a failure was
#: seen since the cache last answered (``down``), and the highest clock value it has read.
_last_failure = {"logged": 0.0, "down": False, "seen": 0}


class CacheUnavailable(Exception):
    """The cache did not take an invalidation; the change that needs it must not commit."""


def _failed(operation):
    """Log a cache failure with its traceback, at most once per ``FAILURE_LOG_INTERVAL``,
    and remember it: the cache is used again only after ``_recover``."""
    _last_failure["down"] = True
    moment = time.monotonic()
    if moment - _last_failure["logged"] >= FAILURE_LOG_INTERVAL:
        _last_failure["logged"] = moment
        logger.warning(
            "Response cache unavailable (%s); answering without it", operation, exc_info=True
        )


def clock():
    """The invalidation clock: a counter that every invalidation advances (atomic ``incr``
    in Redis and in local memory, so it is one clock for all app servers). None when the
    cache does not answer: the request then neither reads nor stores an answer."""
    try:
        return _clock()
    except Exception:  # noqa: BLE001 - any failure of the cache backend
        _failed("clock")
        return None


def _clock():
    _recover()
    value = backend().get(CLOCK_KEY)
    if value is None:
        backend().add(CLOCK_KEY, 1, None)
        value = backend().get(CLOCK_KEY) or 1
    if value < _last_failure["seen"]:
        # The cache lost writes this process saw made (a restart, empty or from an older
        # snapshot; a failover): tag stamps may be lost with them, so no answer stored
        # before now is trusted.
        logger.warning(
            "Response cache clock went back from %s to %s (cache restarted or lost writes); "
            "every answer stored before is now stale",
            _last_failure["seen"],
            value,
        )
        value = tick()
        backend().set(tag_key(EVERYTHING), value, None)
    _last_failure["seen"] = value
    return value


def _recover():
    """Before a process that saw the cache fail uses it again: apply the invalidations still
    pending in the database (changes committed while the cache was away), so no answer stored
    before them is served. Raises while the cache still fails."""
    if not _last_failure["down"]:
        return
    backend().get(CLOCK_KEY)  # raises while the cache is still away
    from .invalidation import flush_pending  # it imports this module

    pending = flush_pending()
    if pending:
        raise CacheUnavailable(f"{pending} invalidations still pending")
    _last_failure["down"] = False
    logger.warning("Response cache answers again; pending invalidations applied")


def mark_down():
    """The cache failed somewhere outside this module (an invalidation)."""
    _last_failure["down"] = True


def tick():
    cache = backend()
    try:
        return cache.incr(CLOCK_KEY)
    except ValueError:
        cache.add(CLOCK_KEY, 1, None)
        return cache.incr(CLOCK_KEY)


def invalidated_at(tags):
    """Clock value of each tag's last invalidation (0: never), ``EVERYTHING``'s included."""
    keys = {tag: tag_key(tag) for tag in [*tags, EVERYTHING]}
    found = backend().get_many(list(keys.values()))
    return {tag: found.get(key, 0) for tag, key in keys.items()}


def lookup(key):
    """A cached entry for this key that no invalidation has touched since it was computed;
    None also when the cache does not answer (the database answers instead)."""
    try:
        return _lookup(key)
    except Exception:  # noqa: BLE001 - any failure of the cache backend
        _failed("lookup")
        return None


def _lookup(key):
    _recover()
    entry = backend().get(key)
    if not entry:
        return None
    if entry.get("expires") is not None and entry["expires"] <= now():
        return None
    latest = invalidated_at(entry["tags"])
    if any(value > entry["started"] for value in latest.values()):
        return None
    return entry


def store(key, body, headers, tags, started, max_seconds=None):
    """Store a response computed from clock ``started`` on. If one of its tags was
    invalidated meanwhile, it is not stored: it may hold what was just changed.
    ``max_seconds`` bounds its lifetime (a page in it expires then). An answer larger than
    ``MAX_ENTRY_BYTES`` is not stored: a few variants of one huge answer would otherwise fill
    the cache (and every worker's memory with a local one)."""
    if started is None or len(body) > cache_settings()["MAX_ENTRY_BYTES"]:
        return None
    try:
        return _store(key, body, headers, tags, started, max_seconds)
    except Exception:  # noqa: BLE001 - any failure of the cache backend
        _failed("store")
        return None


def _store(key, body, headers, tags, started, max_seconds):
    latest = invalidated_at(tags)
    if any(value > started for value in latest.values()):
        return None
    timeout = cache_settings()["TIMEOUT"]
    if max_seconds is not None:
        if max_seconds < 1:
            return None
        timeout = min(timeout, int(max_seconds))
    entry = {"body": body, "headers": headers, "tags": sorted(tags), "started": started}
    if max_seconds is not None:
        entry["expires"] = now() + timeout
    backend().set(key, entry, timeout)
    return entry


def reserve(tags):
    """Before a change commits: mark its tags as changing (``RESERVED``). Raises
    ``CacheUnavailable`` when the cache does not take it, so the change is refused as a
    whole rather than committed with answers about it left in the cache."""
    tags = set(tags)
    if not tags:
        return
    try:
        backend().set_many({tag_key(tag): RESERVED for tag in tags}, None)
    except Exception as error:
        _failed("reserve")
        raise CacheUnavailable(str(error)) from error


def invalidate(tags):
    """Make every response that used any of these tags stale (and nothing else): advance
    the clock, then stamp the tags with it. Raises when the cache does not answer (the
    caller keeps the invalidation pending; see ``cms.api.invalidation``)."""
    tags = set(tags)
    if tags:
        now = tick()
        backend().set_many({tag_key(tag): now for tag in tags}, None)


def header_value(tags, separator):
    """Tags for CDN headers, cut to a size proxies accept (list tags first)."""
    limit = cache_settings()["MAX_TAG_HEADER_BYTES"]
    ordered = sorted(tags, key=lambda tag: (not cache_tags.is_list(tag), tag))
    out, size = [], 0
    for tag in ordered:
        size += len(tag) + 1
        if size > limit:
            break
        out.append(tag)
    return separator.join(out)
