"""What the audit log calls the actions apps.ipwhitelist records, and how its entries read."""

from django.utils.translation import gettext_lazy as _

from apps.audit.actions import register_actions

register_actions(
    labels={
        "ip_whitelist.add": _("IP whitelist entries added"),
        "ip_whitelist.delete": _("IP whitelist entry removed"),
    },
    sentences={
        "ip_whitelist.add": _("Added %(count)s to the REST IP whitelist: %(entries)s"),
        "ip_whitelist.delete": _("%(network)s removed from the REST IP whitelist"),
    },
)
