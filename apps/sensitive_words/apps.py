from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SensitiveWordsConfig(AppConfig):
    name = "apps.sensitive_words"
    label = "sensitive_words"
    verbose_name = _("Sensitive words")
    # seed_demo calls this with the demo organization, in the order of demo_step (its dependencies first).
    demo_seed = "apps.sensitive_words.demo.seed"
    demo_step = 40
