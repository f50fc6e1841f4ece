"""What counts as a whitelist entry and how it is written down (apps/ipwhitelist/networks.py)."""

import ipaddress

import pytest

from apps.ipwhitelist.networks import InvalidEntry, normalise, parse_address


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("  203.0.113.7\t", "203.0.113.7"),
        ("203.0.113.7/32", "203.0.113.7"),
        ("10.0.0.0/8", "10.0.0.0/8"),
        ("10.0.0.0/255.255.255.0", "10.0.0.0/24"),
        ("0.0.0.0/0", "0.0.0.0/0"),
        ("2001:DB8::1", "2001:db8::1"),
        ("2001:0db8:0000:0000::0001/128", "2001:db8::1"),
        ("2001:DB8::/32", "2001:db8::/32"),
        ("::/0", "::/0"),
        ("::ffff:10.0.0.1", "10.0.0.1"),
        ("::FFFF:a00:1", "10.0.0.1"),
        ("::ffff:10.0.0.0/120", "10.0.0.0/24"),
        ("::ffff:0:0/96", "0.0.0.0/0"),
        ("::fffe:0:0/95", "::fffe:0:0/95"),
    ],
)
def test_entries_are_stored_in_one_canonical_spelling(typed, stored):
    assert normalise(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("10.0.0.1/24", "host bits set for this prefix length: did you mean 10.0.0.0/24?"),
        ("2001:db8::1/32", "did you mean 2001:db8::/32?"),
        ("::ffff:10.0.0.1/120", "did you mean 10.0.0.0/24?"),
        ("", "Enter an IP address or a CIDR range."),
        ("   ", "Enter an IP address or a CIDR range."),
        ("office", "Not an IPv4 or IPv6 address or CIDR range."),
        ("256.1.1.1", "Not an IPv4 or IPv6 address or CIDR range."),
        ("1.2.3", "Not an IPv4 or IPv6 address or CIDR range."),
        ("010.0.0.1", "Not an IPv4 or IPv6 address or CIDR range."),
        ("10.0.0.0/33", "Not an IPv4 or IPv6 address or CIDR range."),
        ("10.0.0.0/-1", "Not an IPv4 or IPv6 address or CIDR range."),
        ("2001:db8::/129", "Not an IPv4 or IPv6 address or CIDR range."),
        ("2001:db8::g", "Not an IPv4 or IPv6 address or CIDR range."),
        ("１.２.３.４", "Not an IPv4 or IPv6 address or CIDR range."),
        ("10.0.0.1 /24", "Not an IPv4 or IPv6 address or CIDR range."),
        ("a\x00b", "Not an IPv4 or IPv6 address or CIDR range."),
        ("fe80::1%eth0", "zone ID"),
        ("1" * 65, "Too long to be an IP address or a CIDR range."),
    ],
)
def test_text_that_is_not_an_entry_is_refused_with_the_reason(typed, message):
    with pytest.raises(InvalidEntry) as refused:
        normalise(typed)
    assert message in str(refused.value.message)


@pytest.mark.parametrize(
    ("typed", "address"),
    [
        (" 203.0.113.7 ", ipaddress.ip_address("203.0.113.7")),
        ("2001:DB8::1", ipaddress.ip_address("2001:db8::1")),
        ("::ffff:203.0.113.7", ipaddress.ip_address("203.0.113.7")),
    ],
)
def test_an_address_to_check_is_read_like_an_entry(typed, address):
    assert parse_address(typed) == address


@pytest.mark.parametrize(
    ("typed", "message"),
    [("10.0.0.0/24", "a single address, not a range"), ("nope", "Not an IPv4 or IPv6 address."),
     ("fe80::1%1", "zone ID")],
)
def test_a_range_or_garbage_is_not_an_address_to_check(typed, message):
    with pytest.raises(InvalidEntry) as refused:
        parse_address(typed)
    assert message in str(refused.value.message)
