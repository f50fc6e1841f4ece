"""The console page of the IM REST service's settings (per app). The REST handlers are in views.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.roles import Action
from apps.applications.access import app_view
from apps.im.forms import ServiceSettingsForm
from apps.im.selectors import service_settings_for
from apps.im.services.settings import service_settings_update


@app_view(Action.VIEW_APPS)
@require_http_methods(["GET", "POST"])
def service_settings(request, app):
    can_change = request.membership.may(Action.CHANGE_APPS)
    current = service_settings_for(app=app)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("Your role may not change the IM service settings.")
        form = ServiceSettingsForm(request.POST)
        if form.is_valid():
            _settings, changed = service_settings_update(
                app=app,
                actor=request.user,
                token_ttl_seconds=form.cleaned_data["token_ttl_seconds"],
                registration_mode=form.cleaned_data["registration_mode"],
            )
            if changed:
                messages.success(request, _("IM service settings saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("im_console:settings", org_name=app.organization.name, app_name=app.name)
    else:
        form = ServiceSettingsForm(initial=ServiceSettingsForm.initial_for(current))
    return render(
        request,
        "im/service_settings.html",
        {
            "app": app,
            "form": form,
            "current": current,
            "can_change": can_change,
            "rest_base": request.build_absolute_uri("/rest/"),
        },
    )
