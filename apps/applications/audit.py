"""What the audit log calls the actions apps.applications records, and how its entries read."""

from django.utils.translation import gettext_lazy as _

from apps.audit.actions import register_actions

register_actions(
    labels={
        "app.created": _("App created"),
        "app.updated": _("App details changed"),
        "app.secret_revealed": _("Client Secret revealed"),
        "app.secret_rotated": _("Client Secret rotated"),
    },
    sentences={
        "app.created": _("AppKey %(app_key)s, data center %(data_center)s"),
        "app.updated": _("Changed: %(fields)s"),
        "app.secret_revealed": _("The Client Secret was shown after the password was re-entered"),
        "app.secret_rotated": _("A new Client Secret replaced the old one"),
    },
)
