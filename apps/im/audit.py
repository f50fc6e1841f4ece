"""What the audit log calls the actions apps.im records, and how its entries read."""

from django.utils.translation import gettext_lazy as _

from apps.audit.actions import register_actions

register_actions(
    labels={"im.settings_update": _("IM service settings changed")},
    sentences={
        "im.settings_update": _("Token validity %(token_ttl_seconds)s s, user registration %(registration)s"),
    },
    value_labels={"registration": {"authorized": _("authorized"), "open": _("open")}},
)
