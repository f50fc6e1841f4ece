"""Callback rules (SPEC §9). A rule's secret is shown in full exactly once: in the response to the POST that
created or rotated it (never stored in a session, a message or a cookie; the response is ``no-store``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.reauth import reauth_required
from apps.accounts.roles import Action
from apps.applications.access import app_view
from apps.callbacks import services
from apps.callbacks.exceptions import CallbackRulesFull, TestEventNotQueued, TestEventTooSoon
from apps.callbacks.forms import CallbackRuleForm
from apps.callbacks.selectors import (
    RECENT_DELIVERIES,
    callback_rule_for_page,
    callback_rules,
    callback_rules_limit,
    callback_test_pending,
)
from console.errors import show_domain_error


def _list_redirect(app):
    return redirect("features:settings_callbacks", org_name=app.organization.name, app_name=app.name)


def _common(request, app) -> dict:
    return {
        "app": app,
        "recent_count": RECENT_DELIVERIES,
    }


def _apply_service_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _rule_page(request, app, rule, *, form=None, revealed_secret: str = "", status: int = 200):
    page_rule = callback_rule_for_page(app=app, pk=rule.pk)
    if page_rule is None:
        raise Http404("No such callback rule.")
    response = render(
        request,
        "callbacks/rule_edit.html",
        {
            **_common(request, app),
            "rule": page_rule,
            "form": form or CallbackRuleForm(app=app, rule=page_rule),
            "revealed_secret": revealed_secret,
            "test_pending": callback_test_pending(rule=page_rule),
        },
        status=status,
    )
    if revealed_secret:
        patch_cache_control(response, no_store=True, private=True)
    return response


@app_view(Action.VIEW_APPS)
@require_http_methods(["GET"])
def settings_callbacks(request, app):
    rules = callback_rules(app=app)
    return render(
        request,
        "callbacks/settings.html",
        {**_common(request, app), "rules": rules, "limit": callback_rules_limit(), "feature_title": _("Callbacks")},
    )


@app_view(Action.CHANGE_APPS)
@require_http_methods(["GET", "POST"])
def callback_rule_new(request, app):
    limit = callback_rules_limit()
    if request.method == "POST":
        form = CallbackRuleForm(request.POST, app=app)
        if form.is_valid():
            try:
                rule, secret = services.callback_rule_create(app=app, actor=request.user, **form.rule_fields())
            except CallbackRulesFull as exc:
                show_domain_error(request, exc, form=form)
            except ValidationError as exc:
                _apply_service_errors(form, exc)
            else:
                messages.success(request, _("Callback rule %(name)s created.") % {"name": rule.name})
                return _rule_page(request, app, rule, revealed_secret=secret)
    else:
        form = CallbackRuleForm(app=app)
    return render(
        request,
        "callbacks/rule_new.html",
        {**_common(request, app), "form": form, "limit": limit, "full": app.callback_rules.count() >= limit},
    )


@app_view({"GET": Action.VIEW_APPS, "POST": Action.CHANGE_APPS})
@require_http_methods(["GET", "POST"])
def callback_rule_edit(request, app, pk: int):
    rule = get_object_or_404(app.callback_rules, pk=pk)
    if request.method != "POST":
        return _rule_page(request, app, rule)
    form = CallbackRuleForm(request.POST, app=app, rule=rule)
    if form.is_valid():
        try:
            rule, changed = services.callback_rule_update(rule=rule, actor=request.user, **form.rule_fields())
        except ValidationError as exc:
            _apply_service_errors(form, exc)
        else:
            if changed:
                messages.success(request, _("Callback rule %(name)s saved.") % {"name": rule.name})
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("features:callback_rule_edit", org_name=app.organization.name, app_name=app.name,
                            pk=rule.pk)
    return _rule_page(request, app, rule, form=form)


@app_view(Action.CHANGE_APPS)
@require_POST
def callback_rule_delete(request, app, pk: int):
    rule = get_object_or_404(app.callback_rules, pk=pk)
    if services.callback_rule_delete(rule=rule, actor=request.user):
        messages.success(request, _("Callback rule %(name)s deleted.") % {"name": rule.name})
    return _list_redirect(app)


@app_view(Action.CHANGE_APPS)
@require_POST
@reauth_required
def callback_secret_rotate(request, app, pk: int):
    rule = get_object_or_404(app.callback_rules, pk=pk)
    rule, secret = services.callback_secret_rotate(rule=rule, actor=request.user)
    messages.success(request, _("A new secret was generated; the previous one no longer signs callbacks."))
    return _rule_page(request, app, rule, revealed_secret=secret)


@app_view(Action.CHANGE_APPS)
@require_POST
def callback_rule_test(request, app, pk: int):
    rule = get_object_or_404(app.callback_rules, pk=pk)
    try:
        services.callback_test_send(rule=rule, actor=request.user)
    except (TestEventTooSoon, TestEventNotQueued) as exc:
        show_domain_error(request, exc)
    else:
        messages.success(
            request, _("Test event queued. Its deliveries appear below in a few seconds.")
        )
    response = redirect("features:callback_rule_edit", org_name=app.organization.name, app_name=app.name, pk=rule.pk)
    response["Location"] += "#deliveries"
    return response
