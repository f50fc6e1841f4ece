"""Encryption of secrets at rest with MultiFernet; keys come from settings.FIELD_ENCRYPTION_KEYS."""

import secrets
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: secrets cannot be encrypted.")
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured("A stored secret cannot be decrypted with FIELD_ENCRYPTION_KEYS.") from exc


def rotate(token: str) -> str:
    """Re-encrypt a token under the first (newest) key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


def mask(secret: str, *, visible: int = 4) -> str:
    """Show only the last few characters, e.g. ``••••••••3f9a``."""
    if not secret:
        return ""
    tail = secret[-visible:] if len(secret) > visible * 3 else ""
    return "•" * 8 + tail


def random_secret(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)
