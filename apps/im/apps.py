from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImConfig(AppConfig):
    name = "apps.im"
    label = "im"
    verbose_name = _("IM REST service")
    # seed_demo calls this with the demo organization, in the order of demo_step (its dependencies first):
    # after the features, whitelist and word-list demos (chat-prod's settings); demo_notes it prints at the end.
    demo_seed = "apps.im.demo.seed"
    demo_step = 60
    demo_notes = "apps.im.demo.notes"

    def ready(self):
        from apps.features.selectors import quota_usage_register
        from apps.im.usage_selectors import quota_usage_for_overview

        quota_usage_register(quota_usage_for_overview)
