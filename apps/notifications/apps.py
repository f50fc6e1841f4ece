from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    label = "notifications"
    verbose_name = _("Alerts")
    # seed_demo calls this with the demo organization, after the feature apps and billing (demo_step).
    demo_seed = "apps.notifications.demo.seed"
    demo_step = 70
