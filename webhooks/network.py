"""Where webhooks may be sent, and sending them there without being steered elsewhere.

One rule, checked twice:

* **on save** (``validate_webhook_url``, a validator of ``WebhookEndpoint.url``, so the admin
  form shows the reason at the field): the scheme is http or https, the URL carries no user
  name or password, and the host resolves (``socket.getaddrinfo``) only to public addresses;
* **at delivery** (``check_url`` then ``post``): the host is resolved again, every address it
  resolves to is checked again, and the connection goes to a checked address. The name is
  never resolved a second time between check and connect, so a DNS answer that changes after
  the endpoint was saved, or between the check and the connection (DNS rebinding), cannot
  reach an internal service.

Over https the TCP connection goes to the pinned address while TLS uses the host *name*: it is
sent as SNI and the certificate is verified against it (``ssl.create_default_context``), so
pinning does not weaken certificate checks. ``http.client`` never follows redirects; the
caller treats a 3xx answer as a failed delivery. Proxy variables (``HTTPS_PROXY`` ...) are not
used: a proxy would resolve the name itself, after our check.

Public means ``ipaddress``'s ``is_global`` and none of loopback, private (RFC 1918, IPv6
unique-local), shared address space (CGNAT, 100.64.0.0/10), link-local, multicast, reserved or
unspecified. An IPv6 address that embeds an IPv4 one (IPv4-mapped ``::ffff:a.b.c.d``, NAT64
``64:ff9b::/96``, 6to4 ``2002::/16``) is judged by the IPv4 address it reaches.

``settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True`` (default False) admits loopback, private,
shared and other non-global unicast addresses, for receivers on the same host or network as an
on-premise installation. Link-local addresses (169.254.0.0/16, where cloud metadata services
answer at 169.254.169.254, and fe80::/10), the AWS IPv6 metadata address, multicast,
broadcast, reserved and unspecified addresses are refused even then: no receiver lives there.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SCHEMES = {"http": 80, "https": 443}

#: Never a receiver, whatever the setting says.
ALWAYS_REFUSED = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",  # "this network": 0.0.0.0 reaches the local host
        "169.254.0.0/16",  # link-local; cloud metadata at 169.254.169.254
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and 255.255.255.255 broadcast
        "::/128",
        "fe80::/10",  # link-local
        "fec0::/10",  # deprecated site-local
        "ff00::/8",  # multicast
        "fd00:ec2::254/128",  # AWS's IPv6 metadata service (inside unique-local fc00::/7)
    )
)

#: Not public even where this Python's ``is_global`` says otherwise (older releases differ).
NOT_PUBLIC = tuple(
    ipaddress.ip_network(network)
    for network in (
        "10.0.0.0/8",
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",
        "172.16.0.0/12",
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # deprecated 6to4 relay anycast
        "192.168.0.0/16",
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "::1/128",
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments (Teredo, ORCHID ...)
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing
        "fc00::/7",  # unique-local
    )
)

NAT64 = ipaddress.ip_network("64:ff9b::/96")

PUBLIC, PRIVATE, REFUSED = "public", "private", "refused"


def embedded_ipv4(address):
    """The IPv4 address an IPv6 address leads to (mapped, NAT64, 6to4), or None."""
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def classify(address):
    """``PUBLIC``, ``PRIVATE`` (admitted by WEBHOOKS_ALLOW_PRIVATE_ADDRESSES) or ``REFUSED``."""
    address = embedded_ipv4(address) or address
    if address.is_loopback:  # before is_reserved, which covers ::/8 and so ::1
        return PRIVATE
    if (
        address.is_unspecified
        or address.is_multicast
        or address.is_link_local
        or address.is_reserved
        or any(address in network for network in ALWAYS_REFUSED)
    ):
        return REFUSED
    if (
        address.is_global
        and not address.is_private
        and not any(address in network for network in NOT_PUBLIC)
    ):
        return PUBLIC
    return PRIVATE


def allow_private_addresses():
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False))


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (``addresses``, in resolver order) and what to ask."""

    scheme: str
    host: str  # ASCII (IDNA) host name or IP literal, without brackets
    port: int
    path: str  # path and query, as sent in the request line
    addresses: tuple


