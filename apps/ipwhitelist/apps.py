from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IpWhitelistConfig(AppConfig):
    name = "apps.ipwhitelist"
    label = "ipwhitelist"
    verbose_name = _("REST IP whitelist")
