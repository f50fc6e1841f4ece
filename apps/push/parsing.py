"""Reading uploaded push credentials: APNs .p12 certificates and .p8 keys, FCM service-account JSON.

Each reader takes the bytes (already size-checked) and returns what the console keeps, or raises
``ValidationError`` with a message the user can act on."""

import datetime as dt
import json
import re
from dataclasses import dataclass

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_private_key, pkcs12
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from apps.push import pfx

MAX_UPLOAD_BYTES = 64 * 1024
# Key-derivation rounds a .p12 may ask for: per derivation, and over the MAC and every bag together. Keychain
# Access and OpenSSL 3 write 2,048 per derivation; 200,000 PBKDF2 rounds cost about 0.1 s here.
P12_MAX_ROUNDS = 200_000
P12_MAX_TOTAL_ROUNDS = 400_000


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file of at most 64 KB. The size the request declared is checked before anything
    is read, and at most one byte more than the limit is ever read."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 64 KB."), code="too_large")
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 64 KB."), code="too_large")
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    return data


def _looks_like_pkcs12(data: bytes) -> bool:
    """A DER PFX starts SEQUENCE { INTEGER 3, ... }: enough to tell a wrong password from a wrong file."""
    if len(data) < 8 or data[0] != 0x30:
        return False
    length_byte = data[1]
    offset = 2 + (length_byte & 0x7F if length_byte & 0x80 else 0)
    return data[offset:offset + 3] == b"\x02\x01\x03"


def check_p12_rounds(data: bytes) -> None:
    """Refuse a .p12 whose key derivations would cost more than P12_MAX_ROUNDS (each) or
    P12_MAX_TOTAL_ROUNDS (together), reading the counts from the DER before anything is derived."""
    try:
        rounds = pfx.derivation_rounds(data)
    except pfx.NotDer as exc:
        raise ValidationError(
            _("This is not a .p12 certificate. Export the push certificate from Keychain Access as .p12."),
            code="not_p12",
        ) from exc
    if rounds and (max(rounds) > P12_MAX_ROUNDS or sum(rounds) > P12_MAX_TOTAL_ROUNDS):
        raise ValidationError(
            _("This .p12 file asks for more than %(max)s key-derivation rounds, which the console does not accept. "
              "Export it again with the default settings of Keychain Access or OpenSSL."),
            code="too_many_rounds", params={"max": f"{P12_MAX_ROUNDS:,}"},
        )


def read_p12(data: bytes, password: str) -> dt.datetime:
    """Open an APNs .p12 certificate with its password; returns the certificate's expiry (UTC). The file's
    key-derivation cost is checked first."""
    check_p12_rounds(data)
    attempts = [password.encode("utf-8")] if password else [None, b""]
    loaded = None
    for attempt in attempts:
        try:
            loaded = pkcs12.load_key_and_certificates(data, attempt)
            break
        except (ValueError, TypeError, UnsupportedAlgorithm):
            continue
    if loaded is None:
        if _looks_like_pkcs12(data):
            raise ValidationError(
                _("The password does not open this .p12 certificate. Check the export password."),
                code="wrong_password",
            )
        raise ValidationError(
            _("This is not a .p12 certificate. Export the push certificate from Keychain Access as .p12."),
            code="not_p12",
        )
    key, certificate, _extra = loaded
    if certificate is None:
        raise ValidationError(_("The .p12 file holds no certificate."), code="no_certificate")
    if key is None:
        raise ValidationError(
            _("The .p12 file holds no private key. Export the certificate together with its key."), code="no_key"
        )
    return certificate.not_valid_after_utc


def read_p8(data: bytes) -> str:
    """An APNs token-auth .p8 key: a PEM EC P-256 private key. Returns the PEM text."""
    try:
        key = load_pem_private_key(data, password=None)
    except TypeError as exc:  # an encrypted key
        raise ValidationError(_("The .p8 key is encrypted; upload the key as Apple issued it."),
                              code="encrypted") from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise ValidationError(
            _("This is not a .p8 key. Upload the AuthKey_XXXXXXXXXX.p8 file from your Apple developer account."),
            code="not_p8",
        ) from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValidationError(_("The .p8 key must be an EC P-256 key, as Apple issues for APNs."), code="not_ec")
    return data.decode("ascii")


@dataclass(frozen=True)
class ServiceAccount:
    text: str
    project_id: str
    client_email: str


FCM_REQUIRED = ("type", "project_id", "private_key", "client_email")
# Google Cloud project IDs: lowercase letters, digits and hyphens, older ones domain-scoped ("example.com:chat").
PROJECT_ID = re.compile(r"[a-z0-9][a-z0-9.:-]{0,127}", re.ASCII)


def read_service_account(data: bytes) -> ServiceAccount:
    """An FCM V1 service-account JSON file, checked for the fields sending needs."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(_("This file is not JSON. Upload the service account key file from Firebase."),
                              code="not_json") from exc
    except RecursionError as exc:  # thousands of nested brackets: no key file looks like that
        raise ValidationError(_("The JSON file is nested too deeply to be a service account key."),
                              code="too_deep") from exc
    if not isinstance(document, dict):
        raise ValidationError(_("The JSON file is not a service account key."), code="not_object")
    missing = [name for name in FCM_REQUIRED if not isinstance(document.get(name), str) or not document[name]]
    if missing:
        raise ValidationError(
            _("The service account file lacks: %(fields)s."), code="missing", params={"fields": ", ".join(missing)}
        )
    if document["type"] != "service_account":
        raise ValidationError(
            _('The file\'s "type" is "%(type)s", not "service_account".'), code="wrong_type",
            params={"type": document["type"][:40]},
        )
    if not PROJECT_ID.fullmatch(document["project_id"]):
        raise ValidationError(_('The file\'s "project_id" is not a Firebase project ID.'), code="bad_project")
    try:
        load_pem_private_key(document["private_key"].encode("utf-8"), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise ValidationError(_('The file\'s "private_key" is not a PEM private key.'), code="bad_key") from exc
    try:
        validate_email(document["client_email"])
    except ValidationError as exc:
        raise ValidationError(_('The file\'s "client_email" is not an email address.'), code="bad_email") from exc
    return ServiceAccount(text=data.decode("utf-8"), project_id=document["project_id"],
                          client_email=document["client_email"])
