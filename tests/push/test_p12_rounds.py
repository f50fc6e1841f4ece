"""A .p12 that asks for too many key-derivation rounds is refused from its DER, before OpenSSL derives anything.

The hostile files are built here with a small DER writer: a real export with 10 M rounds would take seconds
to write, and the point is that reading one takes none."""

import os
import time

import pytest
from django.utils import translation

from apps.push import pfx
from apps.push.forms import VENDOR_FORMS
from apps.push.parsing import P12_MAX_ROUNDS, check_p12_rounds
from tests.push import material
from tests.push.conftest import apns_p12_submission


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + _length(len(content)) + content


def seq(*children: bytes) -> bytes:
    return tlv(0x30, b"".join(children))


def integer(n: int) -> bytes:
    return tlv(0x02, n.to_bytes(n.bit_length() // 8 + 1, "big"))


def octets(data: bytes) -> bytes:
    return tlv(0x04, data)


def explicit0(child: bytes) -> bytes:
    return tlv(0xA0, child)


def oid(dotted: str) -> bytes:
    arcs = [int(arc) for arc in dotted.split(".")]
    body = bytearray([40 * arcs[0] + arcs[1]])
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.insert(0, 0x80 | (arc & 0x7F))
            arc >>= 7
        body += bytes(chunk)
    return tlv(0x06, bytes(body))


DATA = "1.2.840.113549.1.7.1"
ENCRYPTED_DATA = "1.2.840.113549.1.7.6"
SHROUDED_KEY_BAG = "1.2.840.113549.1.12.10.1.2"
NULL = b"\x05\x00"


def pbes2(rounds: int) -> bytes:
    return seq(oid("1.2.840.113549.1.5.13"), seq(
        seq(oid("1.2.840.113549.1.5.12"), seq(octets(os.urandom(8)), integer(rounds),
                                               seq(oid("1.2.840.113549.2.9"), NULL))),
        seq(oid("2.16.840.1.101.3.4.1.42"), octets(os.urandom(16))),
    ))


def pkcs12_pbe(rounds: int) -> bytes:  # pbeWithSHAAnd3-KeyTripleDES-CBC
    return seq(oid("1.2.840.113549.1.12.1.3"), seq(octets(os.urandom(8)), integer(rounds)))


def pfx_file(*, mac_rounds: int = 2048, key_algorithm: bytes | None = None, cert_algorithm: bytes | None = None,
             ber_octets: bool = False) -> bytes:
    key_bag = seq(oid(SHROUDED_KEY_BAG), explicit0(seq(key_algorithm or pbes2(2048), octets(os.urandom(1232)))))
    safe_contents = seq(key_bag)
    encrypted_certs = seq(oid(ENCRYPTED_DATA), explicit0(seq(integer(0), seq(
        oid(DATA), cert_algorithm or pbes2(2048), tlv(0x80, os.urandom(800))))))
    auth_safe = seq(encrypted_certs, seq(oid(DATA), explicit0(octets(safe_contents))))
    if ber_octets:  # a constructed OCTET STRING of two segments with an indefinite length, as BER allows
        half = len(auth_safe) // 2
        content = b"\x24\x80" + octets(auth_safe[:half]) + octets(auth_safe[half:]) + b"\x00\x00"
    else:
        content = octets(auth_safe)
    mac_data = seq(seq(seq(oid("2.16.840.1.101.3.4.2.1"), NULL), octets(os.urandom(32))), octets(os.urandom(8)),
                   integer(mac_rounds))
    return seq(integer(3), seq(oid(DATA), explicit0(content)), mac_data)


TEN_MILLION = 10_000_000


def test_the_reader_finds_every_count_of_a_real_export():
    assert pfx.derivation_rounds(material.p12()) == [2048, 20000, 20000]


@pytest.mark.parametrize("ber", [False, True], ids=["der", "ber-segments"])
def test_the_reader_finds_the_mac_key_and_certificate_counts(ber):
    data = pfx_file(mac_rounds=3, key_algorithm=pbes2(5), cert_algorithm=pkcs12_pbe(7), ber_octets=ber)
    assert sorted(pfx.derivation_rounds(data)) == [3, 5, 7]


@pytest.mark.parametrize(
    "changes",
    [
        {"mac_rounds": TEN_MILLION, "key_algorithm": pbes2(TEN_MILLION), "cert_algorithm": pbes2(TEN_MILLION)},
        {"mac_rounds": TEN_MILLION},
        {"key_algorithm": pbes2(TEN_MILLION)},
        {"cert_algorithm": pkcs12_pbe(TEN_MILLION)},
        {"key_algorithm": pbes2(P12_MAX_ROUNDS + 1)},
        {"mac_rounds": 190_000, "key_algorithm": pbes2(190_000), "cert_algorithm": pbes2(190_000),
         "ber_octets": True},  # each under the bound, too many together
    ],
    ids=["all", "mac", "key-pbes2", "cert-pkcs12-pbe", "just-above", "sum"],
)
def test_a_p12_asking_for_too_many_rounds_is_refused_on_the_upload_field_at_once(changes):
    data, files = apns_p12_submission(p12=pfx_file(**changes))
    with translation.override("en"):
        form = VENDOR_FORMS["apns"](data, files)
        started = time.monotonic()
        assert not form.is_valid()
        elapsed = time.monotonic() - started
    assert form.errors["certificate_file"] == [
        "This .p12 file asks for more than 200,000 key-derivation rounds, which the console does not accept. "
        "Export it again with the default settings of Keychain Access or OpenSSL."]
    assert elapsed < 0.5


def test_scrypt_is_refused_whatever_its_parameters():
    scrypt = seq(oid("1.2.840.113549.1.5.13"), seq(
        seq(oid("1.3.6.1.4.1.11591.4.11"), seq(octets(b"salt"), integer(2**20), integer(8), integer(1))),
        seq(oid("2.16.840.1.101.3.4.1.42"), octets(os.urandom(16)))))
    with pytest.raises(Exception, match="key-derivation rounds"):
        check_p12_rounds(pfx_file(key_algorithm=scrypt))


@pytest.mark.parametrize("data", [b"\x30\x80" + b"\x30" * 200, b"\x30\x84\xff\xff\xff\xff", b"\x30" * 40,
                                  b"\x30\x03\x02\x01\x03", seq(integer(3), seq(*[seq()] * 30000)[:60000])])
def test_truncated_or_hostile_structures_are_not_a_p12(data):
    started = time.monotonic()
    with pytest.raises(Exception, match="not a .p12 certificate"):
        check_p12_rounds(data)
    assert time.monotonic() - started < 0.5
