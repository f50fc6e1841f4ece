from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from console.healthz import check_broker, check_database
from console.heartbeat import check_beat
from console.net import is_local


@never_cache
@require_GET
def healthz(request):
    """200 ``{"status": "ok"}`` or 503 ``{"status": "error"}`` (database, broker, beat heartbeat). Which part
    failed, and its error text (which may name internal hosts and ports), only for staff or a request from
    this machine."""
    db_ok, db_detail = check_database()
    broker_ok, broker_detail = check_broker()
    beat_ok, beat_detail = check_beat() if db_ok else (False, "database unavailable")
    healthy = db_ok and broker_ok and beat_ok
    body = {"status": "ok" if healthy else "error"}
    if is_local(request) or getattr(request.user, "is_staff", False):
        body.update({
            "database": {"ok": db_ok, "detail": db_detail},
            "broker": {"ok": broker_ok, "detail": broker_detail},
            "beat": {"ok": beat_ok, "detail": beat_detail},
        })
    return JsonResponse(body, status=200 if healthy else 503)


def admin_login(request, extra_context=None):
    if request.user.is_authenticated:
        # Signed in but not staff: the admin is not for them (sending them to log in again would loop).
        raise PermissionDenied("The platform admin is for staff only.")
    return redirect_to_login(request.GET.get("next") or "/admin/")


def home(request):
    """Signed-in users land on the app list of their current organization."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    from apps.accounts.selectors import current_membership

    membership = current_membership(request)
    if membership is None:
        # Platform staff need not belong to an organization: their work is in the admin.
        return redirect("admin:index" if request.user.is_staff else "accounts:no_organization")
    return redirect("applications:app_list", org_name=membership.organization.name)
