from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SensitiveWordsConfig(AppConfig):
    name = "apps.sensitive_words"
    label = "sensitive_words"
    verbose_name = _("Sensitive words")
