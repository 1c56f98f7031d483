"""A per-client budget for the work the response cache cannot save.

A cached answer costs the server almost nothing, and a CDN in front answers most requests
before they arrive; what costs is a miss, and a ``search`` or ``suggest`` with varying input
is always a miss (a search ranks and counts every match: tens of milliseconds at 100,000
pages). So every client has a budget of ``RATE_LIMIT`` units per ``RATE_LIMIT_WINDOW``
seconds (``CMS_API``; defaults 600 units a minute), charged only for answers computed
afresh: one unit per request, plus ``COSTS`` for each ``search`` and ``suggest`` it asks for
(60 searches a minute, or 300 suggestions as one types, or 600 uncached pages). Over budget,
the answer is HTTP 429 with ``Retry-After`` and a GraphQL error ``RATE_LIMITED``; cached
answers, 304s and editors' own requests (preview) are never refused.

The client is its address as ``cms.logins.client_ip_address`` reads it: behind a CDN or a
load balancer, list it in ``TRUSTED_PROXIES`` so the reader's address is read from
X-Forwarded-For, or every reader shares the CDN's budget. A frontend that renders on its
server calls the API from one address for all its readers: list that address (or network)
in ``RATE_LIMIT_EXEMPT``.

The counters live in the Django cache (Redis where ``REDIS_URL`` is set, shared by every app
server; otherwise each process's memory). Fixed windows: a client can spend a budget at the
end of one window and another at the start of the next, never more. If the cache fails, the
request is served unlimited (and the failure logged): a rate limiter must not take the API
down with it.
"""

import ipaddress
import logging
import time

from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode

from cms.logins import client_ip_address

from . import cache
from .arguments import api_setting

logger = logging.getLogger("cms.api")

#: Units charged on top of the request's one unit, per root field of these names.
COSTS = {"search": 10, "suggest": 2}
PREFIX = "gql:rl:"


class RateLimited(Exception):
    def __init__(self, retry_after, budget, window):
        super().__init__("rate limited")
        self.retry_after = retry_after
        self.budget = budget
        self.window = window

    @property
    def message(self):
        return (
            f"Too many uncached requests from your address: the API computes at most "
            f"{self.budget} units of work per {self.window} seconds for one client (a search "
            f"counts {1 + COSTS['search']}, a suggestion {1 + COSTS['suggest']}, any other "
            f"uncached request 1). Try again in {self.retry_after} seconds."
        )


def cost(document, operation):
    """Units the operation costs: 1, plus ``COSTS`` for each search/suggest at its root
    (aliases and fragments included: ``{ a: search … b: search … }`` costs two searches)."""
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if definition.kind == "fragment_definition"
    }
    total, pending = 1, [operation.selection_set]
    while pending:
        selection_set = pending.pop()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += COSTS.get(selection.name.value, 0)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                # Charged per spread (validation has refused cycles, pricing the size).
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    pending.append(fragment.selection_set)
    return total


def _exempt(address):
    networks = api_setting("RATE_LIMIT_EXEMPT")
    if not networks or address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(
        ip.version == net.version and ip in net
        for net in (ipaddress.ip_network(n, strict=False) for n in networks)
    )


def charge(request, units):
    """Spend ``units`` of the client's budget, or raise ``RateLimited``."""
    budget = int(api_setting("RATE_LIMIT"))
    window = max(1, int(api_setting("RATE_LIMIT_WINDOW")))
    if budget <= 0:
        return
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return  # an editor's preview and GraphiQL session
    address = client_ip_address(request)
    if _exempt(address):
        return
    now = time.time()
    current = int(now // window)
    key = f"{PREFIX}{address}:{window}:{current}"
    try:
        counters = cache.backend()
        counters.add(key, 0, window + 5)
        spent = counters.incr(key, units)
    except Exception:  # noqa: BLE001 - a failing cache never takes the API down
        logger.warning("Rate limit not applied: the cache failed", exc_info=True)
        return
    if spent > budget:
        retry_after = max(1, int((current + 1) * window - now + 0.999))
        raise RateLimited(retry_after, budget, window)
