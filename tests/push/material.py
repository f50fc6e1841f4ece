"""Push credentials made on the fly with `cryptography`: no file of secrets is committed."""

import datetime as dt
import json
from functools import lru_cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

P12_PASSWORD = "p12-export-Passw0rd"


@lru_cache(maxsize=1)
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def rsa_pem() -> str:
    return rsa_key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption()).decode("ascii")


def p12(*, expires: dt.datetime | None = None, password: str = P12_PASSWORD) -> bytes:
    """A self-signed "Apple Push Services" certificate and its key, exported as .p12 with a password."""
    key = rsa_key()
    now = dt.datetime.now(dt.UTC)
    expires = expires or now + dt.timedelta(days=365)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Apple Push Services: com.example.chat")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(min(now, expires) - dt.timedelta(days=400))
        .not_valid_after(expires)
        .sign(key, hashes.SHA256())
    )
    encryption = (serialization.BestAvailableEncryption(password.encode()) if password
                  else serialization.NoEncryption())
    return pkcs12.serialize_key_and_certificates(b"apns", key, certificate, None, encryption)


def p8(curve: ec.EllipticCurve | None = None) -> bytes:
    """An APNs token key as Apple issues it: a PEM PKCS#8 EC P-256 private key."""
    key = ec.generate_private_key(curve or ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def rsa_p8() -> bytes:
    return rsa_key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption())


def service_account(**changes) -> bytes:
    """An FCM service-account key file; ``field=None`` leaves a field out."""
    document = {
        "type": "service_account",
        "project_id": "chat-demo-2026",
        "private_key_id": "0123456789abcdef",
        "private_key": rsa_pem(),
        "client_email": "firebase-adminsdk@chat-demo-2026.iam.gserviceaccount.com",
        "client_id": "100000000000000000001",
    }
    document.update(changes)
    return json.dumps({key: value for key, value in document.items() if value is not None}).encode()
