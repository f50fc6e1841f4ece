"""The console's IM users page (per app): list, search, create, ban/unban, force logout, reset password,
delete, send a test message, get a user token. Every change goes through apps.im.services.console, which calls
the REST service's own services. Finance (no CHANGE_APPS) gets 403 and no menu entry."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.roles import Action
from apps.applications.access import app_view
from apps.im import gate
from apps.im.errors import ImError, NotFound
from apps.im.models import ImMessage
from apps.im.selectors import im_user_deletion_impact, im_users_console_page, im_users_registered
from apps.im.services import console as ops
from apps.im.services.users import IM_USERS, NICKNAME_MAX, PASSWORD_MAX, user_get
from console.forms import StyledForm


class CreateUserForm(StyledForm):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=64,
                               help_text=gettext_lazy("Lower-case letters, digits, _ . - (at most 64)."))
    password = forms.CharField(label=gettext_lazy("Password"), max_length=PASSWORD_MAX,
                               widget=forms.PasswordInput(render_value=False))
    nickname = forms.CharField(label=gettext_lazy("Nickname"), max_length=NICKNAME_MAX, required=False)


class PasswordForm(StyledForm):
    newpassword = forms.CharField(label=gettext_lazy("New password"), max_length=PASSWORD_MAX,
                                  widget=forms.PasswordInput(render_value=False))


class TestMessageForm(StyledForm):
    sender = forms.CharField(label=gettext_lazy("From (IM user)"), max_length=64)
    chat_type = forms.ChoiceField(label=gettext_lazy("To a"), choices=[
        (ImMessage.ChatType.CHAT, gettext_lazy("user")), (ImMessage.ChatType.GROUPCHAT, gettext_lazy("group")),
    ])
    to = forms.CharField(label=gettext_lazy("To (username or group ID)"), max_length=64)
    text = forms.CharField(label=gettext_lazy("Text"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


def search_param(request, name: str, limit: int) -> str:
    """A text query parameter as typed, cut to ``limit``; NUL characters (which no username, group name or ID
    holds, and PostgreSQL text refuses) are dropped, so a crafted query finds nothing instead of failing."""
    return request.GET.get(name, "").replace("\x00", "")[:limit]


def _list_url(app) -> str:
    return reverse("im_console:users", kwargs={"org_name": app.organization.name, "app_name": app.name})


def _page_context(request, app, **extra) -> dict:
    prefix = search_param(request, "q", 64)
    after = search_param(request, "after", 64)
    rows, next_after = im_users_console_page(app=app, prefix=prefix, after=after)
    first_page = not after
    context = {
        "app": app,
        "rows": rows,
        "prefix": prefix,
        "after": after,
        "next_after": next_after,
        "first_page": first_page,
        "create_form": CreateUserForm(),
        "message_form": TestMessageForm(),
        **extra,
    }
    if first_page:  # the count against the cap is shown on the first page only (no COUNT on every page)
        cap = gate.quota(app=app, code=IM_USERS)
        registered = im_users_registered(app=app)
        context.update(registered=registered, cap=cap,
                       cap_percent=min(100, round(registered * 100 / cap)) if cap else 0)
    return context


@app_view(Action.CHANGE_APPS)
@require_http_methods(["GET"])
def user_list(request, app):
    return render(request, "im/users.html", _page_context(request, app))


@app_view(Action.CHANGE_APPS)
@require_POST
def user_create(request, app):
    form = CreateUserForm(request.POST)
    if form.is_valid():
        try:
            user = ops.console_user_create(app=app, actor=request.user, **form.cleaned_data)
        except ImError as error:
            form.add_error(None, error.description)
        else:
            messages.success(request, _("IM user %(username)s created.") % {"username": user.username})
            return redirect(_list_url(app))
    return render(request, "im/users.html", _page_context(request, app, create_form=form), status=400)


def _user_action(request, app, username, call, done_message):
    try:
        user = call()
    except NotFound:
        raise Http404("No such IM user.") from None
    except ImError as error:
        messages.error(request, error.description)
        return redirect(_list_url(app))
    messages.success(request, done_message % {"username": user.username})
    return redirect(_list_url(app))


@app_view(Action.CHANGE_APPS)
@require_POST
def user_ban(request, app, username):
    return _user_action(request, app, username, lambda: ops.console_user_set_activated(
        app=app, actor=request.user, username=username, activated=False), _("IM user %(username)s banned."))


@app_view(Action.CHANGE_APPS)
@require_POST
def user_unban(request, app, username):
    return _user_action(request, app, username, lambda: ops.console_user_set_activated(
        app=app, actor=request.user, username=username, activated=True), _("IM user %(username)s unbanned."))


@app_view(Action.CHANGE_APPS)
@require_POST
def user_logout(request, app, username):
    return _user_action(request, app, username, lambda: ops.console_user_disconnect(
        app=app, actor=request.user, username=username),
        _("IM user %(username)s is logged out: every token issued before now is refused."))


def _user_or_404(app, username):
    try:
        return user_get(app=app, username=username)
    except NotFound:
        raise Http404("No such IM user.") from None


@app_view(Action.CHANGE_APPS)
@require_http_methods(["GET", "POST"])
def user_password(request, app, username):
    user = _user_or_404(app, username)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _user_action(request, app, username, lambda: ops.console_user_password_reset(
            app=app, actor=request.user, username=username, newpassword=form.cleaned_data["newpassword"]),
            _("The password of IM user %(username)s was reset."))
    return render(request, "im/user_password.html", {"app": app, "im_user": user, "form": form},
                  status=400 if request.method == "POST" else 200)


@app_view(Action.CHANGE_APPS)
@require_http_methods(["GET", "POST"])
def user_delete(request, app, username):
    user = _user_or_404(app, username)
    if request.method == "POST":
        return _user_action(request, app, username, lambda: ops.console_user_delete(
            app=app, actor=request.user, username=username), _("IM user %(username)s deleted."))
    return render(request, "im/user_delete.html",
                  {"app": app, "im_user": user, "impact": im_user_deletion_impact(user=user)})


@app_view(Action.CHANGE_APPS)
@require_POST
def user_token(request, app, username):
    _user_or_404(app, username)
    try:
        issued = ops.console_user_token(app=app, actor=request.user, username=username)
    except ImError as error:
        messages.error(request, error.description)
        return redirect(_list_url(app))
    response = render(request, "im/user_token.html", {"app": app, "issued": issued})
    response["Cache-Control"] = "no-store"
    return response


@app_view(Action.CHANGE_APPS)
@require_POST
def test_message(request, app):
    form = TestMessageForm(request.POST)
    result, error, status = None, None, 200
    if form.is_valid():
        try:
            result = ops.console_test_message(app=app, actor=request.user, **form.cleaned_data)
        except ImError as failure:
            error, status = failure.description, failure.status
    else:
        status = 400
    context = {"message_form": form, "result": result, "error": error}
    if request.headers.get("HX-Request"):
        # htmx swaps the partial in place; a refusal keeps 200 so that htmx swaps it (the text says what failed)
        return render(request, "im/_test_message.html", {"app": app, **context})
    return render(request, "im/users.html", _page_context(request, app, **context), status=status)
