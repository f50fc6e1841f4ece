"""The SSRF guard of callback targets: a URL may only point at public addresses.

``check_target`` parses the URL, resolves the host (every A/AAAA record) and refuses the whole target when any
address is loopback, private, link-local, multicast, reserved, unspecified, shared (100.64.0.0/10) or
otherwise not globally routable, including those hidden in IPv6 forms (IPv4-mapped ``::ffff:a.b.c.d``, 6to4
``2002::/16``, NAT64 ``64:ff9b::/96``, Teredo). It runs when a rule is saved and again before each send; the
sender connects to the address validated here, so a second DNS answer cannot rebind the host.

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

NAT64 = ipaddress.ip_network("64:ff9b::/96")
SHARED = ipaddress.ip_network("100.64.0.0/10")

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
    """The IPv4 address an IPv6 transition form carries, if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.teredo is not None:
        return address.teredo[1]
    return None


def address_kind(address: IPAddress) -> str | None:
    """Why the address is not a public one (a KIND_LABELS key), or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return "link-local"
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return address_kind(embedded)
    for kind, refused in (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("multicast", address.is_multicast),
        ("link-local", address.is_link_local),
        ("shared", address in SHARED),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("non-public", not address.is_global),
    ):
        if refused:
            return kind
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
