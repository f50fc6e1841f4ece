from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PushConfig(AppConfig):
    name = "apps.push"
    label = "push"
    verbose_name = _("Push certificates")
    # seed_demo calls this with the demo organization, in the order of demo_step (its dependencies first).
    demo_seed = "apps.push.demo.seed"
    demo_step = 40
