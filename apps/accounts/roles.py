"""Who may do what: the role matrix of SPEC §4 as data. Views name an Action; nothing else checks roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    DEVELOPER = "developer", _("Developer")
    FINANCE = "finance", _("Finance")


class Action(models.TextChoices):
    VIEW_APPS = "view_apps", _("See apps, settings and the feature overview")
    CHANGE_APPS = "change_apps", _("Create apps and change feature settings")
    PURCHASE = "purchase", _("Purchase plans and add-ons")
    VIEW_BILLING = "view_billing", _("See the account center, orders and bills; export")
    REQUEST_TOPUP = "request_topup", _("Request a top-up")
    MANAGE_MEMBERS = "manage_members", _("Manage members")
    MANAGE_SECURITY = "manage_security", _("Require two-factor sign-in of all members")


PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(Action.values),
    Role.ADMIN: frozenset(
        {Action.VIEW_APPS, Action.CHANGE_APPS, Action.PURCHASE, Action.VIEW_BILLING, Action.MANAGE_MEMBERS}
    ),
    Role.DEVELOPER: frozenset({Action.VIEW_APPS, Action.CHANGE_APPS}),
    Role.FINANCE: frozenset({Action.VIEW_APPS, Action.VIEW_BILLING, Action.REQUEST_TOPUP}),
}


def role_may(role: str, action: str) -> bool:
    return action in PERMISSIONS.get(role, frozenset())


def role_may_manage(actor_role: str, *roles: str) -> bool:
    """Owner-vs-admin, decided here only: whoever may manage members manages every role but owner, which only
    an owner may invite, give, change or remove. ``roles``: the member's current role and/or the role to give."""
    return role_may(actor_role, Action.MANAGE_MEMBERS) and (actor_role == Role.OWNER or Role.OWNER not in roles)


def role_permissions(role: str | None) -> dict[str, bool]:
    """Every action -> whether ``role`` may do it: what pages show (buttons, forms) for the signed-in member."""
    return {action: role is not None and role_may(role, action) for action in Action.values}
