"""One-time checkout tokens: the checkout page issues one per form, "Buy now" spends it.

The token is signed (Django's signing with its own salt) and bound to the app, so a forged token or one
taken from another app's form is refused. Its nonce becomes the order's key (``OrderKey.idempotency_key``): a second
submit of the same form finds the order the first one made.
"""

import secrets

from django.core import signing
from django.utils.translation import gettext_lazy as _

from orders.exceptions import PurchaseNotAllowed

SALT = "orders.checkout-token"
MAX_AGE_SECONDS = 24 * 3600


def checkout_token_issue(*, app) -> str:
    return signing.dumps({"app": app.pk, "nonce": secrets.token_hex(16)}, salt=SALT, compress=False)


def checkout_token_key(*, app, token: str) -> str:
    """The idempotency key a valid token stands for; PurchaseNotAllowed when forged, expired or foreign."""
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        raise PurchaseNotAllowed(
            _("This checkout form has expired or was altered. Reload the page and try again.")
        ) from None
    if not isinstance(payload, dict) or payload.get("app") != app.pk or not isinstance(payload.get("nonce"), str):
        raise PurchaseNotAllowed(_("This checkout form belongs to another app. Reload the page and try again."))
    return f"checkout:{payload['nonce']}"
