"""The SSRF guard of callback targets: a URL may only point at public addresses.

``check_target`` parses the URL, resolves the host (every A/AAAA record) and refuses the whole target when any
address is loopback, private, link-local, multicast, reserved, unspecified, shared (100.64.0.0/10) or
in any other block of the IANA special-purpose registries (``SPECIAL_PURPOSE``), including IPv4 addresses
hidden in IPv6 forms (IPv4-mapped ``::ffff:a.b.c.d``, 6to4 ``2002::/16``, NAT64 ``64:ff9b::/96``).
It runs when a rule is saved and again before each send; the sender connects to the address validated here,
so a second DNS answer cannot rebind the host.

``settings.CALLBACKS_ALLOW_PRIVATE_TARGETS`` (local development) lifts the ban on loopback, private,
link-local, shared and reserved addresses; unspecified and multicast addresses stay refused.
"""

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]

URL_MAX_CHARS = 1024
SCHEMES = {"http": 80, "https": 443}

# Every entry of the IANA IPv4 and IPv6 Special-Purpose Address Registries (checked 2026-11), plus the
# multicast blocks and the deprecated site-local block. A table in code on purpose: the ``ipaddress`` flags of
# older interpreters miss entries (192.0.0.8, fec0::/10 and 3fff::/20 passed on 3.11). Anycast entries that the
# registry marks globally reachable (PCP, TURN, AS112, AMT) are refused too: no callback server lives there.
# (network, kind, registry name); the most specific match names the kind.
SPECIAL_PURPOSE = [
    ("0.0.0.0/8", "unspecified", '"This network"'),
    ("0.0.0.0/32", "unspecified", '"This host on this network"'),
    ("10.0.0.0/8", "private", "Private-Use"),
    ("100.64.0.0/10", "shared", "Shared Address Space"),
    ("127.0.0.0/8", "loopback", "Loopback"),
    ("169.254.0.0/16", "link-local", "Link Local"),
    ("172.16.0.0/12", "private", "Private-Use"),
    ("192.0.0.0/24", "reserved", "IETF Protocol Assignments"),
    ("192.0.0.0/29", "reserved", "IPv4 Service Continuity Prefix"),
    ("192.0.0.8/32", "reserved", "IPv4 dummy address"),
    ("192.0.0.9/32", "reserved", "Port Control Protocol Anycast"),
    ("192.0.0.10/32", "reserved", "Traversal Using Relays around NAT Anycast"),
    ("192.0.0.170/32", "reserved", "NAT64/DNS64 Discovery"),
    ("192.0.0.171/32", "reserved", "NAT64/DNS64 Discovery"),
    ("192.0.2.0/24", "reserved", "Documentation (TEST-NET-1)"),
    ("192.31.196.0/24", "reserved", "AS112-v4"),
    ("192.52.193.0/24", "reserved", "AMT"),
    ("192.88.99.0/24", "reserved", "Deprecated (6to4 Relay Anycast)"),
    ("192.88.99.2/32", "reserved", "6a44-relay anycast address"),
    ("192.168.0.0/16", "private", "Private-Use"),
    ("192.175.48.0/24", "reserved", "Direct Delegation AS112 Service"),
    ("198.18.0.0/15", "reserved", "Benchmarking"),
    ("198.51.100.0/24", "reserved", "Documentation (TEST-NET-2)"),
    ("203.0.113.0/24", "reserved", "Documentation (TEST-NET-3)"),
    ("224.0.0.0/4", "multicast", "Multicast"),
    ("240.0.0.0/4", "reserved", "Reserved"),
    ("255.255.255.255/32", "reserved", "Limited Broadcast"),
    ("::/128", "unspecified", "Unspecified Address"),
    ("::1/128", "loopback", "Loopback Address"),
    ("::/96", "reserved", "IPv4-compatible (deprecated)"),
    ("64:ff9b:1::/48", "reserved", "IPv4-IPv6 Translation (local use)"),
    ("100::/64", "reserved", "Discard-Only Address Block"),
    ("100:0:0:1::/64", "reserved", "Dummy IPv6 Prefix"),
    ("2001::/23", "reserved", "IETF Protocol Assignments"),
    ("2001::/32", "reserved", "TEREDO"),
    ("2001:1::1/128", "reserved", "Port Control Protocol Anycast"),
    ("2001:1::2/128", "reserved", "Traversal Using Relays around NAT Anycast"),
    ("2001:1::3/128", "reserved", "DNS-SD Service Registration Protocol Anycast"),
    ("2001:2::/48", "reserved", "Benchmarking"),
    ("2001:3::/32", "reserved", "AMT"),
    ("2001:4:112::/48", "reserved", "AS112-v6"),
    ("2001:10::/28", "reserved", "Deprecated (previously ORCHID)"),
    ("2001:20::/28", "reserved", "ORCHIDv2"),
    ("2001:30::/28", "reserved", "Drone Remote ID Protocol Entity Tags"),
    ("2001:db8::/32", "reserved", "Documentation"),
    ("2620:4f:8000::/48", "reserved", "Direct Delegation AS112 Service"),
    ("3fff::/20", "reserved", "Documentation"),
    ("5f00::/16", "reserved", "Segment Routing (SRv6) SIDs"),
    ("fc00::/7", "private", "Unique-Local"),
    ("fe80::/10", "link-local", "Link-Local Unicast"),
    ("fec0::/10", "reserved", "Site-Local (deprecated)"),
    ("ff00::/8", "multicast", "Multicast"),
]
SPECIAL_NETWORKS = sorted(
    ((ipaddress.ip_network(network), kind) for network, kind, _name in SPECIAL_PURPOSE),
    key=lambda entry: -entry[0].prefixlen,
)
# IPv6 forms that carry an IPv4 address: judged by that address (a NAT64 prefix is how a DNS64 resolver
# hands an IPv6-only host a public IPv4 server, so the well-known prefix is not refused as such).
IPV4_MAPPED = ipaddress.ip_network("::ffff:0:0/96")
SIXTOFOUR = ipaddress.ip_network("2002::/16")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Outside 2000::/3 no IPv6 unicast address is allocated (IANA IPv6 Address Space): anything left is reserved.
GLOBAL_UNICAST_V6 = ipaddress.ip_network("2000::/3")

