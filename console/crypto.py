"""Encryption of secrets at rest with MultiFernet; keys come from settings.FIELD_ENCRYPTION_KEYS.

The first key encrypts, every key decrypts. To rotate: put a new key first, deploy, run
``manage.py rotate_encryption_keys`` (re-encrypts every stored value under the first key), then drop the old key.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class DecryptionError(ImproperlyConfigured):
    """A stored value is not a token any configured key can open (wrong keys, or the value was tampered with)."""


@lru_cache(maxsize=8)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: secrets cannot be encrypted.")
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key))
        except (ValueError, TypeError) as exc:
            # Never echo the key itself into logs or error pages.
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS entry {position} is not a Fernet key (32 url-safe base64-encoded bytes; "
                "make one with `python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key())'`)."
            ) from exc
    return MultiFernet(fernets)


def _configured_keys() -> tuple[str, ...]:
    keys = settings.FIELD_ENCRYPTION_KEYS
    if isinstance(keys, str | bytes):
        keys = [keys]
    normalised = []
    for key in keys:
        if isinstance(key, bytes):
            key = key.decode("ascii")
        key = key.strip()
        if key:
            normalised.append(key)
    return tuple(normalised)


def fernet() -> MultiFernet:
    """The MultiFernet for the keys configured now (settings can change in tests; the cache keys on them)."""
    return _fernet_for(_configured_keys())


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise DecryptionError("A stored secret cannot be decrypted with FIELD_ENCRYPTION_KEYS.") from exc


def rotate(token: str) -> str:
    """Re-encrypt a token under the first (newest) key; raises DecryptionError if no key opens it."""
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise DecryptionError("A stored secret cannot be decrypted with FIELD_ENCRYPTION_KEYS.") from exc


MASK = "•" * 8


def mask(secret: str, *, visible: int = 4) -> str:
    """The one way a stored secret is shown back (Client Secret, callback secrets, push credentials): only the
    last few characters, e.g. ``••••••••3f9a``, and only when that leaves most of it hidden."""
    if not secret:
        return ""
    tail = secret[-visible:] if len(secret) >= visible * 3 else ""
    return MASK + tail
