"""What a whitelist entry is: the text a person types turned into one canonical network, or a clear refusal.

The rules (SPEC §9, REST IP whitelist):

- An entry is an IPv4 or IPv6 address or a CIDR range (``203.0.113.7``, ``198.51.100.0/24``,
  ``2001:db8::/32``); a netmask after the slash (``10.0.0.0/255.255.255.0``) reads as its prefix length.
- Spaces around it are trimmed; anything else that Python's ``ipaddress`` does not read is refused.
- A range whose address has host bits set (``10.0.0.1/24``) is **refused**, and the message names the range it
  probably meant (``10.0.0.0/24``): silently widening it could open the API to 255 addresses nobody chose.
- A single address is stored bare, without ``/32`` or ``/128``. IPv6 is stored in its compressed lowercase
  form (``2001:DB8:0::1`` → ``2001:db8::1``).
- An IPv4-mapped IPv6 address or range (``::ffff:10.0.0.1``, ``::ffff:10.0.0.0/120``) is stored as the IPv4
  one (``10.0.0.1``, ``10.0.0.0/24``): a dual-stack server sees IPv4 clients in that form, so both spellings
  mean the same clients and count as the same entry. Checked addresses are mapped the same way.
- A zone ID (``fe80::1%eth0``) is refused: it names an interface of one host and means nothing to our servers.

So two ways of writing the same network give the same text, and the database can keep it unique.
"""

import ipaddress

from django.utils.translation import gettext_lazy as _

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# The longest canonical entry: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128" (43); longer input is not an entry.
MAX_ENTRY_CHARS = 64
IPV4_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")


class InvalidEntry(ValueError):
    """Text that is not a whitelist entry (or not an address to check); ``message`` says why, for people."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _unmapped(network: Network) -> Network:
    if network.version == 6 and network.prefixlen >= 96 and network.subnet_of(IPV4_MAPPED):
        return ipaddress.IPv4Network((int(network.network_address) & 0xFFFFFFFF, network.prefixlen - 96))
    return network


def _checked_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidEntry(_("Enter an IP address or a CIDR range."))
    if len(text) > MAX_ENTRY_CHARS:
        raise InvalidEntry(_("Too long to be an IP address or a CIDR range."))
    if "%" in text:
        raise InvalidEntry(_("Leave out the zone ID (the part after %): it only means something on one host."))
    return text


def parse_network(text: str) -> Network:
    """The network the text names, IPv4-mapped IPv6 turned into IPv4. Raises InvalidEntry."""
    text = _checked_text(text)
    try:
        return _unmapped(ipaddress.ip_network(text, strict=True))
    except ValueError:
        pass
    try:
        meant = _unmapped(ipaddress.ip_network(text, strict=False))
    except ValueError:
        raise InvalidEntry(_("Not an IPv4 or IPv6 address or CIDR range.")) from None
    raise InvalidEntry(
        _("The address has host bits set for this prefix length: did you mean %(network)s?")
        % {"network": network_text(meant)}
    )


def network_text(network: Network) -> str:
    """The stored form: a single address bare, a range as address/prefix, IPv6 compressed and lowercase."""
    if network.prefixlen == network.max_prefixlen:
        return str(network.network_address)
    return str(network)


def normalise(text: str) -> str:
    """The canonical text of an entry (``" 2001:DB8::1/128 "`` → ``"2001:db8::1"``). Raises InvalidEntry."""
    return network_text(parse_network(text))


def parse_address(text: str) -> Address:
    """One address to check against the list (no range), IPv4-mapped IPv6 as IPv4. Raises InvalidEntry."""
    text = _checked_text(text)
    if "/" in text:
        raise InvalidEntry(_("Enter a single address, not a range."))
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise InvalidEntry(_("Not an IPv4 or IPv6 address.")) from None
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def sort_key(value: int) -> str:
    """A fixed-width hex text of an address as a number: text order is numeric order, in SQLite and PostgreSQL."""
    return f"{value:032x}"
