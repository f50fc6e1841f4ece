"""console.net.client_ip: X-Forwarded-For only from TRUSTED_PROXIES, read from the right; the login lockout
counts that address, so behind the TLS proxy one attacker cannot lock everyone out."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from console.net import client_ip
from tests.accounts.factories import PASSWORD, UserFactory

PROXY = "10.0.0.5"


def request(remote: str, forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], "198.51.100.7", "203.0.113.1", "198.51.100.7"),  # no trusted proxy: the header is ignored
        (["10.0.0.0/8"], "198.51.100.7", "203.0.113.1", "198.51.100.7"),  # not from the proxy: ignored
        (["10.0.0.5/32"], PROXY, "203.0.113.1", "203.0.113.1"),
        (["10.0.0.5"], PROXY, "6.6.6.6, 203.0.113.1", "203.0.113.1"),  # the client's own left part is ignored
        (["10.0.0.0/8"], PROXY, "203.0.113.1, 10.0.0.9", "203.0.113.1"),  # two trusted hops peeled
        (["10.0.0.0/8"], PROXY, "10.0.0.7, 10.0.0.9", "10.0.0.7"),  # every hop trusted: the leftmost
        (["10.0.0.0/8"], PROXY, "", PROXY),
        (["10.0.0.0/8"], PROXY, "not-an-ip, 10.0.0.9", "10.0.0.9"),  # nothing left of a malformed hop
        (["10.0.0.0/8"], PROXY, "203.0.113.1:51234", "203.0.113.1"),
        (["10.0.0.0/8", "2001:db8::/64"], "2001:db8::1", "[2001:db8:1::9]:443, 2001:db8::2", "2001:db8:1::9"),
        (["10.0.0.0/8"], PROXY, "2606:4700::1", "2606:4700::1"),
        ([], "::ffff:203.0.113.4", None, "203.0.113.4"),
        ([], "garbage", None, "0.0.0.0"),
    ],
)
def test_client_ip(settings, trusted, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    assert client_ip(request(remote, forwarded)) == expected


def _login(client, password, ip):
    return client.post(reverse("accounts:login"), {"username": "pat@example.com", "password": password},
                       REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": ip, "accept-language": "en"})


@pytest.mark.django_db
def test_behind_the_trusted_proxy_the_lockout_counts_the_real_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5/32"]
    UserFactory(email="pat@example.com")
    for _ in range(5):
        _login(Client(), "wrong", "203.0.113.66")
    assert _login(Client(), PASSWORD, "203.0.113.66").status_code == 429
    assert _login(Client(), PASSWORD, "198.51.100.20").status_code == 302  # the real user is not locked out


@pytest.mark.django_db
def test_without_trusted_proxies_a_forged_header_does_not_dodge_the_lockout(settings):
    settings.TRUSTED_PROXIES = []
    UserFactory(email="pat@example.com")
    for n in range(5):
        _login(Client(), "wrong", f"203.0.113.{n}")
    assert _login(Client(), PASSWORD, "198.51.100.20").status_code == 429
