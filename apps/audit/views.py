from django.core.paginator import Paginator
from django.shortcuts import render

from apps.accounts.access import org_view
from apps.accounts.roles import Action
from apps.audit.selectors import audit_list

ENTRIES_PER_PAGE = 50


@org_view(Action.VIEW_APPS)
def audit_log(request, org_name: str):
    organization = request.organization
    # PostgreSQL text cannot hold NUL: a filter with one would be a 500.
    app_name = request.GET.get("app", "").replace("\x00", "").strip()
    app = organization.apps.filter(name=app_name).first() if app_name else None
    entries = audit_list(organization=organization, reader_role=request.membership.role, app=app)
    if app_name and app is None:
        entries = entries.none()
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/audit_list.html",
        {"page": page, "app_name": app_name},
    )
