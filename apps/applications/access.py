"""App-scoped views: the app is fetched through the org resolved by apps.accounts.access, so another org's
app answers 404 exactly like a missing one."""

from functools import wraps

from django.shortcuts import get_object_or_404

from apps.accounts.access import org_view
from apps.applications.models import App


def app_view(action):
    """Decorate a view taking ``org_name`` and ``app_name``; it is called as ``view(request, app, ...)``
    and ``request.app`` is set for the navigation."""

    def decorator(view):
        @org_view(action)
        @wraps(view)
        def wrapped(request, *args, org_name: str, app_name: str, **kwargs):
            app = get_object_or_404(
                App.objects.select_related("organization", "data_center"),
                organization=request.organization,
                name=app_name,
            )
            request.app = app
            return view(request, app, *args, **kwargs)

        return wrapped

    return decorator
