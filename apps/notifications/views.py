from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.access import org_view
from apps.accounts.roles import Action
from apps.notifications import selectors, services
from apps.notifications.forms import AlertFilterForm, EmailChoicesForm
from apps.notifications.kinds import alert_link, alert_message
from apps.notifications.models import State

PAGE_SIZE = 50


@org_view(Action.VIEW_APPS)
def alert_list(request, org_name: str):
    alerts = selectors.alert_list(membership=request.membership)
    form = AlertFilterForm(request.GET or {"state": State.OPEN}, organization=request.organization)
    if form.is_valid():
        if form.cleaned_data["app"]:
            alerts = alerts.filter(app=form.cleaned_data["app"])
        if form.cleaned_data["severity"]:
            alerts = alerts.filter(severity=form.cleaned_data["severity"])
        if form.cleaned_data["state"]:
            alerts = alerts.filter(state=form.cleaned_data["state"])
    else:
        alerts = alerts.none()
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(alert, alert_message(alert), alert_link(alert, org_name=org_name)) for alert in page]
    return render(request, "notifications/alert_list.html", {"form": form, "page": page, "rows": rows},
                  status=200 if form.is_valid() else 400)


@require_POST
@org_view(Action.VIEW_APPS)
def alert_dismiss(request, org_name: str, pk: int):
    alert = get_object_or_404(selectors.alert_list(membership=request.membership), pk=pk)
    if services.dismiss_alert(alert=alert):
        messages.success(request, _("Alert dismissed. It comes back if the condition returns after it clears."))
    return redirect("notifications:alert_list", org_name=org_name)


@org_view(Action.VIEW_APPS)
def email_preferences(request, org_name: str):
    choices = selectors.email_choices(user=request.user)
    form = EmailChoicesForm(request.POST or None, initial_choices=choices)
    if request.method == "POST":
        if form.is_valid():
            services.set_email_choices(user=request.user, choices=form.cleaned_data)
            messages.success(request, _("Your alert emails are saved."))
            return redirect("notifications:preferences", org_name=org_name)
        return render(request, "notifications/preferences.html", {"form": form}, status=400)
    return render(request, "notifications/preferences.html", {"form": form})
