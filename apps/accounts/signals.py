"""Django's sign-in signals, which every way of signing in sends (the login page, the code step, sign-up, the
admin, tests' force_login): they keep the session list and the failed-sign-in history."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from apps.accounts import usersessions


@receiver(user_logged_in, dispatch_uid="accounts.session_started")
def _session_started(sender, request, user, **kwargs):
    if request is not None:
        usersessions.session_started(request=request, user=user)


@receiver(user_logged_out, dispatch_uid="accounts.session_ended")
def _session_ended(sender, request, user, **kwargs):
    if request is not None:
        usersessions.session_ended(request=request)


@receiver(user_login_failed, dispatch_uid="accounts.sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    usersessions.sign_in_failed(request=request, email=credentials.get("username", ""))
