from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IpWhitelistConfig(AppConfig):
    name = "apps.ipwhitelist"
    label = "ipwhitelist"
    verbose_name = _("REST IP whitelist")
    # seed_demo calls this with the demo organization, in the order of demo_step (its dependencies first).
    demo_seed = "apps.ipwhitelist.demo.seed"
    demo_step = 40
