"""What the audit log calls the actions apps.accounts records, and how its entries read."""

from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import Role
from apps.audit.actions import register_actions

register_actions(
    labels={
        "organization.created": _("Organization created"),
        "member.invited": _("Member invited"),
        "member.invitation_revoked": _("Invitation revoked"),
        "member.joined": _("Member joined"),
        "member.removed": _("Member removed"),
        "member.role_changed": _("Member role changed"),
        "organization.two_factor_required": _("Two-factor sign-in required"),
        "organization.two_factor_optional": _("Two-factor sign-in made optional"),
    },
    sentences={
        "organization.created": _("Organization %(org)s created"),
        "member.invited": _("%(email)s invited as %(role)s"),
        "member.invitation_revoked": _("The invitation of %(email)s was revoked"),
        "member.joined": _("%(email)s joined as %(role)s"),
        "member.removed": _("%(email)s (%(role)s) removed"),
        "member.role_changed": _("%(email)s: %(from)s → %(to)s"),
    },
    value_labels={key: dict(Role.choices) for key in ("role", "from", "to")},
)
