from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImConfig(AppConfig):
    name = "apps.im"
    label = "im"
    verbose_name = _("IM REST service")
