"""Readable names of audit actions. An action without a name here is shown by its code."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "app.created": _("App created"),
    "app.updated": _("App details changed"),
    "app.secret_revealed": _("Client Secret revealed"),
    "app.secret_rotated": _("Client Secret rotated"),
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
