"""Sessions a user can see and end, sign-in history (30 days) and the email on a sign-in from a new device.

Django's session store keeps the sessions; a UserSession row per signed-in session (made when anyone signs in,
through ``user_logged_in``) names its device, address and times, and ``SessionActivityMiddleware`` refreshes
``last_seen_at`` at most once a minute, so the request path writes nothing more often. Signing a session out
deletes it from the session store and its row; a session whose row is gone is signed out at its next refresh.

A browser is known by a random device cookie (stored hashed per user). A successful sign-in from a browser the
user has not signed in from before is mailed to them, except the very first one of the account.
"""

import hashlib
import logging
import re
import secrets
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import logout
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import KnownDevice, SignInEvent, User, UserSession
from console.net import client_ip

logger = logging.getLogger(__name__)

SESSION_ROW = "user_session_id"
SESSION_SEEN = "user_session_seen"
TOUCH_EVERY = timedelta(minutes=1)
HISTORY_DAYS = 30
DEVICE_COOKIE = "console_device"
DEVICE_COOKIE_AGE = timedelta(days=400)


def request_ip(request) -> str | None:
    """The client's address: the trusted-proxy rule of console.net, the same as the login lockout uses."""
    address = client_ip(request) or None
    return address if address and len(address) <= 45 else None


_BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
             ("Chromium/", "Chromium"), ("Safari/", "Safari")]
_SYSTEMS = [("iPhone", "iOS"), ("iPad", "iPadOS"), ("Android", "Android"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux")]


def device_label(user_agent: str) -> str:
    """'Chrome on macOS': enough to recognise one's own browsers, not a fingerprint."""
    user_agent = user_agent or ""
    browser = next((name for token, name in _BROWSERS if token in user_agent), "")
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or system
    return re.sub(r"[^\w ./-]", "", user_agent)[:60] or "Unknown device"


def _device(request) -> str:
    return device_label(request.headers.get("User-Agent", ""))[:120]


# --- sessions ------------------------------------------------------------------------------------


def session_started(*, request, user: User, now: datetime | None = None) -> UserSession | None:
    session = getattr(request, "session", None)
    if session is None:
        return None
    if session.session_key is None:
        session.save()
    now = now or timezone.now()
    row, _created = UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={"user": user, "device": _device(request), "ip": request_ip(request), "created_at": now,
                  "last_seen_at": now},
    )
    session[SESSION_ROW] = row.pk
    session[SESSION_SEEN] = now.timestamp()
    return row


def session_ended(*, request) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.get(SESSION_ROW):
        UserSession.objects.filter(pk=session[SESSION_ROW]).delete()


def session_touch(request, *, now: datetime | None = None) -> None:
    """Refresh the row of a signed-in request at most once a minute; sign out a session whose row is gone."""
    now = now or timezone.now()
    session = request.session
    row_id = session.get(SESSION_ROW)
    if row_id is None:  # signed in before sessions were tracked
        session_started(request=request, user=request.user, now=now)
        return
    seen = session.get(SESSION_SEEN, 0)
    if isinstance(seen, int | float) and now.timestamp() - seen < TOUCH_EVERY.total_seconds():
        return
    updated = UserSession.objects.filter(pk=row_id, user=request.user).update(
        last_seen_at=now, ip=request_ip(request), session_key=session.session_key or ""
    )
    if not updated:
        logout(request)
        return
    session[SESSION_SEEN] = now.timestamp()


def user_sessions(*, user: User, now: datetime | None = None):
    since = (now or timezone.now()) - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    return UserSession.objects.filter(user=user, last_seen_at__gte=since).order_by("-last_seen_at", "-pk")


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_sign_out(*, row: UserSession) -> None:
    _session_store()(session_key=row.session_key).delete()
    row.delete()


def sessions_sign_out_others(*, user: User, current_row: int | None) -> int:
    """Sign out every session of the user but the current one (known by its row: its key may have been cycled,
    e.g. by a password change, since the row was last refreshed)."""
    rows = list(UserSession.objects.filter(user=user).exclude(pk=current_row or 0))
    for row in rows:
        session_sign_out(row=row)
    return len(rows)


# --- sign-in history and new devices -------------------------------------------------------------


def sign_in_record(*, request, user: User, outcome: str, now: datetime | None = None) -> SignInEvent:
    now = now or timezone.now()
    SignInEvent.objects.filter(user=user, created_at__lt=now - timedelta(days=HISTORY_DAYS)).delete()
    return SignInEvent.objects.create(user=user, outcome=outcome, device=_device(request), ip=request_ip(request),
                                      created_at=now)


def sign_in_history(*, user: User, now: datetime | None = None):
    since = (now or timezone.now()) - timedelta(days=HISTORY_DAYS)
    return SignInEvent.objects.filter(user=user, created_at__gte=since)


def sign_in_failed(*, request, email: str, outcome: str = SignInEvent.Outcome.WRONG_PASSWORD) -> None:
    """A refused sign-in of an existing account (unknown emails leave no trace: there is no one to show it to)."""
    if not isinstance(email, str) or not email or len(email) > 254 or request is None:
        return
    user = User.objects.filter(email__iexact=email.strip().replace("\x00", "")).first()
    if user is not None:
        sign_in_record(request=request, user=user, outcome=outcome)


def _hash_device(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def sign_in_succeeded(*, request, response, user: User, now: datetime | None = None) -> bool:
    """Record the sign-in and the device; mail the user when the device is new. Returns whether it was new."""
    now = now or timezone.now()
    sign_in_record(request=request, user=user, outcome=SignInEvent.Outcome.SIGNED_IN, now=now)
    token = request.COOKIES.get(DEVICE_COOKIE, "")
    if not (isinstance(token, str) and 20 <= len(token) <= 64 and token.isascii()):
        token = secrets.token_urlsafe(24)
    response.set_cookie(DEVICE_COOKIE, token, max_age=int(DEVICE_COOKIE_AGE.total_seconds()), httponly=True,
                        secure=settings.SESSION_COOKIE_SECURE, samesite="Lax")
    device_hash = _hash_device(token)
    updated = KnownDevice.objects.filter(user=user, device_hash=device_hash).update(last_seen_at=now)
    if updated:
        return False
    first_device = not KnownDevice.objects.filter(user=user).exists()
    try:
        with transaction.atomic():
            KnownDevice.objects.create(user=user, device_hash=device_hash, device=_device(request),
                                       first_seen_at=now, last_seen_at=now)
    except IntegrityError:  # the same browser signing in twice at once
        return False
    if not first_device:
        _mail_new_device(request=request, user=user, now=now)
    return True


def _mail_new_device(*, request, user: User, now: datetime) -> None:
    context = {
        "user": user, "device": _device(request), "ip": request_ip(request) or "?", "time": now,
        "security_url": request.build_absolute_uri(reverse("accounts:security")),
    }
    subject = render_to_string("accounts/email/new_device_subject.txt", context).strip()
    body = render_to_string("accounts/email/new_device.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # a mail server being down must not stop the sign-in
        logger.exception("The new-device email to user %s could not be sent", user.pk)
