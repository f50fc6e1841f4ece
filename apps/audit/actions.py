"""Readable names of audit actions. An action without a name here is shown by its code."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "app.created": _("App created"),
    "app.updated": _("App details changed"),
    "app.secret_revealed": _("Client Secret revealed"),
    "app.secret_rotated": _("Client Secret rotated"),
    "organization.created": _("Organization created"),
    "member.invited": _("Member invited"),
    "member.invitation_revoked": _("Invitation revoked"),
    "member.joined": _("Member joined"),
    "member.removed": _("Member removed"),
    "member.role_changed": _("Member role changed"),
    "feature.enable": _("Feature enabled"),
    "recall.update": _("Message recall settings changed"),
    "order.place": _("Order placed"),
    "order.in_service": _("Order in service"),
    "billing.topup_requested": _("Top-up requested"),
    "billing.topup_recorded": _("Top-up recorded"),
    "billing.topup_confirmed": _("Top-up confirmed"),
    "billing.topup_rejected": _("Top-up rejected"),
    "billing.adjusted": _("Balance adjusted"),
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
