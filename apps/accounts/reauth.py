"""Operation protection ("sudo mode"): sensitive operations need a password or two-factor code entered within the
last 10 minutes in this session.

``reauth_required`` wraps the view of such an operation. Without a fresh check it sends the user to the re-auth
page, which returns to ``next`` (the operation's page: the URL itself for a GET, the page the form was posted from
for a POST, so the user repeats the click). Every password or code re-check of a signed-in user goes through
``password_recheck``/``code_recheck``: 5 failures per user in 15 minutes (across sessions and addresses, counted in
the cache) refuse further checks, and a username that the login lockout (django-axes) has locked from this address
is refused too, so the re-check is no oracle outside the login lockout.
"""

from datetime import datetime, timedelta
from functools import wraps
from urllib.parse import urlparse

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from apps.accounts.exceptions import RecheckLocked

REAUTH_VALIDITY = timedelta(minutes=10)
RECHECK_FAILURE_LIMIT = 5
RECHECK_FAILURE_WINDOW = timedelta(minutes=15)
SESSION_KEY = "reauth_at"


def _failures_key(user) -> str:
    return f"accounts:recheck-failures:{user.pk}"


def recheck_failures(*, user) -> int:
    return cache.get(_failures_key(user), 0)


def _refuse_if_locked(*, user, request=None) -> None:
    if recheck_failures(user=user) >= RECHECK_FAILURE_LIMIT:
        raise RecheckLocked(
            _("Too many wrong attempts. For your security, try again in %(minutes)d minutes.")
            % {"minutes": int(RECHECK_FAILURE_WINDOW.total_seconds() // 60)}
        )
    if request is not None and AxesProxyHandler.is_locked(request, {"username": user.get_username()}):
        raise RecheckLocked(_("Your account is locked after too many failed attempts. Try again later."))


def _record_failure(*, user) -> None:
    key = _failures_key(user)
    # The window starts at the first failure; add() is a no-op when the counter exists already.
    cache.add(key, 0, timeout=int(RECHECK_FAILURE_WINDOW.total_seconds()))
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=int(RECHECK_FAILURE_WINDOW.total_seconds()))


def password_recheck(*, user, password: str, request=None) -> bool:
    """Whether ``password`` is the user's; raises RecheckLocked once the attempts are used up."""
    _refuse_if_locked(user=user, request=request)
    if user.check_password(password):
        return True
    _record_failure(user=user)
    return False


def code_recheck(*, user, code: str, request=None) -> bool:
    """Whether ``code`` is a current two-factor code (or an unused recovery code) of the user; limited like
    passwords, on top of django-otp's own per-device throttling."""
    from apps.accounts import twofactor

    _refuse_if_locked(user=user, request=request)
    if twofactor.verify_code(user=user, code=code):
        return True
    _record_failure(user=user)
    return False


def reauth_record(request, *, now: datetime | None = None) -> None:
    request.session[SESSION_KEY] = (now or timezone.now()).timestamp()


def reauth_clear(request) -> None:
    request.session.pop(SESSION_KEY, None)


def reauth_is_fresh(request, *, now: datetime | None = None) -> bool:
    stamp = request.session.get(SESSION_KEY)
    if not isinstance(stamp, int | float):
        return False
    age = (now or timezone.now()).timestamp() - stamp
    return 0 <= age < REAUTH_VALIDITY.total_seconds()


def safe_next(request, candidate: str | None) -> str | None:
    """``candidate`` if it is a path or URL of this site, else None."""
    if candidate and candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _return_to(request) -> str:
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    parsed = urlparse(referer)
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) and parsed.path.startswith("/"):
        return parsed.path + (f"?{parsed.query}" if parsed.query else "")
    return reverse("home")


def reauth_redirect(request):
    messages.info(request, _("Confirm it is you to continue: this operation needs a recent password or code check."))
    return redirect(f"{reverse('accounts:reauth')}?{urlencode({'next': _return_to(request)})}")


def reauth_required(view):
    """Run the view only after a fresh re-authentication (within REAUTH_VALIDITY) in this session."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not reauth_is_fresh(request):
            return reauth_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped
