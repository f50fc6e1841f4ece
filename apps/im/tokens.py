"""Access tokens of the REST service: signed (django.core.signing, HMAC-SHA256 with SECRET_KEY and a salt), never
stored. A token carries the app, its kind (app / user), the subject, issue and expiry times and, for app tokens,
a fingerprint of the Client Secret it was issued under: rotating the secret changes the fingerprint, so every app
token issued before is refused without any stored state. Verifying costs no query beyond loading the app (and the
IM user, for a user token)."""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

SALT = "apps.im.token"
APP = "a"
USER = "u"


@dataclass(frozen=True)
class TokenClaims:
    app_id: int
    kind: str  # APP or USER
    subject: str  # the Client ID of an app token; the IM user's uuid for a user token
    issued_at: int  # Unix seconds
    expires_at: int
    secret_fingerprint: str


class InvalidToken(Exception):
    pass


def secret_fingerprint(client_secret: str) -> str:
    """A short keyed digest of the Client Secret: changes when it is rotated, reveals nothing of it."""
    key = f"{SALT}.fingerprint.{settings.SECRET_KEY}".encode()
    return hmac.new(key, client_secret.encode(), hashlib.sha256).hexdigest()[:16]


def token_issue(claims: TokenClaims) -> str:
    payload = [claims.app_id, claims.kind, claims.subject, claims.issued_at, claims.expires_at,
               claims.secret_fingerprint]
    return "YWMt" + signing.dumps(payload, salt=SALT, compress=False)


def token_read(token: str) -> TokenClaims:
    """The claims of a token signed by this server; InvalidToken otherwise (expiry is the caller's check)."""
    if not token.startswith("YWMt"):
        raise InvalidToken("not a token of this service")
    try:
        payload = signing.loads(token[4:], salt=SALT)
        app_id, kind, subject, issued_at, expires_at, fingerprint = payload
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise InvalidToken("corrupt token") from exc
    if kind not in (APP, USER):
        raise InvalidToken("corrupt token")
    return TokenClaims(app_id=int(app_id), kind=kind, subject=str(subject), issued_at=int(issued_at),
                       expires_at=int(expires_at), secret_fingerprint=str(fingerprint))
