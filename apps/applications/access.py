"""App-scoped views: the app is fetched through the org resolved by apps.accounts.access, so another org's
app answers 404 exactly like a missing one."""

from functools import wraps

from django.http import Http404

from apps.accounts.access import org_view
from apps.applications.models import App
from console.prepared import PreparedQuery

# Every app page runs it: compiled once per process (console.prepared).
org_app = PreparedQuery(
    lambda organization_id, name: App.objects.select_related("organization", "data_center")
    .filter(organization_id=organization_id, name=name),
    organization_id=int, name=str,
)


def app_view(action):
    """Decorate a view taking ``org_name`` and ``app_name``; it is called as ``view(request, app, ...)``
    and ``request.app`` is set for the navigation."""

    def decorator(view):
        @org_view(action)
        @wraps(view)
        def wrapped(request, *args, org_name: str, app_name: str, **kwargs):
            found = org_app(organization_id=request.organization.pk, name=app_name)
            if not found:
                raise Http404("No such app.")
            app = found[0]
            request.app = app
            return view(request, app, *args, **kwargs)

        return wrapped

    return decorator
