"""System checks of the console's own settings: ``manage.py check`` (and so ``check --deploy``) fails on a
configuration that would break at the first secret written, or trust a forged client address."""

import ipaddress

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def check_field_encryption_keys(app_configs=None, **kwargs) -> list[Error]:
    keys = settings.FIELD_ENCRYPTION_KEYS
    keys = [keys] if isinstance(keys, str | bytes) else list(keys or [])
    keys = [key.decode("ascii", "replace") if isinstance(key, bytes) else str(key) for key in keys]
    keys = [key.strip() for key in keys if key.strip()]
    errors = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            errors.append(Error(
                f"FIELD_ENCRYPTION_KEYS entry {position} is not a Fernet key.",
                hint="Each key is 32 url-safe base64-encoded bytes: python -c \"from cryptography.fernet import "
                     "Fernet; print(Fernet.generate_key().decode())\" (the .env.example placeholder is not one).",
                id="console.E001",
            ))
    return errors


@register(Tags.security, deploy=True)
def check_field_encryption_keys_set(app_configs=None, **kwargs) -> list[Error]:
    if not settings.FIELD_ENCRYPTION_KEYS:
        return [Error("FIELD_ENCRYPTION_KEYS is empty: secrets cannot be encrypted.", id="console.E002")]
    return []


@register(Tags.security)
def check_trusted_proxies(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    for cidr in getattr(settings, "TRUSTED_PROXIES", []) or []:
        try:
            network = ipaddress.ip_network(str(cidr).strip(), strict=False)
        except ValueError:
            errors.append(Error(f"TRUSTED_PROXIES entry {cidr!r} is not an IP address or CIDR.",
                                id="console.E003"))
            continue
        if network.prefixlen == 0:
            errors.append(Error(f"TRUSTED_PROXIES entry {cidr!r} trusts every address: anyone could forge "
                                "X-Forwarded-For.", id="console.E004"))
    return errors
