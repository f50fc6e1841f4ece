from django.db.models import QuerySet

from apps.accounts.access import SESSION_ORG_KEY
from apps.accounts.models import Membership


def membership_list_for_user(*, user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organization").order_by("organization__name")


def current_membership(request) -> Membership | None:
    """The org the user last worked in (kept in the session), else their first one."""
    memberships = list(membership_list_for_user(user=request.user))
    wanted = request.session.get(SESSION_ORG_KEY)
    for membership in memberships:
        if membership.organization.name == wanted:
            return membership
    return memberships[0] if memberships else None
