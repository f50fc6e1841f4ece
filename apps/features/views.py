from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.roles import Action
from apps.applications.access import app_view
from apps.features.exceptions import UnknownFeature
from apps.features.forms import RecallSettingsForm
from apps.features.selectors import feature_overview, recall_settings_for
from apps.features.services import app_feature_enable, recall_settings_update
from console.errors import show_domain_error
from orders.entitlements import FeatureNotInPlan


@app_view(Action.VIEW_APPS)
def overview(request, app):
    return render(
        request,
        "features/overview.html",
        {
            "app": app,
            "overview": feature_overview(app=app),
        },
    )


@app_view(Action.CHANGE_APPS)
@require_POST
def enable(request, app, code: str):
    try:
        row, changed = app_feature_enable(app=app, feature_code=code, actor=request.user)
    except UnknownFeature as exc:
        raise Http404("No such feature.") from exc
    except FeatureNotInPlan as exc:
        show_domain_error(request, exc)
        return redirect("features:overview", org_name=app.organization.name, app_name=app.name)
    if changed:
        messages.success(request, _("%(feature)s is on.") % {"feature": row.feature.name})
    else:
        messages.info(request, _("%(feature)s was already on.") % {"feature": row.feature.name})
    return redirect("features:overview", org_name=app.organization.name, app_name=app.name)


@app_view({"GET": Action.VIEW_APPS, "POST": Action.CHANGE_APPS})
@require_http_methods(["GET", "POST"])
def settings_recall(request, app):
    current = recall_settings_for(app=app)
    if request.method == "POST":
        form = RecallSettingsForm(request.POST)
        if form.is_valid():
            _settings, changed = recall_settings_update(
                app=app,
                actor=request.user,
                client_recall_seconds=form.cleaned_data["client_recall_seconds"],
                rest_recall_seconds=form.cleaned_data["rest_recall_seconds"],
            )
            if changed:
                messages.success(request, _("Message recall settings saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("features:settings_recall", org_name=app.organization.name, app_name=app.name)
    else:
        form = RecallSettingsForm(initial=RecallSettingsForm.initial_for(current))
    return render(
        request,
        "features/recall_settings.html",
        {
            "app": app,
            "feature_title": _("Message recall"),
            "form": form,
            "current": current,
        },
    )
