from django.conf import settings
from django.utils.functional import SimpleLazyObject

from console.navigation import build_navigation


def chrome(request):
    """What the top bar and the left navigation need on every page."""

    def memberships():
        if not request.user.is_authenticated:
            return []
        if hasattr(request, "user_memberships"):  # loaded once by the org access check
            return request.user_memberships
        from apps.accounts.selectors import membership_list_for_user

        return list(membership_list_for_user(user=request.user))

    return {
        "product_name": settings.CONSOLE_PRODUCT_NAME,
        "current_org": getattr(request, "organization", None),
        "current_membership": getattr(request, "membership", None),
        "may": SimpleLazyObject(lambda: _permissions(request)),
        "current_app": getattr(request, "app", None),
        "user_memberships": SimpleLazyObject(memberships),
        "navigation": SimpleLazyObject(lambda: build_navigation(request)),
        "org_in_arrears": SimpleLazyObject(lambda: _in_arrears(request)),
        "open_alert_count": SimpleLazyObject(lambda: _open_alerts(request)),
    }


def _open_alerts(request) -> int:
    membership = getattr(request, "membership", None)
    if membership is None:
        return 0
    from apps.notifications.selectors import open_alert_count

    return open_alert_count(membership=membership)


def _permissions(request) -> dict[str, bool]:
    """``may.change_apps`` and so on: what the member's role allows, so that pages show only what works."""
    from apps.accounts.roles import role_permissions

    membership = getattr(request, "membership", None)
    return role_permissions(membership.role if membership is not None else None)


def _in_arrears(request) -> bool:
    organization = getattr(request, "organization", None)
    if organization is None:
        return False
    from billing.selectors import org_in_arrears_for_banner

    return org_in_arrears_for_banner(organization=organization)
