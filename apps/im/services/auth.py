"""Tokens: issuing them (POST …/token) and checking the Bearer token of every other call."""

import hmac
import time
from dataclasses import dataclass

from apps.im import metering
from apps.im.errors import BadAccessToken, IllegalArgument, InvalidGrant, Unauthorized
from apps.im.models import ImUser
from apps.im.passwords import password_matches
from apps.im.selectors import service_settings_for
from apps.im.tokens import APP, USER, InvalidToken, TokenClaims, secret_fingerprint, token_issue, token_read


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int
    user: ImUser | None = None


@dataclass(frozen=True)
class Principal:
    kind: str  # tokens.APP or tokens.USER
    user: ImUser | None = None

    @property
    def is_app(self) -> bool:
        return self.kind == APP


def _ttl(app, requested) -> int:
    """The app's token validity, shortened by a positive ``ttl`` in the request (never lengthened)."""
    validity = service_settings_for(app=app).token_ttl_seconds
    if requested in (None, ""):
        return validity
    try:
        ttl = int(requested)
    except (TypeError, ValueError):
        raise IllegalArgument("ttl must be a number of seconds") from None
    if ttl <= 0:
        return validity
    return min(ttl, validity)


def _issue(app, *, kind: str, subject: str, ttl: int) -> str:
    now_ms = int(time.time() * 1000)
    return token_issue(
        TokenClaims(app_id=app.pk, kind=kind, subject=subject, issued_at=now_ms, expires_at=now_ms + ttl * 1000,
                    secret_fingerprint=secret_fingerprint(app.client_secret) if kind == APP else "")
    )


def token_for_client(*, app, client_id, client_secret, ttl=None) -> IssuedToken:
    """client_credentials: an app token for the app's Client ID and Secret (compared in constant time)."""
    if not isinstance(client_id, str) or not hmac.compare_digest(client_id.encode(), app.client_id.encode()):
        raise InvalidGrant("client_id does not match")
    if not isinstance(client_secret, str) or not hmac.compare_digest(
        client_secret.encode(), app.client_secret.encode()
    ):
        raise InvalidGrant("client_secret does not match")
    seconds = _ttl(app, ttl)
    return IssuedToken(access_token=_issue(app, kind=APP, subject=app.client_id, ttl=seconds), expires_in=seconds)


def token_for_user(*, app, username, password, ttl=None) -> IssuedToken:
    """password grant: a user token for an IM user; a banned user gets none."""
    if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
        raise InvalidGrant("invalid username or password")
    user = ImUser.objects.filter(app=app, username=username.lower()).first()
    if user is None or not password_matches(password, user.password):
        raise InvalidGrant("invalid username or password")
    if not user.activated:
        raise Unauthorized(f"user {user.username} is banned")
    seconds = _ttl(app, ttl)
    token = _issue(app, kind=USER, subject=str(user.uuid), ttl=seconds)
    metering.user_active(app_id=app.pk, username=user.username)  # a daily active user (SPEC §12)
    return IssuedToken(access_token=token, expires_in=seconds, user=user)


def principal_for(*, app, authorization: str) -> Principal:
    """Who the Bearer token in ``authorization`` speaks for; 401 when missing, foreign, expired or revoked.

    An app token must carry the fingerprint of the app's current Client Secret (rotation revokes it); a user
    token needs its user to exist, to be activated and not force-logged-out after the token was issued."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Unable to authenticate due to expired access token")
    try:
        claims = token_read(token.strip())
    except InvalidToken:
        raise BadAccessToken("Unable to authenticate due to corrupt access token") from None
    if claims.app_id != app.pk:
        raise BadAccessToken("Unable to authenticate")
    if claims.expires_at <= int(time.time() * 1000):
        raise Unauthorized("Unable to authenticate due to expired access token")
    if claims.kind == APP:
        if not hmac.compare_digest(claims.secret_fingerprint, secret_fingerprint(app.client_secret)):
            raise Unauthorized("Unable to authenticate due to expired access token")
        return Principal(kind=APP)
    user = ImUser.objects.filter(app=app, uuid=claims.subject).first()
    if user is None or not user.activated:
        raise Unauthorized("Unable to authenticate due to expired access token")
    if user.tokens_valid_after and claims.issued_at < int(user.tokens_valid_after.timestamp() * 1000):
        raise Unauthorized("Unable to authenticate due to expired access token")
    return Principal(kind=USER, user=user)


def token_for_user_by_operator(*, app, user: ImUser) -> IssuedToken:
    """A user token issued by a console operator for quick client testing (no password: the operator manages
    the app). Same validity rules as the password grant; a banned user gets none."""
    if not user.activated:
        raise Unauthorized(f"user {user.username} is banned", error="user_banned")
    seconds = _ttl(app, None)
    return IssuedToken(access_token=_issue(app, kind=USER, subject=str(user.uuid), ttl=seconds),
                       expires_in=seconds, user=user)