KIND_LABELS = {
    "loopback": gettext_lazy("loopback"),
    "private": gettext_lazy("private"),
    "link-local": gettext_lazy("link-local"),
    "multicast": gettext_lazy("multicast"),
    "reserved": gettext_lazy("reserved"),
    "unspecified": gettext_lazy("unspecified"),
    "shared": gettext_lazy("shared (carrier-grade NAT)"),
    "non-public": gettext_lazy("non-public"),
}
ALWAYS_REFUSED = {"unspecified", "multicast"}


class TargetRefused(Exception):
    """The URL may not be called; ``message`` says why, in the reader's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Target:
    """A checked URL: connect to ``address`` and send ``host`` as the Host header and TLS server name."""

    scheme: str
    host: str
    port: int
    path: str
    address: IPAddress

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == SCHEMES[self.scheme] else f"{host}:{self.port}"


@dataclass(frozen=True)
class ParsedURL:
    scheme: str
    host: str
    port: int
    path: str


def parse_url(url: str) -> ParsedURL:
    """Syntax only (no DNS): http or https, a host, an optional port, no user:password part."""
    url = (url or "").strip()
    if not url:
        raise TargetRefused(_("Enter the URL of your callback server."))
    if len(url) > URL_MAX_CHARS:
        raise TargetRefused(_("The URL is too long: at most %(max)d characters.") % {"max": URL_MAX_CHARS})
    if any(ord(char) < 33 or ord(char) == 127 for char in url):
        raise TargetRefused(_("The URL may not contain spaces or control characters."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetRefused(_("Enter a valid URL, such as https://example.com/easemob/callback.")) from exc
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise TargetRefused(_("Use an http:// or https:// URL."))
    if parts.username is not None or parts.password is not None:
        raise TargetRefused(_("Leave the user name and password out of the URL."))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise TargetRefused(_("Enter a valid URL, such as https://example.com/easemob/callback."))
    try:
        host.encode("idna")
    except UnicodeError as exc:
        raise TargetRefused(_("The host name %(host)s is not valid.") % {"host": host}) from exc
    if port == 0:
        raise TargetRefused(_("Enter a valid URL, such as https://example.com/easemob/callback."))
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return ParsedURL(scheme=scheme, host=host, port=port or SCHEMES[scheme], path=path)


def resolve_host(host: str, port: int) -> list[str]:
    """Every address the host resolves to (an IP literal resolves to itself without DNS)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return list(dict.fromkeys(info[4][0] for info in infos))


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, 6to4 or NAT64 address carries, if it is one."""
    if address in IPV4_MAPPED:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in SIXTOFOUR:
        return ipaddress.IPv4Address((int(address) >> 80) & 0xFFFFFFFF)
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_kind(address: IPAddress) -> str | None:
    """Why the address is not a public one (a KIND_LABELS key), or None for a public address. The table
    decides; the interpreter's flags only add refusals on top of it, never allow."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return "link-local"
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return address_kind(embedded)
    for network, kind in SPECIAL_NETWORKS:
        if address.version == network.version and address in network:
            return kind
    if isinstance(address, ipaddress.IPv6Address) and address not in GLOBAL_UNICAST_V6:
        return "reserved"
    if not address.is_global or address.is_multicast:
        return "non-public"
    return None


def check_target(url: str, *, allow_private: bool | None = None, resolve: Resolver | None = None) -> Target:
    """Parse, resolve and vet the URL; raise TargetRefused with a message for the user, or return the Target
    to connect to (its first address)."""
    parsed = parse_url(url)
    if allow_private is None:
        allow_private = settings.CALLBACKS_ALLOW_PRIVATE_TARGETS
    texts = (resolve or resolve_host)(parsed.host, parsed.port)
    addresses = []
    for text in texts:
        try:
            addresses.append(ipaddress.ip_address(text))
        except ValueError:
            continue
    if not addresses:
        raise TargetRefused(
            _("The host %(host)s could not be resolved. Check the URL and that the name is in public DNS.")
            % {"host": parsed.host}
        )
    for address in addresses:
        kind = address_kind(address)
        if kind is None or (allow_private and kind not in ALWAYS_REFUSED):
            continue
        raise TargetRefused(
            _(
                "%(host)s resolves to %(address)s, a %(kind)s address. Callbacks may only be sent to public "
                "addresses."
            )
            % {"host": parsed.host, "address": address, "kind": KIND_LABELS[kind]}
        )
    return Target(scheme=parsed.scheme, host=parsed.host, port=parsed.port, path=parsed.path, address=addresses[0])
