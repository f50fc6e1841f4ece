from django.conf import settings
from django.utils.functional import SimpleLazyObject

from console.navigation import navigation, navigation_key


def chrome(request):
    """What the top bar and the left navigation need on every page."""

    def memberships():
        if not request.user.is_authenticated:
            return []
        if hasattr(request, "user_memberships"):  # loaded once by the org access check
            return request.user_memberships
        from apps.accounts.selectors import membership_list_for_user

        return list(membership_list_for_user(user=request.user))

    user_memberships = SimpleLazyObject(memberships)

    def switcher_org():
        """The org the top bar names: the page's own, else (Plans, Change password…) the one last worked in,
        as the home page would choose it, from the memberships the switcher lists anyway."""
        organization = getattr(request, "organization", None)
        if organization is not None or not request.user.is_authenticated:
            return organization
        from apps.accounts.access import SESSION_ORG_KEY

        listed = list(user_memberships)
        wanted = request.session.get(SESSION_ORG_KEY)
        chosen = next((m for m in listed if m.organization.name == wanted), listed[0] if listed else None)
        return chosen.organization if chosen else None

    return {
        "product_name": settings.CONSOLE_PRODUCT_NAME,
        "current_org": getattr(request, "organization", None),
        "current_membership": getattr(request, "membership", None),
        "may": SimpleLazyObject(lambda: _permissions(request)),
        "current_app": getattr(request, "app", None),
        "user_memberships": user_memberships,
        "switcher_org": SimpleLazyObject(switcher_org),
        "navigation": SimpleLazyObject(lambda: navigation(request)),
        "navigation_key": navigation_key(request),  # the sidebar's markup is remembered under it
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