def parse(url):
    """Scheme, host, port and request path of ``url``; ValidationError if it is not usable."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValidationError(_("Enter a valid URL."), code="invalid") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise ValidationError(
            _("Only http:// and https:// URLs can receive webhooks."), code="scheme"
        )
    if parts.username is not None or parts.password is not None:
        raise ValidationError(
            _("A webhook URL cannot contain a user name or password."), code="credentials"
        )
    host = parts.hostname
    if not host:
        raise ValidationError(_("Enter a valid URL."), code="invalid")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise ValidationError(_("Enter a valid URL."), code="invalid") from None
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return scheme, host, port or SCHEMES[scheme], path


def resolve(host, port):
    """Every address ``host`` resolves to, in the resolver's order, without duplicates."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        infos = []
    addresses = []
    for family, _type, _proto, _name, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = ipaddress.ip_address(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise ValidationError(
            _("The host name %(host)s could not be resolved."),
            code="unresolved",
            params={"host": host},
        )
    return tuple(addresses)


def check_url(url):
    """Parse, resolve and check ``url``; the ``Target`` to connect to, or ValidationError.

    Every resolved address must pass: one internal address among public ones refuses the URL
    (a resolver may answer in any order, and we connect to the first that answers).
    """
    scheme, host, port, path = parse(url)
    addresses = resolve(host, port)
    allow_private = allow_private_addresses()
    for address in addresses:
        verdict = classify(address)
        if verdict == REFUSED:
            raise ValidationError(
                _(
                    "Webhooks are never sent to %(address)s (the address of %(host)s): "
                    "link-local, multicast, broadcast, reserved and unspecified addresses, "
                    "such as a cloud metadata service, are always refused."
                ),
                code="refused_address",
                params={"host": host, "address": address},
            )
        if verdict == PRIVATE and not allow_private:
            raise ValidationError(
                _(
                    "Webhooks can only be sent to public addresses: %(host)s resolves to "
                    "%(address)s, a loopback, private or otherwise internal address. To send "
                    "to receivers in your own network, an administrator can set "
                    "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES."
                ),
                code="private_address",
                params={"host": host, "address": address},
            )
    return Target(scheme=scheme, host=host, port=port, path=path, addresses=addresses)


def validate_webhook_url(value):
    """Model field validator: the URL must be one ``check_url`` accepts today."""
    check_url(value)


# --- Sending to the checked address ---------------------------------------------------------


def tls_context():
    """Certificates verified against the system's trust store, and the host name checked."""
    return ssl.create_default_context()


def connect_pinned(addresses, port, timeout):
    """A TCP connection to the first of ``addresses`` that answers; no name resolution."""
    error = None
    for address in addresses:
        family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect((str(address), port))
        except OSError as exc:
            sock.close()
            error = exc
            continue
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock
    raise error


class PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to ``target.host`` (in the Host header) at one of ``target.addresses``."""

    def __init__(self, target, timeout):
        super().__init__(target.host, target.port, timeout=timeout)
        self.addresses = target.addresses

    def connect(self):
        self.sock = connect_pinned(self.addresses, self.port, self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS as above; SNI and certificate verification use the host name, not the address."""

    def __init__(self, target, timeout):
        self.pinned_context = tls_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self.pinned_context)
        self.addresses = target.addresses

    def connect(self):
        sock = connect_pinned(self.addresses, self.port, self.timeout)
        try:
            self.sock = self.pinned_context.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


@dataclass(frozen=True)
class Response:
    status: int
    reason: str
    location: str


MAX_RESPONSE_BYTES = 64 * 1024


def post(target, body, headers, timeout):
    """POST ``body`` to a checked ``Target``; the answer's status (redirects not followed).

    Raises OSError (connection, TLS, timeout) or ``http.client.HTTPException``.
    """
    connection_class = PinnedHTTPSConnection if target.scheme == "https" else PinnedHTTPConnection
    connection = connection_class(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(MAX_RESPONSE_BYTES)  # the answer's body is not used
        return Response(
            status=response.status,
            reason=response.reason or "",
            location=response.getheader("Location", "") or "",
        )
    finally:
        connection.close()
