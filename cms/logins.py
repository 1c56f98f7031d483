"""Failed-login lockout (django-axes): who the client is, and what a locked-out client sees.

Both functions are plugged into django-axes from the settings (``AXES_CLIENT_IP_CALLABLE`` and
``AXES_LOCKOUT_CALLABLE``); the limits themselves are in ``cms.settings.base``.
"""

import ipaddress
import shlex
from functools import lru_cache

from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext


@lru_cache(maxsize=8)
def _networks(proxies):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(value):
    """The IP address in ``value`` (IPv4-mapped IPv6 as IPv4), or None if it is not one."""
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def _is_trusted(address, networks):
    return any(address.version == net.version and address in net for net in networks)


def client_ip_address(request):
    """The address failed logins are counted against.

    REMOTE_ADDR, unless the request comes from a proxy listed in ``TRUSTED_PROXIES``: then
    X-Forwarded-For is read from the right (where each proxy appends the address it saw),
    skipping the trusted proxies, and the first address that is not one of them is the client.
    Whatever a client writes into X-Forwarded-For itself sits to the left of that and is never
    used, so sending a different header on each attempt does not escape the address lock.
    """
    remote = _address(request.META.get("REMOTE_ADDR"))
    if remote is None:
        return None
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not _is_trusted(remote, networks):
        return str(remote)
    client = remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            break  # not written by a proxy we trust: keep the last trusted hop
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login attempt gets: HTTP 429 in the request's language (the
    admin login page's language), saying when to try again and how an administrator lifts
    the lock."""
    cool_off = get_cool_off(request)
    now = timezone.now()
    username = get_client_username(request, credentials) or ""
    ip_address = getattr(request, "axes_ip_address", None) or ""
    context = {
        # "15 minutes" / "15 minuter", "1 hour" / "1 timme": Django's own translations.
        "duration": timeuntil(now + cool_off, now),
        "reset_username_command": "python manage.py axes_reset_username "
        + (shlex.quote(username) if username else gettext("<name>")),
        "reset_ip_command": f"python manage.py axes_reset_ip {ip_address}" if ip_address else "",
    }
    response = render(
        request, "cms/login_locked.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    response["Cache-Control"] = "no-store"
    return response
