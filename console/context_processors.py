from django.conf import settings
from django.core.cache import cache
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
        "org_in_arrears": SimpleLazyObject(lambda: _org_state(request)[0]),
        "open_alert_count": SimpleLazyObject(lambda: _org_state(request)[1]),
    }


def _org_state(request) -> tuple[bool, int]:
    """(the org is in arrears, the member's open alerts): the banner and the bell of every org page, both kept in
    the cache, read in one round trip (issue 14) and once per request."""
    state = getattr(request, "_console_org_state", None)
    if state is None:
        organization, membership = getattr(request, "organization", None), getattr(request, "membership", None)
        if organization is None:
            state = (False, 0)
        else:
            from apps.notifications.selectors import open_alert_cache_keys, open_alert_count
            from billing.selectors import arrears_cache_keys, org_in_arrears_for_banner

            keys = arrears_cache_keys(organization_id=organization.pk)
            if membership is not None:
                keys += open_alert_cache_keys(membership=membership)
            found = cache.get_many(keys)
            state = (org_in_arrears_for_banner(organization=organization, found=found),
                     open_alert_count(membership=membership, found=found) if membership is not None else 0)
        request._console_org_state = state
    return state


def _permissions(request) -> dict[str, bool]:
    """``may.change_apps`` and so on: what the member's role allows, so that pages show only what works."""
    from apps.accounts.roles import role_permissions

    membership = getattr(request, "membership", None)
    return role_permissions(membership.role if membership is not None else None)
