"""The SSRF guard: addresses are pointed at through a resolver function (no real DNS) or IP-literal URLs."""

import ipaddress

import pytest

from apps.callbacks.guard import SPECIAL_PURPOSE, TargetRefused, address_kind, check_target, parse_url

HOOK = "https://hooks.example.test/easemob"


def resolver(*addresses):
    return lambda host, port: list(addresses)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("10.0.0.1", "private"),
        ("10.255.255.255", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("::ffff:10.1.2.3", "private"),
        ("fc00::1", "private"),
        ("fd12:3456:789a::1", "private"),
        ("100.64.0.1", "shared"),
        ("100.127.255.254", "shared"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 - the address under test
        ("::", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("2002:a9fe:a9fe::", "link-local"),  # 6to4 of 169.254.169.254
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
        ("64:ff9b::7f00:1", "loopback"),  # NAT64 of 127.0.0.1
        ("198.18.0.1", "reserved"),  # benchmarking range
        ("192.0.2.10", "reserved"),  # documentation range
        ("2001:db8::1", "reserved"),
        ("192.0.0.8", "reserved"),  # passed the interpreter's flags
        ("192.0.0.100", "reserved"),
        ("fec0::1", "reserved"),
        ("3fff::1", "reserved"),
        ("::ffff:192.0.0.8", "reserved"),
        ("2002:c000:8::", "reserved"),  # 6to4 of 192.0.0.8
        ("64:ff9b::c000:8", "reserved"),  # NAT64 of 192.0.0.8
    ],
)
def test_non_public_addresses_are_refused_with_their_kind(address, kind):
    assert address_kind(ipaddress.ip_address(address)) == kind
    with pytest.raises(TargetRefused) as refused:
        check_target(HOOK, allow_private=False, resolve=resolver(address))
    assert f"resolves to {ipaddress.ip_address(address)}," in refused.value.message
    assert "Callbacks may only be sent to public addresses." in refused.value.message


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:2800:220:1:248:1893:25c8:1946",
                                     "64:ff9b::808:808", "::ffff:93.184.216.34"])
def test_public_addresses_are_allowed_and_are_the_address_to_connect_to(address):
    target = check_target(HOOK, allow_private=False, resolve=resolver(address))
    assert target.address == ipaddress.ip_address(address)
    assert (target.scheme, target.host, target.port, target.path) == ("https", "hooks.example.test", 443, "/easemob")


