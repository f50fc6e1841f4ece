from django.shortcuts import render

from apps.accounts.access import org_view
from apps.accounts.roles import Action
from apps.applications.selectors import app_list as select_apps


@org_view(Action.VIEW_APPS)
def app_list(request, org_name: str):
    apps = select_apps(organization=request.organization, search=request.GET.get("q"))
    return render(request, "applications/app_list.html", {"apps": apps, "search": request.GET.get("q", "")})
