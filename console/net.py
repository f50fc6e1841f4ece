"""The client's IP address, the one function every part of the console asks (login lockout, the IP whitelist
check tool, the IM REST service).

``X-Forwarded-For`` is believed only when the connection comes from a proxy listed in
``settings.TRUSTED_PROXIES`` (CIDRs). Then the header is read from the right: each hop a trusted proxy added
is skipped, and the first address not in TRUSTED_PROXIES is the client (whatever a client writes at the left
of the header itself is ignored). Without trusted proxies the header is ignored and REMOTE_ADDR is the client.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "0.0.0.0"  # noqa: S104 - what an unparseable REMOTE_ADDR is reported as (never matches a real client)


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs if cidr.strip())


def trusted_proxies() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request) -> str:
    """The address of the client that sent ``request``, as text."""
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return UNKNOWN
    networks = trusted_proxies()
    if not networks or not _trusted(remote, networks):
        return str(remote)
    forwarded = request.headers.get("X-Forwarded-For", "")
    client = remote
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _parse(hop)
        if address is None:
            break  # a malformed hop: trust nothing left of it
        client = address
        if not _trusted(address, networks):
            break
    return str(client)


def is_local(request) -> bool:
    """The request comes from this machine (after trusted proxies are peeled off)."""
    address = _parse(client_ip(request))
    return address is not None and address.is_loopback