def _samples(network: str) -> list[str]:
    """First, middle and last address of a block."""
    block = ipaddress.ip_network(network)
    first, last = int(block.network_address), int(block.broadcast_address)
    return sorted({str(ipaddress.ip_address(value)) for value in (first, (first + last) // 2, last)})


REGISTRY_SAMPLES = sorted({(address, network) for network, _kind, _name in SPECIAL_PURPOSE
                           for address in _samples(network)})
# Addresses the registries list, named here by hand rather than read back from the table under test.
REGISTRY_NAMED = [
    "0.1.2.3", "192.0.0.1", "192.0.0.9", "192.0.0.10", "192.0.0.170", "192.0.0.171", "192.0.0.255",
    "192.31.196.1", "192.52.193.1", "192.88.99.1", "192.88.99.2", "192.175.48.1", "198.19.255.254",
    "198.51.100.7", "203.0.113.9", "255.255.255.255", "239.255.255.250", "::ffff:0:0", "::2", "::7f00:1",
    "64:ff9b:1::1", "64:ff9b:1:ffff::1", "100::1", "100:0:0:1::1", "2001::1", "2001:0:4136:e378::1",
    "2001:1::1", "2001:1::2", "2001:1::3", "2001:2::1", "2001:3::1", "2001:4:112::1", "2001:10::1",
    "2001:20::1", "2001:30::1", "2001:1ff::1", "2001:db8:ffff::1", "2620:4f:8000::1", "3fff:fff::1",
    "5f00::1", "fec0::1", "feff::1", "fe80::abcd", "fdff::1", "ff0e::1", "4000::1", "8000::1", "e000::1",
]


@pytest.mark.parametrize(("address", "network"), REGISTRY_SAMPLES)
def test_every_special_purpose_block_is_refused(address, network):
    assert address_kind(ipaddress.ip_address(address)) is not None, network
    with pytest.raises(TargetRefused):
        check_target(HOOK, allow_private=False, resolve=resolver(address))


@pytest.mark.parametrize("address", REGISTRY_NAMED)
def test_registry_addresses_named_by_hand_are_refused(address):
    with pytest.raises(TargetRefused):
        check_target(HOOK, allow_private=False, resolve=resolver(address))


@pytest.mark.parametrize("address", ["::ffff:192.88.99.1", "::ffff:198.18.0.1", "2002:c612:1::", "2002:c058:6301::",
                                     "64:ff9b::c633:6401", "64:ff9b::6440:1"])
def test_ipv4_in_mapped_6to4_and_nat64_forms_is_judged_by_the_ipv4_table(address):
    assert address_kind(ipaddress.ip_address(address)) is not None


def test_public_addresses_in_6to4_form_pass():
    assert address_kind(ipaddress.ip_address("2002:5db8:d822::")) is None  # 6to4 of 93.184.216.34


def test_one_private_record_among_public_ones_refuses_the_host():
    with pytest.raises(TargetRefused, match=r"10\.0\.0\.7"):
        check_target(HOOK, allow_private=False, resolve=resolver("93.184.216.34", "10.0.0.7"))


def test_a_host_that_does_not_resolve_is_refused():
    with pytest.raises(TargetRefused, match="could not be resolved"):
        check_target(HOOK, allow_private=False, resolve=resolver())


@pytest.mark.parametrize("url", ["http://127.0.0.1/hook", "http://[::1]:8080/hook", "http://[::ffff:127.0.0.1]/",
                                 "https://169.254.169.254/latest/meta-data/", "http://0.0.0.0:9000/",
                                 "http://10.1.2.3/", "http://100.64.1.1/", "http://[fc00::5]/"])
def test_ip_literal_urls_are_checked_without_dns(url):
    with pytest.raises(TargetRefused):
        check_target(url, allow_private=False)


def test_a_public_ip_literal_url_passes():
    target = check_target("http://93.184.216.34:8080/cb?x=1", allow_private=False)
    assert (str(target.address), target.port, target.path) == ("93.184.216.34", 8080, "/cb?x=1")
    assert target.host_header == "93.184.216.34:8080"


def test_the_development_setting_allows_private_targets_but_not_unspecified_or_multicast():
    assert str(check_target("http://127.0.0.1:8000/", allow_private=True).address) == "127.0.0.1"
    assert str(check_target(HOOK, allow_private=True, resolve=resolver("192.168.0.9")).address) == "192.168.0.9"
    for address in ("0.0.0.0", "224.0.0.1"):  # noqa: S104
        with pytest.raises(TargetRefused):
            check_target(HOOK, allow_private=True, resolve=resolver(address))


def test_the_setting_is_read_when_not_passed(settings):
    settings.CALLBACKS_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(TargetRefused):
        check_target("http://127.0.0.1/")
    settings.CALLBACKS_ALLOW_PRIVATE_TARGETS = True
    assert check_target("http://127.0.0.1/").port == 80


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Enter the URL"),
        ("ftp://example.com/x", "Use an http:// or https:// URL."),
        ("javascript:alert(1)", "Use an http:// or https:// URL."),
        ("file:///etc/passwd", "Use an http:// or https:// URL."),
        ("example.com/hook", "Use an http:// or https:// URL."),
        ("https://user:pw@example.com/", "Leave the user name and password out"),
        ("https:///path", "Enter a valid URL"),
        ("http://exa mple.com/", "spaces or control characters"),
        ("http://example.com:99999/", "Enter a valid URL"),
        ("https://" + "a" * 1030 + ".com/", "too long"),
    ],
)
def test_url_syntax_errors_say_what_is_wrong(url, message):
    with pytest.raises(TargetRefused, match=message):
        parse_url(url)


def test_host_header_keeps_a_non_default_port_and_brackets_ipv6():
    target = check_target("https://[2606:2800:220:1::1]:8443/x", allow_private=False)
    assert target.host_header == "[2606:2800:220:1::1]:8443"
    assert check_target(HOOK, allow_private=False, resolve=resolver("8.8.8.8")).host_header == "hooks.example.test"
